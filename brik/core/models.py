from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """created_at / updated_at on every record, set by the database layer."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class FormSubmission(models.Model):
    """A one-time form token, stored when the form it came with was accepted.

    Every form that creates or changes something carries a fresh token. The
    first submission claims it in the same transaction as the change; a second
    submission of the same form (a double click, a reload) finds the token taken
    and is sent to what the first one made, so one submit makes one record.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    result_url = models.CharField(_("result"), max_length=300, blank=True)
    # A keyed digest of what was sent (the address and every field but the tokens):
    # the same input sent again with a new token (the back button re-fetched the
    # form, the browser filled in what had been typed) is recognised by it.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        indexes = [models.Index(fields=["user", "fingerprint", "created_at"])]

    def __str__(self) -> str:
        return self.token
