"""The caseworker's pages: My work, the case list, referrals and the case page.

Views are thin: they check who may come in (the access policy,
brik.accounts.permissions), validate the input with a form, call one service
or selector, and render. Reading a case page is recorded in the action log.
Every step on a case is one entry of STEPS, served by one view that works as
a plain POST form and, with HTMX, in place on the case page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import push_url, reswap, retarget

from brik.accounts.permissions import (
    Ability,
    can,
    can_enter_admin,
    masked,
    permission_required,
    referral_outcome_visible,
)
from brik.audit import selectors as audit_selectors
from brik.audit.events import AuditEvent
from brik.audit.services import access_record
from brik.cases import forms, presenters, selectors, services, workflow
from brik.cases.models import Case
from brik.cases.workflow import Action
from brik.core.selectors import form_submission_result
from brik.core.views import submit_once

PAGE_SIZE = 50
REFERRAL_ALREADY_SENT = _("This referral had already been sent; it was registered once.")


# --- the landing page -------------------------------------------------------------


@require_GET
def home(request):
    """Send each person to where their day starts."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if can(user, Ability.CASE_MY_WORK):
        return redirect("cases:my_work")
    if can(user, Ability.REFERRAL_STATUS):
        return redirect("cases:referrals")
    if can(user, Ability.CASE_LIST):
        return redirect("cases:list")
    if can(user, Ability.AUDIT_SEARCH):
        return redirect("audit:search")
    if can_enter_admin(user):
        return redirect("admin:index")
    return render(request, "cases/no_role.html", status=403)


# --- My work ---------------------------------------------------------------------------


@permission_required(Ability.CASE_MY_WORK)
@require_GET
def my_work(request):
    work = selectors.my_work(user=request.user)
    return render(request, "cases/my_work.html", {"work": work})


# --- the case list -----------------------------------------------------------------------


@permission_required(Ability.CASE_LIST)
@require_GET
def case_list(request):
    staff, referrers = selectors.case_list_choices()
    form = forms.CaseFilterForm(request.GET or None, staff=staff, referrers=referrers)
    filters, sort = {}, "-referred"
    if form.is_bound and form.is_valid():
        filters, sort = form.filters(), form.sort_key()
    page = selectors.case_list_page(
        user=request.user,
        filters=filters,
        order_by=forms.SORTS[sort],
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "query": query.urlencode(),
            "filtered": bool(filters),
            "columns": _sortable_columns(sort),
            "can_open_cases": can(request.user, Ability.CASE_VIEW),
        },
    )


def _sortable_columns(sort: str) -> dict:
    """For each sortable column: the sort its header link sets, and aria-sort now."""
    columns = {}
    for key in ("code", "referred", "decided", "status"):
        if sort == key:
            columns[key] = {"next": f"-{key}", "aria": "ascending"}
        elif sort == f"-{key}":
            columns[key] = {"next": key, "aria": "descending"}
        else:
            columns[key] = {"next": key if key in ("code", "status") else f"-{key}", "aria": "none"}
    return columns


# --- a partner's own referrals -------------------------------------------------------------


@permission_required(Ability.REFERRAL_STATUS)
@require_GET
def partner_referrals(request):
    page = Paginator(selectors.partner_referrals(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Without the person's consent to sharing, only that the referral was received.
    rows = [(case, referral_outcome_visible(request.user, case)) for case in page.object_list]
    return render(request, "cases/partner_referrals.html", {"page": page, "rows": rows})


# --- registering a referral ---------------------------------------------------------------


@permission_required(Ability.REFERRAL_CREATE)
@require_http_methods(["GET", "POST"])
def referral_create(request):
    user = request.user
    form = forms.ReferralForm(request.POST or None, user=user)
    matches = []
    earlier = form_submission_result(token=request.POST.get("form_token", ""))
    if request.method == "POST" and earlier is not None:
        messages.info(request, REFERRAL_ALREADY_SENT)
        return redirect(earlier or "home")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        # Only the centre sees whether a person is already known: telling a
        # partner would disclose it. The centre's staff decide on the match.
        if can(user, Ability.PERSON_IDENTITY):
            matches = selectors.person_possible_matches(
                given_names=data["given_names"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
                birth_year=data["birth_year"],
                gender=data["gender"],
                citizenships=data["citizenships"],
            )
            choice = data["person_choice"]
            if matches and not choice:
                if request.POST.get("matches_shown"):
                    form.add_error(None, _("Choose one of the known persons, or “a new person”."))
                return render(
                    request, "cases/referral_form.html", {"form": form, "matches": matches}
                )
            if matches and choice != "new":
                person = next((m.person for m in matches if str(m.person.pk) == choice), None)
                if person is None:
                    form.add_error(None, _("Choose one of the known persons, or “a new person”."))
        if not form.errors:
            case = _refer(request, form, person)
            if case is not None:
                return case
    return render(
        request,
        "cases/referral_form.html",
        {"form": form, "matches": matches},
        status=422 if form.errors else 200,
    )


def _refer(request, form, person):
    """Create the case once; on a refusal, put the error on the form and return None."""
    user = request.user
    return submit_once(
        request,
        form,
        lambda data: services.case_refer(
            actor=user,
            referral=form.new_referral(known_person=person is not None),
            person=person,
        ),
        success=lambda case: (
            _("The referral is registered as case %(code)s.") % {"code": case.code}
        ),
        next_url=lambda case: _after_referral_url(user, case),
        field_map={
            "future_date": "referred_on",
            "birth_year": "birth_year",
            "open_case_exists": None,
        },
        already_sent=REFERRAL_ALREADY_SENT,
    )


def _after_referral_url(user, case: Case) -> str:
    if can(user, Ability.CASE_VIEW):
        return case.get_absolute_url()
    return reverse("cases:referrals")


# --- the case page ------------------------------------------------------------------------


def _case_or_404(request, pk: int) -> Case:
    try:
        return selectors.case_detail(user=request.user, pk=pk)
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
    return {
        "case": case,
        "identity": masked(user, selectors.related_or_none(case.person, "identity")),
        "referral": masked(user, selectors.related_or_none(case, "referral")),
        "assessment": selectors.related_or_none(case, "assessment"),
        "countdown": selectors.reflection_countdown(case, today),
        "live_return": selectors.live_return(case),
        "timeline": presenters.case_timeline(case, selectors.case_timeline_rows(case)),
        "actions": [(name, STEPS[name]) for name in available],
        "action_names": available,
        "other_cases": [k for k in case.person.cases.all() if k.pk != case.pk],
        "today": today,
        "history": audit_selectors.case_history(case),
        "can_export": can(user, Ability.CASE_EXPORT),
    }


@permission_required(Ability.CASE_VIEW)
@require_GET
def case_detail(request, pk: int):
    case = _case_or_404(request, pk)
    return render(request, "cases/case_detail.html", _case_context(request, case))


# --- the steps on a case ------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    form: type
    title: Promise
    submit: Promise
    done: Promise
    run: Callable
    # A service's error code → the field the error is about.
    field_map: dict[str, str] = field(default_factory=dict)
    primary: bool = True


def _plan(actor, case, d):
    return services.interview_plan(
        actor=actor,
        case=case,
        planned_for=d["planned_for"],
        place=d["place"],
        interviewers=d["interviewers"],
        interpreter_language=d["interpreter_language"],
    )


def _record(actor, case, d):
    return services.interview_record(
        actor=actor,
        case=case,
        held_on=d["held_on"],
        interview=d["interview"],
        place=d["place"],
        interviewers=d["interviewers"],
        interpreter_language=d["interpreter_language"],
        indicators=d["indicators"],
        dimensions=d["dimensions"],
        notes=d["notes"],
    )


def _decide(actor, case, d):
    decision = services.Decision(
        decided_on=d["decided_on"],
        deciding_authority=d["deciding_authority"],
        outcome=d["outcome"],
        forms=d["exploitation_forms"],
        sexual_exploitation_type=d["sexual_exploitation_type"],
        labour_sector=d["labour_sector"],
        means_of_control=d["means_of_control"],
        countries_of_exploitation=d["countries_of_exploitation"],
        exploitation_from=d["exploitation_from"],
        exploitation_to=d["exploitation_to"],
        notes=d["notes"],
    )
    return services.assessment_decide(actor=actor, case=case, decision=decision)


def _accept(actor, case, d):
    plan = services.ReturnPlan(
        accepted_on=d["accepted_on"],
        destination_country=d["destination_country"],
        destination_kind=d["destination_kind"],
        reintegration_partner=d["reintegration_partner"],
        plan_notes=d["plan_notes"],
        **{name: d[name] for name in forms.ReturnAcceptForm.PLAN_FIELDS},
    )
    return services.return_accept(actor=actor, case=case, plan=plan)


_STEP_PAGES: dict[Action, Step] = {
    Action.INTERVIEW_PLAN: Step(
        forms.InterviewPlanForm,
        _("Plan an interview"),
        _("Plan the interview"),
        _("The interview is planned."),
        _plan,
    ),
    Action.INTERVIEW_RECORD: Step(
        forms.InterviewRecordForm,
        _("Record an interview"),
        _("Record the interview"),
        _("The interview is recorded."),
        _record,
        {"future_date": "held_on"},
    ),
    Action.INTERVIEW_CANCEL: Step(
        forms.InterviewCancelForm,
        _("Cancel an interview"),
        _("Cancel the interview"),
        _("The interview is cancelled."),
        lambda actor, case, d: services.interview_cancel(
            actor=actor, interview=d["interview"], reason=d["reason"]
        ),
        primary=False,
    ),
    Action.ASSESSMENT_DECIDE: Step(
        forms.DecideForm,
        _("Record the decision"),
        _("Record the decision"),
        _("The decision is recorded."),
        _decide,
        {
            "future_date": "decided_on",
            "forms_required": "exploitation_forms",
            "form_mismatch": "sexual_exploitation_type",
        },
    ),
    Action.REFLECTION_START: Step(
        forms.ReflectionStartForm,
        _("Start the reflection period"),
        _("Start the period"),
        _("The reflection period has started."),
        lambda actor, case, d: services.reflection_start(
            actor=actor, case=case, starts_on=d["starts_on"]
        ),
    ),
    Action.REFLECTION_EXTEND: Step(
        forms.ReflectionExtendForm,
        _("Extend the reflection period"),
        _("Extend the period"),
        _("The reflection period is extended."),
        lambda actor, case, d: services.reflection_extend(
            actor=actor,
            case=case,
            new_ends_on=d["new_ends_on"],
            reason=d["reason"],
            extended_on=d["extended_on"],
            note=d["note"],
        ),
        {
            "beyond_legal_maximum": "new_ends_on",
            "future_date": "extended_on",
            "period_ended": "extended_on",
        },
    ),
    Action.SUPPORT_ADD: Step(
        forms.SupportAddForm,
        _("Add support"),
        _("Add the support"),
        _("The support is added."),
        lambda actor, case, d: services.support_add(
            actor=actor,
            case=case,
            kind=d["kind"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            provider=d["provider"],
            note=d["note"],
        ),
    ),
    Action.SUPPORT_END: Step(
        forms.SupportEndForm,
        _("End support"),
        _("End the support"),
        _("The support has ended."),
        lambda actor, case, d: services.support_end(
            actor=actor, measure=d["measure"], ends_on=d["ends_on"]
        ),
        primary=False,
    ),
    Action.RETURN_OFFER: Step(
        forms.ReturnOfferForm,
        _("Offer a prepared return"),
        _("Record the offer"),
        _("The prepared return is offered."),
        lambda actor, case, d: services.return_offer(
            actor=actor, case=case, offered_on=d["offered_on"]
        ),
        {"future_date": "offered_on"},
    ),
    Action.RETURN_ACCEPT: Step(
        forms.ReturnAcceptForm,
        _("The person accepts the prepared return"),
        _("Record the acceptance"),
        _("The acceptance is recorded."),
        _accept,
        {"future_date": "accepted_on"},
    ),
    Action.RETURN_DECLINE: Step(
        forms.ReturnDeclineForm,
        _("The person declines the prepared return"),
        _("Record the refusal"),
        _("The refusal is recorded."),
        lambda actor, case, d: services.return_decline(
            actor=actor, case=case, declined_on=d["declined_on"]
        ),
        {"future_date": "declined_on"},
        primary=False,
    ),
    Action.RETURN_DEPART: Step(
        forms.ReturnDepartForm,
        _("Record the departure"),
        _("Record the departure"),
        _("The departure is recorded."),
        lambda actor, case, d: services.return_depart(
            actor=actor,
            case=case,
            departed_on=d["departed_on"],
            follow_up_months=d["follow_up_months"],
        ),
        {"future_date": "departed_on"},
    ),
    Action.FOLLOW_UP_ADD: Step(
        forms.FollowUpForm,
        _("Add a follow-up contact"),
        _("Add the follow-up"),
        _("The follow-up is recorded."),
        lambda actor, case, d: services.follow_up_add(
            actor=actor, case=case, held_on=d["held_on"], status=d["status"], notes=d["notes"]
        ),
        {"future_date": "held_on", "follow_up_over": "held_on"},
    ),
    Action.CASE_RECORD_STAY: Step(
        forms.StayForm,
        _("The person stays in the country"),
        _("Record the stay"),
        _("The stay is recorded."),
        lambda actor, case, d: services.case_record_stay(
            actor=actor, case=case, basis=d["basis"], stay_from=d["stay_from"]
        ),
        primary=False,
    ),
    Action.CASE_ASSIGN: Step(
        forms.AssignForm,
        _("Assign a contact person"),
        _("Assign"),
        _("The contact person is assigned."),
        lambda actor, case, d: services.case_assign(
            actor=actor, case=case, caseworker=d["caseworker"]
        ),
        primary=False,
    ),
    Action.CASE_CLOSE: Step(
        forms.CloseForm,
        _("Close the case"),
        _("Close the case"),
        _("The case is closed."),
        lambda actor, case, d: services.case_close(
            actor=actor, case=case, closed_on=d["closed_on"], reason=d["reason"], note=d["note"]
        ),
        {"future_date": "closed_on", "reason_mismatch": "reason"},
        primary=False,
    ),
}


# The steps of the case page, in the workflow's order; every step on a case has a page.
STEPS: dict[Action, Step] = {action: _STEP_PAGES[action] for action in workflow.CASE_STEPS}


def _initial_from_query(request, form_class) -> dict:
    """Let a link preselect an item: ?interview=12 or ?measure=3."""
    return {
        key: request.GET[key]
        for key in ("interview", "measure")
        if key in request.GET and key in form_class.base_fields
    }


@permission_required(Ability.CASE_VIEW, Ability.CASE_CHANGE)
@require_http_methods(["GET", "POST"])
def case_action(request, pk: int, action: str):
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
    """Without JavaScript: back to the case page. With HTMX: the updated case, in place."""
    if not request.htmx:
        return redirect("cases:detail", pk=pk)
    case = _case_or_404(request, pk)
    response = render(request, "cases/_case_body.html", _case_context(request, case))
    return push_url(reswap(retarget(response, "#case-body"), "outerHTML"), case.get_absolute_url())


# --- the searchable language box ---------------------------------------------------------


@permission_required(Ability.REFERRAL_CREATE)
@require_GET
def languages(request):
    return JsonResponse({"results": selectors.language_search(query=request.GET.get("q", ""))})
