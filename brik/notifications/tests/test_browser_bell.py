"""Be told: after `brik notify`, the bell shows the count; its list leads to the
case and marks read. In English with JavaScript, in Danish without."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from brik.cases import services as steps
from brik.cases.tests.browser.conftest import (
    log_in,
    new_page,
    serious_accessibility_problems,
)
from brik.notifications.models import Kind, Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "javascript"), [("en", True), ("da", False)])
def test_the_bell_tells_me_a_case_was_assigned_to_me(
    browser, live_server, alice, bob, referred_case, language, javascript
):
    steps.case_assign(actor=alice, case=referred_case, caseworker=bob)
    call_command("notify", "--no-digest", verbosity=0)
    unread = Notification.objects.filter(user=bob, read_at__isnull=True).count()
    assert Notification.objects.filter(user=bob, kind=Kind.ASSIGNED, case=referred_case).exists()
    page = new_page(browser, live_server, language=language, javascript=javascript)
    try:
        log_in(page, bob.username, language)
        bell = page.locator("header .bell")
        if javascript:
            expect(page.locator("header .bell-count")).to_have_text(str(unread))
        bell.click()
        page.wait_for_url("**/notifications/")
        item = page.locator(".notification-list li.unread")
        expect(item).to_have_count(unread)
        expect(item.get_by_role("link", name=referred_case.code).first).to_be_visible()
        problems = serious_accessibility_problems(page) if javascript else []
        page.click("text=" + ("Mark all read" if language == "en" else "Markér alle som læst"))
        expect(page.locator(".notification-list li.unread")).to_have_count(0)
        assert not problems, "\n".join(problems)
    finally:
        page.context.close()
