"""Case notes and attachments: thin views, each a form sent to one service."""

import contextlib

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import reswap, retarget

from brik.accounts.permissions import Ability, permission_required
from brik.casefiles import selectors, services
from brik.casefiles.forms import AttachmentForm, DeleteForm, NoteForm
from brik.casefiles.models import Attachment, CaseNote
from brik.casefiles.page import section_context
from brik.casefiles.storage import StoredFileError
from brik.casefiles.uploads import TOO_LARGE, AttachmentUploadHandler
from brik.cases.models import Case
from brik.core.views import submit_once


def _case(request, pk: int) -> Case:
    try:
        return selectors.case_for(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None


def _note(request, pk: int) -> CaseNote:
    try:
        return selectors.note_for(request.user, pk)
    except CaseNote.DoesNotExist:
        raise Http404 from None


def _attachment(request, pk: int) -> Attachment:
    try:
        return selectors.attachment_for(request.user, pk)
    except Attachment.DoesNotExist:
        raise Http404 from None


def _case_url(case: Case, anchor: str) -> str:
    return f"{case.get_absolute_url()}#{anchor}"


def _section(request, case, status=200, **forms):
    """With HTMX: the section, in place (after a change, or with the form's errors)."""
    response = render(
        request, "casefiles/_section.html", section_context(request, case, **forms), status=status
    )
    return reswap(retarget(response, "#casefiles"), "outerHTML")


def _after_sending(request, case, done, **form):
    """What a form sent from the case page answers: with HTMX the section (changed,
    or with the form's errors in place), else the redirect; None: show the form's page."""
    if done is not None:
        return _section(request, case) if request.htmx else done
    if request.htmx:
        return _section(request, case, status=422, **form)
    return None


@permission_required(Ability.CASE_VIEW, Ability.CASE_NOTES)
@require_http_methods(["GET", "POST"])
def note_add(request, pk: int):
    case = _case(request, pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        done = submit_once(
            request,
            form,
            lambda data: services.note_add(actor=request.user, case=case, text=data["text"]),
            success=_("The note was saved."),
            next_url=_case_url(case, "notes"),
        )
        answer = _after_sending(request, case, done, note_form=form)
        if answer is not None:
            return answer
    return render(
        request,
        "casefiles/note_page.html",
        {"case": case, "form": form, "title": _("Add a note")},
        status=422 if request.method == "POST" else 200,
    )


@permission_required(Ability.CASE_VIEW, Ability.CASE_NOTES)
@require_http_methods(["GET", "POST"])
def note_edit(request, pk: int):
    note = _note(request, pk)
    case = note.case
    if not services.note_editable(note, request.user):
        messages.info(
            request,
            _("This note can no longer be changed; write a correction instead."),
        )
        return redirect("casefiles:note_correct", pk=note.pk)
    form = NoteForm(request.POST or None, initial={"text": note.text})
    if request.method == "POST":
        done = submit_once(
            request,
            form,
            lambda data: services.note_edit(actor=request.user, note=note, text=data["text"]),
            success=_("The note was changed."),
            next_url=_case_url(case, "notes"),
            field_map={"not_author": None, "edit_window": None},
        )
        if done is not None:
            return done
    services.notes_read_record(actor=request.user, case=case, notes=[note])
    return render(
        request,
        "casefiles/note_page.html",
        {"case": case, "form": form, "note": note, "title": _("Change the note")},
        status=422 if request.method == "POST" else 200,
    )


@permission_required(Ability.CASE_VIEW, Ability.CASE_NOTES)
@require_http_methods(["GET", "POST"])
def note_correct(request, pk: int):
    note = _note(request, pk)
    case = note.case
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        done = submit_once(
            request,
            form,
            lambda data: services.note_add(
                actor=request.user, case=case, text=data["text"], corrects=note
            ),
            success=_("The correction was saved."),
            next_url=_case_url(case, "notes"),
        )
        if done is not None:
            return done
    services.notes_read_record(actor=request.user, case=case, notes=[note])
    return render(
        request,
        "casefiles/note_page.html",
        {"case": case, "form": form, "corrected": note, "title": _("Correct the note")},
        status=422 if request.method == "POST" else 200,
    )


@csrf_exempt  # checked by _attachment_add, after the upload handler is chosen
@permission_required(Ability.CASE_VIEW, Ability.CASE_ATTACHMENTS)
@require_http_methods(["GET", "POST"])
def attachment_add(request, pk: int):
    # The upload stays in memory up to the size limit, never on disk in clear
    # (brik.casefiles.uploads); set before anything reads the request's body.
    with contextlib.suppress(AttributeError):
        request.upload_handlers = [
            AttachmentUploadHandler(request, limit=services.attachment_max_bytes())
        ]
    return _attachment_add(request, pk)


@csrf_protect
def _attachment_add(request, pk: int):
    case = _case(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if getattr(request, TOO_LARGE, False):
        form.full_clean()
        form.errors.pop("file", None)
        form.add_error("file", services.too_large_message())
    if request.method == "POST":
        done = submit_once(
            request,
            form,
            lambda data: services.attachment_upload(
                actor=request.user,
                case=case,
                upload=data["file"],
                description=data.get("description", ""),
            ),
            success=_("The file was added."),
            next_url=_case_url(case, "attachments"),
        )
        answer = _after_sending(request, case, done, attachment_form=form)
        if answer is not None:
            return answer
    return render(
        request,
        "casefiles/attachment_page.html",
        {"case": case, "form": form, "max_mb": services.attachment_max_bytes() // 2**20},
        status=422 if request.method == "POST" else 200,
    )


@permission_required(Ability.CASE_VIEW, Ability.CASE_ATTACHMENTS)
@require_GET
def attachment_download(request, pk: int):
    attachment = _attachment(request, pk)
    try:
        content = services.attachment_download(actor=request.user, attachment=attachment)
    except StoredFileError:
        messages.error(
            request,
            _("The file cannot be read (it is missing or damaged). Tell the administrator."),
        )
        return redirect(_case_url(attachment.case, "attachments"))
    response = StreamingHttpResponse(content, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["Content-Length"] = str(attachment.size)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required(Ability.CASE_VIEW, Ability.CASE_ATTACHMENTS)
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk: int):
    attachment = _attachment(request, pk)
    case = attachment.case
    form = DeleteForm(request.POST or None)
    if request.method == "POST":
        done = submit_once(
            request,
            form,
            lambda data: services.attachment_delete(actor=request.user, attachment=attachment),
            success=_("The file was deleted."),
            next_url=_case_url(case, "attachments"),
        )
        if done is not None:
            return done
    return render(
        request,
        "casefiles/attachment_delete.html",
        {"case": case, "attachment": attachment, "form": form},
        status=422 if request.method == "POST" else 200,
    )
