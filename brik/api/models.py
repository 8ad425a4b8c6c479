"""API tokens, the responses kept for Idempotency-Key, and the per-token rate windows.

A token's secret is shown once, when it is made, and never stored: only its
lookup prefix and a keyed digest (HMAC-SHA256 under SECRET_KEY) are kept.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    REFERRALS_WRITE = "referrals:write", _("Send referrals")
    REFERRALS_READ = "referrals:read", _("Read the status of own referrals")
    CASES_READ = "cases:read", _("List, search and read cases")
    CASES_WRITE = "cases:write", _("Record steps on cases")
    STATISTICS_READ = "statistics:read", _("Read published statistics and aggregates")


class ApiToken(models.Model):
    """A personal token (its user's), or an organisation's (made by its lead or
    administrator, shared by the organisation's systems). Either way a call acts
    as `user`: the access policy is that user's, narrowed by the scopes."""

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("organisation"),
        help_text=_("Set for an organisation's token; empty for a personal token."),
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(_("keyed digest"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (brik_{self.prefix}_…)"

    @property
    def is_organisation_token(self) -> bool:
        return self.organisation_id is not None


class IdempotentRequest(models.Model):
    """A POST made with an Idempotency-Key: a retry gets the stored response."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.token_id}: {self.key}"


class RateWindow(models.Model):
    """The number of calls of one token in one minute (shared by every app server)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "starts_at"], name="api_rate_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.starts_at:%H:%M}: {self.calls}"
