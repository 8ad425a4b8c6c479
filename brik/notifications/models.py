"""In-app notifications, the daily digest's record of what was mailed, and the
point in the action log up to which `brik notify` has read.

A notification holds no personal data: its kind and the case it is about (shown
as the case's pseudonymous code). Each has a `key` unique per user, so that
`brik notify` run twice makes nothing twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ASSIGNED = "assigned", _("A case was assigned to you")
    DEADLINE_REFLECTION = "deadline_reflection", _("A reflection period ends soon")
    DEADLINE_DECISION = "deadline_decision", _("A decision is pending")
    DEADLINE_FOLLOW_UP = "deadline_follow_up", _("A follow-up is due")
    CHANGED = "changed", _("Someone else changed a case of yours")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What makes it unique for the user: e.g. "assigned:<case>:<user>" or
    # "reflection:<case>:<end date>".
    key = models.CharField(max_length=100)
    due = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # The day it was counted in a daily digest; a notification is counted once.
    digested_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user")
        ]
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.key}"


class DigestPreference(models.Model):
    """A user's choice about the daily e-mail; without a row, the digest is sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    daily_digest = models.BooleanField(_("daily e-mail digest"), default=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self) -> str:
        return f"{self.user_id} {self.daily_digest}"


class DigestSent(models.Model):
    """One row per user and day a digest was mailed: the digest is sent once a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    notifications = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class Cursor(models.Model):
    """How far `brik notify` has read the action log (the last sequence number seen)."""

    name = models.CharField(max_length=30, unique=True)
    sequence = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} {self.sequence}"
