import pytest
from django.utils import timezone
from playwright.sync_api import expect

from brik.cases.tests.browser.conftest import log_in, new_page, screenshot

pytestmark = pytest.mark.browser


def test_registering_a_known_person_shows_the_match_and_lets_the_caseworker_decide(
    browser, live_server, transactional_db, referred_case
):
    """Testa Syntetisk (born 1995, Nigerian) is known with an open case: a second
    referral for her shows the match, which cannot be chosen while that case is open."""
    page = new_page(browser, live_server, language="en")
    log_in(page, "alice", "en")
    page.goto("/referrals/new/")
    page.fill("#id_given_names", "testa")
    page.fill("#id_family_name", "SYNTETISK")
    page.fill("#id_birth_year", "1995")
    page.select_option("#id_gender", "woman")
    page.click("main form button[type=submit]")
    matches = page.locator(".matches")
    expect(matches).to_contain_text(referred_case.person.code)
    expect(matches).to_contain_text("same name, same year of birth, same gender")
    expect(
        page.locator(f'input[name=person_choice][value="{referred_case.person.pk}"]')
    ).to_be_disabled()
    expect(page.locator("#id_family_name")).to_have_value("SYNTETISK")
    screenshot(page, "en-referral-possible-match")
    page.check("input[name=person_choice][value=new]")
    page.click("main form button[type=submit]")
    # A new person: a code of this year, not the known person's.
    expect(page.locator("h1")).to_contain_text(f"BRK-{timezone.localdate().year}-")
    page.context.close()
