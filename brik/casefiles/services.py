"""Every change to case notes and attachments: one function each, in one transaction,
with its entry in the action log."""

import contextlib
import logging
import re
import shlex
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brik.accounts.permissions import Ability, can
from brik.audit.events import AuditEvent
from brik.audit.services import access_record, changes_since, log_action, snapshot
from brik.casefiles import storage
from brik.casefiles.models import Attachment, AttachmentKind, CaseNote
from brik.cases.models import Case, Person

if TYPE_CHECKING:
    from brik.accounts.models import User

logger = logging.getLogger(__name__)

NOTE_MAX_LENGTH = 20_000
# How much of the start of a file the type detection reads (a DOCX or ODT is a zip
# whose first entries name what it is).
HEAD_BYTES = 256 * 1024

# filetype's extension → the kind of attachment accepted.
ACCEPTED = {
    "pdf": AttachmentKind.PDF,
    "jpg": AttachmentKind.JPEG,
    "png": AttachmentKind.PNG,
    "tif": AttachmentKind.TIFF,
    "heic": AttachmentKind.HEIC,
    "docx": AttachmentKind.DOCX,
    "odt": AttachmentKind.ODT,
}
MIME_TYPES = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.JPEG: "image/jpeg",
    AttachmentKind.PNG: "image/png",
    AttachmentKind.TIFF: "image/tiff",
    AttachmentKind.HEIC: "image/heic",
    AttachmentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    AttachmentKind.ODT: "application/vnd.oasis.opendocument.text",
}


# --- notes ---------------------------------------------------------------------------------


def note_edit_window() -> timedelta:
    return timedelta(minutes=settings.BRIK_NOTE_EDIT_MINUTES)


def note_editable(note: CaseNote, user: "User", now: datetime | None = None) -> bool:
    """Only the author, and only for BRIK_NOTE_EDIT_MINUTES after writing it."""
    now = now or timezone.now()
    return (
        can(user, Ability.CASE_NOTES)
        and note.author_id == user.pk
        and now - note.written_at <= note_edit_window()
    )


def _note_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")}, code="required")
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"text": _("A note can be at most %(n)s characters.") % {"n": NOTE_MAX_LENGTH}},
            code="max_length",
        )
    return text


@transaction.atomic
def note_add(*, actor: "User", case: Case, text: str, corrects: CaseNote | None = None) -> CaseNote:
    """A new note on `case`; with `corrects`, a correction of an earlier note of the case."""
    if not can(actor, Ability.CASE_NOTES):
        raise PermissionDenied
    text = _note_text(text)
    if corrects is not None and corrects.case_id != case.pk:
        raise ValidationError({"corrects": _("The note corrected belongs to another case.")})
    note = CaseNote.objects.create(
        case=case, text=text, author=actor, written_at=timezone.now(), corrects=corrects
    )
    log_action(
        actor=actor,
        action=AuditEvent.NOTE_CORRECTED if corrects else AuditEvent.NOTE_ADDED,
        obj=note,
        case=case,
        data={"corrects": corrects.pk} if corrects else None,
    )
    return note


@transaction.atomic
def note_edit(*, actor: "User", note: CaseNote, text: str) -> CaseNote:
    """Change a note's text: its author only, within the edit window."""
    note = CaseNote.objects.select_for_update().get(pk=note.pk)
    if note.author_id != actor.pk:
        raise ValidationError(
            _("Only the author can change a note; write a correction instead."), code="not_author"
        )
    if not note_editable(note, actor):
        raise ValidationError(
            _(
                "A note can be changed only in the first %(minutes)s minutes; "
                "write a correction instead."
            )
            % {"minutes": settings.BRIK_NOTE_EDIT_MINUTES},
            code="edit_window",
        )
    text = _note_text(text)
    before = snapshot(note, ["text"])
    note.text = text
    note.edited_at = timezone.now()
    note.save(update_fields=["text", "edited_at"])
    log_action(
        actor=actor,
        action=AuditEvent.NOTE_EDITED,
        obj=note,
        case=note.case,
        changes=changes_since(note, before),
    )
    return note


def notes_read_record(*, actor: "User", case: Case, notes: list[CaseNote]) -> None:
    """The notes shown to `actor` on the case page go to the action log."""
    if notes:
        access_record(
            actor=actor,
            action=AuditEvent.NOTE_READ,
            obj=case,
            case=case,
            data={"notes": [n.pk for n in notes]},
        )


# --- attachments ------------------------------------------------------------------------------


def attachment_max_bytes() -> int:
    return settings.BRIK_ATTACHMENT_MAX_MB * 1024 * 1024


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB; it was not accepted.") % {
        "mb": settings.BRIK_ATTACHMENT_MAX_MB
    }


def _safe_name(name: str, kind: str) -> str:
    """The uploaded file's own name, without folders or control characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()[:200] or "document"
    if not base.lower().endswith(f".{kind}"):
        base = f"{base}.{kind}"
    return base


def _detect(upload: UploadedFile) -> str:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    found = filetype.guess(head)
    kind = ACCEPTED.get(found.extension) if found else None
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "This type of file is not accepted (recognised by its content, not its "
                    "name). Accepted: PDF, JPEG, PNG, TIFF, HEIC, Word (DOCX), OpenDocument (ODT)."
                )
            },
            code="file_type",
        )
    return kind


def _scan_refusal(message: str) -> ValidationError:
    return ValidationError({"file": message}, code="virus_scan")


def virus_scan(upload: UploadedFile) -> None:
    """Run BRIK_VIRUS_SCAN_COMMAND on the upload (a private temporary file); refuse on failure."""
    command = settings.BRIK_VIRUS_SCAN_COMMAND
    if not command:
        return
    path = storage.temporary_path()
    try:
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        parts = shlex.split(command)
        if "{path}" in command:
            args = [part.replace("{path}", str(path)) for part in parts]
        else:
            args = [*parts, str(path)]
        try:
            result = subprocess.run(
                args,
                capture_output=True,
                timeout=settings.BRIK_VIRUS_SCAN_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            logger.warning("The virus scan took longer than %ss.", settings.BRIK_VIRUS_SCAN_TIMEOUT)
            raise _scan_refusal(
                _("The virus scan did not finish in time; the file was not accepted. Try again.")
            ) from None
        except OSError as exc:
            logger.error("The virus scan could not be run: %s", exc)
            raise _scan_refusal(
                _(
                    "The virus scan could not be run; the file was not accepted. Tell the administrator."
                )
            ) from None
        if result.returncode != 0:
            logger.warning("The virus scan refused an upload (exit %s).", result.returncode)
            raise _scan_refusal(_("The virus scan did not pass this file; it was not accepted."))
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        upload.seek(0)


def attachment_upload(
    *, actor: "User", case: Case, upload: UploadedFile, description: str = ""
) -> Attachment:
    """Check the file (size, type by content, virus scan), store it encrypted, record it."""
    if not can(actor, Ability.CASE_ATTACHMENTS):
        raise PermissionDenied
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    if size > attachment_max_bytes():
        raise ValidationError({"file": too_large_message()}, code="too_large")
    kind = _detect(upload)
    virus_scan(upload)
    stored_name, key = storage.new_stored_name(), storage.new_key()
    written = storage.write_encrypted(upload.chunks(), stored_name=stored_name, key=key)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                case=case,
                name=_safe_name(upload.name or "", kind),
                description=(description or "").strip()[:500],
                kind=kind,
                content_type=MIME_TYPES[AttachmentKind(kind)],
                size=written,
                stored_name=stored_name,
                file_key=key,
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
            log_action(
                actor=actor,
                action=AuditEvent.ATTACHMENT_UPLOADED,
                obj=attachment,
                case=case,
                data={"kind": kind, "bytes": written},
            )
    except BaseException:
        storage.delete(stored_name)
        raise
    return attachment


def attachments_orphans_delete(*, older_than: timedelta = timedelta(hours=1)) -> list[str]:
    """Delete stored files that no attachment names, and temporary files, older than
    `older_than`.

    Such a file is left when the transaction around an upload rolled back after
    the file was written (Django has no hook on rollback). Newer files may belong
    to an upload whose transaction has not committed yet, so they stay.
    """
    known = set(Attachment.objects.values_list("stored_name", flat=True))
    cutoff = timezone.now().timestamp() - older_than.total_seconds()
    deleted = []
    for name in storage.stored_names_on_disk():
        if name in known:
            continue
        try:
            if storage.path_of(name).stat().st_mtime > cutoff:
                continue
        except FileNotFoundError:
            continue
        storage.delete(name)
        deleted.append(name)
    for path in storage.temporaries_on_disk():
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime <= cutoff:
                path.unlink()
                deleted.append(path.name)
    return deleted


def attachment_download(*, actor: "User", attachment: Attachment) -> Iterator[bytes]:
    """The file's content, chunk by chunk; the download is recorded first.

    The first chunk is decrypted before anything is recorded or sent, so a missing
    or damaged file is an error (StoredFileError), not a broken download.
    """
    if not can(actor, Ability.CASE_ATTACHMENTS):
        raise PermissionDenied
    chunks = storage.read_decrypted(stored_name=attachment.stored_name, key=attachment.file_key)
    first = next(chunks, b"")
    with transaction.atomic():
        access_record(
            actor=actor,
            action=AuditEvent.ATTACHMENT_DOWNLOADED,
            obj=attachment,
            case=attachment.case,
            data={"kind": attachment.kind, "bytes": attachment.size},
        )

    def content() -> Iterator[bytes]:
        yield first
        yield from chunks

    return content()


@transaction.atomic
def attachment_delete(*, actor: "User", attachment: Attachment) -> None:
    """Remove an attachment and its file (the file once the deletion is committed)."""
    if not can(actor, Ability.CASE_ATTACHMENTS):
        raise PermissionDenied
    stored_name = attachment.stored_name
    log_action(
        actor=actor,
        action=AuditEvent.ATTACHMENT_DELETED,
        obj=attachment,
        case=attachment.case,
        data={"kind": attachment.kind, "bytes": attachment.size},
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored_name))


# --- retention -------------------------------------------------------------------------------


def casefiles_drop_for_person(person: Person) -> tuple[int, int]:
    """Retention: delete the notes and attachments (rows and files) of a person's cases.

    Call inside the retention's transaction; the files go once it commits.
    Returns (notes, attachments) deleted.
    """
    names = list(
        Attachment.objects.filter(case__person=person).values_list("stored_name", flat=True)
    )
    notes, _detail = CaseNote.objects.filter(case__person=person).delete()
    files, _detail = Attachment.objects.filter(case__person=person).delete()

    def remove() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)
    return notes, files
