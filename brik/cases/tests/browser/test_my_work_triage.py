"""My work as a triage board on a phone, in Danish; the session warning in English."""

import pytest
from playwright.sync_api import expect

from brik.cases import services
from brik.cases.tests.browser.conftest import (
    log_in,
    new_page,
    screenshot,
    serious_accessibility_problems,
)
from brik.testing.factories import referral_kwargs

pytestmark = pytest.mark.browser


def test_my_work_in_danish_at_phone_width(
    browser, live_server, transactional_db, in_support_case_today, dave, police
):
    from django.utils import timezone

    new = services.case_refer(
        actor=dave,
        referring_organisation=police,
        urgency="urgent",
        **referral_kwargs(
            referred_on=timezone.localdate(), identity={"given_names": "Ny", "family_name": "Sag"}
        ),
    )
    page = new_page(browser, live_server, language="da", width=390)
    log_in(page, "alice", "da")
    page.goto("/work/")
    page.wait_for_load_state("networkidle")
    today = page.locator("#today")
    expect(today).to_contain_text("Det der venter på mig i dag")
    expect(today).to_contain_text("Ny henvisning uden kontaktperson")
    expect(today.get_by_role("button", name=f"Tildel en kontaktperson: {new.code}")).to_be_visible()
    # The page fits the phone: nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"My work is {width}px wide at 390px"
    # The filters fold away behind one summary until opened.
    expect(page.locator("#id_urgency")).to_be_hidden()
    page.click("details.filters summary")
    page.select_option("#id_urgency", "urgent")
    page.click("form.work-filters button[type=submit]")
    page.wait_for_url("**urgency=urgent**")
    # The bell is in the header, filled in by HTMX.
    expect(page.locator("header .bell")).to_be_visible()
    problems = serious_accessibility_problems(page)
    screenshot(page, "da-my-work-390")
    # One action: assigning the new referral opens its step.
    page.goto("/work/")
    today.get_by_role("button", name=f"Tildel en kontaktperson: {new.code}").click()
    page.wait_for_url(f"**/cases/{new.pk}/steps/case_assign/")
    page.context.close()
    assert not problems, "\n".join(problems)


def test_the_session_warning_in_english_lets_one_stay_signed_in(
    browser, live_server, transactional_db, alice, settings
):
    # A short session, and the warning almost at once.
    settings.SESSION_COOKIE_AGE = 75
    settings.BRIK_SESSION_WARNING_SECONDS = 72
    page = new_page(browser, live_server, language="en")
    log_in(page, "alice", "en")
    page.goto("/work/")
    warning = page.locator("#session-warning")
    expect(warning).to_contain_text("Your session ends in a few minutes", timeout=15_000)
    screenshot(page, "en-session-warning")
    with page.expect_response("**/account/session/stay/") as stay:
        warning.get_by_role("button", name="Stay signed in").click()
    assert stay.value.status == 200
    expect(warning).to_have_count(0)
    # Still signed in: the next page opens without the login.
    page.goto("/work/")
    expect(page.locator("h1")).to_have_text("My work")
    page.context.close()
