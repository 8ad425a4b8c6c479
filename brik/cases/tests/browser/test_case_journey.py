"""A caseworker takes one person through the whole mechanism in the browser."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from brik.cases.tests.browser.conftest import log_in, new_page, screenshot

pytestmark = pytest.mark.browser

WORDS = {
    "da": {"identified": "I støtteforløb", "closed": "Lukket", "days_left": "60 dage tilbage"},
    "en": {"identified": "In support", "closed": "Closed", "days_left": "60 days left"},
}


def choose(page, control_id: str, text: str):
    """Pick an option in a searchable select (Tom Select) by typing, as a person would."""
    control = page.locator(f"#{control_id}-ts-control")
    option = page.locator(f"#{control_id}-ts-dropdown .option", has_text=text).first
    # A search that asks the server can come back empty when the test server is
    # busy with the page's other requests; a person would type again, and so do we.
    for _attempt in range(3):
        control.click()
        control.fill("")
        control.press_sequentially(text, delay=60)
        try:
            option.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    option.click()
    page.keyboard.press("Escape")


def open_step(page, step: str):
    page.click(f'[data-step="{step}"]')
    expect(page.locator("#action-form form")).to_be_visible()


def send_step(page, entries: int):
    """Send the open step's form and wait for the case to show one more timeline entry."""
    page.click("#action-form button[type=submit]")
    expect(page.locator(".timeline-entry")).to_have_count(entries)
    expect(page.locator("#action-form")).to_have_count(0)


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_caseworker_takes_a_case_from_referral_to_closing(
    browser, live_server, transactional_db, alice, centre, partner_abroad, language
):
    page = new_page(browser, live_server, language=language)
    words = WORDS[language]
    today = timezone.localdate()
    iso = today.isoformat()

    log_in(page, "alice", language)
    expect(page).to_have_url(f"{live_server.url}/work/")

    # Register a referral for a new person.
    page.click('a[href="/referrals/new/"]')
    page.fill("#id_given_names", "Nova")
    page.fill("#id_family_name", f"Fiktiv-{language}")
    page.fill("#id_date_of_birth", "1996-04-02")
    page.select_option("#id_gender", "woman")
    choose(page, "id_citizenships", "Nigeria")
    choose(page, "id_interpreter_language", "Thai")
    page.select_option("#id_urgency", "urgent")
    page.check("input[name=indicators][value=deception]")
    page.check("input[name=indicators][value=debt_bondage]")
    page.fill("#id_observations", "Met at a routine inspection.")
    screenshot(page, f"{language}-referral-form")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("BRK-")
    expect(page.locator(".timeline-entry")).to_have_count(1)

    # Plan and record an identification interview.
    open_step(page, "interview_plan")
    page.fill("#id_planned_for", f"{iso}T10:00")
    page.fill("#id_place", "CMM København")
    send_step(page, 2)
    open_step(page, "interview_record")
    page.check("input[name=indicators][value=deception]")
    page.check("input[name=dimensions][value=deceptive_recruitment]")
    send_step(page, 3)

    # Decide: identified, with two forms of exploitation.
    open_step(page, "assessment_decide")
    page.check("input[name=outcome][value=identified]")
    page.check("input[name=exploitation_forms][value=sexual]")
    page.check("input[name=exploitation_forms][value=forced_labour]")
    screenshot(page, f"{language}-decision-form")
    send_step(page, 4)

    # Start and extend the reflection period.
    open_step(page, "reflection_start")
    send_step(page, 5)
    open_step(page, "reflection_extend")
    page.fill("#id_new_ends_on", (today + dt.timedelta(days=60)).isoformat())
    page.check("input[name=reason][value=prepared_return]")
    send_step(page, 6)
    expect(page.locator(".countdown-days")).to_contain_text(words["days_left"])
    expect(page.locator("h1 .status")).to_have_text(words["identified"])
    screenshot(page, f"{language}-case-in-support")

    # Offer and accept a prepared return; record the departure and a follow-up.
    open_step(page, "return_offer")
    send_step(page, 7)
    open_step(page, "return_accept")
    page.check("#id_plan_housing")
    page.check("#id_plan_income_activity")
    send_step(page, 8)
    open_step(page, "return_depart")
    send_step(page, 9)
    open_step(page, "follow_up_add")
    page.check("input[name=status][value=on_track]")
    send_step(page, 10)

    # Close the case: the follow-up has only begun, so it ends early, with its reason.
    open_step(page, "case_close")
    page.fill("#id_follow_up_end_reason", "The person asked to end the contact.")
    send_step(page, 11)
    expect(page.locator("h1 .status")).to_have_text(words["closed"])
    # A closed case can only be reopened or corrected.
    expect(page.locator("[data-step]")).to_have_count(2)
    screenshot(page, f"{language}-case-closed")
    page.context.close()


def test_a_step_works_without_javascript(browser, live_server, transactional_db, referred_case):
    page = new_page(browser, live_server, language="en", javascript=False)
    log_in(page, "alice", "en")
    page.goto(referred_case.get_absolute_url())
    page.click('[data-step="interview_plan"]')
    expect(page).to_have_url(f"{live_server.url}/cases/{referred_case.pk}/steps/interview_plan/")
    page.fill("#id_planned_for", f"{timezone.localdate().isoformat()}T14:30")
    page.click("#action-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}{referred_case.get_absolute_url()}")
    expect(page.locator(".timeline-entry")).to_have_count(2)
    expect(page.locator(".message-success")).to_contain_text("The interview is planned.")
    page.context.close()


def test_a_refused_step_shows_the_reason_in_place_and_keeps_the_input(
    browser, live_server, transactional_db, in_support_case_today
):
    page = new_page(browser, live_server, language="en")
    log_in(page, "alice", "en")
    page.goto(in_support_case_today.get_absolute_url())
    open_step(page, "reflection_extend")
    too_late = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    page.fill("#id_new_ends_on", too_late)
    page.check("input[name=reason][value=special_reasons]")
    page.click("#action-form button[type=submit]")
    expect(page.locator("#id_new_ends_on_error")).to_contain_text("at most 120 days")
    expect(page.locator("#id_new_ends_on")).to_have_value(too_late)
    screenshot(page, "en-refused-extension")
    page.context.close()
