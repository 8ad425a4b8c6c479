"""My work's selector: pages of 25, counts from the same queryset as the lists,
the scope switch, sorting, and what needs me today."""

import datetime as dt

import pytest
from django.utils import translation

from brik.cases import selectors, services
from brik.cases.models import Case
from brik.cases.selectors.my_work import COUNT_CAP, PER_PAGE, Listing
from brik.core import choices
from brik.testing.factories import referral_kwargs


def _refer(n, *, dave, police, assigned_to=None, **extra):
    return [
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            assigned_to=assigned_to,
            **referral_kwargs(identity={"given_names": f"Person {i}"}),
            **extra,
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_lists_are_paged_and_counted_from_the_same_rows(alice, dave, police):
    cases = _refer(PER_PAGE + 3, dave=dave, police=police)
    first = selectors.my_work(user=alice)
    assert first.new.count == PER_PAGE + 3
    assert len(first.new.rows) == PER_PAGE
    assert first.new.has_next
    assert not first.new.has_previous
    second = selectors.my_work(user=alice, pages={"new": "2"})
    assert len(second.new.rows) == 3
    assert not second.new.has_next
    assert second.new.has_previous
    shown = {c.pk for c in first.new.rows} | {c.pk for c in second.new.rows}
    assert shown == {c.pk for c in cases}


@pytest.mark.django_db
def test_a_page_beyond_the_last_shows_the_last(alice, dave, police):
    _refer(3, dave=dave, police=police)
    for page in ("99", "-4", "x", "1e30"):
        work = selectors.my_work(user=alice, pages={"new": page})
        assert len(work.new.rows) == 3


def test_a_count_is_capped():
    listing = Listing("new", [], COUNT_CAP + 1, 1, False)
    assert listing.capped
    assert listing.shown_count == f"{COUNT_CAP}+"


@pytest.mark.django_db
def test_mine_and_the_team(alice, bob, dave, police):
    (mine,) = _refer(1, dave=dave, police=police, assigned_to=alice)
    (bobs,) = _refer(1, dave=dave, police=police, assigned_to=bob)
    alone = selectors.my_work(user=alice, scope="mine")
    assert [c.pk for c in alone.cases.rows] == [mine.pk]
    team = selectors.my_work(user=alice, scope="team")
    assert {c.pk for c in team.cases.rows} == {mine.pk, bobs.pk}
    # A colleague's new referral is not mine to start.
    assert bobs.pk not in {c.pk for c in team.new.rows}
    assert bobs.pk not in {item.case.pk for item in team.needs_me}


@pytest.mark.django_db
def test_an_unknown_scope_sort_or_filter_falls_back(alice):
    work = selectors.my_work(user=alice, scope="all", sort="drop table", status="x", urgency="y")
    assert (work.scope, work.sort, work.status, work.urgency) == ("mine", "urgency", "", "")


@pytest.mark.django_db
def test_sorting_by_deadline_puts_the_nearest_period_end_first(alice, dave, police):
    early, late = _refer(2, dave=dave, police=police, assigned_to=alice)
    for case, day in ((late, 20), (early, 10)):
        services.assessment_decide(
            actor=alice,
            case=case,
            decided_on=dt.date(2021, 3, day),
            deciding_authority="immigration",
            outcome="identified",
            forms=["sexual"],
        )
        services.reflection_start(actor=alice, case=case, starts_on=dt.date(2021, 3, day))
    work = selectors.my_work(user=alice, sort="deadline", today=dt.date(2021, 3, 25))
    assert [c.pk for c in work.cases.rows] == [early.pk, late.pk]
    newest = selectors.my_work(user=alice, sort="-referred", today=dt.date(2021, 3, 25))
    assert len(newest.cases.rows) == 2


@pytest.mark.django_db
def test_what_needs_me_has_a_reason_and_one_action(alice, dave, police):
    _refer(1, dave=dave, police=police, assigned_to=alice)
    with translation.override("en"):
        work = selectors.my_work(user=alice, today=dt.date(2021, 3, 20))
    reasons = {item.reason: item for item in work.needs_me}
    assert "New referral assigned to you" in reasons
    assert reasons["New referral assigned to you"].url.endswith("/steps/interview_plan/")
    # Waiting 19 days for a decision: listed, and overdue first.
    pending = reasons["Decision pending"]
    assert pending.url.endswith("/steps/assessment_decide/")
    assert work.needs_me[0].overdue


def _flag_urgent_at_screening(actor, case) -> None:
    services.screening_record(
        actor=actor,
        case=case,
        screened_on=case.referred_on,
        urgent=True,
        needs_interpreter=False,
        safe_to_contact=choices.SafeToContact.YES,
    )


@pytest.mark.django_db
def test_the_team_load_counts_each_contact_persons_open_cases(bob, alice, dave, police):
    _refer(2, dave=dave, police=police, assigned_to=alice)
    _refer(1, dave=dave, police=police, assigned_to=alice, urgency="urgent")
    _refer(1, dave=dave, police=police)
    work = selectors.my_work(user=bob)
    load = {member.user.pk: member for member in work.team}
    assert load[alice.pk].open_cases == 3
    assert load[alice.pk].urgent == 1
    # Flagged urgent at screening: urgent in the team load too, as in My work's filter.
    flagged = Case.objects.filter(assigned_to=alice).exclude(referral__urgency="urgent").first()
    _flag_urgent_at_screening(alice, flagged)
    load = {member.user.pk: member for member in selectors.my_work(user=bob).team}
    assert load[alice.pk].urgent == 2
    assert load[bob.pk].open_cases == 0
    assert work.unassigned_count == 1
    assert selectors.my_work(user=alice).team == []


def test_a_case_flagged_urgent_at_screening_is_urgent_in_my_work(alice, referred_case):
    from brik.cases.selectors.my_work import URGENCY_FILTERS

    urgent = Case.objects.filter(URGENCY_FILTERS[choices.Urgency.URGENT]())
    assert referred_case.referral.urgency != choices.Urgency.URGENT
    assert referred_case not in urgent
    _flag_urgent_at_screening(alice, referred_case)
    assert referred_case in Case.objects.filter(URGENCY_FILTERS[choices.Urgency.URGENT]())
    for other in (choices.Urgency.SOON, choices.Urgency.ROUTINE):
        assert referred_case not in Case.objects.filter(URGENCY_FILTERS[other]())
