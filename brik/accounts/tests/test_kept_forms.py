"""Never lose typed work: the warning before the session ends, "stay signed in",
and a form sent after it ended kept (encrypted, on the server) until the login."""

import json
import re

from django.db import connection
from django.urls import reverse

from brik.accounts.middleware import KEPT_FORM_COOKIE
from brik.accounts.models import KeptForm, Session
from brik.cases.models import Interview

NOTE = "Mødes ved Hovedbanegården, spørg efter Testa"


def step_url(case) -> str:
    return reverse("cases:action", kwargs={"pk": case.pk, "action": "interview_plan"})


def expire(client, alice, referred_case, settings, time_machine):
    time_machine.move_to("2021-03-02 09:00:00+01:00", tick=False)
    client.force_login(alice)
    assert client.get(step_url(referred_case)).status_code == 200
    time_machine.shift(settings.SESSION_COOKIE_AGE + 60)


def plan(client, case, **extra):
    return client.post(
        step_url(case),
        {"form_token": "t0ken", "planned_for": "2021-03-09T10:00", "place": NOTE},
        **extra,
    )


def test_pages_tell_the_script_when_the_session_ends(client, alice, settings):
    client.force_login(alice)
    page = client.get(reverse("cases:my_work")).content.decode()
    left = int(re.search(r'data-session-left="(\d+)"', page).group(1))
    assert settings.SESSION_COOKIE_AGE - 60 <= left <= settings.SESSION_COOKIE_AGE
    assert 'data-session-stay="/account/session/stay/"' in page


def test_staying_signed_in_moves_the_end(client, carol, settings, time_machine):
    time_machine.move_to("2021-06-01 09:00:00+02:00", tick=False)
    client.force_login(carol)
    before = Session.objects.get().expire_date
    time_machine.shift(settings.SESSION_COOKIE_AGE - 120)
    response = client.post(reverse("accounts:session_stay"), HTTP_ACCEPT="application/json")
    assert response.json() == {"seconds_left": settings.SESSION_COOKIE_AGE}
    assert Session.objects.get().expire_date > before
    time_machine.shift(settings.SESSION_COOKIE_AGE - 120)
    assert client.get(reverse("cases:list")).status_code == 200


def test_a_form_sent_after_the_session_ended_comes_back_after_the_login(
    client, alice, referred_case, settings, time_machine
):
    expire(client, alice, referred_case, settings, time_machine)
    response = plan(client, referred_case)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]
    assert not Interview.objects.exists()
    cookie = client.cookies[KEPT_FORM_COOKIE]
    assert cookie["httponly"]
    # Kept on the server, encrypted: the typed note is nowhere in the table.
    with connection.cursor() as cursor:
        cursor.execute("SELECT data, path FROM accounts_keptform")
        ((stored, path),) = cursor.fetchall()
    assert NOTE not in stored
    assert "Hovedbaneg" not in stored
    assert path == step_url(referred_case)
    # The browser holds only a random id.
    assert NOTE not in cookie.value

    client.force_login(alice)
    page = client.get(step_url(referred_case)).content.decode()
    kept = json.loads(
        re.search(
            r'<script id="kept-form" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert ["place", NOTE] in kept
    assert all(name != "form_token" for name, _value in kept)
    assert "Det, du skrev, er tilbage i formularen" in page  # Danish: the default language
    # Given back once, and nothing was sent.
    assert not KeptForm.objects.exists()
    assert not Interview.objects.exists()
    assert 'id="kept-form"' not in client.get(step_url(referred_case)).content.decode()


def test_someone_else_logging_in_on_that_browser_gets_nothing(
    client, alice, bob, referred_case, settings, time_machine
):
    expire(client, alice, referred_case, settings, time_machine)
    plan(client, referred_case)
    client.force_login(bob)
    page = client.get(step_url(referred_case)).content.decode()
    assert NOTE not in page
    assert KeptForm.objects.count() == 1  # still Alice's, until it expires


def test_kept_input_expires(client, alice, referred_case, settings, time_machine):
    expire(client, alice, referred_case, settings, time_machine)
    plan(client, referred_case)
    time_machine.shift(settings.BRIK_KEPT_FORM_MINUTES * 60 + 1)
    client.force_login(alice)
    assert NOTE not in client.get(step_url(referred_case)).content.decode()


def test_an_htmx_request_of_an_ended_session_sends_the_window_to_log_in(
    client, alice, referred_case, settings, time_machine
):
    expire(client, alice, referred_case, settings, time_machine)
    response = plan(
        client,
        referred_case,
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{referred_case.get_absolute_url()}",
    )
    # Not the login page swapped into the case page: the whole window goes there.
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=")
    assert b"<form" not in response.content
    assert KeptForm.objects.count() == 1
    bell = client.get(
        reverse("notifications:bell"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/work/?scope=team",
    )
    assert bell.status_code == 204
    assert bell["HX-Redirect"] == reverse("login") + "?next=%2Fwork%2F%3Fscope%3Dteam"


def test_without_javascript_staying_signed_in_returns_to_the_page(client, carol):
    client.force_login(carol)
    response = client.post(reverse("accounts:session_stay"), {"next": "/cases/?page=2"})
    assert response.status_code == 302
    assert response.url == "/cases/?page=2"
    elsewhere = client.post(reverse("accounts:session_stay"), {"next": "https://evil.example/"})
    assert elsewhere.url == reverse("home")


def test_logging_out_keeps_nothing_and_leads_to_the_login_page(client, carol):
    client.force_login(carol)
    response = client.post(reverse("logout"))
    assert "next=" not in response["Location"]
    assert KEPT_FORM_COOKIE not in client.cookies
    assert not KeptForm.objects.exists()
