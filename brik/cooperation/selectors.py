"""Reads of the cooperation records for pages and reports.

Every count and sum is computed by the database: each selector runs a fixed
number of queries whatever the number of rows (pinned in the tests).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, NullIf, TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone

from brik.cooperation.models import (
    ActionPlan,
    FocusArea,
    IndicatorMeasurement,
    JointAction,
    Milestone,
    OutreachLog,
    PlanIndicator,
    ProsecutionCase,
)
from brik.core import choices

# --- joint authority actions --------------------------------------------------------


def joint_action_list(
    *,
    status: str | None = None,
    year: int | None = None,
    region: str | None = None,
    sector: str | None = None,
) -> QuerySet[JointAction]:
    """Actions, newest first, each with `linked_referrals` and `linked_identified`.

    `linked_referrals` counts the referrals in Brik that came from the action;
    `linked_identified` those of them whose case was decided as identified.
    They can differ from the action's own `persons_referred`, which the
    participants counted on the day.
    """
    actions = JointAction.objects.select_related("lead_organisation").prefetch_related(
        "participants"
    )
    if status:
        actions = actions.filter(status=status)
    if year:
        actions = actions.filter(planned_for__year=year)
    if region:
        actions = actions.filter(region=region)
    if sector:
        actions = actions.filter(sector=sector)
    # An aggregating query drops Meta.ordering, so the order is spelt out.
    return actions.annotate(
        linked_referrals=Count("referrals"),
        linked_identified=Count(
            "referrals", filter=Q(referrals__case__outcome=choices.Outcome.IDENTIFIED)
        ),
    ).order_by("-planned_for", "-id")


# --- NGO outreach -------------------------------------------------------------------

_TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def outreach_totals(
    *,
    period: str = "month",
    date_from: date | None = None,
    date_to: date | None = None,
    organisation=None,
    by_organisation: bool = True,
) -> list[dict]:
    """Contacts and referrals summed per period (month, quarter or year) and organisation.

    Each row: `period` (the first day of the period), `organisation_id` and
    `organisation_name` (when by_organisation), `rounds`, `women`, `men`,
    `trans`, `unknown`, `contacts`, `referrals_made`.
    """
    if period not in _TRUNC:
        raise ValueError(f"period must be one of {', '.join(_TRUNC)}, not {period!r}")
    logs = OutreachLog.objects.all()
    if date_from:
        logs = logs.filter(held_on__gte=date_from)
    if date_to:
        logs = logs.filter(held_on__lte=date_to)
    if organisation is not None:
        logs = logs.filter(organisation=organisation)
    groups = ["period"]
    if by_organisation:
        groups += ["organisation_id", "organisation_name"]
        logs = logs.annotate(organisation_name=F("organisation__name"))
    rows = (
        logs.annotate(period=_TRUNC[period]("held_on", output_field=DateField()))
        .values(*groups)
        .annotate(
            # contacts first: after the sums below, F("women") would mean the sum.
            contacts=Sum(F("women") + F("men") + F("trans") + F("unknown")),
            rounds=Count("id"),
            women=Sum("women"),
            men=Sum("men"),
            trans=Sum("trans"),
            unknown=Sum("unknown"),
            referrals_made=Sum("referrals_made"),
        )
        .order_by(*groups)
    )
    return list(rows)


# --- prosecution --------------------------------------------------------------------


def prosecution_list(
    *, status: str | None = None, police_district=None, year: int | None = None
) -> QuerySet[ProsecutionCase]:
    """Prosecutions, newest first, with `victim_count` and `identified_victims`.

    `victim_count` counts the linked cases; `identified_victims` those decided
    as identified (the rest are presumed victims awaiting a decision).
    """
    prosecutions = ProsecutionCase.objects.select_related("police_district")
    if status:
        prosecutions = prosecutions.filter(status=status)
    if police_district is not None:
        prosecutions = prosecutions.filter(police_district=police_district)
    if year:
        prosecutions = prosecutions.filter(opened_on__year=year)
    return prosecutions.annotate(
        victim_count=Count("victims"),
        identified_victims=Count("victims", filter=Q(victims__outcome=choices.Outcome.IDENTIFIED)),
    ).order_by("-opened_on", "-id")


# --- the national action plan -------------------------------------------------------


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


def _as_float(expression):
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


def milestones_overdue(*, plan: ActionPlan | None = None, today: date | None = None):
    """Milestones past their due date and not reached, oldest first."""
    today = today or timezone.localdate()
    milestones = Milestone.objects.filter(reached_on__isnull=True, due_on__lt=today).exclude(
        initiative__status=choices.InitiativeStatus.CANCELLED
    )
    if plan is not None:
        milestones = milestones.filter(initiative__focus_area__plan=plan)
    return milestones.select_related("initiative__responsible").order_by("due_on", "id")
