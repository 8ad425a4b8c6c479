"""Pages of the national action plan: the plan with its focus areas, initiatives,
milestones and indicators, and the small forms that change them."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from brik.accounts.permissions import Ability, permission_required
from brik.cooperation import forms, selectors, services
from brik.cooperation.views.common import back_to
from brik.core import choices
from brik.core.views import submit_once


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def plans(request):
    latest = selectors.action_plan_latest()
    if latest is None:
        return render(request, "cooperation/plan.html", {"plan": None})
    return redirect("cooperation:plan", pk=latest.pk)


def _plan_page(request, plan, status=200, error=None):
    """The plan; `error` is (kind, pk, form) of a form that was refused, shown in its place."""
    progress = selectors.action_plan_progress(plan=plan)
    areas = selectors.focus_areas_with_initiatives(plan=plan)
    by_area = {p.focus_area.pk: p for p in progress.focus_areas}
    return render(
        request,
        "cooperation/plan.html",
        {
            "plan": plan,
            "plans": selectors.action_plan_list(),
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
    return _plan_page(request, get_object_or_404(selectors.action_plan_list(), pk=pk))


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def initiative_status(request, pk):
    initiative = get_object_or_404(selectors.initiatives_with_plan(), pk=pk)
    form = forms.InitiativeStatusForm(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: services.initiative_set_status(
            actor=request.user, initiative=initiative, status=d["status"]
        ),
        success=_("The initiative's status is changed."),
        next_url=back_to("cooperation:plan", initiative.focus_area.plan_id),
    )
    return done or _plan_page(
        request, initiative.focus_area.plan, 422, ("initiative", initiative.pk, form)
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def milestone_reach(request, pk):
    milestone = get_object_or_404(selectors.milestones_with_plan(), pk=pk)
    form = forms.MilestoneReachForm(request.POST)
    action_plan = milestone.initiative.focus_area.plan
    done = submit_once(
        request,
        form,
        lambda d: services.milestone_reach(
            actor=request.user, milestone=milestone, reached_on=d["reached_on"]
        ),
        success=_("The milestone is reached."),
        next_url=back_to("cooperation:plan", action_plan.pk),
        field_map={"future_date": "reached_on"},
    )
    return done or _plan_page(request, action_plan, 422, ("milestone", milestone.pk, form))


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def indicator_measure(request, pk):
    indicator = get_object_or_404(selectors.indicators_with_plan(), pk=pk)
    form = forms.IndicatorMeasureForm(request.POST)
    action_plan = indicator.initiative.focus_area.plan
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
        next_url=back_to("cooperation:plan", action_plan.pk),
        field_map={"future_date": "measured_on", "duplicate_measurement": "measured_on"},
    )
    return done or _plan_page(request, action_plan, 422, ("indicator", indicator.pk, form))
