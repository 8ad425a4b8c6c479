"""Each record rule is written once and answers the same both ways: the check of one
record (`can(user, ability, obj)`) and the queryset filter agree for every user."""

import datetime as dt

import pytest

from brik.accounts import permissions
from brik.accounts.permissions import Ability, can
from brik.cases import services as case_services
from brik.cases.models import Case
from brik.cooperation import services as cooperation_services
from brik.cooperation.models import OutreachLog
from brik.core import choices
from brik.testing.factories import OrganisationFactory, referral_kwargs

USERS = ("alice", "carol", "dave", "erin", "mallory")


@pytest.fixture
def cases(referred_case, mallory, other_police, erin, ngo):
    case_services.case_refer(
        actor=mallory, referring_organisation=other_police, **referral_kwargs()
    )
    case_services.case_refer(actor=erin, referring_organisation=ngo, **referral_kwargs())
    return list(Case.objects.select_related("referral"))


@pytest.fixture
def outreach_logs(erin, ngo, alice):
    other_ngo = OrganisationFactory(name="HopeNow", type=choices.OrganisationType.NGO)
    for actor, organisation in ((erin, ngo), (alice, other_ngo)):
        cooperation_services.outreach_log_add(
            actor=actor,
            organisation=organisation,
            held_on=dt.date(2021, 3, 1),
            place_type=choices.PlaceType.values[0],
            region=choices.Region.values[0],
            women=1,
        )
    return list(OutreachLog.objects.all())


@pytest.mark.parametrize("name", USERS)
def test_a_partner_sees_the_same_cases_in_the_list_as_one_by_one(request, cases, name):
    user = request.getfixturevalue(name)
    rule = permissions.CASE_REFERRED_BY_OWN_ORGANISATION

    filtered = set(Case.objects.filter(rule.q(user)))

    assert filtered == {case for case in cases if rule.check(user, case)}
    if can(user, Ability.REFERRAL_STATUS):
        assert filtered == {case for case in cases if can(user, Ability.REFERRAL_STATUS, case)}


def test_a_partner_reaches_only_their_own_organisations_referrals(cases, dave, police):
    reached = [case for case in cases if can(dave, Ability.REFERRAL_STATUS, case)]

    assert [case.referral.referring_organisation for case in reached] == [police]


@pytest.mark.parametrize("name", USERS)
def test_outreach_logs_reachable_one_by_one_are_those_listed(request, outreach_logs, name):
    user = request.getfixturevalue(name)
    rule = permissions.OUTREACH_LOG_REACHABLE

    filtered = set(OutreachLog.objects.filter(rule.q(user)))

    assert filtered == {log for log in outreach_logs if rule.check(user, log)}
    if can(user, Ability.OUTREACH_LOG):
        assert filtered == set(permissions.outreach_logs_visible_to(user))


def test_the_centre_reaches_every_outreach_log_and_an_ngo_its_own(outreach_logs, alice, erin, ngo):
    assert len(permissions.outreach_logs_visible_to(alice)) == 2
    assert [log.organisation for log in permissions.outreach_logs_visible_to(erin)] == [ngo]
