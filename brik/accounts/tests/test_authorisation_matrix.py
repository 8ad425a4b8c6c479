"""The authorisation matrix: every URL of Brik, for every role and for an anonymous visitor.

The URL patterns are read from the project's URL configuration, so a new page
without an entry here fails `test_every_url_pattern_has_an_entry_in_the_matrix`.
Each entry says which methods to try and who gets in; everyone else must be
refused with 403 or 404 (and a page without the record's data), and an
anonymous visitor is sent to log in unless the page is public.

The cast: Alice (caseworker), Bob (lead, who also has the admin for case
records), Carol (analyst), Dave (police referrer, who referred the case),
Erin (NGO outreach), Frank (administrator), Oscar (auditor, staff) and
Mallory (a referrer of another police district, who guesses the case's id).
"""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from brik.accounts.models import Authenticator
from brik.accounts.permissions import two_factor_required
from brik.casefiles import services as casefiles
from brik.cases.models import Case
from brik.conftest import make_organisation, make_person, make_referred_case
from brik.cooperation import services as coop
from brik.core import choices as c

USERS = ("anonymous", "alice", "bob", "carol", "dave", "erin", "frank", "oscar", "mallory")
LOGGED_IN = frozenset(USERS) - {"anonymous"}
CENTRE = frozenset({"alice", "bob"})
STAFF_ADMINS = frozenset({"frank"})  # administrators: users, organisations, reference data
CASE_ADMINS = frozenset({"bob"})  # a lead with staff status: read-only case records
AUDIT_ADMINS = frozenset({"oscar"})
ADMIN_ENTRANTS = STAFF_ADMINS | CASE_ADMINS | AUDIT_ADMINS
NOBODY = frozenset()
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as brik/conftest.py's tests


@dataclass(frozen=True)
class Rule:
    """Who gets in (besides anonymous visitors of public pages), with which methods."""

    allowed: frozenset
    methods: tuple = ("GET",)
    kwargs: object = None  # world -> URL kwargs
    query: str = ""
    public: bool = False  # anonymous visitors get in too
    not_found_ok: bool = False  # a public page about a record that does not exist
    logs_out: bool = False  # sends everyone, logged in or not, on to the login page


def rule(
    allowed, *methods, kwargs=None, query="", public=False, not_found_ok=False, logs_out=False
):
    return Rule(
        allowed=frozenset(allowed),
        methods=methods or ("GET",),
        kwargs=kwargs,
        query=query,
        public=public or logs_out,
        not_found_ok=not_found_ok,
        logs_out=logs_out,
    )


def case_pk(w):
    return {"pk": w.case.pk}


def carols_export_job(w) -> int:
    """A finished background export that Carol (analyst) asked for."""
    from brik.exchange import jobs
    from brik.exchange.models import ExportJob

    job = ExportJob.objects.filter(requested_by=w.users["carol"]).first()
    if job is None:
        job = jobs.export_job_request(actor=w.users["carol"], file_format="csv", filters={})
        jobs.job_run(jobs.job_claim())
    return job.pk


def synthetic_release(w) -> int:
    """An unpublished synthetic release (stored as made; one case is too few to make one)."""
    from brik.exchange import synthetic
    from brik.exchange.models import SyntheticRelease

    release = SyntheticRelease.objects.first()
    if release is None:
        data, report = b"year\n2021\n", {"years": [2021]}
        release = SyntheticRelease.objects.create(
            years=[2021],
            epsilon=1.0,
            delta=1e-6,
            records=1,
            data_csv=data,
            report=report,
            report_markdown="# Utility report\n",
            digest=synthetic.digest(data, report),
            made_by=w.users["carol"],
        )
    return release.pk


# --- the project's own pages -----------------------------------------------------------

PAGES = {
    "home": rule(LOGGED_IN),
    "login": rule(LOGGED_IN, "GET", public=True),
    # For load balancers: ok or fail per check, nothing more (brik.protection.health).
    "health": rule(LOGGED_IN, "GET", public=True),
    "logout": rule(LOGGED_IN, "POST", logs_out=True),
    "set_language": rule(LOGGED_IN, "POST", public=True),
    "accounts:two_factor": rule(LOGGED_IN, "GET", "POST"),
    # Its POST (new recovery codes) first asks for the second factor: test_two_factor.
    "accounts:security": rule(LOGGED_IN),
    # A lead marks the notices of access given to identities as seen.
    "accounts:access_notices": rule({"bob"}, "POST"),
    # "Stay signed in" before the session ends (brik.js, or its form without script).
    "accounts:session_stay": rule(LOGGED_IN, "POST"),
    # Everyone's own notifications: the bell, the list, marking read, the daily e-mail.
    "notifications:list": rule(LOGGED_IN),
    "notifications:bell": rule(LOGGED_IN),
    "notifications:read": rule(LOGGED_IN, "POST"),
    "notifications:digest": rule(LOGGED_IN, "POST"),
    "audit:search": rule({"oscar"}),
    "cases:my_work": rule(CENTRE),
    "cases:list": rule(CENTRE | {"carol"}),
    # Finding a person (brik.search): names for the centre, case codes for analysts too.
    "search:results": rule(CENTRE | {"carol"}, query="q=Testa"),
    "cases:detail": rule(CENTRE, kwargs=case_pk),
    # The case page's check for earlier records of the person (HTMX, or a link without it).
    "cases:likely_same": rule(CENTRE, kwargs=case_pk),
    "cases:action": rule(
        CENTRE, "GET", "POST", kwargs=lambda w: {"pk": w.case.pk, "action": "case_assign"}
    ),
    "cases:referrals": rule({"dave", "erin", "mallory"}),
    "cases:refer": rule(CENTRE | {"dave", "erin", "mallory"}, "GET", "POST"),
    "cases:languages": rule(CENTRE | {"dave", "erin", "mallory"}, query="q=dan"),
    # The case list's citizenship filter: its options for those who see the list.
    "cases:countries": rule(CENTRE | {"carol"}, query="q=nig"),
    # Bulk downloads (brik.exchange): the case list for those who see it; HTCDS for the centre.
    "exchange:cases": rule(CENTRE | {"carol"}, kwargs=lambda w: {"file_format": "csv"}),
    "exchange:htcds": rule(CENTRE, kwargs=lambda w: {"file_format": "json"}),
    # Background exports: everyone who sees the case list has a page of their own; a job
    # (Carol's) is reached by its requester only. The synthetic dataset: who publishes.
    "exchange:jobs": rule(CENTRE | {"carol"}, "GET", "POST"),
    "exchange:job": rule({"carol"}, kwargs=lambda w: {"pk": carols_export_job(w)}),
    "exchange:job_download": rule({"carol"}, kwargs=lambda w: {"pk": carols_export_job(w)}),
    "exchange:synthetic": rule({"bob", "carol"}, "GET", "POST"),
    "exchange:synthetic_publish": rule(
        {"bob", "carol"}, "GET", "POST", kwargs=lambda w: {"pk": synthetic_release(w)}
    ),
    # Unpublished: only who publishes; once published it is public (test_synthetic.py).
    "exchange:synthetic_file": rule(
        {"bob", "carol"}, kwargs=lambda w: {"pk": synthetic_release(w), "name": "data.csv"}
    ),
    "protection:subject_access": rule(CENTRE, kwargs=lambda w: {"pk": w.case.pk, "fmt": "html"}),
    # Case notes and attachments (brik.casefiles): the centre only, never a partner.
    # Bob is sent from changing Alice's note on to correcting it (in).
    "casefiles:note_add": rule(CENTRE, "GET", "POST", kwargs=case_pk),
    "casefiles:note_edit": rule(CENTRE, "GET", "POST", kwargs=lambda w: {"pk": w.note.pk}),
    "casefiles:note_correct": rule(CENTRE, "GET", "POST", kwargs=lambda w: {"pk": w.note.pk}),
    "casefiles:attachment_add": rule(CENTRE, "GET", "POST", kwargs=case_pk),
    "casefiles:attachment_download": rule(CENTRE, kwargs=lambda w: {"pk": w.attachment.pk}),
    "casefiles:attachment_delete": rule(
        CENTRE, "GET", "POST", kwargs=lambda w: {"pk": w.attachment.pk}
    ),
    "cooperation:index": rule(CENTRE),
    "cooperation:joint_actions": rule(CENTRE),
    "cooperation:joint_action_plan": rule(CENTRE, "GET", "POST"),
    "cooperation:joint_action": rule(CENTRE, kwargs=lambda w: {"pk": w.action.pk}),
    "cooperation:outreach": rule(CENTRE | {"erin"}, "GET", "POST"),
    "cooperation:prosecutions": rule(CENTRE),
    "cooperation:prosecution_open": rule(CENTRE, "GET", "POST"),
    "cooperation:prosecution": rule(CENTRE, kwargs=lambda w: {"pk": w.prosecution.pk}),
    "cooperation:plans": rule(CENTRE),
    "cooperation:plan": rule(CENTRE, kwargs=lambda w: {"pk": w.plan.pk}),
    # The statistics pages: the internal report for the centre and analysts,
    # publishing for leads and analysts, the published reports for everyone.
    "statistics:index": rule(CENTRE | {"carol"}),
    "statistics:download": rule(
        CENTRE | {"carol"}, kwargs=lambda w: {"year": 2021, "fmt": "csv"}, query="lang=en"
    ),
    "statistics:publish": rule({"bob", "carol"}, "GET", "POST", kwargs=lambda w: {"year": 2021}),
    "statistics:foreword": rule({"bob", "carol"}, "GET", "POST", kwargs=lambda w: {"year": 2021}),
    "statistics:public": rule(LOGGED_IN, public=True),
    "statistics:public_file": rule(
        LOGGED_IN,
        kwargs=lambda w: {"year": 2021, "lang": "en", "fmt": "pdf"},
        public=True,
        not_found_ok=True,
    ),
    "statistics:public_release": rule(
        LOGGED_IN,
        kwargs=lambda w: {"year": 2021, "fmt": "json"},
        public=True,
        not_found_ok=True,
    ),
    "statistics:subscribe": rule(LOGGED_IN, "POST", public=True),
    "statistics:subscription_confirm": rule(
        LOGGED_IN, kwargs=lambda w: {"token": "not-a-token"}, public=True
    ),
    "statistics:subscription_cancel": rule(
        LOGGED_IN, kwargs=lambda w: {"token": "not-a-token"}, public=True
    ),
    # API tokens (brik.api): everyone makes their own; a token is revoked by its owner
    # (or its organisation's lead or administrator, for an organisation's token).
    "api_tokens:list": rule(LOGGED_IN, "GET", "POST"),
    "api_tokens:revoke": rule({"alice"}, "POST", kwargs=lambda w: {"pk": _alices_token(w)}),
    # The API's schema and documentation page: for logged-in people.
    "api:openapi-json": rule(LOGGED_IN),
    "api:openapi-view": rule(LOGGED_IN),
}


def _alices_token(w) -> int:
    from brik.api.models import ApiToken
    from brik.api.tests.conftest import make_token

    token = ApiToken.objects.filter(user=w.users["alice"]).first()
    return (token or make_token(w.users["alice"])[0]).pk


# The API's operations answer tokens, not sessions: brik/api/tests/test_api_authorisation.py
# runs this matrix against them (every operation, every role, guessed ids).
def api_operation_keys() -> set[str]:
    return {
        key
        for key in url_keys()
        if key.startswith("api:") and key not in ("api:openapi-json", "api:openapi-view")
    }


# Every POST-only step of the cooperation pages: centre staff only.
for name, target in {
    "joint_action_outcome": "action",
    "joint_action_cancel": "action",
    "joint_action_link": "action",
    "joint_action_unlink": "action",
    "prosecution_charge": "prosecution",
    "prosecution_verdict": "prosecution",
    "prosecution_drop": "prosecution",
    "prosecution_link": "prosecution",
    "prosecution_unlink": "prosecution",
    "initiative_status": "initiative",
    "milestone_reach": "milestone",
    "indicator_measure": "indicator",
}.items():
    PAGES[f"cooperation:{name}"] = rule(
        CENTRE, "POST", kwargs=lambda w, t=target: {"pk": getattr(w, t).pk}
    )


# --- the admin ---------------------------------------------------------------------------

# model -> (who may open it, which of add/delete its admin allows them)
ADMIN_MODELS = {
    "accounts.user": (STAFF_ADMINS, {"add"}),
    "accounts.organisation": (STAFF_ADMINS, {"add"}),
    "auth.group": (STAFF_ADMINS, {"add", "delete"}),
    "cooperation.actionplan": (STAFF_ADMINS, {"add"}),
    "cooperation.initiative": (STAFF_ADMINS, {"add"}),
    "cooperation.jointaction": (STAFF_ADMINS, set()),
    "cooperation.outreachlog": (STAFF_ADMINS, set()),
    "cooperation.prosecutioncase": (STAFF_ADMINS, set()),
    "statistics.publishedreport": (STAFF_ADMINS, {"delete"}),
    "statistics.subscription": (STAFF_ADMINS, {"add", "delete"}),
    "statistics.historicalfigure": (STAFF_ADMINS, {"add", "delete"}),
    "statistics.population": (STAFF_ADMINS, {"add", "delete"}),
    "axes.accessattempt": (STAFF_ADMINS, {"delete"}),
    "axes.accesslog": (STAFF_ADMINS, {"delete"}),
    "axes.accessfailurelog": (STAFF_ADMINS, {"delete"}),
    "cases.person": (CASE_ADMINS, set()),
    "cases.case": (CASE_ADMINS, set()),
    "cases.referral": (CASE_ADMINS, set()),
    "cases.interview": (CASE_ADMINS, set()),
    "cases.assessment": (CASE_ADMINS, set()),
    "cases.reflectionperiod": (CASE_ADMINS, set()),
    "cases.supportmeasure": (CASE_ADMINS, set()),
    "cases.preparedreturn": (CASE_ADMINS, set()),
    "audit.actionlog": (AUDIT_ADMINS, set()),
}


def _object_id(model_label):
    def kwargs(w):
        model = w.models[model_label]
        return {"object_id": model._default_manager.order_by("pk").first().pk}

    return kwargs


for label, (who, extra) in ADMIN_MODELS.items():
    prefix = "admin:" + label.replace(".", "_")
    PAGES[f"{prefix}_changelist"] = rule(who)
    PAGES[f"{prefix}_add"] = rule(who if "add" in extra else NOBODY)
    PAGES[f"{prefix}_change"] = rule(who, kwargs=_object_id(label))
    PAGES[f"{prefix}_history"] = rule(who, kwargs=_object_id(label))
    PAGES[f"{prefix}_delete"] = rule(who if "delete" in extra else NOBODY, kwargs=_object_id(label))
# Django's UserAdmin names its password page after auth.User, whatever the model.
PAGES["admin:auth_user_password_change"] = rule(STAFF_ADMINS, kwargs=lambda w: {"id": w.dave.pk})

PAGES.update(
    {
        "admin:index": rule(ADMIN_ENTRANTS),
        # Anonymous visitors are sent on to Brik's login page; logged-in
        # people without the admin are refused.
        "admin:login": rule(ADMIN_ENTRANTS),
        "admin:logout": rule(LOGGED_IN, "POST", logs_out=True),
        "admin:password_change": rule(ADMIN_ENTRANTS),
        "admin:password_change_done": rule(ADMIN_ENTRANTS),
        "admin:jsi18n": rule(ADMIN_ENTRANTS),
        "admin:autocomplete": rule(
            STAFF_ADMINS, query="app_label=accounts&model_name=user&field_name=organisation"
        ),
        "admin:view_on_site": rule(
            ADMIN_ENTRANTS,
            kwargs=lambda w: {
                "content_type_id": ContentType.objects.get_for_model(Case).pk,
                "object_id": w.case.pk,
            },
        ),
    }
)

# The admin's page of one app; tried for each app it shows.
ADMIN_APPS = {
    "accounts": STAFF_ADMINS,
    "auth": STAFF_ADMINS,
    "axes": STAFF_ADMINS,
    "cooperation": STAFF_ADMINS,
    "statistics": STAFF_ADMINS,
    "cases": CASE_ADMINS,
    "audit": AUDIT_ADMINS,
}
ADMIN_CATCH_ALL = "admin/(?P<url>.*)$"

# The admin's unnamed old-style address of a record (admin/<app>/<model>/<id>/)
# redirects to its change page, which is checked above: anyone who enters the
# admin is redirected, everyone else refused.
ADMIN_OLD_ADDRESSES = {
    f"admin/{label.replace('.', '/')}/<path:object_id>/": label for label in ADMIN_MODELS
}


# --- reading the URL configuration ---------------------------------------------------


def url_keys(patterns=None, namespace="", prefix=""):
    """Every URL pattern: its name (with namespaces), or its route when it has none."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from url_keys(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield route


def matrix_keys():
    return (
        set(PAGES)
        | set(ADMIN_OLD_ADDRESSES)
        | {"admin:app_list", ADMIN_CATCH_ALL}
        | api_operation_keys()
    )


def test_every_url_pattern_has_an_entry_in_the_matrix():
    keys = list(url_keys())
    missing = sorted(set(keys) - matrix_keys())
    stale = sorted(matrix_keys() - set(keys))

    assert not missing, f"URLs without an entry in the authorisation matrix: {missing}"
    assert not stale, f"Entries for URLs that no longer exist: {stale}"


def test_the_admin_shows_exactly_the_models_the_policy_knows():
    from brik.accounts.permissions import ADMIN_MODELS as POLICY

    registered = {m._meta.label_lower for m in admin_site._registry}
    assert registered == set(POLICY) == set(ADMIN_MODELS)
    assert {label.split(".")[0] for label in registered} == set(ADMIN_APPS)


# --- the world and the requests ------------------------------------------------------


def _records_for_every_admin_model(case, alice, bob):
    """A row of every model the admin shows, so each record page really opens."""
    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from brik.cases import services as steps
    from brik.statistics.models import HistoricalFigure, Population, PublishedReport, Subscription

    steps.interview_record(actor=alice, case=case, held_on=dt.date(2021, 3, 5))
    steps.assessment_decide(
        actor=alice,
        case=case,
        decided_on=dt.date(2021, 3, 10),
        deciding_authority=c.DecidingAuthority.IMMIGRATION,
        outcome=c.Outcome.IDENTIFIED,
        forms=[c.ExploitationForm.SEXUAL],
    )
    steps.reflection_start(actor=alice, case=case, starts_on=dt.date(2021, 3, 10))
    steps.support_add(
        actor=alice, case=case, kind=c.SupportType.MEDICAL, starts_on=dt.date(2021, 3, 11)
    )
    steps.return_offer(actor=alice, case=case, offered_on=dt.date(2021, 3, 15))
    Group.objects.create(name="Centre staff")
    who = {"user_agent": "test", "ip_address": "192.0.2.9", "username": "mallory"}
    AccessAttempt.objects.create(
        **who,
        http_accept="*/*",
        path_info="/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    AccessFailureLog.objects.create(**who, http_accept="*/*", path_info="/login/")
    PublishedReport.objects.create(
        year=2020,
        language="en",
        published_at=timezone.now(),
        published_by=bob,
        title="Annual report 2020",
        pdf=b"",
        html=b"",
        xlsx=b"",
    )
    Subscription.objects.create(email="reader@example.org", language="en", consent_text="I agree.")
    HistoricalFigure.objects.create(measure="identified", year=2010, value=30, source="Årsrapport")
    Population.objects.get_or_create(
        year=2010, defaults={"population": 5_534_738, "source": "Danmarks Statistik"}
    )


@pytest.fixture(scope="module")
def world_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """The cast with a record of every kind, made once for the module (it took most of
    each test's time when made per test) and rolled back after it.

    Each test takes `db` through `world`, which wraps it in a savepoint inside this
    module's transaction, so what a test's requests change is undone after it. The
    attachment's file lies in a folder of the module's own (see `world`).
    """
    files = tmp_path_factory.mktemp("matrix-files") / "files"
    with made_once(django_db_blocker, files):
        yield make_world(), files


@contextmanager
def made_once(django_db_blocker, files):
    """A module's own transaction, rolled back at its end, for data made once for the
    module (with the tests' fast password hashing, and files in `files`)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, BRIK_FILES_DIR=files),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def make_world() -> SimpleNamespace:
    """The world of `world_db`, made in the transaction that is open (a module's)."""
    people = {name: make_person(name) for name in USERS if name != "anonymous"}
    police = make_organisation("police")
    case = make_referred_case(dave=people["dave"], police=police, alice=people["alice"])
    world = _world(
        case,
        **people,
        police=police,
        ngo=make_organisation("ngo"),
        centre=make_organisation("centre"),
    )
    # The authenticators that each test's logins (`clients`) would otherwise make anew.
    for user in people.values():
        if two_factor_required(user):
            Authenticator.objects.create(user=user, name="test authenticator", confirmed=True)
    return world


@pytest.fixture
def world(world_db, db, settings):
    world, files = world_db
    settings.BRIK_FILES_DIR = files  # where the module's attachment was written
    return world


@pytest.fixture
def world_each_test(
    referred_case, alice, bob, carol, dave, erin, frank, oscar, mallory, police, ngo, centre
):
    """The same world made for one test from brik/conftest.py's fixtures, for modules whose
    tests also take those fixtures or need a database without the world."""
    return _world(
        referred_case, alice, bob, carol, dave, erin, frank, oscar, mallory, police, ngo, centre
    )


def _world(
    referred_case, alice, bob, carol, dave, erin, frank, oscar, mallory, police, ngo, centre
):
    _records_for_every_admin_model(referred_case, alice, bob)
    bob.is_staff = True  # a lead who also reads the case records in the admin
    bob.save(update_fields=["is_staff"])
    oscar.is_staff = True  # the auditor may read the action log in the admin too
    oscar.save(update_fields=["is_staff"])
    action = coop.joint_action_plan(
        actor=bob,
        title="Byggepladser Aarhus",
        planned_for=dt.date(2021, 3, 1),
        region=c.Region.MIDTJYLLAND,
        sector=c.Sector.CONSTRUCTION,
        lead_organisation=police,
    )
    coop.outreach_log_add(
        actor=erin,
        organisation=ngo,
        held_on=dt.date(2021, 6, 10),
        place_type=c.PlaceType.STREET,
        region=c.Region.HOVEDSTADEN,
        women=2,
    )
    prosecution = coop.prosecution_open(
        actor=bob,
        police_district=police,
        police_case_number="4100-81234-00012-21",
        opened_on=dt.date(2021, 4, 1),
    )
    plan = coop.action_plan_create(
        actor=frank,
        number=6,
        title="Handlingsplan 2022-2025",
        starts_year=2022,
        ends_year=2025,
        budget_dkk=Decimal(120_000_000),
    )
    area = coop.focus_area_add(actor=frank, plan=plan, title="Outreach")
    initiative = coop.initiative_add(
        actor=frank, focus_area=area, title="Outreach by NGOs", responsible=centre
    )
    milestone = coop.milestone_add(
        actor=frank, initiative=initiative, title="Start", due_on=dt.date(2022, 6, 1)
    )
    indicator = coop.plan_indicator_add(
        actor=frank, initiative=initiative, name="Referrals", unit="per year", baseline=1, target=2
    )
    _alices_token(SimpleNamespace(users={"alice": alice}))  # her API token, to revoke
    note = casefiles.note_add(actor=alice, case=referred_case, text="Syntetisk note")
    attachment = casefiles.attachment_upload(
        actor=alice,
        case=referred_case,
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%Syntetisk\n%%EOF\n"),
    )
    users = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
        "erin": erin,
        "frank": frank,
        "oscar": oscar,
        "mallory": mallory,
    }
    return SimpleNamespace(
        case=referred_case,
        action=action,
        prosecution=prosecution,
        plan=plan,
        initiative=initiative,
        milestone=milestone,
        indicator=indicator,
        note=note,
        attachment=attachment,
        dave=dave,
        police=police,
        users=users,
        models={m._meta.label_lower: m for m in admin_site._registry},
    )


@pytest.fixture
def clients(world):
    clients = {"anonymous": Client(HTTP_ACCEPT_LANGUAGE="en")}
    for name, user in world.users.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        clients[name] = client
    return clients


LOGIN_PATHS = ("/login/", "/admin/login/")


def outcome(response) -> str:
    if response.status_code in (301, 302):
        where = urlparse(response["Location"]).path
        if where in LOGIN_PATHS:
            return "login"
        if where.startswith("/account/two-factor/"):
            return "second factor"
    if response.status_code in (403, 404):
        return "refused"
    if response.status_code >= 500:
        return "error"
    return "in"


def expected(who: str, entry: Rule) -> str:
    if who == "anonymous":
        return "in" if entry.public else "login"
    return "in" if who in entry.allowed else "refused"


def no_data(response, world) -> bool:
    body = response.content.decode(errors="replace")
    return world.case.code not in body and "Syntetisk" not in body


def check(clients, world, url: str, entry: Rule, methods=None) -> list[str]:
    wrong = []
    for method in methods or entry.methods:
        for who in USERS:
            client = clients[who]
            response = getattr(client, method.lower())(url)
            got = outcome(response)
            if entry.not_found_ok and response.status_code == 404:
                got = expected(who, entry)
            if entry.logs_out and got == "login":
                got = "in"
            want = expected(who, entry)
            if got != want:
                wrong.append(f"{method} {url} as {who}: {got} ({response.status_code}), not {want}")
            elif got == "refused" and not no_data(response, world):
                wrong.append(f"{method} {url} as {who}: the refusal shows the case")
            if who != "anonymous" and method == "POST" and url.endswith("/logout/"):
                client.force_login(world.users[who])  # logged out by the request: log in again
    return wrong


def _url(key: str, entry: Rule, world) -> str:
    url = reverse(key, kwargs=entry.kwargs(world) if entry.kwargs else None)
    return f"{url}?{entry.query}" if entry.query else url


@pytest.mark.parametrize("key", sorted(PAGES))
def test_who_gets_in(key, world, clients):
    entry = PAGES[key]
    with translation.override("en"):
        wrong = check(clients, world, _url(key, entry, world), entry)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("app_label", sorted(ADMIN_APPS))
def test_who_gets_into_the_admin_page_of_each_app(app_label, world, clients):
    url = reverse("admin:app_list", kwargs={"app_label": app_label})
    wrong = check(clients, world, url, rule(ADMIN_APPS[app_label]))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("route", sorted(ADMIN_OLD_ADDRESSES))
def test_who_gets_into_the_old_address_of_an_admin_record(route, world, clients):
    label = ADMIN_OLD_ADDRESSES[route]
    object_id = _object_id(label)(world)["object_id"]
    url = "/" + route.replace("<path:object_id>", str(object_id))
    wrong = check(clients, world, url, rule(ADMIN_ENTRANTS))
    assert not wrong, "\n".join(wrong)


def test_an_unknown_admin_address_is_refused_or_not_found(world, clients):
    # The admin's catch-all sends anonymous visitors to log in, and answers 404
    # (or 403 where the admin is closed to them) to everyone else.
    wrong = check(clients, world, "/admin/no-such-page/", rule(NOBODY))
    assert not wrong, "\n".join(wrong)


# --- records of another organisation, by guessing identifiers --------------------------


def test_mallory_guessing_daves_referral_is_refused_everywhere(world, clients):
    mallory = clients["mallory"]
    case = world.case
    for url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:action", args=[case.pk, "case_close"]),
        reverse("protection:subject_access", args=[case.pk, "json"]),
        reverse("admin:cases_case_change", args=[case.pk]),
    ):
        for method in ("get", "post"):
            response = getattr(mallory, method)(url)
            assert response.status_code in (403, 404), (method, url)
            assert no_data(response, world)


def test_a_partner_sees_only_the_referrals_of_their_own_organisation(world, clients):
    assert world.case.code in clients["dave"].get(reverse("cases:referrals")).text
    assert world.case.code not in clients["mallory"].get(reverse("cases:referrals")).text


def test_an_ngo_sees_only_its_own_outreach_rounds(world, clients):
    from brik.cooperation.models import OutreachLog
    from brik.testing.factories import OrganisationFactory, UserFactory

    erin = world.users["erin"]

    other_ngo = OrganisationFactory(name="HopeNow", type=c.OrganisationType.NGO)
    coop.outreach_log_add(
        actor=UserFactory(username="nina", organisation=other_ngo, role=c.Role.OUTREACH),
        organisation=other_ngo,
        held_on=dt.date(2021, 6, 11),
        place_type=c.PlaceType.STREET,
        region=c.Region.HOVEDSTADEN,
        women=7,
    )
    page = clients["erin"].get(reverse("cooperation:outreach"))
    centre_page = clients["alice"].get(reverse("cooperation:outreach"))

    shown = list(page.context["page"].object_list)
    assert {log.organisation for log in shown} == {erin.organisation}
    assert OutreachLog.objects.count() == 2
    assert len(centre_page.context["page"].object_list) == 2
