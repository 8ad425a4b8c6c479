"""Case notes: dated, attributed, encrypted, audited on read, visible only to the centre,
editable by their author for a short while, afterwards corrected by a new note."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.casefiles import services
from brik.casefiles.models import CaseNote

TEXT = "Syntetisk note: Testa was met at the station and is afraid of her employer."


def _form(client, url):
    page = client.get(url)
    token = page.context["form"]["form_token"].value() if page.context.get("form") else None
    return page, token


def _token(client, case):
    page = client.get(reverse("casefiles:note_add", args=[case.pk]))
    return page.context["form"]["form_token"].value()


def test_a_note_added_on_the_case_page_is_stored_encrypted_and_shown_newest_first(
    referred_case, alice_client, alice
):
    url = reverse("casefiles:note_add", args=[referred_case.pk])
    for text in ("First note", TEXT):
        response = alice_client.post(
            url, {"text": text, "form_token": _token(alice_client, referred_case)}
        )
        assert response.status_code == 302
        assert response["Location"].endswith("#notes")
    note = CaseNote.objects.get(text__isnull=False, pk=CaseNote.objects.latest("id").pk)
    assert note.author == alice
    assert note.text == TEXT
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM casefiles_casenote WHERE id = %s", [note.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("enc1:")
    assert "Testa" not in stored
    page = alice_client.get(referred_case.get_absolute_url()).content.decode()
    assert page.index("afraid of her employer") < page.index("First note")
    assert ActionLog.objects.filter(action=AuditEvent.NOTE_ADDED, case=referred_case).count() == 2


def test_reading_the_notes_is_recorded(referred_case, alice, bob):
    note = services.note_add(actor=alice, case=referred_case, text=TEXT)
    client = Client()
    client.force_login(bob)
    client.get(referred_case.get_absolute_url())
    read = ActionLog.objects.get(action=AuditEvent.NOTE_READ, actor=bob)
    assert read.case == referred_case
    assert read.data["notes"] == [note.pk]


def test_the_same_form_sent_twice_makes_one_note(referred_case, alice_client):
    url = reverse("casefiles:note_add", args=[referred_case.pk])
    data = {"text": TEXT, "form_token": _token(alice_client, referred_case)}
    alice_client.post(url, data)
    again = alice_client.post(url, data)
    assert again.status_code == 302
    assert CaseNote.objects.count() == 1


def test_an_empty_note_is_refused_and_a_refused_form_keeps_the_text(referred_case, alice_client):
    url = reverse("casefiles:note_add", args=[referred_case.pk])
    response = alice_client.post(
        url, {"text": "   ", "form_token": _token(alice_client, referred_case)}
    )
    assert response.status_code == 422
    assert "Write the note." in response.content.decode()
    # Too long: refused, and the typed text comes back in the form.
    long_text = TEXT + " more" * 4000
    response = alice_client.post(
        url, {"text": long_text, "form_token": _token(alice_client, referred_case)}
    )
    assert response.status_code == 422
    assert "afraid of her employer" in response.content.decode()
    assert CaseNote.objects.count() == 0


def test_with_htmx_the_section_comes_back_in_place(referred_case, alice_client):
    url = reverse("casefiles:note_add", args=[referred_case.pk])
    response = alice_client.post(
        url,
        {"text": TEXT, "form_token": _token(alice_client, referred_case)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#casefiles"
    assert "afraid of her employer" in response.content.decode()
    # The confirmation is shown in the section, not left for the next page.
    assert "The note was saved." in response.content.decode()
    assert (
        "The note was saved."
        not in alice_client.get(referred_case.get_absolute_url()).content.decode()
    )
    refused = alice_client.post(
        url, {"text": "", "form_token": _token(alice_client, referred_case)}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 422
    assert "Write the note." in refused.content.decode()


def test_the_author_may_edit_within_the_window_and_then_only_correct(
    referred_case, alice, alice_client, settings
):
    settings.BRIK_NOTE_EDIT_MINUTES = 15
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        note = services.note_add(actor=alice, case=referred_case, text="Met on Tuesday")
    edit = reverse("casefiles:note_edit", args=[note.pk])
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        page = alice_client.get(edit)
        assert page.status_code == 200
        token = page.context["form"]["form_token"].value()
        assert (
            alice_client.post(edit, {"text": "Met on Wednesday", "form_token": token}).status_code
            == 302
        )
    note.refresh_from_db()
    assert note.text == "Met on Wednesday"
    assert note.edited_at is not None
    entry = ActionLog.objects.get(action=AuditEvent.NOTE_EDITED)
    assert entry.changes == {"text": {"changed": True}}
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        late = alice_client.get(edit)
        assert late.status_code == 302
        assert late["Location"] == reverse("casefiles:note_correct", args=[note.pk])
        with pytest.raises(Exception, match="first 15 minutes"):
            services.note_edit(actor=alice, note=note, text="Too late")
    note.refresh_from_db()
    assert note.text == "Met on Wednesday"


def test_only_the_author_may_edit(referred_case, alice, bob):
    note = services.note_add(actor=alice, case=referred_case, text=TEXT)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(bob)
    response = client.get(reverse("casefiles:note_edit", args=[note.pk]))
    assert response.status_code == 302  # sent on to write a correction
    with pytest.raises(Exception, match="Only the author"):
        services.note_edit(actor=bob, note=note, text="Changed by someone else")


def test_a_correction_is_a_new_note_that_refers_to_the_old_one(referred_case, alice, bob):
    note = services.note_add(actor=alice, case=referred_case, text="Born in 1999")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(bob)
    url = reverse("casefiles:note_correct", args=[note.pk])
    token = client.get(url).context["form"]["form_token"].value()
    assert (
        client.post(url, {"text": "Born in 1998, not 1999", "form_token": token}).status_code == 302
    )
    correction = CaseNote.objects.get(corrects=note)
    assert correction.author == bob
    note.refresh_from_db()
    assert note.text == "Born in 1999"
    entry = ActionLog.objects.get(action=AuditEvent.NOTE_CORRECTED)
    assert entry.data == {"corrects": note.pk}
    page = client.get(referred_case.get_absolute_url()).content.decode()
    assert "Corrects the note of" in page


@pytest.mark.parametrize("who", ["carol", "dave", "erin", "frank", "oscar", "mallory"])
def test_nobody_outside_the_centre_reads_or_writes_notes(who, referred_case, alice, request):
    note = services.note_add(actor=alice, case=referred_case, text=TEXT)
    client = Client()
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("casefiles:note_add", args=[referred_case.pk]),
        reverse("casefiles:note_edit", args=[note.pk]),
        reverse("casefiles:note_correct", args=[note.pk]),
    ):
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"text": "x"} if method == "post" else None)
            assert response.status_code in (403, 404), (who, url)
            assert "afraid" not in response.content.decode()
    assert CaseNote.objects.count() == 1


def test_a_partner_sees_no_note_on_their_referrals_page(referred_case, alice, dave):
    services.note_add(actor=alice, case=referred_case, text=TEXT)
    client = Client()
    client.force_login(dave)
    page = client.get(reverse("cases:referrals"))
    assert page.status_code == 200
    assert "afraid" not in page.content.decode()


def test_the_case_page_reads_notes_and_files_in_a_fixed_number_of_queries(
    referred_case, alice, alice_client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from brik.casefiles.tests.conftest import PDF, upload

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(referred_case.get_absolute_url()).status_code == 200
        return len(queries)

    services.note_add(actor=alice, case=referred_case, text="One")
    services.attachment_upload(actor=alice, case=referred_case, upload=upload("a.pdf", PDF))
    count()  # the session's first read renews it
    one = count()
    for n in range(4):
        correction = services.note_add(actor=alice, case=referred_case, text=f"More {n}")
        services.note_add(actor=alice, case=referred_case, text="Fix", corrects=correction)
        services.attachment_upload(actor=alice, case=referred_case, upload=upload("b.pdf", PDF))
    assert count() == one
