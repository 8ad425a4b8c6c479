"""The session ends while a step is being typed: the login, then the form comes back filled.

The whole way in a real browser with JavaScript and HTMX: the step form open in
place on the case page, the session ended on the server, "send" → the whole window
goes to the login page (not the login page inside the case page) → log in again →
the step's page with what was typed back in its fields, nothing recorded yet.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from brik.accounts.models import Session
from brik.cases import services
from brik.cases.models import Interview
from brik.cases.tests.browser.conftest import current_totp_code, log_in, new_page, screenshot
from brik.testing.factories import TEST_PASSWORD, referral_kwargs

pytestmark = pytest.mark.browser

PLACE = "Mødes ved Hovedbanegården, spørg efter Testa"


def test_a_step_typed_when_the_session_ended_comes_back_after_the_login(
    browser, live_server, transactional_db, alice, dave, police
):
    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        assigned_to=alice,
        **referral_kwargs(referred_on=timezone.localdate(), identity={}),
    )
    page = new_page(browser, live_server, language="en")
    log_in(page, "alice", "en")
    page.goto(case.get_absolute_url())
    page.click('[data-step="interview_plan"]')
    expect(page.locator("#action-form form")).to_be_visible()
    when = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT10:00")
    page.fill("#id_planned_for", when)
    page.fill("#id_place", PLACE)

    # The session ends on the server while the form is open (as after the idle time).
    ended = Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert ended == 1
    page.click("#action-form button[type=submit]")

    # The whole window is at the login page, which will lead back to the step.
    page.wait_for_url("**/login/**")
    expect(page.locator("#action-form")).to_have_count(0)
    assert "next=" in page.url
    assert not Interview.objects.exists()
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    if "/account/two-factor/" in page.url:
        page.fill("#id_code", current_totp_code("alice"))
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/account/two-factor/" not in url)

    # Back at the step, its fields filled with what was typed; nothing sent yet.
    expect(page.locator("#id_place")).to_have_value(PLACE)
    expect(page.locator("#id_planned_for")).to_have_value(when)
    expect(page.locator("main")).to_contain_text("What you typed is back in the form")
    screenshot(page, "en-kept-form-after-login")
    assert not Interview.objects.exists()

    # Sent from the step's own page (with HTMX): the window goes to the case page.
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(f"**{case.get_absolute_url()}")
    expect(page.locator(".timeline-entry").first).to_be_visible()
    assert Interview.objects.get(case=case).place == PLACE
    page.context.close()
