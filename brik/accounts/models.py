import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import random_hex

from brik.accounts.digests import recovery_code_digest
from brik.core.choices import ORGANISATION_TYPE_CODES, OrganisationType, Region, Role
from brik.core.countries import validate_country_code
from brik.core.models import TimeStampedModel
from brik.protection.fields import EncryptedCharField, EncryptedTextField


class Organisation(TimeStampedModel):
    """An authority, NGO or partner abroad that holds a piece of the work."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    country = models.CharField(
        _("country"), max_length=2, default="DK", validators=[validate_country_code]
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def htcds_type(self) -> str:
        return ORGANISATION_TYPE_CODES[OrganisationType(self.type)].htcds


# django-otp's Device has no type information, so the checker cannot see the
# reverse managers its subclasses (Authenticator, RecoveryCodes) add to User.
class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A person who logs in: always of one organisation, with one role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)

    # django-stubs type the inherited Meta's names as str; Django takes lazy text.
    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(organisation__isnull=False),
                name="user_with_role_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # Django's admin asks these for every model it shows. For the models in
    # brik.accounts.permissions.ADMIN_MODELS the access policy answers (a
    # superuser too gets no case records without a case role); Django's own
    # permissions answer for everything else.
    def has_perm(self, perm, obj=None) -> bool:
        from brik.accounts.permissions import admin_allows

        app_label, _, codename = perm.partition(".")
        allowed = admin_allows(self, app_label, codename.partition("_")[2])
        if allowed is not None:
            return allowed
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        from brik.accounts.permissions import ADMIN_MODELS, admin_allows_app

        if any(label.startswith(f"{app_label}.") for label in ADMIN_MODELS):
            return admin_allows_app(self, app_label)
        return super().has_module_perms(app_label)


# --- sessions -----------------------------------------------------------------------------


class Session(AbstractBaseSession):
    """A login session, stored under a keyed digest of its key (brik.accounts.sessions).

    The cookie holds the key; the database holds only its digest, so a copy of
    the database opens no session. `user_id` says whose session it is, so that
    all of a person's sessions can be ended at once.
    """

    session_key = models.CharField(_("session key digest"), max_length=64, primary_key=True)
    user_id = models.PositiveBigIntegerField(_("user id"), null=True, blank=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):  # lazy names: as User.Meta above
        verbose_name = _("session")  # type: ignore[assignment]
        verbose_name_plural = _("sessions")  # type: ignore[assignment]

    @classmethod
    def get_session_store_class(cls):
        from brik.accounts.sessions import SessionStore

        return SessionStore


# --- the second factor --------------------------------------------------------------------
# Brik's own django-otp devices. django-otp's TOTPDevice and StaticToken keep
# the authenticator secret and the recovery codes in clear; here the secret is
# encrypted with BRIK_ENCRYPTION_KEYS (and re-encrypted by `brik rotate_keys`)
# and a recovery code is kept only as a keyed digest.


def new_totp_key() -> str:
    return random_hex(20)


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238): six digits from a shared secret and the time."""

    key = EncryptedCharField(_("secret (hex)"), max_length=80, default=new_totp_key)
    step = models.PositiveSmallIntegerField(_("time step (seconds)"), default=30)
    t0 = models.BigIntegerField(_("start time (Unix)"), default=0)
    digits = models.PositiveSmallIntegerField(_("digits"), default=6)
    # Steps either side of now that still count, for a phone's clock a little off.
    tolerance = models.PositiveSmallIntegerField(_("tolerance (steps)"), default=1)
    drift = models.SmallIntegerField(_("drift (steps)"), default=0)
    # The step of the last code accepted: a code is never accepted twice.
    last_t = models.BigIntegerField(_("last step used"), default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        allowed, _detail = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            number = int(token)
        except (TypeError, ValueError):
            number = None
        totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
        totp.time = time.time()
        if number is not None and totp.verify(number, self.tolerance, self.last_t + 1):
            self.last_t = totp.t()
            self.drift = totp.drift
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False

    @property
    def config_url(self) -> str:
        """The otpauth:// URI an authenticator app reads from the QR code."""
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "") or "").replace(":", "")
        label = self.user.get_username()
        params = urlencode(
            {
                "secret": b32encode(self.bin_key).decode("ascii"),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
            }
        )
        if issuer:
            label = f"{issuer}:{label}"
            params += f"&issuer={quote(issuer)}"
        return f"otpauth://totp/{quote(label)}?{params}"


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A person's one-time recovery codes; each works once, in any order."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        allowed, _detail = self.verify_is_allowed()
        if not allowed:
            return False
        used, _deleted = self.codes.filter(digest=recovery_code_digest(str(token))).delete()
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False


class RecoveryCode(models.Model):
    """One recovery code, as a keyed digest (brik.accounts.digests): never the code itself."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(_("digest"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device} #{self.pk}"


# --- access to identities, shown to the leads -------------------------------------------


class AccessNotice(models.Model):
    """Someone was given a way to read identities: every lead sees it until they acknowledge it.

    Written by brik.accounts.services when a role that reads identities is
    given (or an account holding one is reactivated), and when someone else
    sets the password of, or resets the second factor of, such an account.
    """

    class Kind(models.TextChoices):
        ROLE_GRANTED = "role_granted", _("was given the role")
        REACTIVATED = "reactivated", _("was reactivated with the role")
        PASSWORD_SET = "password_set", _("had their password set by someone else, with the role")
        TWO_FACTOR_RESET = "two_factor_reset", _("had their two-factor login reset, with the role")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    actor = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("access notice")
        verbose_name_plural = _("access notices")

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.get_role_display()}"


class AccessNoticeAcknowledgement(models.Model):
    """A lead has seen an access notice."""

    notice = models.ForeignKey(
        AccessNotice, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    lead = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged"), auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["notice", "lead"], name="one_acknowledgement_per_lead")
        ]

    def __str__(self) -> str:
        return f"{self.lead} · {self.notice}"


class KeptForm(models.Model):
    """What a person had typed into a form when their session ended, kept for them.

    Sending a form after the session has ended leads to the login page; the input
    is kept here, encrypted with the data keys, under a random id that only the
    person's browser holds (an HttpOnly cookie), for BRIK_KEPT_FORM_MINUTES.
    After logging in again as the same person, the form's page shows it again,
    filled in but not sent (brik.accounts.middleware.KeepFormAcrossLoginMiddleware).
    """

    # The digest of the random id in the cookie (brik.accounts.digests), never the id.
    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    data = EncryptedTextField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("kept form")
        verbose_name_plural = _("kept forms")

    def __str__(self) -> str:
        return f"{self.user_id} {self.path}"
