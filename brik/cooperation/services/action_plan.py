"""The national action plan: its focus areas, initiatives, milestones and indicators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brik.accounts.models import Organisation
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cooperation.models import (
    ActionPlan,
    FocusArea,
    IndicatorMeasurement,
    Initiative,
    Milestone,
    PlanIndicator,
)
from brik.cooperation.services.common import (
    active_organisation,
    checked_amount,
    checked_choice,
    create_checked,
    required_text,
)
from brik.core import choices
from brik.core.errors import TransitionError
from brik.core.validation import (
    ACTION_PLAN_HORIZON_YEARS,
    bounded_count,
    bounded_text,
    field_error,
    plausible_past,
    plausible_plan,
    row_lock,
)

if TYPE_CHECKING:
    from brik.accounts.models import User


# Action plans are numbered from the first (1990s) on.
MAX_PLAN_NUMBER = 100


@transaction.atomic
def action_plan_create(
    *,
    actor: User,
    number: int,
    title: str,
    starts_year: int,
    ends_year: int,
    budget_dkk: Decimal | int | None = None,
) -> ActionPlan:
    bounded_count(
        number, _("The plan's number"), field="number", minimum=1, maximum=MAX_PLAN_NUMBER
    )
    title = required_text(title, _("The title"), field="title", max_length=200)
    last_year = timezone.localdate().year + ACTION_PLAN_HORIZON_YEARS
    for name, year, label in (
        ("starts_year", starts_year, _("The first year")),
        ("ends_year", ends_year, _("The last year")),
    ):
        bounded_count(year, label, field=name, minimum=1900, maximum=last_year, grouping=False)
    if ends_year < starts_year:
        raise field_error(
            "ends_year",
            _("The plan's last year cannot precede its first year."),
            code="years_order",
        )
    if budget_dkk is not None:
        budget_dkk = checked_amount(
            budget_dkk, _("The budget"), field="budget_dkk", model=ActionPlan, column="budget_dkk"
        )
    if ActionPlan.objects.filter(number=number).exists():
        raise field_error(
            "number",
            _("Action plan number %(number)s already exists."),
            code="duplicate_number",
            params={"number": number},
        )
    plan = create_checked(
        ActionPlan,
        number=number,
        title=title,
        starts_year=starts_year,
        ends_year=ends_year,
        budget_dkk=budget_dkk,
    )
    log_action(
        actor=actor,
        action=AuditEvent.ACTION_PLAN_CREATED,
        obj=plan,
        data={"number": number, "starts_year": starts_year, "ends_year": ends_year},
    )
    return plan


@transaction.atomic
def focus_area_add(
    *, actor: User, plan: ActionPlan, title: str, position: int | None = None
) -> FocusArea:
    title = required_text(title, _("The title"), field="title", max_length=200)
    row_lock(plan)
    if position is None:
        position = (plan.focus_areas.aggregate(m=Max("position"))["m"] or 0) + 1
    bounded_count(position, _("The position"), field="position")
    area = create_checked(FocusArea, plan=plan, title=title, position=position)
    log_action(
        actor=actor,
        action=AuditEvent.FOCUS_AREA_ADDED,
        obj=area,
        data={"plan": plan, "title": title, "position": position},
    )
    return area


@transaction.atomic
def initiative_add(
    *,
    actor: User,
    focus_area: FocusArea,
    title: str,
    responsible: Organisation,
    description: str = "",
) -> Initiative:
    title = required_text(title, _("The title"), field="title", max_length=300)
    description = bounded_text(description, _("The description"), field="description")
    active_organisation(responsible)
    initiative = create_checked(
        Initiative,
        focus_area=focus_area,
        title=title,
        description=description,
        responsible=responsible,
    )
    log_action(
        actor=actor,
        action=AuditEvent.INITIATIVE_ADDED,
        obj=initiative,
        data={"focus_area": focus_area, "responsible": responsible},
    )
    return initiative


_FINAL_INITIATIVE_STATUSES = frozenset(
    {choices.InitiativeStatus.COMPLETED, choices.InitiativeStatus.CANCELLED}
)


@transaction.atomic
def initiative_set_status(*, actor: User, initiative: Initiative, status: str) -> Initiative:
    initiative = row_lock(initiative)
    checked_choice(status, choices.InitiativeStatus, _("status"))
    if initiative.status == status:
        raise TransitionError(
            _("The initiative is already “%(status)s”."),
            code="no_change",
            params={"status": initiative.get_status_display()},
        )
    if initiative.status in _FINAL_INITIATIVE_STATUSES:
        raise TransitionError(
            _("The initiative is “%(status)s”; its status can no longer change."),
            code="final_status",
            params={"status": initiative.get_status_display()},
        )
    previous = initiative.status
    before = snapshot(initiative)
    initiative.status = status
    initiative.save(update_fields=["status", "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.INITIATIVE_STATUS_CHANGED,
        obj=initiative,
        data={"from": previous, "to": status},
        changes=changes_since(initiative, before),
    )
    return initiative


@transaction.atomic
def milestone_add(*, actor: User, initiative: Initiative, title: str, due_on: date) -> Milestone:
    initiative = row_lock(initiative)
    title = required_text(title, _("The title"), field="title", max_length=300)
    plausible_plan(due_on, _("The due date"), field="due_on", years=ACTION_PLAN_HORIZON_YEARS)
    if initiative.status == choices.InitiativeStatus.CANCELLED:
        raise TransitionError(
            _("A cancelled initiative takes no new milestones."), code="initiative_cancelled"
        )
    milestone = create_checked(Milestone, initiative=initiative, title=title, due_on=due_on)
    log_action(
        actor=actor,
        action=AuditEvent.MILESTONE_ADDED,
        obj=milestone,
        data={"initiative": initiative, "due_on": due_on},
    )
    return milestone


@transaction.atomic
def milestone_reach(*, actor: User, milestone: Milestone, reached_on: date) -> Milestone:
    milestone = row_lock(milestone)
    if milestone.reached_on is not None:
        raise TransitionError(
            _("This milestone was already reached on %(date)s."),
            code="already_reached",
            params={"date": date_format(milestone.reached_on)},
        )
    plausible_past(reached_on, _("The date"), field="reached_on")
    before = snapshot(milestone)
    milestone.reached_on = reached_on
    milestone.save(update_fields=["reached_on"])
    log_action(
        actor=actor,
        action=AuditEvent.MILESTONE_REACHED,
        obj=milestone,
        data={"reached_on": reached_on, "due_on": milestone.due_on},
        changes=changes_since(milestone, before),
    )
    return milestone


@transaction.atomic
def plan_indicator_add(
    *,
    actor: User,
    initiative: Initiative,
    name: str,
    target: Decimal | int | str,
    unit: str = "",
    baseline: Decimal | int | str | None = None,
) -> PlanIndicator:
    name = required_text(name, _("The indicator"), field="name", max_length=300)
    unit = bounded_text(unit, _("The unit"), field="unit", max_length=50)
    target = checked_amount(
        target, _("The target"), field="target", model=PlanIndicator, column="target", signed=True
    )
    if baseline is not None:
        baseline = checked_amount(
            baseline,
            _("The baseline"),
            field="baseline",
            model=PlanIndicator,
            column="baseline",
            signed=True,
        )
    indicator = create_checked(
        PlanIndicator,
        initiative=initiative,
        name=name,
        unit=unit,
        baseline=baseline,
        target=target,
    )
    log_action(
        actor=actor,
        action=AuditEvent.PLAN_INDICATOR_ADDED,
        obj=indicator,
        data={"initiative": initiative, "target": target, "baseline": baseline},
    )
    return indicator


@transaction.atomic
def indicator_measure(
    *, actor: User, indicator: PlanIndicator, measured_on: date, value: Decimal | int | str
) -> IndicatorMeasurement:
    """Record the indicator's value on a day: one measurement per indicator per day."""
    plausible_past(measured_on, _("The measurement date"), field="measured_on")
    value = checked_amount(
        value,
        _("The value"),
        field="value",
        model=IndicatorMeasurement,
        column="value",
        signed=True,
    )
    duplicate = field_error(
        "measured_on",
        _("“%(indicator)s” already has a measurement on %(date)s; one measurement per day."),
        code="duplicate_measurement",
        params={"indicator": indicator.name, "date": date_format(measured_on)},
    )
    if indicator.measurements.filter(measured_on=measured_on).exists():
        raise duplicate
    try:
        with transaction.atomic():
            measurement = create_checked(
                IndicatorMeasurement,
                indicator=indicator,
                measured_on=measured_on,
                value=value,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise duplicate from None
    log_action(
        actor=actor,
        action=AuditEvent.INDICATOR_MEASURED,
        obj=measurement,
        data={"indicator": indicator, "measured_on": measured_on, "value": value},
    )
    return measurement
