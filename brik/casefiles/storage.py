"""Attachments on disk: each file encrypted with its own key, written and read in chunks.

    magic     8 bytes   b"BRIKAT01"
    records   4 bytes length (big-endian) + AES-256-GCM ciphertext of one chunk
              (at most 1 MiB of the file), then one final, empty record

A record's nonce is its number plus a flag marking the final record, and every
record authenticates the magic and the file's stored name: a changed, dropped,
reordered or truncated record, bytes after the end, and a file copied over
another's name all fail to read (StoredFileError). The file's key is random,
kept in the database encrypted with BRIK_ENCRYPTION_KEYS (Attachment.file_key),
so rotating the data keys re-encrypts the key, not the file.

Files are private (0700 folder, 0600 files: brik.protection.files) and are
written under a temporary name, fsynced, then renamed, so a half-written file
never carries a stored name.
"""

import base64
import contextlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from brik.protection.files import private_dir, private_file_create

MAGIC = b"BRIKAT01"
CHUNK = 1 << 20
TAG = 16
SUFFIX = ".brikfile"
TEMPORARY = ".brik-tmp-"


class StoredFileError(Exception):
    """A stored file is missing, damaged, or does not open with its key."""


def files_dir() -> Path:
    return Path(settings.BRIK_FILES_DIR)


def new_stored_name() -> str:
    return secrets.token_hex(16)


def new_key() -> str:
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")


def path_of(stored_name: str) -> Path:
    if not stored_name or not all(ch in "0123456789abcdef" for ch in stored_name):
        raise StoredFileError("Not a stored file name.")
    return files_dir() / f"{stored_name}{SUFFIX}"


def temporary_path() -> Path:
    """A new private temporary file in the files folder (for the virus scan)."""
    directory = private_dir(files_dir())
    path = directory / f"{TEMPORARY}{secrets.token_hex(8)}"
    os.close(private_file_create(path))
    return path


def _nonce(counter: int, final: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


def _aes(key: str) -> AESGCM:
    raw = base64.urlsafe_b64decode(key.encode("ascii"))
    if len(raw) != 32:
        raise StoredFileError("The file key is damaged.")
    return AESGCM(raw)


def _rechunk(source: Iterable[bytes]) -> Iterator[bytes]:
    buffer = bytearray()
    for data in source:
        buffer += data
        while len(buffer) >= CHUNK:
            yield bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    if buffer:
        yield bytes(buffer)


def write_encrypted(source: Iterable[bytes], *, stored_name: str, key: str) -> int:
    """Encrypt `source` (chunks of bytes) into the stored file; returns the plain size."""
    aes = _aes(key)
    aad = MAGIC + stored_name.encode("ascii")
    target = path_of(stored_name)
    private_dir(target.parent)
    if target.exists():
        raise StoredFileError(f"{target.name} exists already.")
    temporary = target.with_name(f"{TEMPORARY}{secrets.token_hex(8)}")
    fd = private_file_create(temporary)
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC)
            counter = 0
            for chunk in _rechunk(source):
                sealed = aes.encrypt(_nonce(counter, False), chunk, aad)
                out.write(len(sealed).to_bytes(4, "big") + sealed)
                counter += 1
                size += len(chunk)
            sealed = aes.encrypt(_nonce(counter, True), b"", aad)
            out.write(len(sealed).to_bytes(4, "big") + sealed)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return size


def _read(f, size: int) -> bytes:
    data = f.read(size)
    while len(data) < size:
        more = f.read(size - len(data))
        if not more:
            break
        data += more
    return data


def read_decrypted(*, stored_name: str, key: str) -> Iterator[bytes]:
    """The stored file's plain content, chunk by chunk; StoredFileError if anything is wrong."""
    aes = _aes(key)
    aad = MAGIC + stored_name.encode("ascii")
    path = path_of(stored_name)
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below, also when the reader stops early
    except FileNotFoundError:
        raise StoredFileError(f"The file {path.name} is missing.") from None
    with f:
        if _read(f, len(MAGIC)) != MAGIC:
            raise StoredFileError(f"{path.name} is not a Brik attachment.")
        counter = 0
        while True:
            prefix = _read(f, 4)
            if len(prefix) < 4:
                raise StoredFileError(f"{path.name} is truncated.")
            length = int.from_bytes(prefix, "big")
            if not TAG <= length <= CHUNK + TAG:
                raise StoredFileError(f"{path.name} is damaged.")
            sealed = _read(f, length)
            if len(sealed) < length:
                raise StoredFileError(f"{path.name} is truncated.")
            for final in (False, True):
                try:
                    plain = aes.decrypt(_nonce(counter, final), sealed, aad)
                    break
                except InvalidTag:
                    continue
            else:
                raise StoredFileError(f"{path.name} is damaged or was changed.")
            counter += 1
            if final:
                if f.read(1):
                    raise StoredFileError(f"{path.name} has data after its end.")
                return
            yield plain


def delete(stored_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_of(stored_name).unlink()


def temporaries_on_disk() -> list[Path]:
    """Temporary files (a write or a virus scan that was killed before it cleaned up)."""
    directory = files_dir()
    if not directory.is_dir():
        return []
    return sorted(directory.glob(f"{TEMPORARY}*"))


def stored_names_on_disk() -> list[str]:
    directory = files_dir()
    if not directory.is_dir():
        return []
    return sorted(p.name[: -len(SUFFIX)] for p in directory.glob(f"*{SUFFIX}"))
