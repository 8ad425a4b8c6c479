"""axe-core finds no serious or critical WCAG 2.1 AA problem on the main pages."""

import pytest
from playwright.sync_api import expect

from brik.cases.tests.browser.conftest import (
    log_in,
    new_page,
    screenshot,
    serious_accessibility_problems,
)

pytestmark = pytest.mark.browser

CENTRE_PAGES = [
    ("my-work", "/work/"),
    ("case-list", "/cases/"),
    ("referral-form", "/referrals/new/"),
    ("cooperation", "/cooperation/"),
    ("joint-actions", "/cooperation/joint-actions/"),
    ("outreach", "/cooperation/outreach/"),
    ("prosecutions", "/cooperation/prosecutions/"),
    ("search", "/search/?q=Testa"),
    ("notifications", "/notifications/"),
    ("api-tokens", "/account/api-tokens/"),
]


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_centres_main_pages_have_no_serious_accessibility_problems(
    browser, live_server, transactional_db, in_support_case_today, language
):
    page = new_page(browser, live_server, language=language)
    problems = {}
    page.goto("/login/")
    problems["login"] = serious_accessibility_problems(page)
    screenshot(page, f"{language}-login")
    log_in(page, "alice", language)
    pages = [*CENTRE_PAGES, ("case", in_support_case_today.get_absolute_url())]
    for name, path in pages:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        problems[name] = serious_accessibility_problems(page)
        screenshot(page, f"{language}-{name}")
    # An HTMX form open in place on the case page.
    page.click('[data-step="reflection_extend"]')
    expect(page.locator("#action-form form")).to_be_visible()
    problems["case-step-form"] = serious_accessibility_problems(page)
    screenshot(page, f"{language}-case-step-form")
    page.context.close()
    failing = [f"{name}: {problem}" for name, found in problems.items() for problem in found]
    assert not failing, "\n".join(failing)


def test_a_partners_pages_have_no_serious_accessibility_problems(
    browser, live_server, transactional_db, dave
):
    page = new_page(browser, live_server, language="da", width=820)
    log_in(page, "dave", "da")
    problems = {"referrals": serious_accessibility_problems(page)}
    screenshot(page, "da-partner-referrals-tablet")
    page.goto("/referrals/new/")
    problems["referral-form"] = serious_accessibility_problems(page)
    screenshot(page, "da-partner-referral-form-tablet")
    page.context.close()
    failing = [f"{name}: {problem}" for name, found in problems.items() for problem in found]
    assert not failing, "\n".join(failing)
