"""The shared world of tests: named organisations and users, one per role.

Alice is a caseworker at the centre, Bob its lead, Carol an analyst there.
Dave refers from a police district, Erin does outreach for an NGO, Frank
administers the system, and Mallory refers from another police district.
"""

import datetime as dt

import pytest

from brik.cases import services as case_services
from brik.core import choices as c
from brik.testing.factories import OrganisationFactory, UserFactory, referral_kwargs


@pytest.fixture
def centre(db):
    return OrganisationFactory(name="Center mod Menneskehandel", short_name="CMM", type=c.OrganisationType.CENTRE)


@pytest.fixture
def police(db):
    return OrganisationFactory(name="Østjyllands Politi", type=c.OrganisationType.POLICE, region=c.Region.MIDTJYLLAND)


@pytest.fixture
def other_police(db):
    return OrganisationFactory(name="Fyns Politi", type=c.OrganisationType.POLICE, region=c.Region.SYDDANMARK)


@pytest.fixture
def immigration(db):
    return OrganisationFactory(name="Udlændingestyrelsen", type=c.OrganisationType.IMMIGRATION)


@pytest.fixture
def ngo(db):
    return OrganisationFactory(name="Reden København", type=c.OrganisationType.NGO)


@pytest.fixture
def partner_abroad(db):
    return OrganisationFactory(name="Reintegration Partner Lagos", type=c.OrganisationType.REINTEGRATION, country="NG")


@pytest.fixture
def alice(centre):
    return UserFactory(username="alice", organisation=centre, role=c.Role.CASEWORKER)


@pytest.fixture
def bob(centre):
    return UserFactory(username="bob", organisation=centre, role=c.Role.LEAD)


@pytest.fixture
def carol(centre):
    return UserFactory(username="carol", organisation=centre, role=c.Role.ANALYST)


@pytest.fixture
def dave(police):
    return UserFactory(username="dave", organisation=police, role=c.Role.REFERRER)


@pytest.fixture
def erin(ngo):
    return UserFactory(username="erin", organisation=ngo, role=c.Role.OUTREACH)


@pytest.fixture
def frank(centre):
    return UserFactory(username="frank", organisation=centre, role=c.Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def mallory(other_police):
    return UserFactory(username="mallory", organisation=other_police, role=c.Role.REFERRER)


@pytest.fixture
def referred_case(dave, police, alice):
    """A case referred by Dave's police district on 1 March 2021, assigned to Alice."""
    return case_services.case_refer(
        actor=dave, referring_organisation=police, assigned_to=alice, **referral_kwargs()
    )


@pytest.fixture
def identified_case(referred_case, alice):
    """Referred 1 March 2021, interviewed 5 March, identified 10 March (sexual exploitation)."""
    case_services.interview_record(actor=alice, case=referred_case, held_on=dt.date(2021, 3, 5))
    case_services.assessment_decide(
        actor=alice,
        case=referred_case,
        decided_on=dt.date(2021, 3, 10),
        deciding_authority=c.DecidingAuthority.IMMIGRATION,
        outcome=c.Outcome.IDENTIFIED,
        forms=[c.ExploitationForm.SEXUAL],
    )
    return referred_case
