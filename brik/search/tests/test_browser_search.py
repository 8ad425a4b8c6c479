"""Finding a person from the header's search box, in Danish with JavaScript and in
English without, and the page passing axe."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from brik.cases.tests.browser.conftest import (
    log_in,
    new_page,
    screenshot,
    serious_accessibility_problems,
)
from brik.search.tests.test_search import refer

pytestmark = pytest.mark.browser


@pytest.fixture
def known(alice, dave, police):
    return {
        "mohammed": refer(dave, police, "Mohammed", "Hassan", born=dt.date(1990, 4, 3)),
        "nguyen": refer(dave, police, "Thi Lan", "Nguyen"),
        "soeren": refer(dave, police, "Søren", "Ågård"),
    }


@pytest.mark.parametrize(
    ("language", "javascript", "typed", "who", "found"),
    [
        ("da", True, "Muhammad 1990", "mohammed", "1 person fundet"),
        ("en", False, "ngyuen", "nguyen", "1 person found"),
        ("da", False, "soren agard", "soeren", "1 person fundet"),
    ],
)
def test_a_person_is_found_from_the_header(
    browser, live_server, transactional_db, known, language, javascript, typed, who, found
):
    page = new_page(browser, live_server, language=language, javascript=javascript)
    log_in(page, "alice", language)
    box = page.locator("header #header-search")
    box.fill(typed)
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator("main")).to_contain_text(found)
    expect(page.locator("main table")).to_contain_text(known[who].person.code)
    others = [case.person.code for name, case in known.items() if name != who]
    for code in others:
        expect(page.locator("main table")).not_to_contain_text(code)
    expect(box).to_have_value(typed)
    if javascript:  # axe runs in the page
        assert serious_accessibility_problems(page) == []
    screenshot(page, f"{language}-search-{who}")
    page.get_by_role("link", name=known[who].code).click()
    expect(page.locator("h1")).to_contain_text(known[who].code)
    page.context.close()
