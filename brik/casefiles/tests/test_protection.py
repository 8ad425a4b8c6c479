"""Notes and attachments in backup and restore, retention, the subject access export and
key rotation."""

import datetime as dt
import json
import os

import pytest
import time_machine
from django.core.management import call_command

from brik.casefiles import services, storage
from brik.casefiles.models import Attachment, CaseNote
from brik.casefiles.tests.conftest import MARKER, PDF, PNG, upload
from brik.cases import services as case_services
from brik.core import choices as c
from brik.protection.backup import backup_create, backup_restore
from brik.protection.crypto import generate_key


def _content(attachment: Attachment) -> bytes:
    return b"".join(
        storage.read_decrypted(stored_name=attachment.stored_name, key=attachment.file_key)
    )


@pytest.fixture(autouse=True)
def _backups(settings, tmp_path):
    settings.BRIK_BACKUP_DIR = tmp_path / "backups"


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_bring_back_notes_and_files(referred_case, alice, tmp_path):
    services.note_add(actor=alice, case=referred_case, text="Note before the backup")
    kept = services.attachment_upload(actor=alice, case=referred_case, upload=upload("a.pdf", PDF))
    path = tmp_path / "with-files.brikbackup"
    manifest = backup_create(path=path)
    assert manifest["files"] == {
        "count": 1,
        "bytes": storage.path_of(kept.stored_name).stat().st_size,
    }
    assert MARKER not in path.read_bytes()

    # After the backup: the file is deleted, another added, the note changed.
    services.attachment_delete(actor=alice, attachment=kept)
    later = services.attachment_upload(actor=alice, case=referred_case, upload=upload("b.png", PNG))
    CaseNote.objects.update(text="Changed after the backup")
    assert not storage.path_of(kept.stored_name).exists()

    restored = backup_restore(path=path)

    assert [a.stored_name for a in Attachment.objects.all()] == [kept.stored_name]
    assert _content(Attachment.objects.get()) == PDF
    assert storage.stored_names_on_disk() == [kept.stored_name]
    assert not storage.path_of(later.stored_name).exists()
    assert list(CaseNote.objects.values_list("text", flat=True)) == ["Note before the backup"]
    # The safety copy holds what the restore replaced, files included.
    backup_restore(path=restored.safety_copy, safety_copy=False)
    assert storage.stored_names_on_disk() == [later.stored_name]
    assert _content(Attachment.objects.get()) == PNG


@pytest.mark.django_db(transaction=True)
def test_a_backup_with_a_damaged_file_list_restores_nothing(
    referred_case, alice, tmp_path, monkeypatch
):
    from brik.protection import backup_files

    services.attachment_upload(actor=alice, case=referred_case, upload=upload("a.pdf", PDF))
    path = tmp_path / "x.brikbackup"
    backup_create(path=path)
    before = storage.stored_names_on_disk()

    def refuse(*args, **kwargs):
        raise backup_files.BackupFilesError("x.brikbackup holds an unexpected file ('../evil').")

    monkeypatch.setattr("brik.protection.backup.files_extract", refuse)
    services.attachment_upload(actor=alice, case=referred_case, upload=upload("b.png", PNG))
    with pytest.raises(Exception, match="unexpected file"):
        backup_restore(path=path)
    assert Attachment.objects.count() == 2
    assert len(storage.stored_names_on_disk()) == len(before) + 1


@pytest.fixture
def closed_case(identified_case, alice):
    case_services.case_close(
        actor=alice,
        case=identified_case,
        closed_on=dt.date(2021, 6, 1),
        reason=c.ClosingReason.DECLINED_SUPPORT,
        note="Closing narrative",
    )
    return identified_case


@pytest.mark.django_db(transaction=True)
def test_retention_deletes_the_notes_and_the_files(closed_case, alice, referred_case):
    services.note_add(actor=alice, case=closed_case, text="To be dropped")
    attachment = services.attachment_upload(
        actor=alice, case=closed_case, upload=upload("a.pdf", PDF)
    )
    path = storage.path_of(attachment.stored_name)
    with time_machine.travel(dt.date(2026, 5, 31)):
        call_command("apply_retention", verbosity=0)
    assert CaseNote.objects.count() == 1
    assert path.exists()
    with time_machine.travel(dt.date(2026, 6, 2)):
        call_command("apply_retention", verbosity=0)
    assert not CaseNote.objects.exists()
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_the_subject_access_export_holds_the_notes_and_the_documents(
    identified_case, alice, tmp_path
):
    services.note_add(actor=alice, case=identified_case, text="Syntetisk note for the export")
    services.attachment_upload(
        actor=alice, case=identified_case, upload=upload("pas.pdf", PDF), description="Passport"
    )
    code = identified_case.person.code
    call_command("subject_access_export", code, output=tmp_path, language="en", verbosity=0)
    data = json.loads((tmp_path / f"{code}.json").read_text())
    sections = {s["key"]: s for s in data["sections"]}
    notes = sections[f"case:{identified_case.pk}:notes"]["rows"]
    assert [i["value"] for i in notes[0] if i["field"] == "text"] == [
        "Syntetisk note for the export"
    ]
    files = sections[f"case:{identified_case.pk}:attachments"]["rows"]
    fields = {i["field"]: i["value"] for i in files[0]}
    assert fields["name"] == "pas.pdf"
    assert fields["description"] == "Passport"
    assert "file_key" not in fields
    assert "stored_name" not in fields
    written = list((tmp_path / f"{code}-attachments").iterdir())
    assert len(written) == 1
    assert written[0].read_bytes() == PDF
    assert oct(written[0].stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db(transaction=True)
def test_after_a_key_rotation_files_open_with_the_new_key_alone(referred_case, alice, settings):
    """The file key is an encrypted field: rotate_keys re-encrypts it, the file stays as it is."""
    attachment = services.attachment_upload(
        actor=alice, case=referred_case, upload=upload("a.pdf", PDF)
    )
    services.note_add(actor=alice, case=referred_case, text="Across the rotation")
    raw = storage.path_of(attachment.stored_name).read_bytes()
    old = settings.ENCRYPTION_KEYS[0]
    settings.ENCRYPTION_KEYS = [generate_key(), old]
    call_command("rotate_keys", verbosity=0)
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]
    assert _content(Attachment.objects.get()) == PDF
    assert CaseNote.objects.get().text == "Across the rotation"
    assert storage.path_of(attachment.stored_name).read_bytes() == raw


def test_apply_retention_deletes_files_no_attachment_names(referred_case, alice, capsys):
    kept = services.attachment_upload(actor=alice, case=referred_case, upload=upload("a.pdf", PDF))
    orphan = storage.new_stored_name()
    storage.write_encrypted([PDF], stored_name=orphan, key=storage.new_key())
    young = storage.new_stored_name()
    storage.write_encrypted([PDF], stored_name=young, key=storage.new_key())
    old = storage.path_of(orphan).stat().st_mtime - 2 * 3600
    os.utime(storage.path_of(orphan), (old, old))
    stale = storage.temporary_path()
    os.utime(stale, (old, old))
    call_command("apply_retention")
    assert "Deleted 2 attachment file(s)" in capsys.readouterr().out
    assert not stale.exists()
    # The young one may belong to an upload whose transaction has not committed yet.
    assert storage.stored_names_on_disk() == sorted([kept.stored_name, young])
