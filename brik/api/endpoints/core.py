"""What every endpoint shares: the API object, bearer tokens, rate limits, ETags,
problem+json errors (RFC 9457), Idempotency-Key, and sending JSON to Brik's forms.

The API calls the same forms, services and selectors as the web pages and asks the
same access policy (`permissions.can`) as the user the token acts for; a token's
scopes can only narrow what that user may do.
"""

import hashlib
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from brik.accounts.permissions import Ability, can
from brik.api import selectors, services
from brik.api.models import ApiToken
from brik.core.errors import TransitionError

logger = logging.getLogger("brik.api")

PROBLEM = "application/problem+json"
PROBLEM_BASE = "https://brik.invalid/problems/"


# --- problems ---------------------------------------------------------------------------


class FieldError(Schema):
    field: str
    message: str
    code: str = ""


class Problem(Schema):
    """An error as RFC 9457 describes it, with the fields it is about."""

    type: str
    title: str
    status: int
    detail: str = ""
    errors: list[FieldError] = []


class ApiProblem(Exception):
    """Raised by an endpoint to answer with a problem."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str = "",
        errors: list[dict] | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        super().__init__(title)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.errors = errors or []
        self.headers = dict(headers or {})


def problem_response(
    status: int,
    kind: str,
    title: str,
    detail: str = "",
    errors: list[dict] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body = {
        "type": PROBLEM_BASE + kind,
        "title": str(title),
        "status": status,
        "detail": str(detail),
        "errors": [
            {"field": e["field"], "message": str(e["message"]), "code": e.get("code") or ""}
            for e in errors or []
        ],
    }
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def validation_errors(error: ValidationError, field_map: Mapping[str, str | None] | None = None):
    """A form's or service's ValidationError as a list of {field, message, code}."""
    field_map = field_map or {}
    out = []
    if hasattr(error, "error_dict"):
        for name, items in error.error_dict.items():
            target = field_map.get(name, name)
            for item in items:
                for message in item.messages:
                    out.append({"field": target or "", "message": message, "code": item.code})
        return out
    for item in error.error_list:
        target = field_map.get(item.code, "") if item.code else ""
        for message in item.messages:
            out.append({"field": target or "", "message": message, "code": item.code})
    return out


def form_errors(form) -> list[dict]:
    out = []
    for name, errors in form.errors.get_json_data().items():
        for item in errors:
            field = "" if name == "__all__" else name
            out.append({"field": field, "message": item["message"], "code": item["code"] or ""})
    return out


def invalid(errors: list[dict], detail: str = "") -> ApiProblem:
    return ApiProblem(
        422,
        "validation",
        _("The request is not valid."),
        detail or _("See the errors, by field."),
        errors,
    )


# --- the API object: ETags and the problems in the schema ---------------------------


class BrikAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            digest = hashlib.sha256(response.content).hexdigest()[:32]
            response["ETag"] = f'"{digest}"'
            conditional = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
            if conditional is not None and conditional is not response:
                conditional["Cache-Control"] = response["Cache-Control"]
                return conditional
        return response

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        # Errors are problem+json documents (RFC 9457), not plain JSON.
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        response["content"] = {PROBLEM: content["application/json"]}
        return schema


ERRORS = frozenset({400, 401, 403, 404, 409, 422, 429})


def responses(**ok: Any) -> dict:
    """An operation's responses: its successes, and a Problem for every error."""
    out: dict = {int(code.strip("_")): schema for code, schema in ok.items()}
    out[ERRORS] = Problem
    return out


# --- tokens and rate limits ----------------------------------------------------------


class TokenAuth(HttpBearer):
    """`Authorization: Bearer brik_…`. Session cookies are never read by the API."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = selectors.token_for_secret(token.strip())
        if found is not None:
            services.token_used(token=found)
        return found


class TokenRateThrottle(BaseThrottle):
    """BRIK_API_RATE_LIMIT calls a minute per token, counted in the database so that
    every app server counts the same calls."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return True
        self._wait = services.rate_hit(token=token)
        return self._wait == 0

    def wait(self) -> float | None:
        return float(getattr(self, "_wait", 60))


def token(request: HttpRequest) -> ApiToken:
    found = getattr(request, "auth", None)
    assert isinstance(found, ApiToken)
    return found


def allowed(request: HttpRequest, scope: str, *needed: Ability):
    """The user the token acts for, if the token has `scope` and the user every ability."""
    the_token = token(request)
    if scope not in the_token.scopes:
        raise ApiProblem(
            403,
            "scope",
            _("The token does not allow this."),
            _("This call needs a token with the scope %(scope)s.") % {"scope": scope},
        )
    user = the_token.user
    for ability in needed:
        if not can(user, ability):
            raise PermissionDenied
    return user


# --- Idempotency-Key ------------------------------------------------------------------


def request_hash(request: HttpRequest, body: Any) -> str:
    text = json.dumps(
        [request.method, request.path, body], sort_keys=True, default=str, separators=(",", ":")
    )
    return hashlib.sha256(text.encode()).hexdigest()


def idempotent(
    request: HttpRequest, key: str, body: Any, run: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """Run a POST once per Idempotency-Key: a retry gets the first response back, the
    same key with another body is refused (422). Refusals are not kept, so a
    corrected request may reuse its key. Answers are kept for KEEP_ANSWERS."""
    the_token = token(request)
    digest = request_hash(request, body)
    earlier = selectors.idempotent_response(token=the_token, key=key)
    if earlier is None:
        try:
            with transaction.atomic():
                status, data = run()
                services.idempotent_store(
                    token=the_token,
                    key=key,
                    request_hash=digest,
                    status_code=status,
                    response=json.loads(json.dumps(data, default=str)),
                )
            return status, data
        except IntegrityError:
            # The same key sent twice at once: the first one's answer decides.
            earlier = selectors.idempotent_response(token=the_token, key=key)
            if earlier is None:
                raise ApiProblem(
                    409,
                    "idempotency-key-in-use",
                    _("A request with this Idempotency-Key is still being handled."),
                    _("Send it again in a moment to get its answer."),
                    headers={"Retry-After": "1"},
                ) from None
    if earlier.request_hash != digest:
        raise ApiProblem(
            422,
            "idempotency-key-reused",
            _("This Idempotency-Key was used for another request."),
            _("Use a new key for a new request."),
            [{"field": "Idempotency-Key", "message": _("Already used for another request.")}],
        )
    return earlier.status_code, earlier.response


# --- JSON into Brik's forms ------------------------------------------------------------


def form_data(values: Mapping[str, Any]) -> MultiValueDict:
    """JSON values as a form's POST data (lists as several values), with a form token."""
    data: MultiValueDict[str, str] = MultiValueDict()
    for name, value in values.items():
        items = value if isinstance(value, list | tuple) else [value]
        converted = []
        for item in items:
            if item is None:
                continue
            if isinstance(item, bool):
                converted.append("on" if item else "")
            elif isinstance(item, datetime):
                if timezone.is_aware(item):
                    item = timezone.localtime(item)
                converted.append(item.strftime("%Y-%m-%dT%H:%M"))
            elif isinstance(item, date):
                converted.append(item.isoformat())
            else:
                converted.append(str(item))
        data.setlist(name, converted)
    data["form_token"] = secrets.token_urlsafe(24)
    return data


def run_form(form, run: Callable[[dict], Any], field_map: Mapping[str, str | None] | None = None):
    """Validate `form` and call the service with its data; refusals become a 422 (a
    field's error) or 409 (the case's state does not allow the step) problem."""
    if not form.is_valid():
        raise invalid(form_errors(form))
    try:
        with transaction.atomic():
            return run(form.cleaned_data)
    except TransitionError as error:
        raise ApiProblem(
            409,
            "conflict",
            _("The step is not possible now."),
            " ".join(error.messages),
            validation_errors(error, field_map),
        ) from error
    except ValidationError as error:
        raise invalid(validation_errors(error, field_map)) from error


# --- the exception handlers ----------------------------------------------------------


def install_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiProblem)
    def _problem(request, exc: ApiProblem):
        return problem_response(
            exc.status, exc.kind, exc.title, exc.detail, exc.errors, exc.headers
        )

    @api.exception_handler(NinjaValidationError)
    def _invalid(request, exc: NinjaValidationError):
        errors = []
        for item in exc.errors:
            loc = [str(p) for p in item.get("loc", ())]
            # ("body", "payload", "gender") → "gender"; ("query", "limit") → "limit"
            parts = [p for p in loc[1:] if p not in ("payload", "filters")] or loc
            errors.append(
                {
                    "field": ".".join(parts),
                    "message": item.get("msg", ""),
                    "code": item.get("type", ""),
                }
            )
        return problem_response(
            422,
            "validation",
            _("The request is not valid."),
            _("See the errors, by field."),
            errors,
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return problem_response(
            401,
            "unauthenticated",
            _("A valid API token is needed."),
            _("Send it as: Authorization: Bearer brik_…"),
            headers={"WWW-Authenticate": 'Bearer realm="brik"'},
        )

    @api.exception_handler(Throttled)
    def _throttled(request, exc: Throttled):
        wait = int(exc.wait or 60)
        return problem_response(
            429,
            "rate-limit",
            _("Too many requests."),
            _("Try again in %(seconds)s seconds.") % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return problem_response(403, "forbidden", _("You may not do this."))

    def _not_found(request, exc):
        return problem_response(404, "not-found", _("Not found."))

    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(ObjectDoesNotExist, _not_found)

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        return problem_response(exc.status_code, "error", str(exc.message))

    @api.exception_handler(selectors.BadCursor)
    def _bad_cursor(request, exc):
        return problem_response(
            422,
            "validation",
            _("The request is not valid."),
            errors=[{"field": "cursor", "message": _("This cursor was not given by this list.")}],
        )

    @api.exception_handler(Exception)
    def _error(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        return problem_response(500, "server-error", _("Something went wrong on our side."))
