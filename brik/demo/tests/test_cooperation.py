"""Joint actions, outreach, prosecutions and the action plan around the demo's cases."""

from collections import Counter

import pytest
from django.db.models import Count, Sum

from brik.cases.models import Case, Referral
from brik.cooperation.models import (
    ActionPlan,
    IndicatorMeasurement,
    JointAction,
    OutreachLog,
    ProsecutionCase,
)
from brik.core import choices as c
from brik.demo.calibration import FIGURES, YEARS, all_figures, demo_years, history_end

pytestmark = pytest.mark.usefixtures("demo_world", "db")


def test_joint_actions_are_held_every_year_and_some_are_planned_ahead():
    held = JointAction.objects.filter(status=c.JointActionStatus.HELD)
    years = {a.planned_for.year for a in held}
    assert set(range(YEARS[0], history_end().year)) <= years <= set(demo_years())
    assert JointAction.objects.filter(
        status=c.JointActionStatus.PLANNED, planned_for__gt=history_end()
    ).exists()
    for action in JointAction.objects.prefetch_related("participants"):
        assert action.lead_organisation in action.participants.all()
        if action.status == c.JointActionStatus.HELD:
            assert action.persons_met >= action.persons_referred >= 0


def test_referrals_linked_to_a_joint_action_come_from_it():
    linked = Referral.objects.filter(joint_action__isnull=False).select_related("joint_action")
    assert linked.exists()
    for referral in linked:
        action = referral.joint_action
        assert referral.channel == c.ReferralChannel.JOINT_ACTION
        assert action.status == c.JointActionStatus.HELD
        assert action.planned_for <= referral.referred_on
    counts = linked.values("joint_action").annotate(n=Count("id"))
    for row in counts:
        assert JointAction.objects.get(pk=row["joint_action"]).persons_referred >= row["n"]


def test_ngos_log_outreach_about_weekly_since_2022_and_their_referrals_are_in_the_logs():
    per_ngo_year = Counter(
        (log.organisation.name, log.held_on.year)
        for log in OutreachLog.objects.select_related("organisation")
    )
    today = history_end()
    assert {year for _name, year in per_ngo_year} == set(range(2022, today.year + 1))
    assert len({name for name, _year in per_ngo_year}) == 4
    full_years = [n for (_name, year), n in per_ngo_year.items() if year < today.year]
    assert min(full_years) >= 40
    outreach = Referral.objects.filter(channel=c.ReferralChannel.OUTREACH)
    for name, n in Counter(outreach.values_list("referring_organisation__name", flat=True)).items():
        logged = OutreachLog.objects.filter(organisation__name=name).aggregate(
            s=Sum("referrals_made")
        )["s"]
        assert logged >= n


def test_prosecutions_under_262a_are_linked_to_identified_victims_of_their_district():
    assert ProsecutionCase.objects.filter(status=c.ProsecutionStatus.VERDICT).exists()
    assert ProsecutionCase.objects.filter(verdict=c.Verdict.CONVICTED).exists()
    for prosecution in ProsecutionCase.objects.prefetch_related("victims__referral"):
        if prosecution.charged_on:
            assert c.Charge.TRAFFICKING in prosecution.charges
        for case in prosecution.victims.all():
            assert case.outcome == c.Outcome.IDENTIFIED
            assert case.referral.police_district_id == prosecution.police_district_id
    assert Case.objects.filter(prosecutions__isnull=False).distinct().count() > 20


def test_the_sixth_action_plan_with_its_three_focus_areas():
    plan = ActionPlan.objects.get(number=6)
    assert (plan.starts_year, plan.ends_year, plan.budget_dkk) == (2022, 2025, 120_000_000)
    areas = list(plan.focus_areas.order_by("position"))
    assert [a.title for a in areas] == [
        "Styrket myndighedsindsats, opsøgende arbejde og identifikation",
        "Bedre tilbud til ofre for menneskehandel",
        "Styrket retsforfølgning af bagmænd",
    ]
    for area in areas:
        assert area.initiatives.exists()
        for initiative in area.initiatives.all():
            assert initiative.responsible_id is not None
            assert initiative.milestones.exists()


def test_the_plans_indicators_are_measured_from_the_generated_data():
    identified = IndicatorMeasurement.objects.filter(
        indicator__name="Personer vurderet udsat for menneskehandel"
    )
    # Measured at the end of each of the plan's years (2022-2025) that has ended by today.
    figures = all_figures(history_end())
    assert {m.measured_on.year: int(m.value) for m in identified} == {
        year: figures[year].identified
        for year in range(2022, min(2025, history_end().year - 1) + 1)
    }
    returns = IndicatorMeasurement.objects.get(
        indicator__name="Forberedte hjemsendelser", measured_on__year=2023
    )
    assert int(returns.value) == FIGURES[2023].prepared_returns
