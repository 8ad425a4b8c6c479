"""Lifting a login lockout is in the action log, whoever lifts it and however."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from brik.audit.models import ActionLog

LOGIN = reverse("login")


@pytest.fixture
def locked_out(carol, settings):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN, {"username": "carol", "password": "wrong-password"}, REMOTE_ADDR="192.0.2.10"
        )
    attempt = AccessAttempt.objects.get(username="carol")
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
    return attempt


def admin_client(frank) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(frank)
    return client


def test_an_administrator_unlocking_in_the_admin_is_logged(locked_out, frank, carol):
    response = admin_client(frank).post(
        reverse("admin:axes_accessattempt_delete", args=[locked_out.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    row = ActionLog.objects.get(action="brik.user.lockout_cleared")
    assert (row.actor, row.object_type, row.object_id) == (frank, "accounts.user", str(carol.pk))
    assert row.data == {"username": "carol", "ip": "192.0.2.10", "failures": 5, "via": "admin"}


def test_unlocking_several_at_once_logs_each(locked_out, frank, settings):
    other = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        other.post(LOGIN, {"username": "nobody", "password": "x"}, REMOTE_ADDR="192.0.2.11")

    admin_client(frank).post(
        reverse("admin:axes_accessattempt_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    rows = ActionLog.objects.filter(action="brik.user.lockout_cleared")
    assert sorted(r.data["username"] for r in rows) == ["carol", "nobody"]
    assert {r.actor for r in rows} == {frank}


def test_unlocking_from_the_command_line_is_logged(locked_out):
    call_command("axes_reset_username", "carol", verbosity=0)

    row = ActionLog.objects.get(action="brik.user.lockout_cleared")
    assert row.actor is None
    assert row.data["via"] == "outside the admin"


def test_clearing_failures_below_the_limit_is_no_unlock(carol, time_machine):
    time_machine.move_to("2021-06-01 12:00:00+02:00", tick=False)
    client = Client()
    client.post(LOGIN, {"username": "carol", "password": "wrong"}, REMOTE_ADDR="192.0.2.10")
    client.post(
        LOGIN,
        {"username": "carol", "password": "correct-horse-battery-staple"},
        REMOTE_ADDR="192.0.2.10",
    )  # a good login clears the one failure

    assert not AccessAttempt.objects.exists()
    assert not ActionLog.objects.filter(action="brik.user.lockout_cleared").exists()


def test_removing_a_lockout_that_has_run_out_is_no_unlock(locked_out, settings, time_machine):
    time_machine.move_to(locked_out.attempt_time + settings.AXES_COOLOFF_TIME, tick=False)
    time_machine.shift(60)

    call_command("axes_reset", verbosity=0)

    assert not AccessAttempt.objects.exists()
    assert not ActionLog.objects.filter(action="brik.user.lockout_cleared").exists()
