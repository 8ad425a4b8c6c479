"""A new caseworker sets up two-factor login in the browser, and the pages are accessible."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from brik.cases.tests.browser.conftest import (
    new_page,
    screenshot,
    serious_accessibility_problems,
)
from brik.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def code_for(secret: str) -> str:
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_new_caseworker_sets_up_two_factor_login_and_reaches_my_work(
    browser,
    live_server,
    transactional_db,
    alice,
    language,
):
    page = new_page(browser, live_server, language=language)
    page.goto("/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")

    page.wait_for_url("**/account/two-factor/**")
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    screenshot(page, f"{language}-two-factor-setup")
    secret = page.locator("code[data-secret]").inner_text()

    page.fill("#id_code", code_for(secret))
    page.click("main form button[type=submit]")

    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    assert serious_accessibility_problems(page) == []
    page.locator("main a[role=button]").click()
    page.wait_for_url("**/work/")
    page.context.close()


def test_a_caseworker_with_two_factor_is_asked_for_the_code_at_login(
    browser,
    live_server,
    transactional_db,
    alice,
):
    from brik.accounts.services import totp_device_ensure

    secret = totp_device_ensure(user=alice).secret
    page = new_page(browser, live_server, language="en")
    page.goto("/cases/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")

    page.wait_for_url("**/account/two-factor/**")
    assert serious_accessibility_problems(page) == []
    page.fill("#id_code", "000000")
    page.click("main form button[type=submit]")
    expect(page.locator(".field-errors")).to_be_visible()
    page.wait_for_timeout(2_000)  # django-otp makes the next try wait a second

    page.fill("#id_code", code_for(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/cases/")
    page.context.close()
