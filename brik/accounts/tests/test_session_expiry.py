"""Sessions end after a period without requests; every request renews them."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.urls import reverse


def test_a_session_ends_after_the_idle_time(client, carol, settings, time_machine):
    time_machine.move_to("2021-06-01 09:00:00+02:00", tick=False)
    client.force_login(carol)
    assert client.get(reverse("cases:list")).status_code == 200

    time_machine.shift(settings.SESSION_COOKIE_AGE + 60)

    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_each_request_renews_the_session(client, carol, settings, time_machine):
    time_machine.move_to("2021-06-01 09:00:00+02:00", tick=False)
    client.force_login(carol)
    half = settings.SESSION_COOKIE_AGE // 2 + 60

    for _step in range(4):  # twice the idle time in all, never idle for long
        time_machine.shift(half)
        assert client.get(reverse("cases:list")).status_code == 200

    session = Session.objects.get()
    assert session.expire_date > dt.datetime.fromisoformat(
        "2021-06-01 09:00:00+02:00"
    ) + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_the_idle_time_is_thirty_minutes_unless_configured(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
