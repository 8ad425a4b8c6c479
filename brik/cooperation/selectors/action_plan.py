"""Reads of the national action plan: progress per focus area and indicator, and overdue
milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from brik.cooperation.models import (
    ActionPlan,
    FocusArea,
    IndicatorMeasurement,
    Initiative,
    Milestone,
    PlanIndicator,
)
from brik.core import choices

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class FocusAreaProgress:
    focus_area: FocusArea
    initiatives: int
    by_status: dict[str, int]  # every InitiativeStatus value, zeros included
    milestones: int
    milestones_reached: int


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: PlanIndicator
    latest_value: Decimal | None
    latest_on: date | None
    # latest_value / target; None without a measurement or with a target of 0.
    fraction_of_target: float | None
    # (latest - baseline) / (target - baseline); None without a baseline.
    progress_from_baseline: float | None


@dataclass(frozen=True)
class PlanProgress:
    plan: ActionPlan
    focus_areas: list[FocusAreaProgress]
    indicators: list[IndicatorProgress]


def _as_float(expression: str | Combinable) -> Cast:
    return Cast(expression, FloatField())


def action_plan_progress(*, plan: ActionPlan) -> PlanProgress:
    """Initiatives per status per focus area, and each indicator's latest value against target."""
    status_counts = {
        f"status_{status}": Count(
            "initiatives", filter=Q(initiatives__status=status), distinct=True
        )
        for status in choices.InitiativeStatus.values
    }
    areas = (
        FocusArea.objects.filter(plan=plan)
        .annotate(
            initiative_count=Count("initiatives", distinct=True),
            milestone_count=Count("initiatives__milestones", distinct=True),
            milestones_reached=Count(
                "initiatives__milestones",
                filter=Q(initiatives__milestones__reached_on__isnull=False),
                distinct=True,
            ),
            **status_counts,
        )
        .order_by("position", "id")
    )
    latest = IndicatorMeasurement.objects.filter(indicator=OuterRef("pk")).order_by(
        "-measured_on", "-id"
    )
    decimal = DecimalField(max_digits=12, decimal_places=2)
    indicators = (
        PlanIndicator.objects.filter(initiative__focus_area__plan=plan)
        .select_related("initiative__focus_area", "initiative__responsible")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1], output_field=decimal),
            latest_on=Subquery(latest.values("measured_on")[:1], output_field=DateField()),
        )
        .annotate(
            fraction_of_target=_as_float("latest_value") / NullIf(_as_float("target"), Value(0.0)),
            progress_from_baseline=(_as_float("latest_value") - _as_float("baseline"))
            / NullIf(_as_float("target") - _as_float("baseline"), Value(0.0)),
        )
        .order_by("initiative__focus_area__position", "initiative_id", "id")
    )
    return PlanProgress(
        plan=plan,
        focus_areas=[
            FocusAreaProgress(
                focus_area=area,
                initiatives=area.initiative_count,
                by_status={
                    s: getattr(area, f"status_{s}") for s in choices.InitiativeStatus.values
                },
                milestones=area.milestone_count,
                milestones_reached=area.milestones_reached,
            )
            for area in areas
        ],
        indicators=[
            IndicatorProgress(
                indicator=indicator,
                latest_value=indicator.latest_value,
                latest_on=indicator.latest_on,
                fraction_of_target=indicator.fraction_of_target,
                progress_from_baseline=indicator.progress_from_baseline,
            )
            for indicator in indicators
        ],
    )


def milestones_overdue(
    *, plan: ActionPlan | None = None, today: date | None = None
) -> QuerySet[Milestone]:
    """Milestones past their due date and not reached, oldest first."""
    today = today or timezone.localdate()
    milestones = Milestone.objects.filter(reached_on__isnull=True, due_on__lt=today).exclude(
        initiative__status=choices.InitiativeStatus.CANCELLED
    )
    if plan is not None:
        milestones = milestones.filter(initiative__focus_area__plan=plan)
    return milestones.select_related("initiative__responsible").order_by("due_on", "id")


def action_plan_list() -> QuerySet[ActionPlan]:
    """Every action plan, the latest (highest number) first."""
    return ActionPlan.objects.order_by("-number")


def action_plan_latest() -> ActionPlan | None:
    return action_plan_list().first()


def focus_areas_with_initiatives(*, plan: ActionPlan) -> QuerySet[FocusArea]:
    """The plan's focus areas in order, each with its initiatives, their responsible
    organisation and their milestones."""
    return (
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


def initiatives_with_plan() -> QuerySet[Initiative]:
    return Initiative.objects.select_related("focus_area__plan")


def milestones_with_plan() -> QuerySet[Milestone]:
    return Milestone.objects.select_related("initiative__focus_area__plan")


def indicators_with_plan() -> QuerySet[PlanIndicator]:
    return PlanIndicator.objects.select_related("initiative__focus_area__plan")
