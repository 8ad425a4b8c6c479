"""The shared world of tests: named organisations and users, one per role.

Alice is a caseworker at the centre, Bob its lead, Carol an analyst there.
Dave refers from a police district, Erin does outreach for an NGO, Frank
administers the system, Oscar audits, and Mallory refers from another police
district.

Test logins (client.force_login, client.login) pass the second factor; the
2FA step itself is tested through the login page.
"""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test.client import ClientMixin
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from brik.cases import services as case_services
from brik.core import choices as c
from brik.testing.factories import OrganisationFactory, UserFactory, referral_kwargs

# The property tests run on shared 2-core machines: a slow draw or example is the
# machine's load, not a property. No deadline, and no health check on speed.
hypothesis_settings.register_profile(
    "brik", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("brik")

# Tests keep Django's cache in memory: most of them build reports without a database
# (disclosure control on its own), and a cache in the test database would outlive the
# tests that flush it. brik/statistics/tests/test_report_cache.py tests the database's
# cache of the settings on its own.
django_settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow by design (brik.settings uses it first); tests create many users.

    brik.accounts.tests.test_passwords checks the real hashers.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _export_files_in_a_temporary_folder(settings, tmp_path_factory):
    """Background exports (brik.exchange.jobs) write into a folder of the test run."""
    settings.BRIK_EXPORT_DIR = tmp_path_factory.mktemp("exports")


@pytest.fixture(autouse=True)
def _static_files_under_their_own_names(settings):
    """Pages name static files as they are in the sources, not their hashed copies.

    `brik serve` collects hashed copies into BRIK_DATA_DIR/static; the browser
    tests' live server finds static files in the sources, where no hashed name
    exists. brik.core.tests.test_static_files tests the hashed names.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _attachments_in_a_temporary_folder(settings, tmp_path_factory):
    """Case attachments (brik.casefiles) go to the test's own folder, never ./data."""
    settings.BRIK_FILES_DIR = tmp_path_factory.mktemp("files") / "files"
    return settings.BRIK_FILES_DIR


def otp_verify_client_session(client, user) -> None:
    """Mark the client's session as past the second factor, as django_otp.login does."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from brik.accounts.models import Authenticator

    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = Authenticator.objects.create(user=user, name="test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _test_logins_pass_the_second_factor(monkeypatch):
    """client.force_login() and client.login() give a session past the 2FA step.

    They skip the login page, so they skip its second step too: view tests go
    on testing their views. The 2FA step itself is tested through the real
    login page (brik.accounts.tests), which these shortcuts do not touch.
    """
    from brik.accounts.permissions import two_factor_required

    log_in = ClientMixin._login

    def _login(self, user, backend=None):
        log_in(self, user, backend)
        if two_factor_required(user):
            otp_verify_client_session(self, user)

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture
def centre(db):
    return OrganisationFactory(
        name="Center mod Menneskehandel", short_name="CMM", type=c.OrganisationType.CENTRE
    )


@pytest.fixture
def police(db):
    return OrganisationFactory(
        name="Østjyllands Politi", type=c.OrganisationType.POLICE, region=c.Region.MIDTJYLLAND
    )


@pytest.fixture
def other_police(db):
    return OrganisationFactory(
        name="Fyns Politi", type=c.OrganisationType.POLICE, region=c.Region.SYDDANMARK
    )


@pytest.fixture
def immigration(db):
    return OrganisationFactory(name="Udlændingestyrelsen", type=c.OrganisationType.IMMIGRATION)


@pytest.fixture
def ngo(db):
    return OrganisationFactory(name="Reden København", type=c.OrganisationType.NGO)


@pytest.fixture
def partner_abroad(db):
    return OrganisationFactory(
        name="Reintegration Partner Lagos", type=c.OrganisationType.REINTEGRATION, country="NG"
    )


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
    return UserFactory(
        username="frank", organisation=centre, role=c.Role.ADMINISTRATOR, is_staff=True
    )


@pytest.fixture
def oscar(centre):
    """Oscar audits: he searches the action log and sees no case contents."""
    return UserFactory(username="oscar", organisation=centre, role=c.Role.AUDITOR)


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


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium through Playwright, one for the whole session.

    Defined once, here: two session fixtures would each start Playwright, and
    the second refuses to start inside the first one's event loop.
    """
    from brik.cases.tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
