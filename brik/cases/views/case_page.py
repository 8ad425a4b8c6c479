"""The case page and its steps: the page, a step's form, and the case after it
(in place with HTMX)."""

from urllib.parse import urlsplit

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect, push_url, reswap, retarget

from brik.accounts.permissions import (
    Ability,
    can,
    masked,
    permission_required,
)
from brik.audit import selectors as audit_selectors
from brik.audit.events import AuditEvent
from brik.audit.services import access_record
from brik.cases import presenters, selectors
from brik.cases.models import Case
from brik.cases.views.steps import STEPS
from brik.cases.workflow import Action
from brik.core.views import submit_once

# A step's address under its old name still opens it (a bookmark of the form).
RENAMED_STEPS = {"followup_add": Action.FOLLOW_UP_ADD}


# --- the case page ------------------------------------------------------------------------


def _case_or_404(request, pk: int, *, page: bool = False) -> Case:
    """The case `request.user` may see; `page`: only what the case page shows (a step's
    form and service read the whole case)."""
    read = selectors.case_page_detail if page else selectors.case_detail
    try:
        return read(user=request.user, pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None


def _case_context(request, case: Case) -> dict:
    """What the case page shows: identity fields and narratives masked unless the
    policy lets the reader see them; the reading itself goes to the action log."""
    user = request.user
    today = timezone.localdate()
    available = selectors.case_available_actions(case, today, user=user)
    sees_identity = can(user, Ability.PERSON_IDENTITY)
    sees_narratives = can(user, Ability.CASE_NARRATIVES)
    access_record(
        actor=user,
        action=AuditEvent.CASE_VIEWED,
        obj=case,
        case=case,
        data={"identity": sees_identity, "narratives": sees_narratives},
    )
    changes = audit_selectors.case_change_rows(case)
    return {
        "case": case,
        "identity": masked(user, selectors.related_or_none(case.person, "identity")),
        "referral": masked(user, selectors.related_or_none(case, "referral")),
        "assessment": selectors.related_or_none(case, "assessment"),
        "countdown": selectors.reflection_countdown(case, today),
        "live_return": selectors.live_return(case),
        "timeline": presenters.case_timeline(
            case, selectors.case_timeline_rows(case, changes), narratives=sees_narratives
        ),
        "actions": [(name, STEPS[name]) for name in available],
        "action_names": available,
        "other_cases": [k for k in case.person.cases.all() if k.pk != case.pk],
        "today": today,
        "history": audit_selectors.case_history(case, changes),
        "can_export": can(user, Ability.CASE_EXPORT),
        # Only those who read identities learn that the person may be known already:
        # the check is loaded after the page (case_likely_same), or opened as a link.
        "check_likely_same": sees_identity and selectors.duplicate_check_applies(case),
    }


@permission_required(Ability.CASE_VIEW)
@require_GET
def case_detail(request, pk: int):
    case = _case_or_404(request, pk, page=True)
    return render(request, "cases/case_detail.html", _case_context(request, case))


@permission_required(Ability.CASE_VIEW, Ability.PERSON_IDENTITY)
@require_GET
def case_likely_same(request, pk: int):
    """The case page's check for earlier records of the person: with HTMX the note
    swapped in after the page has loaded (nothing when nothing is found), without
    JavaScript a page of its own. The same readers as before it was moved off the
    page (the case's readers who read identities); the persons it names go to the
    action log (every request, whatever it finds)."""
    try:
        case = selectors.case_for_duplicate_check(user=request.user, pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None
    likely_same = selectors.likely_existing_persons(case)
    access_record(
        actor=request.user,
        action=AuditEvent.CASE_DUPLICATES_CHECKED,
        obj=case,
        case=case,
        data={"results": len(likely_same), "persons": [m.person.code for m in likely_same]},
    )
    context = {"case": case, "likely_same": likely_same}
    if request.htmx:
        return render(request, "cases/_likely_same.html", context)
    context["applies"] = selectors.duplicate_check_applies(case)
    return render(request, "cases/likely_same.html", context)


def _initial_from_query(request, form_class) -> dict:
    """Let a link preselect an item: ?interview=12, ?measure=3 or ?target=assessment.decided_on.7."""
    return {
        key: request.GET[key]
        for key in ("interview", "measure", "target")
        if key in request.GET and key in form_class.base_fields
    }


@permission_required(Ability.CASE_VIEW, Ability.CASE_CHANGE)
@require_http_methods(["GET", "POST"])
def case_action(request, pk: int, action: str):
    if action in RENAMED_STEPS and request.method == "GET":
        return redirect("cases:action", pk=pk, action=RENAMED_STEPS[action], permanent=True)
    step = STEPS.get(action)
    if step is None:
        raise Http404
    case = _case_or_404(request, pk)
    if request.method == "POST":
        form = step.form(request.POST, case=case, user=request.user)
        done = submit_once(
            request,
            form,
            lambda data: step.run(request.user, case, data),
            success=step.done,
            next_url=case.get_absolute_url(),
            field_map=step.field_map,
        )
        if done is None:
            return _render_step(request, case, action, step, form, status=422)
        return _after_step(request, pk)
    allowed = action in selectors.case_available_actions(case)
    form = (
        step.form(case=case, user=request.user, initial=_initial_from_query(request, step.form))
        if allowed
        else None
    )
    return _render_step(request, case, action, step, form, status=200 if allowed else 409)


def _render_step(request, case, action, step, form, status):
    context = {"case": case, "action": action, "step": step, "form": form}
    template = "cases/_action_form.html" if request.htmx else "cases/action_page.html"
    if not request.htmx:
        context["countdown"] = selectors.reflection_countdown(case)
    return render(request, template, context, status=status)


def _after_step(request, pk: int):
    """Without JavaScript: back to the case page. With HTMX: the updated case, in place
    when the form was sent from the case page; from the step's own page (opened from a
    link, or after a login that gave back a kept form) the window goes to the case page.
    A request that does not say where it was sent from is answered in place."""
    if not request.htmx:
        return redirect("cases:detail", pk=pk)
    case = _case_or_404(request, pk, page=True)
    current = urlsplit(request.htmx.current_url_abs_path or "").path
    if current and current != case.get_absolute_url():
        return HttpResponseClientRedirect(case.get_absolute_url())
    response = render(request, "cases/_case_body.html", _case_context(request, case))
    return push_url(reswap(retarget(response, "#case-body"), "outerHTML"), case.get_absolute_url())
