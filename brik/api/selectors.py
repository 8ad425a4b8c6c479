"""Reads for the API: the token behind a call, a person's tokens, stored idempotent
responses, and cursor pages of the case list and of a partner's referrals."""

import base64
import binascii
import hmac
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core import signing
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from brik.accounts.models import User
from brik.accounts.permissions import Ability, can
from brik.api.models import ApiToken, IdempotentRequest
from brik.api.services import parse_token, token_digest
from brik.cases import selectors as case_selectors
from brik.cases.models import Case, ExploitationForm, PersonCitizenship

MAX_LIMIT = 200


def token_for_secret(raw: str) -> ApiToken | None:
    """The live token a caller presented (not revoked, not expired, its user active)."""
    parsed = parse_token(raw)
    if parsed is None:
        return None
    prefix, secret = parsed
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(prefix=prefix, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, token_digest(secret)):
        return None
    if not token.user.is_active:
        return None
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The tokens a person sees on their page: their own, and their organisation's
    when they may manage those."""
    mine = Q(user=user)
    if can(user, Ability.API_ORGANISATION_TOKEN) and user.organisation_id:
        mine |= Q(organisation_id=user.organisation_id)
    return ApiToken.objects.filter(mine).select_related("user", "organisation", "revoked_by")


def token_of(user: User, pk: int) -> ApiToken | None:
    return tokens_of(user).filter(pk=pk).first()


def idempotent_response(*, token: ApiToken, key: str) -> IdempotentRequest | None:
    return IdempotentRequest.objects.filter(token=token, key=key).first()


# --- cursor pages ----------------------------------------------------------------------


class BadCursor(ValueError):
    """A cursor that this API did not hand out (or for another list)."""


_SIGNER = signing.Signer(salt="brik.api.cursor")


def cursor_encode(kind: str, referred_on: date, pk: int) -> str:
    payload = json.dumps([kind, referred_on.isoformat(), pk], separators=(",", ":"))
    signed = _SIGNER.sign(payload)
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def cursor_decode(kind: str, cursor: str) -> tuple[date, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        signed = base64.urlsafe_b64decode(padded.encode("ascii")).decode()
        got_kind, day, pk = json.loads(_SIGNER.unsign(signed))
        if got_kind != kind or not isinstance(pk, int):
            raise BadCursor(cursor)
        return date.fromisoformat(day), pk
    except (
        UnicodeError,
        binascii.Error,
        signing.BadSignature,
        ValueError,
        TypeError,
    ) as error:
        raise BadCursor(cursor) from error


@dataclass
class CursorPage:
    items: list[Case]
    next_cursor: str | None


def _after(cases: QuerySet[Case], kind: str, cursor: str | None) -> QuerySet[Case]:
    if not cursor:
        return cases
    day, pk = cursor_decode(kind, cursor)
    return cases.filter(Q(referred_on__lt=day) | Q(referred_on=day, pk__lt=pk))


def _page(kind: str, cases: QuerySet[Case], cursor: str | None, limit: int) -> CursorPage:
    limit = max(1, min(limit, MAX_LIMIT))
    ids = list(
        _after(cases, kind, cursor)
        .order_by("-referred_on", "-pk")
        .values_list("pk", flat=True)[: limit + 1]
    )
    more = len(ids) > limit
    ids = ids[:limit]
    rows = (
        Case.objects.filter(pk__in=ids)
        .select_related("person", "assigned_to", "assessment", "referral__referring_organisation")
        .prefetch_related(
            Prefetch(
                "person__citizenships", queryset=PersonCitizenship.objects.order_by("country")
            ),
            Prefetch("assessment__forms", queryset=ExploitationForm.objects.order_by("form")),
        )
        .in_bulk()
    )
    items = [rows[pk] for pk in ids]
    last = items[-1] if items and more else None
    return CursorPage(
        items=items,
        next_cursor=cursor_encode(kind, last.referred_on, last.pk) if last else None,
    )


def case_page(*, user: User, filters: dict[str, Any], cursor: str | None, limit: int) -> CursorPage:
    """A page of the case list (the web's filters and search, cases_filtered)."""
    return _page("cases", case_selectors.cases_filtered(user, filters), cursor, limit)


def referral_page(*, user: User, cursor: str | None, limit: int) -> CursorPage:
    """A page of a partner's own organisation's referrals (as "My referrals")."""
    return _page("referrals", case_selectors.partner_referrals(user=user), cursor, limit)


def visible_case(*, user: User, pk: int) -> Case | None:
    """One case the user reaches (cases_visible_to), or None."""
    if not -(2**63) < pk < 2**63:
        return None
    return (
        case_selectors.cases_visible_to(user)
        .select_related("person", "referral")
        .filter(pk=pk)
        .first()
    )
