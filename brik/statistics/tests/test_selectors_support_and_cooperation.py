"""Prepared returns, follow-ups, reflection periods, joint actions, outreach, prosecution."""

import datetime as dt

from brik.cases import services as case_services
from brik.cooperation.models import JointAction, OutreachLog, ProsecutionCase
from brik.core import choices
from brik.statistics import selectors
from brik.statistics.tests.conftest import table_counts, table_totals


def test_prepared_returns_count_persons_in_the_year_of_departure(history, alice):
    a = history.decide(decided_on=dt.date(2020, 11, 1))
    b = history.decide(decided_on=dt.date(2021, 2, 1), citizenships=["TH"])
    declined = history.decide(decided_on=dt.date(2021, 3, 1))
    history.prepared_return(a, departed_on=dt.date(2021, 1, 10), country="NG")
    history.prepared_return(b, departed_on=dt.date(2021, 4, 10), country="TH")
    case_services.return_offer(actor=alice, case=declined, offered_on=dt.date(2021, 3, 2))
    case_services.return_decline(actor=alice, case=declined, declined_on=dt.date(2021, 3, 3))

    assert selectors.returns_series(years=[2020, 2021]) == {2020: 0, 2021: 2}
    table = selectors.returns_by_destination(years=[2020, 2021])
    assert table_counts(table) == {(2021, "NG"): 1, (2021, "TH"): 1}
    assert table_totals(table) == {2021: 2}


def test_prepared_returns_list_the_same_destinations_every_year(history, settings):
    settings.BRIK_REPORT_CITIZENSHIPS = ("DK", "NG", "TH")
    persons = [history.decide(decided_on=dt.date(2021, 1, 5 + i)) for i in range(4)]
    for case, country in zip(persons, ["NG", "RO", "BG", "GE"], strict=True):
        history.prepared_return(case, departed_on=dt.date(2021, 6, 1), country=country)

    table = selectors.returns_by_destination(years=[2020, 2021])
    # Denmark is no destination; Thailand is listed with no one; Romania and Bulgaria
    # are other EU countries, Georgia another country.
    assert [r.key for r in table.rows] == ["NG", "TH", "other_eu", "other_non_eu", "unknown"]
    assert table_counts(table) == {
        (2021, "NG"): 1,
        (2021, "other_eu"): 2,
        (2021, "other_non_eu"): 1,
    }
    assert table_totals(table) == {2021: 4}
    again = selectors.returns_by_destination(years=[2020, 2021], also={"RO"})
    assert table_counts(again)[(2021, "RO")] == 1
    assert table_counts(again)[(2021, "other_eu")] == 1


def test_follow_up_outcomes_take_the_latest_contact(history, alice):
    a = history.decide(decided_on=dt.date(2021, 1, 5))
    b = history.decide(decided_on=dt.date(2021, 1, 6))
    history.prepared_return(a, departed_on=dt.date(2021, 2, 1))
    history.prepared_return(b, departed_on=dt.date(2021, 2, 1))
    case_services.follow_up_add(
        actor=alice, case=a, held_on=dt.date(2021, 3, 1), status=choices.FollowUpStatus.DIFFICULTIES
    )
    case_services.follow_up_add(
        actor=alice, case=a, held_on=dt.date(2021, 5, 1), status=choices.FollowUpStatus.ON_TRACK
    )

    table = selectors.follow_up_outcomes(years=[2021])
    assert table_counts(table) == {(2021, "on_track"): 1, (2021, "none"): 1}


def test_reflection_periods_started_and_extended(history, alice):
    a = history.decide(decided_on=dt.date(2021, 1, 5))
    b = history.decide(decided_on=dt.date(2021, 12, 20))
    case_services.reflection_start(actor=alice, case=a, starts_on=dt.date(2021, 1, 5))
    case_services.reflection_start(actor=alice, case=b, starts_on=dt.date(2021, 12, 20))
    case_services.reflection_extend(
        actor=alice,
        case=b,
        new_ends_on=dt.date(2022, 3, 1),
        reason=choices.ExtensionReason.PREPARED_RETURN,
        extended_on=dt.date(2022, 1, 10),
    )
    started = selectors.reflection_periods(years=[2021, 2022])
    assert table_counts(started) == {(2021, "reflection"): 2}
    extended = selectors.reflection_extensions(years=[2021, 2022])
    assert table_counts(extended) == {(2022, "prepared_return"): 1}


def test_joint_actions_sum_their_results_and_count_identified_referrals(history, police, alice):
    action = JointAction.objects.create(
        title="Byggepladser",
        status=choices.JointActionStatus.HELD,
        planned_for=dt.date(2021, 5, 1),
        region=choices.Region.MIDTJYLLAND,
        sector=choices.Sector.CONSTRUCTION,
        lead_organisation=police,
        persons_met=40,
        persons_referred=3,
    )
    JointAction.objects.create(
        title="Landbrug",
        status=choices.JointActionStatus.HELD,
        planned_for=dt.date(2021, 8, 1),
        region=choices.Region.SYDDANMARK,
        sector=choices.Sector.AGRICULTURE,
        lead_organisation=police,
        persons_met=12,
        persons_referred=1,
    )
    JointAction.objects.create(
        title="Planlagt",
        planned_for=dt.date(2021, 9, 1),
        region=choices.Region.SYDDANMARK,
        sector=choices.Sector.CLEANING,
        lead_organisation=police,
    )
    for outcome in (
        choices.Outcome.IDENTIFIED,
        choices.Outcome.IDENTIFIED,
        choices.Outcome.NOT_IDENTIFIED,
    ):
        case = history.decide(decided_on=dt.date(2021, 6, 1), outcome=outcome)
        case.referral.joint_action = action
        case.referral.save()

    table = selectors.joint_actions(years=[2021])
    assert table_counts(table) == {
        (2021, "actions"): 2,
        (2021, "met"): 52,
        (2021, "referred"): 4,
        (2021, "identified"): 2,
    }
    assert [r.protect for r in table.rows] == [False, False, False, True]


def test_outreach_contacts_add_up_the_logs(ngo):
    for women, men in ((10, 2), (5, 0)):
        OutreachLog.objects.create(
            organisation=ngo,
            held_on=dt.date(2021, 4, 1),
            place_type=choices.PlaceType.STREET,
            region=choices.Region.HOVEDSTADEN,
            women=women,
            men=men,
            referrals_made=1,
        )
    table = selectors.outreach_contacts(years=[2020, 2021])
    assert table.value("women", 2021) == 15
    assert table.value("men", 2021) == 2
    assert table.value("referrals_made", 2021) == 2
    assert table.value("rounds", 2021) == 2
    assert table.value("total", 2021) == 17
    assert table.value("total", 2020) == 0


def test_prosecution_counts_each_stage_in_its_own_year(police):
    ProsecutionCase.objects.create(
        police_district=police,
        police_case_number="4100-1",
        suspects=3,
        status=choices.ProsecutionStatus.VERDICT,
        opened_on=dt.date(2020, 3, 1),
        charged_on=dt.date(2020, 9, 1),
        persons_charged=2,
        verdict_on=dt.date(2021, 2, 1),
        verdict=choices.Verdict.CONVICTED,
        persons_convicted=2,
    )
    ProsecutionCase.objects.create(
        police_district=police,
        police_case_number="4100-2",
        suspects=1,
        status=choices.ProsecutionStatus.VERDICT,
        opened_on=dt.date(2021, 3, 1),
        charged_on=dt.date(2021, 4, 1),
        persons_charged=1,
        verdict_on=dt.date(2021, 6, 1),
        verdict=choices.Verdict.ACQUITTED,
    )
    table = selectors.prosecutions(years=[2020, 2021])
    assert table_counts(table) == {
        (2020, "cases"): 1,
        (2020, "suspected"): 3,
        (2020, "charged"): 2,
        (2021, "cases"): 1,
        (2021, "suspected"): 1,
        (2021, "charged"): 1,
        (2021, "convicted"): 2,
    }


def test_eurostat_cross_tables_agree_with_the_one_way_tables(history):
    history.decide(decided_on=dt.date(2021, 1, 1), gender=choices.Gender.WOMAN, birth_year=2005)
    history.decide(decided_on=dt.date(2021, 1, 2), gender=choices.Gender.MAN, citizenships=["RO"])
    history.decide(
        decided_on=dt.date(2021, 1, 3),
        gender=choices.Gender.TRANS_NONCONFORMING,
        birth_year=None,
        citizenships=["DK", "NG"],
        forms=[choices.ExploitationForm.SEXUAL, choices.ExploitationForm.FORCED_LABOUR],
    )
    age = selectors.eurostat_by_sex_and_age(year=2021)
    assert age.value("woman", selectors.CHILD) == 1
    assert age.value("man", selectors.ADULT) == 1
    assert age.value("trans|unknown", selectors.UNKNOWN) == 1
    assert age.total.values[-1] == 3
    citizenship = selectors.eurostat_by_sex_and_citizenship(year=2021)
    assert citizenship.value("trans|unknown", "reporting") == 1
    assert citizenship.value("man", "eu") == 1
    forms = selectors.eurostat_by_sex_and_form(year=2021)
    assert forms.value("trans|unknown", "SEX_EXP") == 1
    assert forms.value("trans|unknown", "LAB_EXP") == 1
    assert forms.value("trans|unknown", "total") == 1
    assert forms.total.values[-1] == 3
