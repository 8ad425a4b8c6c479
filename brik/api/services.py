"""Making and revoking API tokens; the bookkeeping of calls (last use, rate windows,
idempotent responses)."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from brik.accounts.models import User
from brik.accounts.permissions import Ability, can
from brik.api.models import ApiToken, IdempotentRequest, RateWindow, Scope
from brik.audit.events import AuditEvent
from brik.audit.services import log_action

TOKEN_PREFIX = "brik_"  # noqa: S105 (the visible start of every token, not a secret)
MAX_LIFETIME_DAYS = 366
LAST_USED_RESOLUTION = timedelta(minutes=1)
# How long a POST's answer is kept under its Idempotency-Key (as Stripe: a day).
KEEP_ANSWERS = timedelta(hours=24)


def token_digest(secret: str) -> str:
    """The keyed digest stored for a token (HMAC-SHA256 under SECRET_KEY)."""
    return salted_hmac("brik.api.token", secret, algorithm="sha256").hexdigest()


def parse_token(raw: str) -> tuple[str, str] | None:
    """(prefix, whole token) of a presented token, or None when it is not one of ours."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    prefix, sep, rest = raw[len(TOKEN_PREFIX) :].partition("_")
    if not sep or not prefix or not rest or len(prefix) > 16:
        return None
    return prefix, raw


@transaction.atomic
def token_create(
    *,
    actor: User,
    name: str,
    scopes: list[str],
    expires_at: datetime,
    for_organisation: bool = False,
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once, never stored)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("Give the token a name of at most 100 characters.")})
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown or not scopes:
        raise ValidationError({"scopes": _("Choose at least one of the scopes offered.")})
    now = timezone.now()
    if expires_at <= now or expires_at > now + timedelta(days=MAX_LIFETIME_DAYS):
        raise ValidationError(
            {"expires_on": _("A token expires within a year, and not in the past.")}
        )
    organisation = None
    if for_organisation:
        if not (can(actor, Ability.API_ORGANISATION_TOKEN) and actor.organisation_id):
            raise PermissionDenied
        organisation = actor.organisation
    prefix = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        user=actor,
        organisation=organisation,
        prefix=prefix,
        digest=token_digest(secret),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    log_action(
        actor=actor,
        action=AuditEvent.API_TOKEN_CREATED,
        obj=token,
        data={
            "name": name,
            "scopes": token.scopes,
            "expires_at": expires_at,
            "organisation": organisation.pk if organisation else None,
        },
    )
    return token, secret


def may_revoke(actor: User, token: ApiToken) -> bool:
    """One's own tokens; an organisation's tokens also its leads and administrators."""
    if token.user_id == actor.pk:
        return True
    return bool(
        token.organisation_id
        and token.organisation_id == actor.organisation_id
        and can(actor, Ability.API_ORGANISATION_TOKEN)
    )


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not may_revoke(actor, token):
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    log_action(actor=actor, action=AuditEvent.API_TOKEN_REVOKED, obj=token, data={})
    return token


def token_used(*, token: ApiToken) -> None:
    """Note the last use, writing at most once a minute per token."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def rate_limit() -> int:
    return int(getattr(settings, "BRIK_API_RATE_LIMIT", 120))


def rate_hit(*, token: ApiToken) -> int:
    """Count one call in this minute's window; 0 if it is allowed, else the seconds
    until the next window (for Retry-After)."""
    now = timezone.now()
    starts_at = now.replace(second=0, microsecond=0)
    with transaction.atomic():
        updated = RateWindow.objects.filter(token=token, starts_at=starts_at).update(
            calls=F("calls") + 1
        )
        if not updated:
            # A new minute: the token's old windows are no longer needed.
            RateWindow.objects.filter(token=token, starts_at__lt=starts_at).delete()
            try:
                with transaction.atomic():
                    RateWindow.objects.create(token=token, starts_at=starts_at, calls=1)
            except IntegrityError:  # another server opened the window first
                RateWindow.objects.filter(token=token, starts_at=starts_at).update(
                    calls=F("calls") + 1
                )
        calls = (
            RateWindow.objects.filter(token=token, starts_at=starts_at)
            .values_list("calls", flat=True)
            .first()
        ) or 0
    if calls <= rate_limit():
        return 0
    return max(1, 60 - now.second)


def idempotent_store(
    *, token: ApiToken, key: str, request_hash: str, status_code: int, response: dict
) -> IdempotentRequest:
    """Keep a response under its key. Raises IntegrityError when the key is taken
    (a concurrent request with the same key): the caller's transaction then fails.
    The token's answers older than KEEP_ANSWERS are dropped."""
    IdempotentRequest.objects.filter(
        token=token, created_at__lt=timezone.now() - KEEP_ANSWERS
    ).delete()
    return IdempotentRequest.objects.create(
        token=token,
        key=key,
        request_hash=request_hash,
        status_code=status_code,
        response=response,
    )
