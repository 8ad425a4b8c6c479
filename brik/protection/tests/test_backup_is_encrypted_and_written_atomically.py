"""A backup is one encrypted file that appears under its name only when it is complete."""

import stat

import pytest
from django.core.management import call_command
from django.db import connection

from brik.protection import backup as backup_module
from brik.protection.backup import backup_create, backup_verify
from brik.protection.backup_file import MAGIC, SQLITE_MAGIC
from brik.protection.tests.backups import refer


@pytest.fixture
def people(dave, police):
    refer(dave, police)


def _stored_values() -> list[bytes]:
    """Values as the database holds them: identity ciphertexts and the audit key."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_names FROM cases_personidentity")
        values = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT audit_key, key_check FROM protection_database")
        values += list(cursor.fetchone())
    return [v.encode() for v in values]


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_nothing_of_the_database_in_clear(people, tmp_path):
    path = tmp_path / "brik.backup"
    backup_create(path=path)

    content = path.read_bytes()
    assert content.startswith(MAGIC)
    assert SQLITE_MAGIC not in content
    assert b"PGDMP" not in content
    assert b"audit_actionlog" not in content
    assert b"Testperson" not in content
    for value in _stored_values():
        assert value not in content


@pytest.mark.django_db(transaction=True)
def test_a_backup_carries_a_manifest_of_what_it_holds(people, tmp_path):
    from brik.audit.models import ActionLog
    from brik.cases.models import Case

    path = tmp_path / "brik.backup"
    cases, audit_rows = Case.objects.count(), ActionLog.objects.count()
    backup_create(path=path)

    manifest = backup_verify(path=path)

    assert manifest["vendor"] == connection.vendor
    assert manifest["brik_version"]
    assert manifest["created_at"]
    assert ["audit", "0004_actionlog_chain"] in manifest["migrations"]
    assert manifest["tables"]["cases_case"] == cases
    assert manifest["payload"]["bytes"] > 0
    assert len(manifest["payload"]["sha256"]) == 64
    assert manifest["audit"]["rows"] == audit_rows


@pytest.mark.django_db(transaction=True)
def test_the_file_is_private_while_it_is_written_and_named_only_when_complete(
    people, tmp_path, monkeypatch
):
    path = tmp_path / "brik.backup"
    seen = {}
    publish = backup_module._publish

    def spy(temporary, final):
        seen["mode"] = stat.S_IMODE(temporary.stat().st_mode)
        seen["final existed"] = final.exists()
        publish(temporary, final)

    monkeypatch.setattr(backup_module, "_publish", spy)
    backup_create(path=path)

    assert seen == {"mode": 0o600, "final existed": False}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["brik.backup"]


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_backup_leaves_no_file_under_the_backups_name(people, tmp_path, monkeypatch):
    path = tmp_path / "brik.backup"

    def killed(self, manifest):
        raise KeyboardInterrupt

    monkeypatch.setattr(backup_module.BackupWriter, "finish", killed)
    with pytest.raises(KeyboardInterrupt):
        backup_create(path=path)

    assert not path.exists()
    assert [p for p in tmp_path.iterdir() if p.is_file()] == []


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_recorded_in_the_action_log(people, tmp_path):
    from brik.audit.models import ActionLog

    call_command("backup", output=tmp_path / "brik.backup", verbosity=0)

    row = ActionLog.objects.get(action="brik.backup.created")
    assert row.data["file"] == "brik.backup"
    assert row.data["bytes"] == (tmp_path / "brik.backup").stat().st_size
