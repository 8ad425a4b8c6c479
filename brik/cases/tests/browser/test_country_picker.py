"""The country pickers find a country by the name people use, in either language."""

import pytest

from .conftest import log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [("en", "Rusland", "Russia"), ("en", "Burma", "Myanmar (Burma)"), ("da", "Turkey", "Tyrkiet")],
)
def test_the_citizenship_filter_finds_a_country_by_another_name(
    browser, live_server, alice, language, typed, shown
):
    page = new_page(browser, live_server, language=language)
    try:
        log_in(page, alice.username, language)
        page.goto("/cases/")
        page.locator("#id_citizenship-ts-control").fill(typed)
        option = page.locator(".ts-dropdown .option", has_text=shown)
        option.first.wait_for()
        option.first.click()
        assert page.locator("#id_citizenship").input_value() in {"RU", "MM", "TR"}
    finally:
        page.context.close()
