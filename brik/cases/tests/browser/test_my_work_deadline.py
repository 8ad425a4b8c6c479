import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from brik.cases.tests.browser.conftest import log_in, new_page, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_caseworker_sees_an_approaching_departure_deadline_on_my_work(
    browser, live_server, transactional_db, in_support_case_today, language
):
    """The period started today ends in 30 days; 25 days on, My work warns about it."""
    case = in_support_case_today
    ends_on = case.reflection_period.ends_on
    later = timezone.localtime() + dt.timedelta(days=25)
    # The live server runs in this process, so the travelled clock is its clock too.
    with time_machine.travel(later, tick=True):
        page = new_page(browser, live_server, language=language)
        log_in(page, "alice", language)
        deadlines = page.locator("#deadlines")
        expect(deadlines).to_contain_text(case.code)
        expect(deadlines).to_contain_text(
            ends_on.strftime("%d.%m.%Y" if language == "da" else "%d/%m/%Y")
        )
        expect(deadlines).to_contain_text("om 5 dage" if language == "da" else "in 5 days")
        screenshot(page, f"{language}-my-work-deadline")
        page.click(f"#deadlines a:has-text('{case.code}')")
        expect(page.locator(".countdown")).to_have_class("panel countdown warning")
        page.context.close()
