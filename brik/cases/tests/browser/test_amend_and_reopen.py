"""Correcting a decision date (in English) and reopening a closed case (in Danish), in the browser."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from playwright.sync_api import expect

from brik.cases import services
from brik.cases.tests.browser.conftest import log_in, new_page, screenshot
from brik.core import choices as c
from brik.testing.factories import referral_kwargs

pytestmark = pytest.mark.browser


def test_a_caseworker_corrects_a_decision_date(
    browser, live_server, transactional_db, alice, dave, police
):
    today = timezone.localdate()
    referred_on = today - dt.timedelta(days=20)
    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        assigned_to=alice,
        **referral_kwargs(referred_on=referred_on, identity={}),
    )
    services.assessment_decide(
        actor=alice,
        case=case,
        decided_on=today - dt.timedelta(days=10),
        deciding_authority=c.DecidingAuthority.IMMIGRATION,
        outcome=c.Outcome.IDENTIFIED,
        forms=[c.ExploitationForm.SEXUAL],
    )
    corrected = today - dt.timedelta(days=8)
    page = new_page(browser, live_server, language="en")
    log_in(page, "alice", "en")
    page.goto(case.get_absolute_url())
    entries = page.locator(".timeline-entry").count()

    page.click('[data-step="case_amend"]')
    expect(page.locator("#action-form form")).to_be_visible()
    page.select_option(
        "#id_target",
        label=page.locator("#id_target option", has_text="Date of decision").inner_text(),
    )
    page.fill("#id_reason", "The letter was dated two days later.")
    page.click("#action-form button[type=submit]")
    # The form comes back with the field for the date, the reason kept.
    expect(page.locator("#id_value")).to_be_visible()
    expect(page.locator("#id_reason")).to_have_value("The letter was dated two days later.")
    # A date before the referral is refused next to the field.
    page.fill("#id_value", (referred_on - dt.timedelta(days=1)).isoformat())
    page.click("#action-form button[type=submit]")
    expect(page.locator("#action-form")).to_contain_text("The decision cannot precede the referral")
    page.fill("#id_value", corrected.isoformat())
    page.click("#action-form button[type=submit]")

    expect(page.locator(".timeline-entry")).to_have_count(entries + 1)
    with override("en"):
        expected = f"Amended: date of decision {date_format(today - dt.timedelta(days=10))} → {date_format(corrected)}"
    expect(page.locator(".timeline-entry").last).to_contain_text(expected)
    expect(page.locator(".timeline-entry").last).to_contain_text(
        "The letter was dated two days later."
    )
    expect(page.locator(".messages")).to_contain_text("The correction is saved.")
    screenshot(page, "en-decision-date-corrected")
    page.context.close()


def test_a_caseworker_reopens_a_closed_case_in_danish(
    browser, live_server, transactional_db, alice, dave, police
):
    today = timezone.localdate()
    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        assigned_to=alice,
        **referral_kwargs(referred_on=today - dt.timedelta(days=30), identity={}),
    )
    services.case_close(
        actor=alice,
        case=case,
        closed_on=today - dt.timedelta(days=5),
        reason=c.ClosingReason.DISAPPEARED,
    )
    page = new_page(browser, live_server, language="da")
    log_in(page, "alice", "da")
    page.goto(case.get_absolute_url())
    expect(page.locator("h1 .status")).to_have_text("Lukket")

    page.click('[data-step="case_reopen"]')
    expect(page.locator("#action-form form")).to_be_visible()
    page.check("input[name=reason][value=person_returned]")
    page.fill("#id_note", "Hun ringede til hotlinen igen.")
    page.click("#action-form button[type=submit]")

    expect(page.locator("h1 .status")).to_have_text("Henvist")
    expect(page.locator(".timeline-entry").last).to_contain_text(
        "Sagen genåbnet: personen er vendt tilbage"
    )
    expect(page.locator(".timeline-entry").last).to_contain_text("Hun ringede til hotlinen igen.")
    screenshot(page, "da-case-reopened")
    page.context.close()
