"""At a phone's width (390 px) the pages fit: no sideways scrolling, the header
takes one line, and the case list's filters fold away behind one button."""

import pytest

from .conftest import log_in, new_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def overflow(page) -> int:
    """How far the page is wider than the screen (0 when it fits)."""
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5)
            .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, too_wide
    return width


def header_lines(page) -> float:
    """The header's height in lines of its own text."""
    return page.evaluate(
        """() => {
            const header = document.querySelector('body > header');
            const line = parseFloat(getComputedStyle(header).lineHeight) || 24;
            const padding = parseFloat(getComputedStyle(header).paddingTop)
                + parseFloat(getComputedStyle(header).paddingBottom);
            return (header.getBoundingClientRect().height - padding) / line;
        }"""
    )


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_case_page_and_the_list_fit_a_phone(
    browser, live_server, alice, in_support_case_today, language
):
    page = new_page(browser, live_server, language=language, width=PHONE)
    try:
        log_in(page, alice.username, language)
        page.goto(f"/cases/{in_support_case_today.pk}/")
        screenshot(page, f"phone-case-page-{language}")
        assert overflow(page) <= 0, "the case page is wider than the phone"
        assert header_lines(page) < 2.6, "the header takes more than a line (brand + menu button)"

        page.goto("/cases/")
        screenshot(page, f"phone-case-list-{language}")
        assert overflow(page) <= 0, "the case list is wider than the phone"
        filters = page.locator("details.filter-fold")
        assert filters.count() == 1, "the filters fold behind one button"
        assert not filters.evaluate("d => d.open")
        filters.locator("summary").click()
        assert page.locator(
            "details.filter-fold select, details.filter-fold input"
        ).first.is_visible()
    finally:
        page.context.close()
