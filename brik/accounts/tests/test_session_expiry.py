"""Sessions end after a period without requests; requests renew them, writing at most once a minute."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brik.accounts.models import Session


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
    assert not settings.SESSION_SAVE_EVERY_REQUEST


def session_writes(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    table = Session._meta.db_table
    return sum(
        1
        for q in queries.captured_queries
        if table in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    )


def test_reading_pages_within_a_minute_writes_no_session(client, carol, time_machine):
    time_machine.move_to("2021-06-01 09:00:00+02:00", tick=False)
    client.force_login(carol)

    time_machine.shift(20)
    first = session_writes(client, reverse("cases:list"))
    time_machine.shift(20)
    second = session_writes(client, reverse("cases:list"))

    assert (first, second) == (0, 0)


def test_a_request_a_minute_or_more_after_the_last_write_renews_the_session(
    client, carol, settings, time_machine
):
    time_machine.move_to("2021-06-01 09:00:00+02:00", tick=False)
    client.force_login(carol)
    before = Session.objects.get().expire_date

    time_machine.shift(90)
    writes = session_writes(client, reverse("cases:list"))

    assert writes == 1
    assert Session.objects.get().expire_date == before + dt.timedelta(seconds=90)
