"""The shared world of tests: named organisations and users, one per role.

Alice is a caseworker at the centre, Bob its lead, Carol an analyst there.
Dave refers from a police district, Erin does outreach for an NGO, Frank
administers the system, Oscar audits, and Mallory refers from another police
district.

Test logins (client.force_login, client.login) pass the second factor; the
2FA step itself is tested through the login page.
"""

import datetime as dt
import threading

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


@pytest.fixture(autouse=True)
def _live_server_finishes_before_the_flush(request):
    """A browser test's last requests end before its database is flushed.

    A page can still be loading a fragment (an htmx `load` trigger) when the
    test's last assertion passes. On SQLite the live server's threads share the
    test's connection, so a read's audit row written during the flush breaks
    the flush's foreign keys and leaves rows for the next test. Set up after
    the database (so torn down before it): close every browser page, then wait
    for the server's request threads, which end when their connections close.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and "process_request_thread" in thread.name:
            thread.join(timeout=30)
            if thread.is_alive():
                pytest.fail(f"The live server's {thread.name} still runs 30 s after the test.")


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


# The cast, as plain functions too, so that a module-scoped fixture can make the same
# people once for a module (brik/accounts/tests/test_authorisation_matrix.py). The
# factories get or create by name, so making someone twice gives the same row.
ORGANISATIONS = {
    "centre": {
        "name": "Center mod Menneskehandel",
        "short_name": "CMM",
        "type": c.OrganisationType.CENTRE,
    },
    "police": {
        "name": "Østjyllands Politi",
        "type": c.OrganisationType.POLICE,
        "region": c.Region.MIDTJYLLAND,
    },
    "other_police": {
        "name": "Fyns Politi",
        "type": c.OrganisationType.POLICE,
        "region": c.Region.SYDDANMARK,
    },
    "immigration": {"name": "Udlændingestyrelsen", "type": c.OrganisationType.IMMIGRATION},
    "ngo": {"name": "Reden København", "type": c.OrganisationType.NGO},
    "partner_abroad": {
        "name": "Reintegration Partner Lagos",
        "type": c.OrganisationType.REINTEGRATION,
        "country": "NG",
    },
}

# username: (organisation, role, other fields)
PEOPLE = {
    "alice": ("centre", c.Role.CASEWORKER, {}),
    "bob": ("centre", c.Role.LEAD, {}),
    "carol": ("centre", c.Role.ANALYST, {}),
    "dave": ("police", c.Role.REFERRER, {}),
    "erin": ("ngo", c.Role.OUTREACH, {}),
    "frank": ("centre", c.Role.ADMINISTRATOR, {"is_staff": True}),
    # Oscar audits: he searches the action log and sees no case contents.
    "oscar": ("centre", c.Role.AUDITOR, {}),
    "mallory": ("other_police", c.Role.REFERRER, {}),
}


def make_organisation(key: str):
    return OrganisationFactory(**ORGANISATIONS[key])


def make_person(username: str, organisation=None):
    """The user of that name, in `organisation` (else made from ORGANISATIONS)."""
    key, role, fields = PEOPLE[username]
    organisation = organisation or make_organisation(key)
    return UserFactory(username=username, organisation=organisation, role=role, **fields)


def make_referred_case(*, dave, police, alice):
    """Referred by Dave's police district on 1 March 2021, assigned to Alice."""
    return case_services.case_refer(
        actor=dave, referring_organisation=police, assigned_to=alice, **referral_kwargs()
    )


@pytest.fixture
def centre(db):
    return make_organisation("centre")


@pytest.fixture
def police(db):
    return make_organisation("police")


@pytest.fixture
def other_police(db):
    return make_organisation("other_police")


@pytest.fixture
def immigration(db):
    return make_organisation("immigration")


@pytest.fixture
def ngo(db):
    return make_organisation("ngo")


@pytest.fixture
def partner_abroad(db):
    return make_organisation("partner_abroad")


@pytest.fixture
def alice(centre):
    return make_person("alice", centre)


@pytest.fixture
def bob(centre):
    return make_person("bob", centre)


@pytest.fixture
def carol(centre):
    return make_person("carol", centre)


@pytest.fixture
def dave(police):
    return make_person("dave", police)


@pytest.fixture
def erin(ngo):
    return make_person("erin", ngo)


@pytest.fixture
def frank(centre):
    return make_person("frank", centre)


@pytest.fixture
def oscar(centre):
    """Oscar audits: he searches the action log and sees no case contents."""
    return make_person("oscar", centre)


@pytest.fixture
def mallory(other_police):
    return make_person("mallory", other_police)


@pytest.fixture
def referred_case(dave, police, alice):
    """A case referred by Dave's police district on 1 March 2021, assigned to Alice."""
    return make_referred_case(dave=dave, police=police, alice=alice)


@pytest.fixture
def nothing_kept(monkeypatch):
    """No SQL kept by brik.core.kept before or after, and the kept SQL run as it runs
    outside the tests (not compiled again to be checked)."""
    from brik.core import kept

    monkeypatch.setattr(kept, "VERIFY", False)
    kept.forget()
    yield
    kept.forget()


@pytest.fixture
def four_cases(dave, police, alice):
    """Four cases referred by Dave's police district on 1, 5, 9 and 13 March 2021, all
    assigned to Alice."""
    return [
        case_services.case_refer(
            actor=dave,
            referring_organisation=police,
            assigned_to=alice,
            **referral_kwargs(referred_on=dt.date(2021, 3, day)),
        )
        for day in (1, 5, 9, 13)
    ]


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
