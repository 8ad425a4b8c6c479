"""Every read of a person's case data and every change of state leaves a row in the action log.

The pages are every URL pattern of Brik, as the authorisation matrix finds
them (brik.accounts.tests.test_authorisation_matrix):

- A page that shows the world's case (its code or the person's name) to
  someone allowed in must log a row naming that person and the record; a list
  must log one row naming the person (its filters are in the row). The few
  pages that show codes without being a read of one case are listed in
  READS_EXEMPT, each with its reason.
- Every page that accepts a POST (anything but 405 to an empty one) has a
  recipe below: a valid submission, which must change something and log a
  row by the person who sent it. Exempt are the pages in POSTS_EXEMPT, each
  with its reason. Each step on the case page (cases:action) is tried with
  the submissions of brik.cases.tests.views.test_case_steps.
- And no POST anywhere may change stored state without a row: the empty
  probes are checked for that too.
"""

import datetime as dt
import re
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from brik.accounts import services as accounts
from brik.accounts.models import AccessNotice, Authenticator
from brik.accounts.tests import test_authorisation_matrix as matrix
from brik.accounts.tests.conftest import totp_code
from brik.audit.models import ActionLog
from brik.cases.models import Case
from brik.cases.tests.views import test_case_steps as case_steps
from brik.cases.tests.views.conftest import (  # noqa: F401 (fixtures of the steps)
    departed_case,
    in_support_case,
    send,
)
from brik.cases.tests.views.test_case_steps import (  # noqa: F401 (fixtures of the steps)
    accepted_case,
    interviewed_case,
    offered_case,
    planned_case,
    reopenable_case,
    supported_case,
)
from brik.cases.tests.views.test_referral_register import referral
from brik.cooperation import services as coop
from brik.core import choices as c
from brik.statistics.models import PublishedReport, Subscription
from brik.testing.factories import TEST_PASSWORD

world = matrix.world_each_test  # its tests take other fixtures of the cast too
clients = matrix.clients
CPH = ZoneInfo("Europe/Copenhagen")

# --- reads -------------------------------------------------------------------------------

READS_EXEMPT = {
    "cases:action": "the form of one step on a case: its code and the step's fields; the "
    "case page, which leads to it, logged the read",
    "cases:list": "the pseudonymised case list (codes and statistical fields, no identity or "
    "narrative); opening a case is the read that is logged",
    "cases:my_work": "a caseworker's own worklist of codes, steps and deadlines; opening a "
    "case is the read that is logged",
    "cases:referrals": "a partner's own referrals, code and status only",
    "casefiles:note_add": "the form for a new note: the case's code; the case page, which "
    "leads to it, logged the read",
    "casefiles:attachment_add": "the form for a new file: the case's code; the case page, "
    "which leads to it, logged the read",
    "casefiles:attachment_delete": "the confirmation of one deletion: the case's code and the "
    "file's name, which the case page (a logged read) listed",
}


def shows_case(response, w) -> bool:
    # Downloads (brik.exchange) stream their body.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode(errors="replace")
    return w.case.code in body or "Syntetisk" in body


def case_records(w) -> set[tuple[str, str]]:
    """Every record of the world's case and person, as the action log names records."""
    case = Case.objects.select_related("person").get(pk=w.case.pk)
    records = {case, case.person, case.referral}
    for related in ("interviews", "support_measures", "returns"):
        records.update(getattr(case, related).all())
    for one in ("assessment", "reflection_period"):
        records.add(getattr(case, one, None))
    return {(r._meta.label_lower, str(r.pk)) for r in records if r is not None}


def is_list(key: str) -> bool:
    # Bulk downloads log one row by the exporter with the filter, as lists do.
    # A search logs one row with what kinds were searched and the codes it showed.
    return (
        key.endswith("_changelist")
        or key in ("audit:search", "search:results")
        or key.startswith("exchange:")
    )


def test_every_page_that_shows_a_persons_case_logs_who_read_which_record(world, clients):
    records = case_records(world)
    unlogged, shown = [], set()
    with translation.override("en"):
        for key, entry in sorted(matrix.PAGES.items()):
            if "GET" not in entry.methods:
                continue
            url = matrix._url(key, entry, world)
            for who in [w for w in matrix.USERS if w in entry.allowed]:
                before = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first()
                response = clients[who].get(url)
                if response.status_code != 200 or not shows_case(response, world):
                    continue
                shown.add(key)
                if key in READS_EXEMPT:
                    continue
                rows = ActionLog.objects.filter(pk__gt=before or 0, actor=world.users[who])
                named = any(
                    r.case_id == world.case.pk or (r.object_type, r.object_id) in records
                    for r in rows
                )
                if not (rows.exists() if is_list(key) else named):
                    unlogged.append(f"GET {url} as {who}")

    assert not unlogged, "Reads of case data without an action-log row:\n" + "\n".join(unlogged)
    # The check is not empty, and each exemption is still needed.
    assert {"cases:detail", "protection:subject_access", "admin:cases_case_change"} <= shown
    assert set(READS_EXEMPT) <= shown, set(READS_EXEMPT) - shown


# --- writes ------------------------------------------------------------------------------

# Tables whose rows are not the state the action log is about.
NOT_STATE = ("accounts_session", "django_session", "audit_actionlog", "django_admin_log")
NOT_STATE_PREFIXES = ("axes_",)  # login attempts: logins and refusals are logged themselves
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@contextmanager
def state_writes():
    """The tables of stored state that the statements inside write to."""
    tables: set[str] = set()

    def record(execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            table = match.group(1)
            if table not in NOT_STATE and not table.startswith(NOT_STATE_PREFIXES):
                tables.add(table)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield tables


POSTS_EXEMPT = {
    "set_language": "keeps the language in a cookie; nothing is stored",
    "accounts:session_stay": "writes the person's own session again (its idle time starts "
    "anew); nothing else is stored",
}
# Pages to read, which answer a POST as they answer a GET (the probe above
# checks that it changes nothing).
POSTS_EXEMPT.update(
    dict.fromkeys(
        (
            "statistics:index",
            "statistics:download",
            "statistics:public",
            "statistics:public_file",
            "statistics:public_release",
            "api:openapi-json",
            "api:openapi-view",
        ),
        "a page to read: a POST is answered like a GET and changes nothing",
    )
)
POSTS_EXEMPT["exchange:synthetic"] = (
    "makes a synthetic release, which needs some hundred decided cases of an ended year; "
    "its audit row (brik.exchange.synthetic_made, by whoever made it) is tested in "
    "brik/exchange/tests/test_synthetic.py"
)
ADMIN_EXEMPTION = (
    "the admin: every add, change and delete is logged by brik.audit.admin.AuditedWrites "
    "(test_every_admin_writes_the_action_log below)"
)


def exemption(key: str) -> str | None:
    return ADMIN_EXEMPTION if key.startswith("admin:") else POSTS_EXEMPT.get(key)


def fresh_client(who: str, w) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if who != "anonymous":
        client.force_login(w.users[who])
    return client


def test_no_post_changes_state_without_a_row_and_each_has_a_recipe(world):
    accepting, silent = set(), []
    with translation.override("en"):
        for key, entry in sorted(matrix.PAGES.items()):
            allowed = [w for w in matrix.USERS if w in entry.allowed]
            who = allowed[0] if allowed else "anonymous"
            if who == "anonymous" and not entry.public:
                continue
            url = matrix._url(key, entry, world)
            client = fresh_client(who, world)
            before = ActionLog.objects.count()
            with state_writes() as tables:
                response = client.post(url)
            if response.status_code == 405:
                continue
            accepting.add(key)
            if tables and ActionLog.objects.count() == before:
                silent.append(f"POST {url} as {who} wrote {sorted(tables)} without a row")

    assert not silent, "\n".join(silent)
    without = sorted(k for k in accepting if k not in RECIPES and not exemption(k))
    assert not without, f"Pages that take a POST, with no recipe here: {without}"
    stale = sorted((set(RECIPES) | set(POSTS_EXEMPT)) - accepting)
    assert not stale, f"Recipes or exemptions for pages that take no POST: {stale}"


# --- a valid submission for each page that takes one ---------------------------------------


def _synthetic_publish_after_confirmation(client, s):
    """Publish a stored synthetic release as a person does: confirm what the page showed."""
    from brik.exchange import synthetic
    from brik.exchange.models import SyntheticRelease

    data, report = b"year\n2020\n", {"years": [2020]}
    release = SyntheticRelease.objects.create(
        years=[2020],
        epsilon=1.0,
        delta=1e-6,
        records=1,
        data_csv=data,
        report=report,
        report_markdown="# Utility report\n",
        digest=synthetic.digest(data, report),
    )
    url = reverse("exchange:synthetic_publish", args=[release.pk])
    fields = dict(
        re.findall(
            r'name="(form_token|confirmation)" value="([^"]+)"', client.get(url).content.decode()
        )
    )
    return client.post(url, fields)


def _publish_after_confirmation(client, year: int):
    """Publish as a person does: open the confirmation page, then confirm what it showed."""
    page = client.get(reverse("statistics:publish", args=[year])).content.decode()
    fields = dict(re.findall(r'name="(form_token|confirmation)" value="([^"]+)"', page))
    return client.post(reverse("statistics:publish", args=[year]), fields)


@dataclass(frozen=True)
class Recipe:
    who: str
    submit: object  # (client, scene) -> response


def _held_action(s, planned_for=dt.date(2021, 6, 1)):
    action = coop.joint_action_plan(
        actor=s.bob,
        title="Byggepladser Aarhus",
        planned_for=planned_for,
        region=c.Region.MIDTJYLLAND,
        sector=c.Sector.CONSTRUCTION,
        lead_organisation=s.police,
    )
    return action


def _prosecution(s, charged=False, linked=False):
    prosecution = coop.prosecution_open(
        actor=s.bob, police_district=s.police, police_case_number="4100-1", opened_on=s.may
    )
    if charged:
        coop.prosecution_charge(
            actor=s.bob,
            prosecution=prosecution,
            charged_on=s.may,
            charges=["262a"],
            persons_charged=2,
        )
    if linked:
        coop.prosecution_link_victim(actor=s.bob, prosecution=prosecution, case=s.case)
    return prosecution


def _initiative(s):
    plan = coop.action_plan_create(
        actor=s.frank, number=6, title="Handlingsplan", starts_year=2021, ends_year=2024
    )
    area = coop.focus_area_add(actor=s.frank, plan=plan, title="Outreach")
    return coop.initiative_add(actor=s.frank, focus_area=area, title="NGOs", responsible=s.centre)


def _outcome(client, s):
    action = _held_action(s)
    url = reverse("cooperation:joint_action_outcome", args=[action.pk])
    return send(client, url, {"persons_met": "12", "persons_referred": "2"})


def _linked_action(s):
    # The world's referral is dated 1 March 2021: an action that day may have led to it.
    action = _held_action(s, planned_for=dt.date(2021, 3, 1))
    coop.joint_action_record_outcome(actor=s.bob, action=action, persons_met=3, persons_referred=1)
    return action


def _unlink_action(client, s):
    action = _linked_action(s)
    coop.joint_action_link_referral(actor=s.bob, action=action, case=s.case)
    url = reverse("cooperation:joint_action_unlink", args=[action.pk])
    return send(client, url, {"case": s.case.pk})


def _two_factor(client, s):
    device = accounts.totp_device_ensure(user=s.alice).device
    client.post(reverse("login"), {"username": "alice", "password": TEST_PASSWORD})
    return client.post(reverse("accounts:two_factor"), {"code": totp_code(device)})


def _notice(client, s):
    notice = AccessNotice.objects.create(kind="role_granted", user=s.alice, role="caseworker")
    return client.post(reverse("accounts:access_notices"), {"notice": [notice.pk]})


def _subscription(s, purpose):
    from brik.statistics.services import subscription_token

    subscription = Subscription.objects.create(
        email="reader@example.org", language="en", consent_text="Yes."
    )
    if purpose == "unsubscribe":
        subscription.confirmed_at = s.now
        subscription.save()
    return subscription_token(subscription, purpose)


def _note(s, author=None):
    from brik.casefiles import services as casefiles

    return casefiles.note_add(actor=author or s.alice, case=s.case, text="Syntetisk note")


def _attachment(s):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from brik.casefiles import services as casefiles

    return casefiles.attachment_upload(
        actor=s.alice,
        case=s.case,
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%Syntetisk\n%%EOF\n"),
    )


def _read_notifications(client, s):
    from brik.notifications.models import Kind, Notification

    Notification.objects.create(
        user=s.users["alice"], kind=Kind.CHANGED, case_id=s.case.pk, key="recipe"
    )
    return client.post(reverse("notifications:read"))


RECIPES = {
    "api_tokens:list": Recipe(
        "alice",
        lambda cl, s: send(
            cl,
            reverse("api_tokens:list"),
            {
                "name": "Case system",
                "scopes": ["cases:read"],
                "expires_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            },
        ),
    ),
    "api_tokens:revoke": Recipe(
        "alice",
        lambda cl, s: cl.post(reverse("api_tokens:revoke", args=[matrix._alices_token(s)])),
    ),
    "casefiles:note_add": Recipe(
        "alice",
        lambda cl, s: send(cl, reverse("casefiles:note_add", args=[s.case.pk]), {"text": "New"}),
    ),
    "casefiles:note_edit": Recipe(
        "alice",
        lambda cl, s: send(
            cl, reverse("casefiles:note_edit", args=[_note(s).pk]), {"text": "Changed"}
        ),
    ),
    "casefiles:note_correct": Recipe(
        "bob",
        lambda cl, s: send(
            cl, reverse("casefiles:note_correct", args=[_note(s).pk]), {"text": "Corrected"}
        ),
    ),
    "casefiles:attachment_add": Recipe(
        "alice",
        lambda cl, s: send(
            cl,
            reverse("casefiles:attachment_add", args=[s.case.pk]),
            {"file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n")},
        ),
    ),
    "casefiles:attachment_delete": Recipe(
        "bob",
        lambda cl, s: send(cl, reverse("casefiles:attachment_delete", args=[_attachment(s).pk])),
    ),
    "login": Recipe(
        "anonymous",
        lambda cl, s: cl.post(reverse("login"), {"username": "carol", "password": TEST_PASSWORD}),
    ),
    "logout": Recipe("alice", lambda cl, s: cl.post(reverse("logout"))),
    "admin:logout": Recipe("frank", lambda cl, s: cl.post(reverse("admin:logout"))),
    "accounts:two_factor": Recipe("anonymous", _two_factor),
    "accounts:security": Recipe("alice", lambda cl, s: cl.post(reverse("accounts:security"))),
    "accounts:access_notices": Recipe("bob", _notice),
    "notifications:read": Recipe("alice", _read_notifications),
    "notifications:digest": Recipe(
        "alice", lambda cl, s: cl.post(reverse("notifications:digest"), {})
    ),
    "cases:refer": Recipe(
        "dave",
        lambda cl, s: send(
            cl, reverse("cases:refer"), referral(referring_organisation=s.police.pk)
        ),
    ),
    "cases:action": Recipe(
        "alice",
        lambda cl, s: send(
            cl, reverse("cases:action", args=[s.case.pk, "case_assign"]), {"caseworker": s.bob.pk}
        ),
    ),
    "cooperation:joint_action_plan": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse("cooperation:joint_action_plan"),
            {
                "title": "Landbrug Fyn",
                "planned_for": "2021-07-01",
                "region": c.Region.SYDDANMARK,
                "sector": c.Sector.AGRICULTURE,
                "lead_organisation": s.police.pk,
            },
        ),
    ),
    "cooperation:joint_action_outcome": Recipe("bob", _outcome),
    "cooperation:joint_action_cancel": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse("cooperation:joint_action_cancel", args=[_held_action(s).pk]),
            {"reason": "Weather"},
        ),
    ),
    "cooperation:joint_action_link": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse("cooperation:joint_action_link", args=[_linked_action(s).pk]),
            {"case": s.case.code},
        ),
    ),
    "cooperation:joint_action_unlink": Recipe("bob", _unlink_action),
    "cooperation:outreach": Recipe(
        "erin",
        lambda cl, s: send(
            cl,
            reverse("cooperation:outreach"),
            {
                "held_on": "2021-06-14",
                "place_type": "street",
                "region": "hovedstaden",
                "sector": "prostitution",
                "women": "5",
                "men": "1",
                "trans": "0",
                "unknown": "0",
                "referrals_made": "1",
                "note": "",
            },
        ),
    ),
    "cooperation:prosecution_open": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse("cooperation:prosecution_open"),
            {
                "police_district": s.police.pk,
                "police_case_number": "4100-2",
                "opened_on": "2021-05-01",
                "suspects": "2",
            },
        ),
    ),
    "cooperation:prosecution_charge": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse("cooperation:prosecution_charge", args=[_prosecution(s).pk]),
            {"charged_on": "2021-05-01", "charges": ["262a"], "persons_charged": "2"},
        ),
    ),
    "cooperation:prosecution_verdict": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse("cooperation:prosecution_verdict", args=[_prosecution(s, charged=True).pk]),
            {"verdict_on": "2021-06-01", "verdict": "convicted", "persons_convicted": "1"},
        ),
    ),
    "cooperation:prosecution_drop": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse("cooperation:prosecution_drop", args=[_prosecution(s).pk]),
            {"dropped_on": "2021-06-01"},
        ),
    ),
    "cooperation:prosecution_link": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse("cooperation:prosecution_link", args=[_prosecution(s).pk]),
            {"case": s.case.code},
        ),
    ),
    "cooperation:prosecution_unlink": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse("cooperation:prosecution_unlink", args=[_prosecution(s, linked=True).pk]),
            {"case": s.case.pk},
        ),
    ),
    "cooperation:initiative_status": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse("cooperation:initiative_status", args=[_initiative(s).pk]),
            {"status": c.InitiativeStatus.IN_PROGRESS},
        ),
    ),
    "cooperation:milestone_reach": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse(
                "cooperation:milestone_reach",
                args=[
                    coop.milestone_add(
                        actor=s.frank,
                        initiative=_initiative(s),
                        title="Guide",
                        due_on=dt.date(2021, 9, 1),
                    ).pk
                ],
            ),
            {"reached_on": "2021-06-10"},
        ),
    ),
    "cooperation:indicator_measure": Recipe(
        "bob",
        lambda cl, s: send(
            cl,
            reverse(
                "cooperation:indicator_measure",
                args=[
                    coop.plan_indicator_add(
                        actor=s.frank,
                        initiative=_initiative(s),
                        name="Referrals",
                        unit="per year",
                        baseline=1,
                        target=2,
                    ).pk
                ],
            ),
            {"measured_on": "2021-06-01", "value": "25"},
        ),
    ),
    "statistics:publish": Recipe("bob", lambda cl, s: _publish_after_confirmation(cl, 2020)),
    "statistics:foreword": Recipe(
        "bob",
        lambda cl, s: cl.post(
            reverse("statistics:foreword", args=[2020]),
            {"text_da": "Året i korte træk.", "text_en": "The year in brief."},
        ),
    ),
    "exchange:jobs": Recipe(
        "carol", lambda cl, s: send(cl, reverse("exchange:jobs"), {"file_format": "csv"})
    ),
    "exchange:synthetic_publish": Recipe("carol", _synthetic_publish_after_confirmation),
    "statistics:subscribe": Recipe(
        "anonymous",
        lambda cl, s: cl.post(
            reverse("statistics:subscribe"), {"email": "reader@example.org", "consent": "on"}
        ),
    ),
    "statistics:subscription_confirm": Recipe(
        "anonymous",
        lambda cl, s: cl.post(
            reverse("statistics:subscription_confirm", args=[_subscription(s, "confirm")])
        ),
    ),
    "statistics:subscription_cancel": Recipe(
        "anonymous",
        lambda cl, s: cl.post(
            reverse("statistics:subscription_cancel", args=[_subscription(s, "unsubscribe")])
        ),
    ),
}


@pytest.fixture
def scene(alice, bob, carol, dave, erin, frank, police, centre, referred_case, time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 15, 12, tzinfo=CPH), tick=False)
    users = {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "erin": erin}
    return SimpleNamespace(
        **users,
        users={**users, "frank": frank},
        frank=frank,
        police=police,
        centre=centre,
        case=referred_case,
        may=dt.date(2021, 5, 1),
        now=dt.datetime(2021, 6, 15, 12, tzinfo=CPH),
    )


@pytest.mark.parametrize("key", sorted(RECIPES))
def test_each_change_by_post_writes_a_row_by_whoever_made_it(key, scene):
    recipe = RECIPES[key]
    client = fresh_client(recipe.who, scene)
    before = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with translation.override("en"), state_writes() as tables:
        response = recipe.submit(client, scene)

    assert response.status_code < 400, response.content.decode()[:2000]
    rows = ActionLog.objects.filter(pk__gt=before)
    if recipe.who != "anonymous":
        rows = rows.filter(actor=scene.users[recipe.who])
    assert rows.exists(), f"{key}: no action-log row (wrote {sorted(tables)})"
    if key not in ("logout", "admin:logout", "login"):
        assert tables, f"{key}: the recipe changed nothing; it no longer tests a change"


@pytest.fixture
def april_2021(time_machine):
    time_machine.move_to(dt.datetime(2021, 4, 1, 12, tzinfo=CPH), tick=False)


@pytest.mark.parametrize(
    ("action", "state", "data"),
    [s[:3] for s in case_steps.STEPS],
    ids=[s[0] for s in case_steps.STEPS],
)
def test_each_step_on_the_case_page_writes_a_row(request, april_2021, alice, action, state, data):
    case = request.getfixturevalue(state)
    client = fresh_client("alice", SimpleNamespace(users={"alice": alice}))
    before = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    url = reverse("cases:action", args=[case.pk, action])

    with state_writes() as tables:
        response = send(client, url, {**case_steps._item_fields(action, case), **data})

    assert response.status_code == 302
    assert tables
    assert ActionLog.objects.filter(pk__gt=before, actor=alice, case=case).exists()


def test_the_steps_tried_are_every_step_of_the_case_page():
    from brik.cases.views import STEPS

    # case_assign is the recipe for cases:action above.
    assert {s[0] for s in case_steps.STEPS} | {"case_assign"} == set(STEPS)


# --- the admin ---------------------------------------------------------------------------


def test_every_admin_writes_the_action_log():
    from django.contrib.admin import site

    from brik.audit.admin import AuditedWrites

    silent = [
        model._meta.label_lower
        for model, model_admin in site._registry.items()
        if not isinstance(model_admin, AuditedWrites)
        and not getattr(model_admin, "audits_own_writes", False)
    ]
    assert not silent


def test_admin_writes_of_any_model_are_logged(frank, bob):
    client = fresh_client("frank", SimpleNamespace(users={"frank": frank}))
    subscription = Subscription.objects.create(email="r@example.org", language="en")
    report = PublishedReport.objects.create(
        year=2020,
        language="en",
        published_at=dt.datetime(2021, 1, 5, tzinfo=CPH),
        published_by=bob,
        title="Annual report 2020",
        pdf=b"",
        html=b"",
        xlsx=b"",
    )

    client.post(reverse("admin:auth_group_add"), {"name": "Readers", "permissions": []})
    group = Group.objects.get()
    client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    client.post(
        reverse("admin:statistics_subscription_delete", args=[subscription.pk]), {"post": "yes"}
    )
    client.post(
        reverse("admin:statistics_publishedreport_changelist"),
        {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"},
    )

    rows = ActionLog.objects.filter(actor=frank, action__startswith="brik.admin.")
    assert sorted((r.action, r.object_type) for r in rows) == [
        ("brik.admin.added", "auth.group"),
        ("brik.admin.deleted", "auth.group"),
        ("brik.admin.deleted", "statistics.publishedreport"),
        ("brik.admin.deleted", "statistics.subscription"),
    ]
    assert not Group.objects.exists()
    assert not Subscription.objects.exists()
    assert not PublishedReport.objects.exists()
    assert Authenticator.objects.filter(user=frank).exists()  # logged in past the second factor
