"""Case notes and attachments: what a caseworker writes down and files on a case.

A note's text, an attachment's name and description, and the key of its file
are encrypted in the database (brik.protection.fields); the file itself is
stored encrypted outside the database (brik.casefiles.storage).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from brik.cases.models import Case
from brik.protection.fields import EncryptedCharField, EncryptedTextField


class CaseNote(models.Model):
    """A dated, attributed note on a case. Its author may edit it for a short while
    (BRIK_NOTE_EDIT_MINUTES); after that a mistake is corrected by a new note that
    refers to the old one, which stays as it was."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written"), db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects the note"),
    )

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        # Names the note in the subject access export ("corrects the note").
        return self.written_at.isoformat(timespec="minutes") if self.written_at else ""


class AttachmentKind(models.TextChoices):
    """The file types accepted, recognised by their content (not their name)."""

    PDF = "pdf", "PDF"
    JPEG = "jpg", "JPEG"
    PNG = "png", "PNG"
    TIFF = "tif", "TIFF"
    HEIC = "heic", "HEIC"
    DOCX = "docx", "Word (DOCX)"
    ODT = "odt", "OpenDocument (ODT)"


class Attachment(models.Model):
    """A document filed on a case: a scanned identity paper, a police report, a consent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    name = EncryptedCharField(_("file name"), max_length=255)
    description = EncryptedCharField(_("description"), max_length=500, blank=True)
    kind = models.CharField(_("type"), max_length=8, choices=AttachmentKind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    # The file on disk: a random name, and its own AES-256-GCM key (base64),
    # itself encrypted with BRIK_ENCRYPTION_KEYS like every encrypted field, so
    # `brik rotate_keys` re-encrypts the key and the file needs no rewriting.
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    file_key = EncryptedCharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), db_index=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.uploaded_at:%Y-%m-%d}" if self.uploaded_at else self.kind
