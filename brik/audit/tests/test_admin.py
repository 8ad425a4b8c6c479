"""The action log in the admin can be read and searched, never written."""

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from brik.audit.models import ActionLog
from brik.audit.services import log_action


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def superuser(frank):
    frank.is_superuser = True
    frank.save(update_fields=["is_superuser"])
    return frank


@pytest.fixture
def admin_client(client, superuser):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # pages are compared in English
    client.force_login(superuser)
    return client


@pytest.fixture
def auditor_client(oscar):
    """Oscar, the auditor, with the admin's read-only action log."""
    oscar.is_staff = True
    oscar.save(update_fields=["is_staff"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(oscar)
    return client


@pytest.fixture
def entries(alice, dave, referred_case, police):
    """The referral's own entry, plus two more by different people on different objects."""
    log_action(actor=alice, action="brik.case.assigned", obj=referred_case, case=referred_case)
    log_action(actor=dave, action="brik.organisation.changed", obj=police)
    return ActionLog.objects.all()


def result(response):
    return sorted(e.action for e in response.context["cl"].result_list)


def test_the_list_and_an_entry_load_for_an_auditor(auditor_client, entries):
    expected = sorted(e.action for e in entries)
    changelist = auditor_client.get(reverse("admin:audit_actionlog_changelist"))
    entry = auditor_client.get(reverse("admin:audit_actionlog_change", args=[entries[0].pk]))

    assert changelist.status_code == 200
    assert result(changelist) == expected
    assert entry.status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("brik.case", ["brik.case.assigned", "brik.case.referred"]),
        ("alice", ["brik.case.assigned"]),
        ("accounts.organisation", ["brik.organisation.changed"]),
        ("BRK-2021-0001", ["brik.case.assigned", "brik.case.referred"]),
    ],
)
def test_it_searches_by_action_actor_and_object(auditor_client, entries, query, expected):
    response = auditor_client.get(reverse("admin:audit_actionlog_changelist"), {"q": query})

    assert result(response) == expected


def test_it_searches_by_object_type_and_id(admin_client, entries, police):
    response = admin_client.get(
        reverse("admin:audit_actionlog_changelist"), {"q": f"accounts.organisation {police.pk}"}
    )

    assert result(response) == ["brik.organisation.changed"]


def test_no_one_may_add_change_or_delete_an_entry(superuser, entries):
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = site._registry[ActionLog]

    assert model_admin.has_view_permission(request, entries[0])
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entries[0])
    assert not model_admin.has_delete_permission(request, entries[0])
    assert "delete_selected" not in model_admin.get_actions(request)


def test_the_admin_refuses_to_add_change_or_delete_an_entry(admin_client, entries):
    entry = entries[0]
    before = list(ActionLog.objects.order_by("pk").values())

    add = admin_client.post(reverse("admin:audit_actionlog_add"), {"action": "forged"})
    change = admin_client.post(
        reverse("admin:audit_actionlog_change", args=[entry.pk]), {"action": "forged"}
    )
    delete = admin_client.post(
        reverse("admin:audit_actionlog_delete", args=[entry.pk]), {"post": "yes"}
    )
    bulk = admin_client.post(
        reverse("admin:audit_actionlog_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert bulk.status_code in (200, 302)
    after = list(ActionLog.objects.order_by("pk").values())
    assert after[: len(before)] == before
    # Only the record of looking at the list was added.
    assert {row["action"] for row in after[len(before) :]} <= {"brik.admin.listed"}
