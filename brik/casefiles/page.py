"""The "Notes" and "Attachments" section of the case page, as its template needs it.

Used by the template tag on the case page and by the views that re-render the
section after a change (HTMX). Reading the notes is recorded in the action log.
"""

from django.utils import timezone

from brik.accounts.permissions import Ability, can
from brik.casefiles import selectors, services
from brik.casefiles.forms import AttachmentForm, NoteForm


def section_context(request, case, *, note_form=None, attachment_form=None) -> dict:
    user = request.user
    sees_notes = can(user, Ability.CASE_NOTES)
    sees_attachments = can(user, Ability.CASE_ATTACHMENTS)
    # The case page's case says whether it has notes and attachments at all
    # (brik.cases.selectors.case_page_detail): none is not asked for. Any other case
    # (the section re-rendered after a change) is asked.
    has_notes = getattr(case, "has_notes", True)
    has_attachments = getattr(case, "has_attachments", True)
    notes = selectors.case_notes(user, case) if sees_notes and has_notes else []
    if notes:
        services.notes_read_record(actor=user, case=case, notes=notes)
    now = timezone.now()
    return {
        "case": case,
        "sees_notes": sees_notes,
        "sees_attachments": sees_attachments,
        "notes": [(note, services.note_editable(note, user, now)) for note in notes],
        "attachments": (
            selectors.case_attachments(user, case) if sees_attachments and has_attachments else []
        ),
        "note_form": note_form or (NoteForm() if sees_notes else None),
        "attachment_form": attachment_form or (AttachmentForm() if sees_attachments else None),
        "max_mb": services.attachment_max_bytes() // (1024 * 1024),
        "edit_minutes": int(services.note_edit_window().total_seconds() // 60),
    }
