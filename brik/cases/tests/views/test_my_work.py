import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from brik.cases import services
from brik.cases.tests.views.conftest import section
from brik.testing.factories import referral_kwargs

CPH = ZoneInfo("Europe/Copenhagen")


def my_work(client) -> str:
    response = client.get(reverse("cases:my_work"))
    assert response.status_code == 200
    return response.content.decode()


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=CPH), tick=False)


def test_a_reflection_period_ending_within_a_week_is_listed(alice_client, in_support_case):
    with at(2021, 4, 3, 9):
        page = my_work(alice_client)
    assert in_support_case.code in section(page, "deadlines")
    assert "in 6 days" in section(page, "deadlines")


def test_a_reflection_period_ending_later_is_not_listed_yet(alice_client, in_support_case):
    with at(2021, 3, 25, 9):
        page = my_work(alice_client)
    assert in_support_case.code not in section(page, "deadlines")


def test_a_passed_reflection_deadline_stays_listed(alice_client, in_support_case):
    with at(2021, 4, 12, 9):
        page = my_work(alice_client)
    assert "3 days ago" in section(page, "deadlines")


def test_interviews_are_listed_for_today_and_later_this_week(alice_client, referred_case, alice):
    # Wednesday 3 March 2021: one interview today, one on Friday, one next Tuesday.
    for day in (3, 5, 9):
        services.interview_plan(
            actor=alice,
            case=referred_case,
            planned_for=dt.datetime(2021, 3, day, 10, tzinfo=CPH),
            place=f"Room {day}",
        )
    with at(2021, 3, 3, 8):
        page = my_work(alice_client)
    interviews = section(page, "interviews")
    assert "Room 3" in interviews
    assert "Room 5" in interviews
    assert "Room 9" not in interviews
    assert (
        interviews.index("Room 3")
        < interviews.index("Later this week")
        < interviews.index("Room 5")
    )


def test_an_interview_planned_earlier_but_not_recorded_is_listed_as_overdue(
    alice_client, referred_case, alice
):
    services.interview_plan(
        actor=alice,
        case=referred_case,
        planned_for=dt.datetime(2021, 3, 2, 10, tzinfo=CPH),
        place="Room 2",
    )
    with at(2021, 3, 4, 8):
        page = my_work(alice_client)
    assert "Planned earlier, not yet recorded" in section(page, "interviews")
    assert "Room 2" in section(page, "interviews")


def test_a_monthly_follow_up_after_departure_is_listed_when_due(alice_client, departed_case):
    with at(2021, 4, 15, 9):
        page = my_work(alice_client)
    assert departed_case.code in section(page, "follow-ups")
    assert "in 5 days" in section(page, "follow-ups")


def test_a_follow_up_is_not_due_just_after_the_last_contact(alice_client, departed_case, alice):
    with at(2021, 4, 18, 9):
        services.follow_up_add(
            actor=alice, case=departed_case, held_on=dt.date(2021, 4, 18), status="on_track"
        )
        page = my_work(alice_client)
    assert departed_case.code not in section(page, "follow-ups")


def test_a_decision_pending_longer_than_the_set_days_is_listed(alice_client, referred_case):
    with at(2021, 3, 20, 9):
        page = my_work(alice_client)
    assert referred_case.code in section(page, "decisions")
    assert "19 days" in section(page, "decisions")


def test_a_recent_referral_is_not_a_pending_decision_yet(alice_client, referred_case):
    with at(2021, 3, 10, 9):
        page = my_work(alice_client)
    assert referred_case.code not in section(page, "decisions")


def test_my_cases_are_sorted_with_urgent_referrals_first(alice_client, alice, dave, police):
    routine = services.case_refer(
        actor=dave, referring_organisation=police, assigned_to=alice, **referral_kwargs()
    )
    urgent = services.case_refer(
        actor=dave,
        referring_organisation=police,
        assigned_to=alice,
        urgency="urgent",
        **referral_kwargs(identity={"given_names": "Anden"}),
    )
    mine = section(my_work(alice_client), "mine")
    assert mine.index(urgent.code) < mine.index(routine.code)


def test_unassigned_referrals_are_listed_for_the_team(alice_client, dave, police):
    case = services.case_refer(actor=dave, referring_organisation=police, **referral_kwargs())
    page = my_work(alice_client)
    assert case.code in section(page, "new")
    assert case.code not in section(page, "mine")
    # ...and on top, with the one thing to do about it.
    today = section(page, "today")
    assert case.code in today
    assert "New referral without a contact person" in today
    assert f"/cases/{case.pk}/steps/case_assign/" in today


def test_closed_cases_are_not_on_my_work(alice_client, referred_case, alice):
    with at(2021, 3, 20, 9):
        services.case_close(
            actor=alice, case=referred_case, closed_on=dt.date(2021, 3, 20), reason="disappeared"
        )
        page = my_work(alice_client)
    assert referred_case.code not in page


def _many_cases(count, *, dave, police, alice, partner_abroad):
    """Cases in every state My work looks at: pending, in a period, departed, with interviews."""
    for n in range(count):
        case = services.case_refer(
            actor=dave,
            referring_organisation=police,
            assigned_to=alice if n % 2 else None,
            **referral_kwargs(identity={"given_names": f"Person {n}"}),
        )
        if n % 3 == 0:
            services.interview_plan(
                actor=alice, case=case, planned_for=dt.datetime(2021, 4, 6, 10, tzinfo=CPH)
            )
            continue
        services.assessment_decide(
            actor=alice,
            case=case,
            decided_on=dt.date(2021, 3, 10),
            deciding_authority="immigration",
            outcome="identified",
            forms=["sexual"],
        )
        services.reflection_start(actor=alice, case=case, starts_on=dt.date(2021, 3, 10))
        if n % 3 == 2:
            services.return_offer(actor=alice, case=case, offered_on=dt.date(2021, 3, 12))
            services.return_accept(
                actor=alice,
                case=case,
                accepted_on=dt.date(2021, 3, 12),
                destination_country="NG",
                destination_kind="home",
                reintegration_partner=partner_abroad,
            )
            services.return_depart(actor=alice, case=case, departed_on=dt.date(2021, 3, 13))


# The six lists' counts (one query) and their pages (six), and the session, the 2FA
# device that verified it (a read renews the session at most once a minute) and the
# user with their organisation (the menu).
MY_WORK_QUERIES = 10
# A lead's team view: my own first rows for "What needs me" (4), the team's load (1, its
# cases for nobody counted with the lists), and the lead's access notices (1).
MY_WORK_TEAM_QUERIES = 16


def test_my_work_runs_a_fixed_number_of_queries(
    alice_client, django_assert_num_queries, dave, police, alice, partner_abroad
):
    people = {"dave": dave, "police": police, "alice": alice, "partner_abroad": partner_abroad}
    with at(2021, 4, 6, 9):
        _many_cases(3, **people)
        with django_assert_num_queries(MY_WORK_QUERIES):
            few = my_work(alice_client)
        _many_cases(9, **people)
        with django_assert_num_queries(MY_WORK_QUERIES):
            many = my_work(alice_client)
    assert many.count("BRK-2021-") > few.count("BRK-2021-")


def test_the_team_view_runs_a_fixed_number_of_queries(
    bob_client, django_assert_num_queries, dave, police, alice, partner_abroad
):
    people = {"dave": dave, "police": police, "alice": alice, "partner_abroad": partner_abroad}
    url = reverse("cases:my_work") + "?scope=team"
    with at(2021, 4, 6, 9):
        _many_cases(3, **people)
        with django_assert_num_queries(MY_WORK_TEAM_QUERIES):
            few = bob_client.get(url).content.decode()
        _many_cases(9, **people)
        with django_assert_num_queries(MY_WORK_TEAM_QUERIES):
            many = bob_client.get(url).content.decode()
    assert many.count("BRK-2021-") > few.count("BRK-2021-")
    assert 'id="team-load"' in many


def test_empty_cards_are_quiet(alice_client):
    page = my_work(alice_client)
    summary = page[
        page.index('class="summary"') : page.index("</nav>", page.index('class="summary"'))
    ]
    assert "attention" not in summary
    assert summary.count("quiet") == 5
    assert "Nothing needs you today." in section(page, "today")


def test_a_card_counts_exactly_the_rows_of_its_list(alice_client, dave, police):
    for n in range(3):
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(identity={"given_names": f"Ny {n}"}),
        )
    page = my_work(alice_client)
    card = page[page.index('href="#new"') : page.index("</a>", page.index('href="#new"'))]
    assert "<strong>3</strong>" in card
    assert "attention" in card
    assert section(page, "new").count("/steps/case_assign/") == 3


def test_the_case_list_filters_by_urgency(alice_client, alice, dave, police):
    routine = services.case_refer(
        actor=dave, referring_organisation=police, assigned_to=alice, **referral_kwargs()
    )
    urgent = services.case_refer(
        actor=dave,
        referring_organisation=police,
        assigned_to=alice,
        urgency="urgent",
        **referral_kwargs(identity={"given_names": "Anden"}),
    )
    page = alice_client.get(reverse("cases:my_work") + "?urgency=urgent").content.decode()
    assert urgent.code in section(page, "mine")
    assert routine.code not in section(page, "mine")


def test_a_lead_sees_the_teams_load_and_a_caseworker_does_not(
    alice_client, bob_client, referred_case
):
    page = bob_client.get(reverse("cases:my_work")).content.decode()
    load = section(page, "team-load")
    assert "Alice" in load or "alice" in load
    assert 'id="team-load"' not in my_work(alice_client)


def test_the_team_view_offers_reassigning(bob_client, referred_case):
    page = bob_client.get(reverse("cases:my_work") + "?scope=team").content.decode()
    mine = section(page, "mine")
    assert referred_case.code in mine
    assert f"/cases/{referred_case.pk}/steps/case_assign/" in mine


def test_reflection_deadlines_are_read_from_the_cases_period_index(alice_client, in_support_case):
    """The list and its count walk the index of the cases in a reflection period by its
    stored end (case_period_mine_idx), up to the warning's day: no period looked up per
    case, no sort. SQLite's plan (PostgreSQL chooses by the tables' sizes: at the
    benchmark's 100,000 persons it takes the same index, docs/performance.md)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with at(2021, 4, 3, 9), CaptureQueriesContext(connection) as queries:
        assert in_support_case.code in section(my_work(alice_client), "deadlines")
    deadlines = [q["sql"] for q in queries.captured_queries if '"period_ends_on" <=' in q["sql"]]
    assert len(deadlines) == 2  # the count (with the others') and the page
    if connection.vendor != "sqlite":
        return
    for sql in deadlines:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            steps = [row[-1].replace("COVERING ", "") for row in cursor.fetchall()]
        plan = " / ".join(steps)
        assert "USING INDEX case_period_mine_idx (assigned_to_id=? AND period_ends_on<?)" in plan
        # The period is read for the rows shown (a left join), not to choose them.
        periods = [step for step in steps if "cases_reflectionperiod" in step]
        assert all(step.endswith("LEFT-JOIN") for step in periods), plan
        assert "TEMP B-TREE" not in plan


def plan_room_5(case, alice) -> None:
    """An interview on Friday 5 March 2021 in "Room 5"."""
    services.interview_plan(
        actor=alice, case=case, planned_for=dt.datetime(2021, 3, 5, 10, tzinfo=CPH), place="Room 5"
    )


def test_planned_interviews_follow_their_case_to_its_new_contact_person(
    alice_client, bob_client, referred_case, alice, bob
):
    plan_room_5(referred_case, alice)
    with at(2021, 3, 3, 8):
        assert "Room 5" in section(my_work(alice_client), "interviews")
        assert "Room 5" not in section(my_work(bob_client), "interviews")
        services.case_assign(actor=alice, case=referred_case, caseworker=bob)
        assert "Room 5" not in section(my_work(alice_client), "interviews")
        assert "Room 5" in section(my_work(bob_client), "interviews")


def test_planned_interviews_are_read_from_the_contact_persons_index(
    alice_client, referred_case, alice
):
    """The list and its count walk the index of a contact person's planned interviews
    (interview_planned_mine_idx), not every open case of theirs. SQLite's plan; on
    PostgreSQL the benchmark's (docs/performance.md, "Nineteenth round")."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan_room_5(referred_case, alice)
    with at(2021, 3, 3, 8), CaptureQueriesContext(connection) as queries:
        assert "Room 5" in section(my_work(alice_client), "interviews")
    read = [q["sql"] for q in queries.captured_queries if "cases_interview" in q["sql"]]
    assert len(read) == 2  # the count (with the others') and the page
    if connection.vendor != "sqlite":
        return
    for sql in read:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " / ".join(row[-1] for row in cursor.fetchall())
        assert (
            "USING INDEX interview_planned_mine_idx (case_assigned_to_id=? AND planned_for<?)"
            in plan
        )
        assert "SCAN" not in plan.replace("SCAN CONSTANT ROW", "").replace("SCAN counted_", "")
