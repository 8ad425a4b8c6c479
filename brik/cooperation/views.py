"""Pages of the work around the cases: joint authority actions, NGO outreach,
prosecutions linked to victims, and the national action plan.

Each page shows a record with the forms for its next steps; each form posts
to its own small view, which calls one service through submit_once and
redirects back (or shows the page again with the errors next to the fields).
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brik.accounts.permissions import (
    Ability,
    can,
    outreach_logs_visible_to,
    permission_required,
)
from brik.cases.models import Case
from brik.cooperation import forms, selectors, services
from brik.cooperation.models import (
    ActionPlan,
    FocusArea,
    Initiative,
    JointAction,
    Milestone,
    PlanIndicator,
    ProsecutionCase,
)
from brik.core import choices
from brik.core.views import submit_once

PAGE_SIZE = 50


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def index(request):
    today = timezone.localdate()
    upcoming = selectors.joint_action_list(status=choices.JointActionStatus.PLANNED).filter(
        planned_for__gte=today
    )[:5]
    open_prosecutions = selectors.prosecution_list().exclude(
        status__in=[choices.ProsecutionStatus.VERDICT, choices.ProsecutionStatus.DROPPED]
    )[:5]
    return render(
        request,
        "cooperation/index.html",
        {
            "upcoming": upcoming,
            "open_prosecutions": open_prosecutions,
            "plan": ActionPlan.objects.order_by("-number").first(),
            "overdue": list(selectors.milestones_overdue(today=today)[:5]),
        },
    )


# --- joint authority actions ------------------------------------------------------


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def joint_actions(request):
    status = request.GET.get("status") or None
    if status not in choices.JointActionStatus.values:
        status = None
    page = Paginator(selectors.joint_action_list(status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cooperation/joint_actions.html",
        {"page": page, "status": status, "statuses": choices.JointActionStatus.choices},
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_http_methods(["GET", "POST"])
def joint_action_plan(request):
    form = forms.JointActionPlanForm(request.POST or None)
    if request.method == "POST":
        done = submit_once(
            request,
            form,
            lambda d: services.joint_action_plan(actor=request.user, **d_without_token(d)),
            success=_("The joint action is planned."),
            next_url=lambda action: reverse("cooperation:joint_action", args=[action.pk]),
        )
        if done:
            return done
    return render(
        request,
        "cooperation/form_page.html",
        {
            "form": form,
            "title": _("Plan a joint authority action"),
            "submit": _("Plan the action"),
            "back": reverse("cooperation:joint_actions"),
        },
        status=422 if form.errors else 200,
    )


def d_without_token(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "form_token"}


def _joint_action_page(request, action, status=200, **bound):
    linked = (
        Case.objects.filter(referral__joint_action=action)
        .select_related("person")
        .order_by("referred_on", "id")
    )
    context = {
        "action": action,
        "linked": linked,
        # A refused form is shown with its errors even where the state hides it.
        "can_record": "outcome_form" in bound
        or (
            action.status == choices.JointActionStatus.PLANNED
            and action.planned_for <= timezone.localdate()
        ),
        "can_cancel": "cancel_form" in bound or action.status == choices.JointActionStatus.PLANNED,
        "outcome_form": bound.get("outcome_form") or forms.JointActionOutcomeForm(),
        "cancel_form": bound.get("cancel_form") or forms.JointActionCancelForm(),
        "link_form": bound.get("link_form") or forms.CaseLinkForm(),
    }
    return render(request, "cooperation/joint_action.html", context, status=status)


def _joint_action(pk):
    return get_object_or_404(
        JointAction.objects.select_related("lead_organisation").prefetch_related("participants"),
        pk=pk,
    )


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def joint_action(request, pk):
    return _joint_action_page(request, _joint_action(pk))


def _back_to(name, pk):
    return lambda _result: reverse(name, args=[pk])


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def joint_action_outcome(request, pk):
    action = _joint_action(pk)
    form = forms.JointActionOutcomeForm(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: services.joint_action_record_outcome(
            actor=request.user,
            action=action,
            persons_met=d["persons_met"],
            persons_referred=d["persons_referred"],
            notes=d["notes"],
        ),
        success=_("The outcome is recorded."),
        next_url=_back_to("cooperation:joint_action", pk),
        field_map={"referred_above_met": "persons_referred"},
    )
    return done or _joint_action_page(request, action, 422, outcome_form=form)


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def joint_action_cancel(request, pk):
    action = _joint_action(pk)
    form = forms.JointActionCancelForm(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: services.joint_action_cancel(
            actor=request.user, action=action, reason=d["reason"]
        ),
        success=_("The joint action is cancelled."),
        next_url=_back_to("cooperation:joint_action", pk),
    )
    return done or _joint_action_page(request, action, 422, cancel_form=form)


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def joint_action_link(request, pk):
    action = _joint_action(pk)
    form = forms.CaseLinkForm(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: services.joint_action_link_referral(
            actor=request.user, action=action, case=d["case"]
        ),
        success=_("The referral is linked to the action."),
        next_url=_back_to("cooperation:joint_action", pk),
        field_map={
            "already_linked": "case",
            "linked_elsewhere": "case",
            "date_order": "case",
            "no_referral": "case",
        },
    )
    return done or _joint_action_page(request, action, 422, link_form=form)


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def joint_action_unlink(request, pk):
    action = _joint_action(pk)
    form = forms.CaseUnlinkForm(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: services.joint_action_unlink_referral(
            actor=request.user, action=action, case=d["case"]
        ),
        success=_("The link is removed."),
        next_url=_back_to("cooperation:joint_action", pk),
    )
    return done or _joint_action_page(request, action, 422)


# --- NGO outreach -------------------------------------------------------------------


def _outreach_logs(user):
    return outreach_logs_visible_to(user).select_related("organisation").order_by("-held_on", "-id")


@permission_required(Ability.OUTREACH_LOG)
@require_http_methods(["GET", "POST"])
def outreach(request):
    """Fast entry of anonymous counts, above the organisation's latest rounds."""
    user = request.user
    # After a save the next form starts from the same date, place and region.
    repeat = {
        k: request.GET[k] for k in ("held_on", "place_type", "region", "sector") if k in request.GET
    }
    form = forms.OutreachLogForm(request.POST or None, user=user, initial=repeat)
    if request.method == "POST":

        def run(d):
            return services.outreach_log_add(
                actor=user,
                organisation=d.get("organisation") or user.organisation,
                held_on=d["held_on"],
                place_type=d["place_type"],
                region=d["region"],
                sector=d["sector"],
                women=d["women"],
                men=d["men"],
                trans=d["trans"],
                unknown=d["unknown"],
                referrals_made=d["referrals_made"],
                note=d["note"],
            )

        def next_url(log):
            query = {
                "held_on": log.held_on.isoformat(),
                "place_type": log.place_type,
                "region": log.region,
                "sector": log.sector,
            }
            return reverse("cooperation:outreach") + "?" + urlencode(query)

        done = submit_once(
            request,
            form,
            run,
            success=_("The outreach round is logged."),
            next_url=next_url,
            field_map={
                "referrals_above_contacts": "referrals_made",
                "note_identifies": "note",
                "note_too_long": "note",
                "future_date": "held_on",
            },
        )
        if done:
            return done
    # Centre staff see every organisation's rounds; an NGO its own.
    organisation = None if can(user, Ability.COOPERATION_VIEW) else user.organisation
    totals = selectors.outreach_totals(
        period="month",
        organisation=organisation,
        by_organisation=organisation is None,
        date_from=timezone.localdate().replace(day=1, month=1),
    )
    page = Paginator(_outreach_logs(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/outreach.html",
        {"form": form, "page": page, "totals": totals, "is_centre": organisation is None},
        status=422 if form.errors else 200,
    )


# --- prosecution ------------------------------------------------------------------------


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def prosecutions(request):
    page = Paginator(selectors.prosecution_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cooperation/prosecutions.html", {"page": page})


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_http_methods(["GET", "POST"])
def prosecution_open(request):
    form = forms.ProsecutionOpenForm(request.POST or None)
    if request.method == "POST":
        done = submit_once(
            request,
            form,
            lambda d: services.prosecution_open(actor=request.user, **d_without_token(d)),
            success=_("The prosecution case is registered."),
            next_url=lambda p: reverse("cooperation:prosecution", args=[p.pk]),
            field_map={"duplicate_case_number": "police_case_number", "future_date": "opened_on"},
        )
        if done:
            return done
    return render(
        request,
        "cooperation/form_page.html",
        {
            "form": form,
            "title": _("Register a prosecution case"),
            "submit": _("Register"),
            "back": reverse("cooperation:prosecutions"),
        },
        status=422 if form.errors else 200,
    )


def _prosecution(pk):
    return get_object_or_404(
        ProsecutionCase.objects.select_related("police_district").prefetch_related(
            Prefetch("victims", queryset=Case.objects.select_related("person"))
        ),
        pk=pk,
    )


def _prosecution_page(request, prosecution, status=200, **bound):
    open_steps = prosecution.status in (
        choices.ProsecutionStatus.INVESTIGATION,
        choices.ProsecutionStatus.CHARGED,
    )
    context = {
        "prosecution": prosecution,
        "charges": [
            choices.Charge(code).label
            for code in prosecution.charges
            if code in choices.Charge.values
        ],
        # A refused form is shown with its errors even where the state hides it.
        "charge_form": bound.get("charge_form")
        or (
            forms.ProsecutionChargeForm()
            if prosecution.status == choices.ProsecutionStatus.INVESTIGATION
            else None
        ),
        "verdict_form": bound.get("verdict_form")
        or (
            forms.ProsecutionVerdictForm()
            if prosecution.status == choices.ProsecutionStatus.CHARGED
            else None
        ),
        "drop_form": bound.get("drop_form")
        or (forms.ProsecutionDropForm() if open_steps else None),
        "link_form": bound.get("link_form") or forms.CaseLinkForm(),
    }
    return render(request, "cooperation/prosecution.html", context, status=status)


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def prosecution(request, pk):
    return _prosecution_page(request, _prosecution(pk))


def _prosecution_step(request, pk, form_class, form_name, run, success, field_map=None):
    prosecution = _prosecution(pk)
    form = form_class(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: run(prosecution, d),
        success=success,
        next_url=_back_to("cooperation:prosecution", pk),
        field_map=field_map,
    )
    return done or _prosecution_page(request, prosecution, 422, **{form_name: form})


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def prosecution_charge(request, pk):
    return _prosecution_step(
        request,
        pk,
        forms.ProsecutionChargeForm,
        "charge_form",
        lambda p, d: services.prosecution_charge(
            actor=request.user,
            prosecution=p,
            charged_on=d["charged_on"],
            charges=d["charges"],
            persons_charged=d["persons_charged"],
        ),
        _("The charge is recorded."),
        {"date_order": "charged_on", "future_date": "charged_on"},
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def prosecution_verdict(request, pk):
    return _prosecution_step(
        request,
        pk,
        forms.ProsecutionVerdictForm,
        "verdict_form",
        lambda p, d: services.prosecution_record_verdict(
            actor=request.user,
            prosecution=p,
            verdict_on=d["verdict_on"],
            verdict=d["verdict"],
            persons_convicted=d["persons_convicted"],
            sentence=d["sentence"],
            compensation_dkk=d["compensation_dkk"],
        ),
        _("The verdict is recorded."),
        {
            "date_order": "verdict_on",
            "future_date": "verdict_on",
            "convicted_above_charged": "persons_convicted",
            "acquittal_mismatch": "verdict",
            "conviction_mismatch": "persons_convicted",
        },
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def prosecution_drop(request, pk):
    return _prosecution_step(
        request,
        pk,
        forms.ProsecutionDropForm,
        "drop_form",
        lambda p, d: services.prosecution_drop(
            actor=request.user, prosecution=p, dropped_on=d["dropped_on"], reason=d["reason"]
        ),
        _("The prosecution case is dropped."),
        {"date_order": "dropped_on", "future_date": "dropped_on"},
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def prosecution_link(request, pk):
    return _prosecution_step(
        request,
        pk,
        forms.CaseLinkForm,
        "link_form",
        lambda p, d: services.prosecution_link_victim(
            actor=request.user, prosecution=p, case=d["case"]
        ),
        _("The victim's case is linked."),
        {"already_linked": "case"},
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def prosecution_unlink(request, pk):
    return _prosecution_step(
        request,
        pk,
        forms.CaseUnlinkForm,
        "unlink_form",
        lambda p, d: services.prosecution_unlink_victim(
            actor=request.user, prosecution=p, case=d["case"]
        ),
        _("The link is removed."),
    )


# --- the national action plan ----------------------------------------------------------


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def plans(request):
    latest = ActionPlan.objects.order_by("-number").first()
    if latest is None:
        return render(request, "cooperation/plan.html", {"plan": None})
    return redirect("cooperation:plan", pk=latest.pk)


def _plan_page(request, plan, status=200, error=None):
    """The plan; `error` is (kind, pk, form) of a form that was refused, shown in its place."""
    progress = selectors.action_plan_progress(plan=plan)
    areas = (
        FocusArea.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.select_related("responsible").prefetch_related(
                    "milestones"
                ),
            )
        )
        .order_by("position", "id")
    )
    by_area = {p.focus_area.pk: p for p in progress.focus_areas}
    return render(
        request,
        "cooperation/plan.html",
        {
            "plan": plan,
            "plans": ActionPlan.objects.order_by("-number"),
            "areas": [(area, by_area.get(area.pk)) for area in areas],
            "indicators": progress.indicators,
            "overdue": list(selectors.milestones_overdue(plan=plan)),
            "statuses": choices.InitiativeStatus.choices,
            "error_kind": error[0] if error else "",
            "error_pk": error[1] if error else None,
            "error_form": error[2] if error else None,
            "today": timezone.localdate(),
            "measure_form": forms.IndicatorMeasureForm(),
            "reach_form": forms.MilestoneReachForm(),
            "status_form": forms.InitiativeStatusForm(),
        },
        status=status,
    )


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def plan(request, pk):
    return _plan_page(request, get_object_or_404(ActionPlan, pk=pk))


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def initiative_status(request, pk):
    initiative = get_object_or_404(Initiative.objects.select_related("focus_area"), pk=pk)
    form = forms.InitiativeStatusForm(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: services.initiative_set_status(
            actor=request.user, initiative=initiative, status=d["status"]
        ),
        success=_("The initiative's status is changed."),
        next_url=_back_to("cooperation:plan", initiative.focus_area.plan_id),
    )
    return done or _plan_page(
        request, initiative.focus_area.plan, 422, ("initiative", initiative.pk, form)
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def milestone_reach(request, pk):
    milestone = get_object_or_404(
        Milestone.objects.select_related("initiative__focus_area__plan"), pk=pk
    )
    form = forms.MilestoneReachForm(request.POST)
    plan_ = milestone.initiative.focus_area.plan
    done = submit_once(
        request,
        form,
        lambda d: services.milestone_reach(
            actor=request.user, milestone=milestone, reached_on=d["reached_on"]
        ),
        success=_("The milestone is reached."),
        next_url=_back_to("cooperation:plan", plan_.pk),
        field_map={"future_date": "reached_on"},
    )
    return done or _plan_page(request, plan_, 422, ("milestone", milestone.pk, form))


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def indicator_measure(request, pk):
    indicator = get_object_or_404(
        PlanIndicator.objects.select_related("initiative__focus_area__plan"), pk=pk
    )
    form = forms.IndicatorMeasureForm(request.POST)
    plan_ = indicator.initiative.focus_area.plan
    done = submit_once(
        request,
        form,
        lambda d: services.indicator_measure(
            actor=request.user,
            indicator=indicator,
            measured_on=d["measured_on"],
            value=d["value"],
        ),
        success=_("The measurement is recorded."),
        next_url=_back_to("cooperation:plan", plan_.pk),
        field_map={"future_date": "measured_on", "duplicate_measurement": "measured_on"},
    )
    return done or _plan_page(request, plan_, 422, ("indicator", indicator.pk, form))
