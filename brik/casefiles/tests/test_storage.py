"""The attachment file on disk: encrypted, authenticated, private, streamed in chunks."""

import os
import stat

import pytest

from brik.casefiles import storage
from brik.casefiles.tests.conftest import MARKER, PDF


def _store(content: bytes, name: str | None = None) -> tuple[str, str]:
    name, key = name or storage.new_stored_name(), storage.new_key()
    storage.write_encrypted([content], stored_name=name, key=key)
    return name, key


def test_the_file_on_disk_holds_nothing_in_clear_and_reads_back(db):
    name, key = _store(PDF)
    raw = storage.path_of(name).read_bytes()
    assert MARKER not in raw
    assert b"%PDF" not in raw
    assert b"".join(storage.read_decrypted(stored_name=name, key=key)) == PDF


def test_files_and_folder_are_private(db):
    name, _key = _store(PDF)
    path = storage.path_of(name)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_big_file_is_written_and_read_in_chunks(db):
    content = os.urandom(storage.CHUNK * 2 + 123)
    name, key = _store(content)
    chunks = list(storage.read_decrypted(stored_name=name, key=key))
    assert len(chunks) == 3
    assert max(len(c) for c in chunks) == storage.CHUNK
    assert b"".join(chunks) == content


def test_a_changed_byte_is_refused(db):
    name, key = _store(PDF)
    path = storage.path_of(name)
    raw = bytearray(path.read_bytes())
    raw[20] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(storage.StoredFileError, match="damaged"):
        b"".join(storage.read_decrypted(stored_name=name, key=key))


def test_a_truncated_file_is_refused(db):
    content = os.urandom(storage.CHUNK + 10)
    name, key = _store(content)
    path = storage.path_of(name)
    raw = path.read_bytes()
    # Drop the final record: every remaining record still authenticates.
    final = storage.TAG + 4
    path.write_bytes(raw[:-final])
    with pytest.raises(storage.StoredFileError, match="truncated"):
        b"".join(storage.read_decrypted(stored_name=name, key=key))


def test_a_file_copied_over_another_name_does_not_open(db):
    first, key = _store(PDF)
    second = storage.new_stored_name()
    storage.path_of(second).write_bytes(storage.path_of(first).read_bytes())
    with pytest.raises(storage.StoredFileError):
        b"".join(storage.read_decrypted(stored_name=second, key=key))


def test_a_wrong_key_does_not_open(db):
    name, _key = _store(PDF)
    with pytest.raises(storage.StoredFileError):
        b"".join(storage.read_decrypted(stored_name=name, key=storage.new_key()))


def test_a_missing_file_is_a_clear_error(db):
    with pytest.raises(storage.StoredFileError, match="missing"):
        b"".join(storage.read_decrypted(stored_name="ab" * 16, key=storage.new_key()))


def test_a_stored_name_cannot_leave_the_folder():
    with pytest.raises(storage.StoredFileError):
        storage.path_of("../../etc/passwd")
