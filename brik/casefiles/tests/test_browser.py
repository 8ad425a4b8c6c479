"""A caseworker adds a note and uploads a PDF on the case page, in Danish, with and
without JavaScript; axe finds nothing serious in the new section."""

import pytest
from playwright.sync_api import expect

from brik.casefiles.models import Attachment, CaseNote
from brik.casefiles.tests.conftest import PDF
from brik.cases.tests.browser.conftest import (
    log_in,
    new_page,
    screenshot,
    serious_accessibility_problems,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_a_caseworker_adds_a_note_and_a_pdf_in_danish(
    browser, live_server, transactional_db, referred_case, javascript, tmp_path
):
    page = new_page(browser, live_server, language="da", javascript=javascript)
    log_in(page, "alice", "da")
    page.goto(referred_case.get_absolute_url())
    notes = page.locator("#notes")
    expect(notes.locator("h2")).to_have_text("Noter")
    expect(notes).to_contain_text("Ingen notater endnu.")

    notes.locator("textarea[name=text]").fill(
        "Syntetisk: mødt på banegården, bange for arbejdsgiveren."
    )
    notes.get_by_role("button", name="Gem notat").click()
    expect(page.locator("#notes .note").first).to_contain_text("bange for arbejdsgiveren")
    expect(page.locator("#notes .note").first).to_contain_text("Ret")

    pdf = tmp_path / "politirapport.pdf"
    pdf.write_bytes(PDF)
    attachments = page.locator("#attachments")
    expect(attachments.locator("h2")).to_have_text("Bilag")
    attachments.locator("input[type=file]").set_input_files(str(pdf))
    attachments.locator("input[name=description]").fill("Politirapport")
    attachments.get_by_role("button", name="Tilføj fil").click()
    expect(page.locator("#attachments")).to_contain_text("politirapport.pdf")
    expect(page.locator("#attachments")).to_contain_text("Politirapport")

    # A file that is not an accepted type is refused in Danish, and nothing is lost.
    text = tmp_path / "noter.pdf"
    text.write_bytes(b"just text, not a pdf\n")
    page.locator("#attachments input[type=file]").set_input_files(str(text))
    page.locator("#attachments input[name=description]").fill("Forkert fil")
    page.locator("#attachments").get_by_role("button", name="Tilføj fil").click()
    expect(page.get_by_text("Denne filtype modtages ikke")).to_be_visible()
    expect(page.locator("input[name=description]")).to_have_value("Forkert fil")

    assert CaseNote.objects.count() == 1
    assert Attachment.objects.count() == 1
    if javascript:
        page.goto(referred_case.get_absolute_url())
        assert serious_accessibility_problems(page) == []
    screenshot(page, f"da-casefiles-{'htmx' if javascript else 'no-js'}")
    page.context.close()
