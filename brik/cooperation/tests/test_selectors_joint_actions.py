import datetime as dt

import pytest

from brik.cases import services as case_services
from brik.cases.models import Referral
from brik.cooperation import selectors, services
from brik.core import choices
from brik.testing.factories import referral_kwargs


@pytest.fixture
def actions(today, bob, alice, dave, police, tax, labour):
    """Three actions: held with three linked referrals (one identified), planned, cancelled."""

    def plan(title, day, sector, participants=()):
        return services.joint_action_plan(
            actor=bob,
            title=title,
            planned_for=day,
            region=choices.Region.MIDTJYLLAND,
            sector=sector,
            lead_organisation=police,
            participants=participants,
        )

    held = plan("Byggepladser", dt.date(2021, 3, 1), choices.Sector.CONSTRUCTION, [tax, labour])
    services.joint_action_record_outcome(actor=bob, action=held, persons_met=15, persons_referred=4)
    cases = [
        case_services.case_refer(
            actor=dave, referring_organisation=police, **referral_kwargs(referred_on=day)
        )
        for day in (dt.date(2021, 3, 1), dt.date(2021, 3, 2), dt.date(2021, 3, 2))
    ]
    for case in cases:
        services.joint_action_link_referral(actor=bob, action=held, case=case)
    case_services.interview_record(actor=alice, case=cases[0], held_on=dt.date(2021, 3, 5))
    case_services.assessment_decide(
        actor=alice,
        case=cases[0],
        decided_on=dt.date(2021, 3, 10),
        deciding_authority=choices.DecidingAuthority.IMMIGRATION,
        outcome=choices.Outcome.IDENTIFIED,
        forms=[choices.ExploitationForm.FORCED_LABOUR],
    )
    case_services.case_refer(  # a referral from elsewhere, not linked
        actor=dave, referring_organisation=police, **referral_kwargs()
    )
    planned = plan("Landbrug", dt.date(2021, 8, 1), choices.Sector.AGRICULTURE, [labour])
    cancelled = plan("Rengøring", dt.date(2020, 11, 1), choices.Sector.CLEANING)
    services.joint_action_cancel(actor=bob, action=cancelled)
    return {"held": held, "planned": planned, "cancelled": cancelled}


def test_each_action_carries_its_linked_referrals(actions):
    rows = list(selectors.joint_action_list())

    assert [a.title for a in rows] == ["Landbrug", "Byggepladser", "Rengøring"]
    for action in rows:
        linked = Referral.objects.filter(joint_action=action)
        assert action.linked_referrals == linked.count()
        assert action.linked_identified == linked.filter(case__outcome="identified").count()
    held = next(a for a in rows if a.pk == actions["held"].pk)
    assert (held.linked_referrals, held.linked_identified) == (3, 1)


def test_the_list_takes_two_queries_whatever_its_length(actions, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = [
            (a.title, a.lead_organisation.name, sorted(p.name for p in a.participants.all()))
            for a in selectors.joint_action_list()
        ]

    assert rows[1] == (
        "Byggepladser",
        "Østjyllands Politi",
        ["Arbejdstilsynet", "Skattestyrelsen", "Østjyllands Politi"],
    )


def test_it_filters_by_status_and_year(actions):
    assert [a.title for a in selectors.joint_action_list(status="held")] == ["Byggepladser"]
    assert [a.title for a in selectors.joint_action_list(year=2020)] == ["Rengøring"]
    assert [a.title for a in selectors.joint_action_list(sector="agriculture")] == ["Landbrug"]
    assert list(selectors.joint_action_list(region=choices.Region.NORDJYLLAND)) == []
