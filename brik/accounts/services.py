"""Creating and changing organisations and users.

The admin, the demo generator and any import call these, so that the rules
about which role belongs in which kind of organisation hold everywhere and
every change is in the action log. A refused step raises ValidationError and
changes nothing. The `validate_*` functions are the same rules without the
write, for forms that want to show the refusal next to the field.

Access to identities is guarded here, for every caller: no one changes their
own role, organisation or access, or resets their own second factor; and a
step that gives someone a way to read identities (such a role, reactivating
such an account, setting its password or resetting its second factor for
someone else) needs the acting person's second factor re-entered
(`second_factor_confirm`) and is shown to every lead until acknowledged
(AccessNotice). Steps without a person behind them (actor=None: the command
line, the demo) need no code and make no notice; the log shows who acted.

One module (about 780 lines) on purpose: the guard on access to identities
(confirmation, notices to leads) runs through users, passwords and the second
factor alike, and reads best next to all of them; the sections below are marked.
"""

import json
import secrets
from base64 import b32decode, b32encode
from binascii import Error as BinasciiError
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.util import random_hex

from brik.accounts.digests import keyed_digest, recovery_code_digest
from brik.accounts.models import (
    AccessNotice,
    AccessNoticeAcknowledgement,
    Authenticator,
    KeptForm,
    Organisation,
    RecoveryCode,
    RecoveryCodes,
    User,
)
from brik.accounts.permissions import Ability, reads_identities, require
from brik.accounts.sessions import end_sessions
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.core.choices import OrganisationType, Region, Role
from brik.core.countries import REPORTING_COUNTRY, validate_country_code

# Which kinds of organisation a role may be held in; a role not listed here
# (analyst, administrator) may be held in any organisation.
ROLE_ORGANISATION_TYPES: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset({OrganisationType.CENTRE}),
    Role.LEAD: frozenset({OrganisationType.CENTRE}),
    Role.OUTREACH: frozenset({OrganisationType.NGO}),
    Role.REFERRER: frozenset(
        {
            OrganisationType.POLICE,
            OrganisationType.TAX,
            OrganisationType.LABOUR,
            OrganisationType.IMMIGRATION,
            OrganisationType.MUNICIPALITY,
            OrganisationType.HEALTH,
            OrganisationType.OTHER,
        }
    ),
}

ORGANISATION_FIELDS = ("name", "short_name", "type", "country", "region", "is_active")
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "organisation",
    "role",
    "is_active",
    "is_staff",
    "is_superuser",
)


# --- rules ---------------------------------------------------------------------------


def validate_user_role(*, organisation: Organisation | None, role: str) -> None:
    """Refuse a role that does not fit the user's organisation."""
    if role and role not in Role.values:
        raise ValidationError(_("Unknown role."), code="invalid_choice")
    if role and organisation is None:
        raise ValidationError(
            _("A user with a role must belong to an organisation."), code="organisation_required"
        )
    allowed = ROLE_ORGANISATION_TYPES.get(role)
    if allowed is not None and organisation is not None and organisation.type not in allowed:
        raise ValidationError(
            _("The role “%(role)s” cannot be held in “%(organisation)s” (%(type)s)."),
            code="role_organisation_mismatch",
            params={
                "role": Role(role).label,
                "organisation": organisation.name,
                "type": OrganisationType(organisation.type).label,
            },
        )


def validate_user(
    *,
    username: str,
    organisation: Organisation | None,
    role: str,
    current: User | None = None,
) -> None:
    """Every rule for a new user (current=None) or a changed one."""
    if not username.strip():
        raise ValidationError(_("The user needs a username."), code="username_required")
    User.username_validator(username)
    same = User.objects.filter(username__iexact=username.strip())
    if current is not None:
        same = same.exclude(pk=current.pk)
    if same.exists():
        raise ValidationError(
            _("The username “%(username)s” is taken."),
            code="duplicate_username",
            params={"username": username.strip()},
        )
    validate_user_role(organisation=organisation, role=role)
    if (
        organisation is not None
        and (current is None or current.organisation_id != organisation.pk)
        and not organisation.is_active
    ):
        raise ValidationError(
            _("“%(organisation)s” is no longer active; users cannot join it."),
            code="organisation_inactive",
            params={"organisation": organisation.name},
        )


def validate_organisation(
    *,
    name: str,
    type: str,
    country: str,
    region: str,
    current: Organisation | None = None,
) -> None:
    """Every rule for a new organisation (current=None) or a changed one."""
    if not name.strip():
        raise ValidationError(_("The organisation needs a name."), code="name_required")
    if type not in OrganisationType.values:
        raise ValidationError(_("Unknown type of organisation."), code="invalid_choice")
    validate_country_code(country)
    if region and region not in Region.values:
        raise ValidationError(_("Unknown region."), code="invalid_choice")
    if region and country != REPORTING_COUNTRY:
        raise ValidationError(
            _("Only organisations in Denmark have a Danish region."), code="region_abroad"
        )
    if type == OrganisationType.POLICE and country == REPORTING_COUNTRY and not region:
        raise ValidationError(
            _("Choose the region the police district covers."), code="region_required"
        )
    same_name = Organisation.objects.filter(name__iexact=name.strip())
    if current is not None:
        same_name = same_name.exclude(pk=current.pk)
    if same_name.exists():
        raise ValidationError(
            _("An organisation named “%(name)s” already exists."),
            code="duplicate_name",
            params={"name": name.strip()},
        )
    if current is not None and type != current.type:
        # Its users' roles must still fit the new type.
        probe = Organisation(name=name.strip(), type=type)
        for role in current.users.exclude(role="").values_list("role", flat=True).distinct():
            validate_user_role(organisation=probe, role=role)


# --- organisations -------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    type: str,
    short_name: str = "",
    country: str = REPORTING_COUNTRY,
    region: str = "",
    is_active: bool = True,
) -> Organisation:
    validate_organisation(name=name, type=type, country=country, region=region)
    organisation = Organisation(
        name=name.strip(),
        short_name=short_name.strip(),
        type=type,
        country=country,
        region=region,
        is_active=is_active,
    )
    organisation.full_clean(validate_unique=False)
    organisation.save()
    log_action(
        actor=actor,
        action=AuditEvent.ORGANISATION_CREATED,
        obj=organisation,
        data={"name": organisation.name, "type": type, "country": country, "region": region},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: User | None, organisation: Organisation, **changes: Any
) -> Organisation:
    """Change an organisation; a new type must still fit its users' roles."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of an organisation: {', '.join(sorted(unknown))}")
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    new = {f: changes.get(f, getattr(current, f)) for f in ORGANISATION_FIELDS}
    new["name"] = new["name"].strip()
    new["short_name"] = new["short_name"].strip()
    validate_organisation(
        name=new["name"],
        type=new["type"],
        country=new["country"],
        region=new["region"],
        current=current,
    )
    changed = {f: [getattr(current, f), v] for f, v in new.items() if getattr(current, f) != v}
    for field, value in new.items():
        setattr(organisation, field, value)
    if not changed:
        return organisation
    organisation.full_clean(validate_unique=False)
    organisation.save(update_fields=[*changed, "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.ORGANISATION_CHANGED,
        obj=organisation,
        data={"changed": changed},
        changes=changes_since(organisation, snapshot(current, ORGANISATION_FIELDS)),
    )
    return organisation


# --- users ----------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    organisation: Organisation | None,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_active: bool = True,
    is_staff: bool = False,
    is_superuser: bool = False,
    confirmation: str = "",
) -> User:
    """Create a user; without a password the account cannot log in until one is set.

    A role that reads identities needs `confirmation` from second_factor_confirm.
    """
    username = username.strip()
    validate_user(username=username, organisation=organisation, role=role)
    given = identity_access_given(current=None, role=role, is_active=is_active)
    if given:
        _require_confirmation(actor=actor, confirmation=confirmation)
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=User.objects.normalize_email(email.strip()),
        is_active=is_active,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password", "organisation"], validate_unique=False)
    user.save()
    log_action(
        actor=actor,
        action=AuditEvent.USER_CREATED,
        obj=user,
        data={
            "username": username,
            "organisation": organisation,
            "role": role,
            "is_staff": is_staff,
            "is_superuser": is_superuser,
            "password_login": password is not None,
        },
    )
    if given:
        _notify_leads(actor=actor, user=user, kind=given)
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, confirmation: str = "", **changes: Any) -> User:
    """Change a user's name, organisation, role or access; passwords have their own step.

    Refuses a change of the actor's own role, organisation or access; a change
    that gives a way to read identities needs `confirmation`.
    """
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise ValueError(f"Not fields a user update may change: {', '.join(sorted(unknown))}")
    current = User.objects.select_for_update().get(pk=user.pk)
    new = {f: changes.get(f, getattr(current, f)) for f in USER_FIELDS}
    new["username"] = new["username"].strip()
    validate_user(
        username=new["username"],
        organisation=new["organisation"],
        role=new["role"],
        current=current,
    )
    changed = {f: [getattr(current, f), v] for f, v in new.items() if getattr(current, f) != v}
    validate_own_access(actor=actor, user=current, fields=changed)
    given = identity_access_given(current=current, role=new["role"], is_active=new["is_active"])
    if given:
        _require_confirmation(actor=actor, confirmation=confirmation)
    for field, value in new.items():
        setattr(user, field, value)
    if not changed:
        return user
    user.full_clean(exclude=["password", "organisation"], validate_unique=False)
    user.save(update_fields=list(changed))
    log_action(
        actor=actor,
        action=AuditEvent.USER_CHANGED,
        obj=user,
        data={"changed": changed},
        changes=changes_since(user, snapshot(current, USER_FIELDS)),
    )
    if given:
        _notify_leads(actor=actor, user=user, kind=given)
    return user


@transaction.atomic
def user_set_access(
    *,
    actor: User | None,
    user: User,
    groups: Iterable[Group] | None = None,
    user_permissions: Iterable[Permission] | None = None,
) -> User:
    """Set a user's groups and individual permissions, recording what was added and removed.

    Nobody changes their own: a refusal when the actor's own would change.
    """
    data = {}
    for name, wanted in (("groups", groups), ("user_permissions", user_permissions)):
        if wanted is None:
            continue
        manager = getattr(user, name)
        before = set(manager.values_list("pk", flat=True))
        after = {obj.pk for obj in wanted}
        if before != after:
            validate_own_access(actor=actor, user=user, fields=[name])
            manager.set(wanted)
            data[name] = {"added": sorted(after - before), "removed": sorted(before - after)}
    if data:
        log_action(actor=actor, action=AuditEvent.USER_ACCESS_CHANGED, obj=user, data=data)
    return user


def password_set_gives_access(*, actor: User | None, user: User) -> bool:
    """Would setting a password let someone other than `user` read identities as them?"""
    return (
        actor is not None and actor.pk != user.pk and user.is_active and reads_identities(user.role)
    )


@transaction.atomic
def user_set_password(
    *, actor: User | None, user: User, password: str | None, confirmation: str = ""
) -> User:
    """Set a new password, or with None switch password login off.

    Every session of the user ends: whoever held one (perhaps with the old,
    stolen password) must log in with the new one. A person changing their
    own password keeps the session they changed it in (Django's
    update_session_auth_hash gives it a new key afterwards). Setting someone
    else's password on an account that reads identities needs `confirmation`.
    """
    gives_access = password is not None and password_set_gives_access(actor=actor, user=user)
    if gives_access:
        _require_confirmation(actor=actor, confirmation=confirmation)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.save(update_fields=["password"])
    ended = end_sessions(user=user)
    log_action(
        actor=actor,
        action=AuditEvent.USER_PASSWORD_SET,
        obj=user,
        data={"password_login": password is not None, "sessions_ended": ended},
    )
    if gives_access:
        _notify_leads(actor=actor, user=user, kind=AccessNotice.Kind.PASSWORD_SET)
    return user


# --- the second factor ------------------------------------------------------------------

TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


@dataclass(frozen=True)
class TotpSecret:
    """What an authenticator app needs: the secret, and the otpauth:// URI a QR code carries."""

    device: Authenticator
    secret: str  # base32, as typed into an app by hand
    uri: str


def totp_secret(device: Authenticator) -> TotpSecret:
    secret = b32encode(bytes.fromhex(device.key)).decode("ascii").rstrip("=")
    return TotpSecret(device=device, secret=secret, uri=device.config_url)


def _hex_key(secret: str) -> str:
    cleaned = secret.replace(" ", "").upper()
    try:
        raw = b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (BinasciiError, ValueError) as error:
        raise ValidationError(
            _("The secret is not a valid base32 string."), code="invalid_secret"
        ) from error
    if not 10 <= len(raw) <= 40:
        raise ValidationError(_("The secret must be 10 to 40 bytes long."), code="invalid_secret")
    return raw.hex()


@transaction.atomic
def totp_device_ensure(
    *, user: User, secret: str | None = None, actor: User | None = None
) -> TotpSecret:
    """Give `user` a confirmed authenticator (TOTP) device and return its secret.

    With `secret` (base32) the device uses exactly that secret, so a known
    demo login can print it; without, a device the user already has is kept
    and otherwise a random secret is made. For demo data and set-up scripts:
    people enrol themselves on the two-factor page.
    """
    device = Authenticator.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is not None and secret is None:
        return totp_secret(device)
    key = _hex_key(secret) if secret is not None else random_hex(20)
    if device is not None and device.key == key:
        return totp_secret(device)
    Authenticator.objects.filter(user=user).delete()
    device = Authenticator.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    log_action(
        actor=actor if actor is not None else user,
        action=AuditEvent.USER_TWO_FACTOR_ENROLLED,
        obj=user,
        data={"device": "totp", "by_secret_given": secret is not None},
    )
    return totp_secret(device)


@transaction.atomic
def totp_device_start(*, user: User) -> TotpSecret:
    """Begin enrolment: a new, unconfirmed authenticator device (an earlier unconfirmed one goes)."""
    if Authenticator.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(
            _("Two-factor login is already set up for this account."), code="already_enrolled"
        )
    Authenticator.objects.filter(user=user, confirmed=False).delete()
    device = Authenticator.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return totp_secret(device)


@transaction.atomic
def totp_device_confirm(*, user: User, device: Authenticator, token: str) -> list[str]:
    """Finish enrolment with a first code from the app; returns new recovery codes."""
    device = Authenticator.objects.select_for_update().filter(pk=device.pk, user=user).first()
    if device is None or device.confirmed:
        raise ValidationError(
            _("Start the set-up again: this device is no longer waiting."), code="no_device"
        )
    if not device.verify_token(_digits(token)):
        raise ValidationError(
            _("The code is not right. Check the time on your phone and try the newest code."),
            code="wrong_code",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log_action(
        actor=user, action=AuditEvent.USER_TWO_FACTOR_ENROLLED, obj=user, data={"device": "totp"}
    )
    return recovery_codes_generate(user=user)


def _recovery_code() -> str:
    """Eight characters of a-z and 2-7 (40 random bits), easy to type from paper."""
    return b32encode(secrets.token_bytes(5)).decode("ascii").lower()


def _digits(token: str) -> str:
    return "".join((token or "").split())


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """New one-time recovery codes for `user`; any earlier ones stop working.

    The codes are shown once; the log records only that new ones were made.
    """
    device, _created = RecoveryCodes.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.codes.all().delete()
    codes = [_recovery_code() for _i in range(settings.BRIK_RECOVERY_CODES)]
    # Only the digests are stored: the codes are shown this once.
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_code_digest(code)) for code in codes
    )
    log_action(
        actor=user,
        action=AuditEvent.USER_RECOVERY_CODES_MADE,
        obj=user,
        data={"count": len(codes)},
    )
    return codes


@transaction.atomic
def two_factor_verify(*, user: User, token: str) -> Device | None:
    """Check a code from the authenticator app, or a recovery code (used up by this).

    Returns the device that accepted it, or None. Each attempt is logged; the
    devices throttle repeated wrong codes themselves.
    """
    accepted = _accepting_device(user=user, token=token)
    log_action(
        actor=user,
        action=AuditEvent.USER_TWO_FACTOR_PASSED if accepted else AuditEvent.USER_TWO_FACTOR_FAILED,
        obj=user,
        data={"device": _device_kind(accepted)} if accepted else {},
    )
    return accepted


def _accepting_device(*, user: User, token: str) -> Device | None:
    token = _digits(token).lower()
    # An app code is six digits, a recovery code is not: offer each code only to
    # its own kind of device, so a recovery code never counts as a failed app
    # code (which would throttle the next real one).
    kind = Authenticator if token.isdigit() and len(token) == 6 else RecoveryCodes
    devices = list(kind.objects.select_for_update().filter(user=user, confirmed=True))
    return next((d for d in devices if token and d.verify_token(token)), None)


def _device_kind(device: Device | None) -> str:
    return "recovery_code" if isinstance(device, RecoveryCodes) else "totp"


def two_factor_reset_gives_access(*, actor: User | None, user: User) -> bool:
    """Would resetting this second factor open a way to read identities as `user`?"""
    return actor is not None and user.is_active and reads_identities(user.role)


@transaction.atomic
def two_factor_reset(*, actor: User | None, user: User, confirmation: str = "") -> User:
    """Remove a user's second factor (a lost phone): they enrol again at their next login.

    Every session of the user ends, so the new enrolment is offered only after
    the password: never to a session someone may have stolen. Nobody resets
    their own; for an account that reads identities it needs `confirmation`.
    """
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(
            _("No one can reset their own two-factor login; another administrator must do it."),
            code="own_access",
        )
    gives_access = two_factor_reset_gives_access(actor=actor, user=user)
    if gives_access:
        _require_confirmation(actor=actor, confirmation=confirmation)
    Authenticator.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()
    ended = end_sessions(user=user)
    log_action(
        actor=actor,
        action=AuditEvent.USER_TWO_FACTOR_RESET,
        obj=user,
        data={"sessions_ended": ended},
    )
    if gives_access:
        _notify_leads(actor=actor, user=user, kind=AccessNotice.Kind.TWO_FACTOR_RESET)
    return user


# --- access to identities ------------------------------------------------------------------

# What nobody may change on their own account (groups and permissions are Django's).
OWN_ACCESS_FIELDS = frozenset(
    {"organisation", "role", "is_staff", "is_superuser", "groups", "user_permissions"}
)
CONFIRMATION_SALT = "brik.accounts.identity_access"
# A confirmation is asked for on the same page as the change it allows.
CONFIRMATION_SECONDS = 5 * 60


def validate_own_access(*, actor: User | None, user: User, fields: Iterable[str]) -> None:
    """Refuse a change of the actor's own role, organisation or access rights."""
    if actor is None or actor.pk is None or actor.pk != user.pk:
        return
    if OWN_ACCESS_FIELDS & set(fields):
        raise ValidationError(
            _(
                "No one can change their own role, organisation or access rights; "
                "another administrator must do it."
            ),
            code="own_access",
        )


def identity_access_given(*, current: User | None, role: str, is_active: bool) -> str | None:
    """The kind of AccessNotice when a user (current=None: a new one) is given a way to
    read identities by this role and active flag; None when the change gives none."""
    if not (is_active and reads_identities(role)):
        return None
    if current is None or not reads_identities(current.role):
        return AccessNotice.Kind.ROLE_GRANTED
    if not current.is_active:
        return AccessNotice.Kind.REACTIVATED
    return None


def second_factor_confirm(*, actor: User, code: str) -> str:
    """The acting person re-enters their second factor; returns the confirmation a
    guarded step takes. A wrong code raises ValidationError; the attempt is logged
    (and throttled) either way."""
    with transaction.atomic():
        device = _accepting_device(user=actor, token=code)
        log_action(
            actor=actor,
            action=AuditEvent.USER_SECOND_FACTOR_CONFIRMED
            if device
            else AuditEvent.USER_SECOND_FACTOR_REFUSED,
            obj=actor,
        )
    if device is None:
        raise ValidationError(
            _("The code is not right. Enter the newest code from your authenticator app."),
            code="wrong_code",
        )
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign(str(actor.pk))


def _require_confirmation(*, actor: User | None, confirmation: str) -> None:
    if actor is None:
        return  # the command line: whoever runs it already holds the server
    try:
        confirmed = signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign(
            confirmation or "", max_age=CONFIRMATION_SECONDS
        )
    except signing.BadSignature:
        confirmed = None
    if confirmed != str(actor.pk):
        raise ValidationError(
            _(
                "Giving access to identities needs your second factor: "
                "enter the newest code from your authenticator app."
            ),
            code="second_factor_required",
        )


def _notify_leads(*, actor: User | None, user: User, kind: str) -> None:
    if actor is None:
        return
    notice = AccessNotice.objects.create(kind=kind, user=user, role=user.role, actor=actor)
    log_action(
        actor=actor,
        action=AuditEvent.USER_IDENTITY_ACCESS_GIVEN,
        obj=user,
        data={"kind": kind, "role": user.role, "notice": notice.pk},
    )


@transaction.atomic
def access_notices_acknowledge(*, actor: User, notice_ids: Iterable[int]) -> int:
    """A lead acknowledges the access notices they were shown; returns how many were new."""
    require(actor, Ability.ACCESS_NOTICES)
    notices = list(AccessNotice.objects.filter(pk__in=list(notice_ids)))
    done = set(
        AccessNoticeAcknowledgement.objects.filter(notice__in=notices, lead=actor).values_list(
            "notice_id", flat=True
        )
    )
    new = [n for n in notices if n.pk not in done]
    AccessNoticeAcknowledgement.objects.bulk_create(
        [AccessNoticeAcknowledgement(notice=n, lead=actor) for n in new], ignore_conflicts=True
    )
    for notice in new:
        log_action(
            actor=actor,
            action=AuditEvent.ACCESS_NOTICE_ACKNOWLEDGED,
            obj=notice,
            data={"user": notice.user_id, "kind": notice.kind, "role": notice.role},
        )
    return len(new)


# --- login lockouts ------------------------------------------------------------------------

# Set while lockouts_clear deletes what it has already logged, so that the
# record of deletions made elsewhere (brik.accounts.signals) does not log them twice.
_clearing: ContextVar[bool] = ContextVar("brik_clearing_lockouts", default=False)


def lockout_in_force(attempt: AccessAttempt) -> bool:
    """Is this django-axes attempt a lockout that has not yet run out?"""
    if attempt.failures_since_start < settings.AXES_FAILURE_LIMIT:
        return False
    return attempt.attempt_time > timezone.now() - settings.AXES_COOLOFF_TIME


def lockout_cleared_record(*, actor: User | None, attempt: AccessAttempt, via: str) -> None:
    """Log that a lockout in force was lifted before its time ran out."""
    user = User.objects.filter(username=attempt.username).first()
    log_action(
        actor=actor,
        action=AuditEvent.USER_LOCKOUT_CLEARED,
        obj=user if user is not None else attempt,
        data={
            "username": attempt.username,
            "ip": attempt.ip_address,
            "failures": attempt.failures_since_start,
            "via": via,
        },
    )


@transaction.atomic
def lockouts_clear(*, actor: User | None, attempts: Iterable[AccessAttempt]) -> int:
    """Lift login lockouts (django-axes attempts): each one in force is logged."""
    token = _clearing.set(True)
    try:
        count = 0
        for attempt in list(attempts):
            if lockout_in_force(attempt):
                lockout_cleared_record(actor=actor, attempt=attempt, via="admin")
            attempt.delete()
            count += 1
        return count
    finally:
        _clearing.reset(token)


def clearing_lockouts() -> bool:
    return _clearing.get()


# --- typed work kept across an ended session -------------------------------------------------


def form_keep(*, user_id: int, path: str, items: list[tuple[str, str]]) -> str:
    """Keep a form's input, encrypted, for the person whose session ended; return the
    random id for their browser's cookie (only its digest is stored)."""
    kept_id = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        KeptForm.objects.filter(expires_at__lt=now).delete()
        KeptForm.objects.create(
            key=keyed_digest("kept-form", kept_id),
            user_id=user_id,
            path=path[:300],
            data=json.dumps(items),
            expires_at=now + timedelta(minutes=settings.BRIK_KEPT_FORM_MINUTES),
        )
    return kept_id


def form_kept_take(*, kept_id: str, user: User, path: str) -> list[tuple[str, str]] | None:
    """The input kept under `kept_id` for this person and this page, removed as it is
    given back; None if there is none (expired, another person, another page)."""
    if not kept_id or len(kept_id) > 100:
        return None
    with transaction.atomic():
        kept = (
            KeptForm.objects.select_for_update()
            .filter(
                key=keyed_digest("kept-form", kept_id),
                user=user,
                path=path,
                expires_at__gte=timezone.now(),
            )
            .first()
        )
        if kept is None:
            return None
        kept.delete()
    try:
        items = json.loads(kept.data)
    except ValueError:
        return None
    return [(str(name), str(value)) for name, value in items]
