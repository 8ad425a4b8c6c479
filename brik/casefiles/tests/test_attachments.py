"""Attachments: type by content, size limit, virus scan hook, encrypted on disk, audited
downloads with safe headers, deletion, and who may do what."""

import sys

import pytest
from django.test import Client
from django.urls import reverse

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.casefiles import services, storage
from brik.casefiles.models import Attachment
from brik.casefiles.tests.conftest import EXE, MARKER, PDF, PNG, big_pdf, upload


def _token(client, case):
    page = client.get(reverse("casefiles:attachment_add", args=[case.pk]))
    return page.context["form"]["form_token"].value()


def _send(client, case, name, content, **extra):
    return client.post(
        reverse("casefiles:attachment_add", args=[case.pk]),
        {
            "file": upload(name, content),
            "description": "Passport, copy",
            "form_token": _token(client, case),
        },
        **extra,
    )


def test_an_uploaded_pdf_is_stored_encrypted_outside_the_database(referred_case, alice_client):
    response = _send(alice_client, referred_case, "pas Testa.pdf", PDF)
    assert response.status_code == 302
    assert response["Location"].endswith("#attachments")
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.size, attachment.name) == ("pdf", len(PDF), "pas Testa.pdf")
    raw = storage.path_of(attachment.stored_name).read_bytes()
    assert MARKER not in raw
    assert b"%PDF" not in raw
    entry = ActionLog.objects.get(action=AuditEvent.ATTACHMENT_UPLOADED)
    assert entry.case == referred_case
    assert entry.data == {"kind": "pdf", "bytes": len(PDF)}
    assert "Testa" not in str(entry.data)
    page = alice_client.get(referred_case.get_absolute_url()).content.decode()
    assert "pas Testa.pdf" in page


def test_the_type_is_recognised_by_content_not_by_name(referred_case, alice_client):
    refused = _send(alice_client, referred_case, "report.pdf", EXE)
    assert refused.status_code == 422
    assert "not accepted" in refused.content.decode()
    # The typed description is kept in the form shown again.
    assert "Passport, copy" in refused.content.decode()
    assert Attachment.objects.count() == 0
    assert storage.stored_names_on_disk() == []
    accepted = _send(alice_client, referred_case, "scan.pdf", PNG)
    assert accepted.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.kind == "png"
    assert attachment.content_type == "image/png"
    assert attachment.name == "scan.pdf.png"


def test_plain_text_is_refused(referred_case, alice):
    with pytest.raises(Exception, match="not accepted"):
        services.attachment_upload(
            actor=alice, case=referred_case, upload=upload("notes.txt", b"just text\n")
        )


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(
    referred_case, alice_client, settings
):
    settings.BRIK_ATTACHMENT_MAX_MB = 1
    response = _send(alice_client, referred_case, "big.pdf", big_pdf(1024 * 1024 + 10))
    assert response.status_code == 422
    assert "larger than 1 MB" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert _send(alice_client, referred_case, "fits.pdf", big_pdf(900_000)).status_code == 302


def test_an_empty_file_is_refused(referred_case, alice_client):
    response = _send(alice_client, referred_case, "empty.pdf", b"")
    assert response.status_code == 422
    assert Attachment.objects.count() == 0


def test_the_same_upload_sent_twice_makes_one_attachment(referred_case, alice_client):
    url = reverse("casefiles:attachment_add", args=[referred_case.pk])
    token = _token(alice_client, referred_case)
    for _ in range(2):
        response = alice_client.post(url, {"file": upload("a.pdf", PDF), "form_token": token})
        assert response.status_code == 302
    assert Attachment.objects.count() == 1


def test_a_download_is_audited_and_sent_as_a_private_attachment(referred_case, alice, bob):
    attachment = services.attachment_upload(
        actor=alice, case=referred_case, upload=upload("politirapport æøå.pdf", PDF)
    )
    client = Client()
    client.force_login(bob)
    response = client.get(reverse("casefiles:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "politirapport" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = ActionLog.objects.get(action=AuditEvent.ATTACHMENT_DOWNLOADED)
    assert entry.actor == bob
    assert entry.case == referred_case


def test_a_missing_file_is_a_clear_message_not_a_server_error(referred_case, alice, alice_client):
    attachment = services.attachment_upload(
        actor=alice, case=referred_case, upload=upload("a.pdf", PDF)
    )
    storage.path_of(attachment.stored_name).unlink()
    response = alice_client.get(reverse("casefiles:attachment_download", args=[attachment.pk]))
    assert response.status_code == 302
    assert not ActionLog.objects.filter(action=AuditEvent.ATTACHMENT_DOWNLOADED).exists()


def test_deleting_removes_the_row_and_the_file(referred_case, alice, alice_client):
    attachment = services.attachment_upload(
        actor=alice, case=referred_case, upload=upload("a.pdf", PDF)
    )
    url = reverse("casefiles:attachment_delete", args=[attachment.pk])
    token = alice_client.get(url).context["form"]["form_token"].value()
    response = alice_client.post(url, {"form_token": token})
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert ActionLog.objects.filter(action=AuditEvent.ATTACHMENT_DELETED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_deleted_attachments_file_leaves_the_disk(referred_case, alice):
    attachment = services.attachment_upload(
        actor=alice, case=referred_case, upload=upload("a.pdf", PDF)
    )
    path = storage.path_of(attachment.stored_name)
    assert path.exists()
    services.attachment_delete(actor=alice, attachment=attachment)
    assert not path.exists()


@pytest.mark.parametrize(
    ("command", "accepted", "message"),
    [
        ("true {path}", True, ""),
        (f"{sys.executable} -c 'import sys; sys.exit(1)' {{path}}", False, "did not pass"),
        ("/nonexistent/clamdscan {path}", False, "could not be run"),
        (f"{sys.executable} -c 'import time; time.sleep(5)'", False, "did not finish in time"),
    ],
)
def test_the_virus_scan_hook_decides(referred_case, alice, settings, command, accepted, message):
    settings.BRIK_VIRUS_SCAN_COMMAND = command
    settings.BRIK_VIRUS_SCAN_TIMEOUT = 1
    if accepted:
        services.attachment_upload(actor=alice, case=referred_case, upload=upload("a.pdf", PDF))
        assert Attachment.objects.count() == 1
    else:
        with pytest.raises(Exception, match=message):
            services.attachment_upload(actor=alice, case=referred_case, upload=upload("a.pdf", PDF))
        assert Attachment.objects.count() == 0
    # The plain copy made for the scanner never stays.
    assert [
        p.name for p in storage.files_dir().iterdir() if p.name.startswith(storage.TEMPORARY)
    ] == []


def test_the_scanner_sees_the_real_content(referred_case, alice, settings, tmp_path):
    seen = tmp_path / "seen"
    settings.BRIK_VIRUS_SCAN_COMMAND = f"cp {{path}} {seen}"
    services.attachment_upload(actor=alice, case=referred_case, upload=upload("a.pdf", PDF))
    assert seen.read_bytes() == PDF


@pytest.mark.parametrize("who", ["carol", "dave", "erin", "frank", "oscar", "mallory"])
def test_nobody_outside_the_centre_reaches_attachments(who, referred_case, alice, request):
    attachment = services.attachment_upload(
        actor=alice, case=referred_case, upload=upload("a.pdf", PDF)
    )
    client = Client()
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("casefiles:attachment_add", args=[referred_case.pk]),
        reverse("casefiles:attachment_download", args=[attachment.pk]),
        reverse("casefiles:attachment_delete", args=[attachment.pk]),
    ):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404), (who, url, method)
    assert Attachment.objects.count() == 1
    assert not ActionLog.objects.filter(action=AuditEvent.ATTACHMENT_DOWNLOADED).exists()


def test_an_upload_is_never_spooled_to_disk_and_a_too_large_one_not_kept(
    referred_case, alice_client, settings, tmp_path
):
    """Django would write an upload over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file
    in clear; the attachment view keeps it in memory, and drops one over the limit."""
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.BRIK_ATTACHMENT_MAX_MB = 1
    assert _send(alice_client, referred_case, "fits.pdf", big_pdf(500_000)).status_code == 302
    refused = _send(alice_client, referred_case, "big.pdf", big_pdf(1024 * 1024 + 10))
    assert refused.status_code == 422
    assert "larger than 1 MB" in refused.content.decode()
    assert "Choose a file" not in refused.content.decode()
    assert Attachment.objects.count() == 1
    assert list(spool.iterdir()) == []


def test_the_upload_form_is_protected_against_cross_site_requests(referred_case, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        reverse("casefiles:attachment_add", args=[referred_case.pk]),
        {"file": upload("a.pdf", PDF), "form_token": "x" * 32},
    )
    assert response.status_code == 403
    assert Attachment.objects.count() == 0
