"""The case page's check for earlier records of the person arrives after the page
(HTMX), and is a link to the same note without JavaScript."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from brik.cases.tests.browser.conftest import log_in, new_page
from brik.search.tests.test_search import refer

pytestmark = pytest.mark.browser

BORN = dt.date(1990, 4, 3)


@pytest.fixture
def known_and_new(transactional_db, alice, dave, police, other_police):
    known = refer(alice, other_police, "Mohammed", "Hassan", born=BORN)
    new = refer(dave, police, "Muhammad", "Hasan", born=BORN)
    return known, new


def test_the_case_page_shows_the_likely_known_person_once_loaded(
    browser, live_server, known_and_new
):
    known, new = known_and_new
    page = new_page(browser, live_server, language="en")
    log_in(page, "alice", "en")
    page.goto(new.get_absolute_url())
    note = page.locator(".likely-same")
    expect(note).to_contain_text("Likely existing person")
    expect(note).to_contain_text(known.person.code)
    expect(note).to_contain_text("similar name, same date of birth")
    expect(page.locator(".likely-same-check")).to_have_count(0)
    page.context.close()


def test_without_javascript_the_link_opens_the_same_note(browser, live_server, known_and_new):
    known, new = known_and_new
    page = new_page(browser, live_server, language="en", javascript=False)
    log_in(page, "alice", "en")
    page.goto(new.get_absolute_url())
    expect(page.locator(".likely-same")).to_have_count(0)
    page.click("text=Check for earlier records of this person")
    expect(page.locator("h1")).to_have_text("Earlier records of this person")
    expect(page.locator(".likely-same")).to_contain_text(known.person.code)
    page.context.close()
