"""Playwright driving Debian's chromium against pytest-django's live server.

No Playwright browser download: `make test` installs Debian's chromium and the
tests launch it by path. The live server runs in a thread of this process, so
time_machine's frozen clock applies to it as well.
"""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

from brik.testing.factories import TEST_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django refuses
# database access from a thread with a running loop unless told it is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("BRIK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-output" / "screenshots"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
LOCALES = {"da": "da-DK", "en": "en-GB"}


def new_page(browser, live_server, *, language="da", javascript=True, width=1280):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
        locale=LOCALES[language],
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


@pytest.fixture
def page(browser, live_server, transactional_db):
    page = new_page(browser, live_server)
    yield page
    page.context.close()


def log_in(page, username: str, language: str = "da"):
    """Log in through the form (with the authenticator code where the role needs
    one), then choose the language with the switcher."""
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    if "/account/two-factor/" in page.url:
        page.fill("#id_code", current_totp_code(username))
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/account/two-factor/" not in url)
    if page.locator("html").get_attribute("lang") != language:
        page.click(f"button[name=language][value={language}]")
        page.wait_for_selector(f"html[lang={language}]")


def current_totp_code(username: str) -> str:
    """The code the user's authenticator app would show now (a device is made if missing)."""
    from django_otp.oath import totp

    from brik.accounts.models import User
    from brik.accounts.services import totp_device_ensure

    device = totp_device_ensure(user=User.objects.get(username=username)).device
    # A code is accepted once per 30 seconds; a second login in the same
    # (frozen) half-minute must not look like a replay.
    device.last_t = -1
    device.save(update_fields=["last_t"])
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def screenshot(page, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def serious_accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make install` installs the npm packages.")
    # Evaluated through the DevTools protocol: a <script> tag with axe's code
    # inline would be refused by Brik's Content Security Policy, as it should.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        json.dumps(
            {
                "rule": v["id"],
                "impact": v["impact"],
                "where": [n["target"] for n in v["nodes"]][:5],
                "why": v["nodes"][0]["failureSummary"] if v["nodes"] else "",
            }
        )
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def in_support_case_today(alice, dave, police):
    """A case referred, interviewed and identified today, its period started today."""
    from django.utils import timezone

    from brik.cases import services
    from brik.testing.factories import referral_kwargs

    today = timezone.localdate()
    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        assigned_to=alice,
        **referral_kwargs(referred_on=today),
    )
    services.interview_record(actor=alice, case=case, held_on=today)
    services.assessment_decide(
        actor=alice,
        case=case,
        decided_on=today,
        deciding_authority="immigration",
        outcome="identified",
        forms=["sexual"],
    )
    services.reflection_start(actor=alice, case=case, starts_on=today)
    return case
