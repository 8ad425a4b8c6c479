"""Login throttling: django-axes locks a user name on an address after repeated failures."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from brik.audit.models import ActionLog
from brik.testing.factories import TEST_PASSWORD

LOGIN = reverse("login")


def attempt(client, username, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


def test_the_limit_is_five_wrong_passwords_by_default(settings):
    assert settings.AXES_FAILURE_LIMIT == 5


def test_wrong_passwords_up_to_the_limit_lock_the_account_on_that_address(client, carol, limit):
    for _attempt in range(limit - 1):
        assert attempt(client, "carol", "wrong-password").status_code == 200

    locked = attempt(client, "carol", "wrong-password")

    assert locked.status_code == 429
    assert "Too many attempts" in locked.text or "For mange forsøg" in locked.text
    # Now even the right password is refused, and the session stays anonymous.
    assert attempt(client, "carol", TEST_PASSWORD).status_code == 429
    assert client.get(reverse("cases:list")).status_code == 302


def test_the_lockout_is_per_user_name_and_address(client, carol, alice, limit):
    for _attempt in range(limit):
        attempt(client, "carol", "wrong-password")

    other_address = Client()
    assert attempt(other_address, "carol", TEST_PASSWORD, ip="198.51.100.7").status_code == 302
    # Another user on the same address is not locked out by carol's failures.
    assert attempt(Client(), "alice", TEST_PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, carol, limit, settings, time_machine):
    time_machine.move_to("2021-06-01 12:00:00+02:00", tick=False)
    for _attempt in range(limit):
        attempt(client, "carol", "wrong-password")
    time_machine.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 60)

    assert attempt(client, "carol", TEST_PASSWORD).status_code == 302


def test_a_successful_login_clears_the_earlier_failures(client, carol, limit):
    for _attempt in range(limit - 1):
        attempt(client, "carol", "wrong-password")
    attempt(client, "carol", TEST_PASSWORD)
    client.post(reverse("logout"))

    assert attempt(client, "carol", "wrong-password").status_code == 200
    assert not AccessAttempt.objects.filter(failures_since_start__gte=limit).exists()


def test_every_refused_login_is_in_the_action_log_with_name_and_address(client, carol, limit):
    for _attempt in range(limit + 1):
        attempt(client, "carol", "wrong-password")

    rows = ActionLog.objects.filter(action="brik.user.login_failed")
    assert rows.count() == limit + 1
    assert {(r.data["username"], r.data["ip"], r.object_id) for r in rows} == {
        ("carol", "192.0.2.10", str(carol.pk))
    }


def test_logging_in_from_code_without_a_request_still_works(client, carol):
    # Django's test client and management commands authenticate without a request.
    assert client.login(username="carol", password=TEST_PASSWORD)
