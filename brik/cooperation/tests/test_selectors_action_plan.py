import datetime as dt
from decimal import Decimal

import pytest

from brik.cooperation import selectors, services
from brik.cooperation.models import IndicatorMeasurement, Initiative, Milestone, PlanIndicator
from brik.core import choices


@pytest.fixture
def progress_data(plan, focus_area, initiative, indicator, frank, centre, police, ngo):
    """Two focus areas, four initiatives in three statuses, milestones, three indicators."""
    second_area = services.focus_area_add(actor=frank, plan=plan, title="Prosecution")
    services.focus_area_add(actor=frank, plan=plan, title="Empty area")
    policing = services.initiative_add(
        actor=frank, focus_area=second_area, title="Proactive policing", responsible=police
    )
    training = services.initiative_add(
        actor=frank, focus_area=second_area, title="Training prosecutors", responsible=police
    )
    hotline = services.initiative_add(
        actor=frank, focus_area=focus_area, title="Hotline", responsible=centre
    )
    services.initiative_set_status(actor=frank, initiative=policing, status="in_progress")
    services.initiative_set_status(actor=frank, initiative=training, status="in_progress")
    services.initiative_set_status(actor=frank, initiative=hotline, status="delayed")
    for init, due, reached in (
        (initiative, dt.date(2021, 3, 1), dt.date(2021, 3, 2)),
        (initiative, dt.date(2021, 5, 1), None),
        (policing, dt.date(2021, 9, 1), None),
        (training, dt.date(2021, 1, 1), dt.date(2021, 2, 1)),
        (training, dt.date(2021, 2, 1), dt.date(2021, 2, 1)),
    ):
        milestone = services.milestone_add(actor=frank, initiative=init, title="M", due_on=due)
        if reached:
            services.milestone_reach(actor=frank, milestone=milestone, reached_on=reached)
    for day, value in (
        (dt.date(2021, 1, 1), 22),
        (dt.date(2021, 6, 1), 31),
        (dt.date(2021, 3, 1), 35),
    ):
        services.indicator_measure(actor=frank, indicator=indicator, measured_on=day, value=value)
    charged = services.plan_indicator_add(
        actor=frank, initiative=policing, name="Persons charged", target=50
    )
    services.indicator_measure(
        actor=frank, indicator=charged, measured_on=dt.date(2021, 5, 1), value=Decimal("12.5")
    )
    services.plan_indicator_add(
        actor=frank, initiative=training, name="Not yet measured", target=10
    )
    services.plan_indicator_add(
        actor=frank, initiative=training, name="Zero target", target=0, baseline=0
    )
    return plan


def test_initiatives_per_status_per_focus_area_match_a_row_by_row_count(progress_data):
    progress = selectors.action_plan_progress(plan=progress_data)

    assert [a.focus_area.title for a in progress.focus_areas] == [
        "Stronger outreach and identification",
        "Prosecution",
        "Empty area",
    ]
    for area in progress.focus_areas:
        initiatives = Initiative.objects.filter(focus_area=area.focus_area)
        assert area.initiatives == initiatives.count()
        assert area.by_status == {
            status: initiatives.filter(status=status).count()
            for status in choices.InitiativeStatus.values
        }
        milestones = Milestone.objects.filter(initiative__focus_area=area.focus_area)
        assert area.milestones == milestones.count()
        assert area.milestones_reached == milestones.exclude(reached_on=None).count()
    first, second, empty = progress.focus_areas
    assert first.by_status["planned"] == 1
    assert first.by_status["delayed"] == 1
    assert (second.initiatives, second.by_status["in_progress"]) == (2, 2)
    assert (second.milestones, second.milestones_reached) == (3, 2)
    assert (empty.initiatives, sum(empty.by_status.values())) == (0, 0)


def test_each_indicator_compares_its_latest_measurement_with_its_target(progress_data):
    progress = selectors.action_plan_progress(plan=progress_data)

    assert len(progress.indicators) == PlanIndicator.objects.count()
    for row in progress.indicators:
        measurements = IndicatorMeasurement.objects.filter(indicator=row.indicator)
        latest = measurements.order_by("-measured_on").first()
        target = row.indicator.target
        if latest is None:
            assert (row.latest_value, row.latest_on, row.fraction_of_target) == (None, None, None)
            continue
        assert (row.latest_value, row.latest_on) == (latest.value, latest.measured_on)
        expected = float(latest.value / target) if target else None
        assert row.fraction_of_target == pytest.approx(expected)
    by_name = {row.indicator.name: row for row in progress.indicators}
    outreach = by_name["Referrals from NGO outreach"]
    assert (outreach.latest_value, outreach.latest_on) == (Decimal(31), dt.date(2021, 6, 1))
    assert outreach.fraction_of_target == pytest.approx(31 / 40)
    assert outreach.progress_from_baseline == pytest.approx((31 - 20) / (40 - 20))
    assert by_name["Persons charged"].fraction_of_target == pytest.approx(0.25)
    assert by_name["Persons charged"].progress_from_baseline is None
    assert by_name["Zero target"].fraction_of_target is None


def test_progress_takes_two_queries(progress_data, django_assert_num_queries):
    with django_assert_num_queries(2):
        progress = selectors.action_plan_progress(plan=progress_data)
        [
            (i.indicator.initiative.focus_area.title, i.indicator.initiative.responsible.name)
            for i in progress.indicators
        ]


def test_overdue_milestones_are_those_past_due_and_not_reached(progress_data, initiative, frank):
    cancelled = services.initiative_add(
        actor=frank,
        focus_area=initiative.focus_area,
        title="Dropped idea",
        responsible=initiative.responsible,
    )
    services.milestone_add(
        actor=frank, initiative=cancelled, title="Never", due_on=dt.date(2021, 1, 1)
    )
    services.initiative_set_status(actor=frank, initiative=cancelled, status="cancelled")

    overdue = selectors.milestones_overdue(plan=progress_data, today=dt.date(2021, 6, 15))

    assert [(m.initiative.title, m.due_on) for m in overdue] == [
        ("Outreach in prostitution by NGOs", dt.date(2021, 5, 1))
    ]
