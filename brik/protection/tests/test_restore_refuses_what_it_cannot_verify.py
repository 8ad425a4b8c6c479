"""`brik restore` checks the whole file before it touches anything.

Each refusal is one clear line, the live database stays exactly as it was,
and no safety copy or temporary file is left behind.
"""

import sqlite3

import pytest
from django.core.management import CommandError, call_command

from brik.protection import backup as backup_module
from brik.protection.backup import backup_create, backup_dir
from brik.protection.crypto import generate_key
from brik.protection.tests.backups import live_snapshot, refer


@pytest.fixture
def good_backup(dave, police, tmp_path):
    refer(dave, police)
    path = tmp_path / "good.brikbackup"
    backup_create(path=path)
    refer(dave, police, n=1)  # the live database differs from the backup
    return path


def _refused(path, match: str) -> None:
    before = live_snapshot()
    with pytest.raises(CommandError, match=match) as refusal:
        call_command("restore", str(path), yes=True, verbosity=0)
    assert "\n" not in str(refusal.value)
    assert live_snapshot() == before
    assert not backup_dir().exists() or list(backup_dir().iterdir()) == []


def _with_bytes(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


pytestmark = pytest.mark.django_db(transaction=True)


def test_restore_refuses_an_empty_file(good_backup, tmp_path):
    _refused(_with_bytes(tmp_path, "empty.bin", b""), "is empty, not a Brik backup")


def test_restore_refuses_a_file_that_is_not_a_backup(good_backup, tmp_path):
    _refused(_with_bytes(tmp_path, "notes.txt", b"just some text\n" * 100), "not a Brik backup")


def test_restore_refuses_a_plain_sqlite_database(good_backup, tmp_path):
    foreign = tmp_path / "foreign.sqlite3"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    _refused(foreign, "plain SQLite database, not a Brik backup")


def test_restore_refuses_a_truncated_backup(good_backup, tmp_path):
    content = good_backup.read_bytes()
    for cut in (len(content) - 1, len(content) // 2, 40):
        _refused(_with_bytes(tmp_path, f"cut{cut}.bin", content[:cut]), "truncated|damaged")


def test_restore_refuses_a_backup_changed_in_one_byte(good_backup, tmp_path):
    content = bytearray(good_backup.read_bytes())
    content[len(content) // 2] ^= 0x01
    _refused(_with_bytes(tmp_path, "changed.bin", bytes(content)), "damaged or was changed")


def test_restore_refuses_a_backup_with_bytes_added_at_the_end(good_backup, tmp_path):
    content = good_backup.read_bytes() + b"\x00"
    _refused(_with_bytes(tmp_path, "longer.bin", content), "data after its end")


def test_restore_refuses_a_backup_made_with_another_key(good_backup, settings):
    settings.ENCRYPTION_KEYS = [generate_key()]
    _refused(good_backup, "cannot be decrypted with BRIK_ENCRYPTION_KEYS")


def test_restore_refuses_a_backup_from_a_newer_brik(dave, police, tmp_path, monkeypatch):
    manifest = backup_module._manifest

    def from_the_future(*args, **kwargs):
        found = manifest(*args, **kwargs)
        found["migrations"].append(["cases", "9999_from_the_future"])
        return found

    monkeypatch.setattr(backup_module, "_manifest", from_the_future)
    refer(dave, police)
    path = tmp_path / "future.brikbackup"
    backup_create(path=path)
    monkeypatch.undo()

    _refused(path, "newer version of Brik .* cases.9999_from_the_future")


def test_restore_refuses_a_backup_of_the_other_database_engine(dave, police, tmp_path, monkeypatch):
    manifest = backup_module._manifest

    def other_engine(*args, **kwargs):
        return {**manifest(*args, **kwargs), "vendor": "oracle"}

    monkeypatch.setattr(backup_module, "_manifest", other_engine)
    refer(dave, police)
    path = tmp_path / "oracle.brikbackup"
    backup_create(path=path)
    monkeypatch.undo()

    _refused(path, "is a backup of a oracle database")


def test_restore_refuses_a_missing_file(good_backup, tmp_path):
    _refused(tmp_path / "missing.brikbackup", "does not exist")


def test_a_good_backup_passes_the_check_without_being_restored(good_backup, capsys):
    before = live_snapshot()
    call_command("restore", str(good_backup), check=True)
    assert "is intact and can be restored here" in capsys.readouterr().out
    assert live_snapshot() == before
