"""The backup file: one encrypted, authenticated container that is written and read as a stream.

    magic        8 bytes   b"BRIKBK01"
    header       4 bytes length (big-endian) + JSON: format, created_at, cipher,
                 chunk size, and the file key wrapped with BRIK_ENCRYPTION_KEYS
    records      4 bytes length + AES-256-GCM ciphertext, one per chunk of the
                 database dump (at most 1 MiB each), then one final record
                 holding the manifest (JSON); nothing may follow it

Each file has its own random 256-bit key, wrapped (Fernet) with the first of
BRIK_ENCRYPTION_KEYS, so a backup made before a key rotation still opens while
the old key is listed. A record's nonce is its number plus a flag marking the
final record, and every record authenticates the magic and the header: a
changed, dropped, reordered or truncated record, a changed header and bytes
after the end all fail to read. The manifest also carries the size and SHA-256
of the whole payload.

Neither side holds more than one chunk in memory.
"""

import hashlib
import json
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from brik.protection import crypto

MAGIC = b"BRIKBK01"
FORMAT = 1
CHUNK = 1 << 20
TAG = 16
MAX_HEADER = 1 << 16
MAX_MANIFEST = 1 << 26
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupFileError(Exception):
    """The file is not a backup this Brik can read; the message says why, in one line."""


def _nonce(counter: int, final: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


class BackupWriter:
    """Encrypts a stream into `out`: write() the payload, then finish(manifest)."""

    def __init__(self, out: BinaryIO, *, created_at: str):
        key = AESGCM.generate_key(bit_length=256)
        self._aes = AESGCM(key)
        header = json.dumps(
            {
                "format": FORMAT,
                "created_at": created_at,
                "cipher": "AES-256-GCM",
                "chunk": CHUNK,
                "key": crypto.keyring().encrypt(key).decode("ascii"),
            }
        ).encode("utf-8")
        self._aad = MAGIC + len(header).to_bytes(4, "big") + header
        self._out = out
        self._out.write(self._aad)
        self._buffer = bytearray()
        self._counter = 0
        self._sha = hashlib.sha256()
        self._size = 0

    def write(self, data: bytes) -> None:
        self._sha.update(data)
        self._size += len(data)
        self._buffer += data
        while len(self._buffer) >= CHUNK:
            self._record(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]

    @property
    def written(self) -> int:
        """The payload's bytes so far (where the attachment files start)."""
        return self._size

    def _record(self, plaintext: bytes, *, final: bool) -> None:
        sealed = self._aes.encrypt(_nonce(self._counter, final), plaintext, self._aad)
        self._out.write(len(sealed).to_bytes(4, "big") + sealed)
        self._counter += 1

    def finish(self, manifest: dict) -> dict:
        if self._buffer:
            self._record(bytes(self._buffer), final=False)
            self._buffer.clear()
        manifest = {**manifest, "payload": {"bytes": self._size, "sha256": self._sha.hexdigest()}}
        self._record(json.dumps(manifest, sort_keys=True).encode("utf-8"), final=True)
        return manifest


class BackupReader:
    """Decrypts and checks a backup: iterate chunks(), then read `manifest`.

    Raises BackupFileError, with the file's name and what is wrong, as soon as
    anything does not check out; `manifest` is set only when the whole file
    was read and found intact.
    """

    def __init__(self, source: BinaryIO, name: str):
        self._in = source
        self.name = name
        self.manifest: dict | None = None
        self.header = self._header()
        try:
            key = crypto.keyring().decrypt(self.header["key"].encode("ascii"))
        except (InvalidToken, UnicodeEncodeError, AttributeError):
            raise self._error(
                "cannot be decrypted with BRIK_ENCRYPTION_KEYS (it was made with a key "
                "that is not configured, or its header was changed)"
            ) from None
        if len(key) != 32:
            raise self._error("has a damaged header")
        self._aes = AESGCM(key)

    def _error(self, what: str) -> BackupFileError:
        return BackupFileError(f"{self.name} {what}.")

    def _read(self, size: int) -> bytes:
        data = self._in.read(size)
        while len(data) < size:
            more = self._in.read(size - len(data))
            if not more:
                break
            data += more
        return data

    def _header(self) -> dict:
        magic = self._read(len(MAGIC))
        if magic != MAGIC:
            if not magic:
                raise self._error("is empty, not a Brik backup")
            start = magic + self._read(len(SQLITE_MAGIC) - len(magic))
            if start.startswith(SQLITE_MAGIC):
                raise self._error(
                    "is a plain SQLite database, not a Brik backup (backups from Brik "
                    "before encrypted backups cannot be restored by this version)"
                )
            if start.startswith(PGDUMP_MAGIC):
                raise self._error("is a plain pg_dump file, not a Brik backup")
            if magic.startswith(MAGIC[:6]):
                raise self._error("was made by a newer version of Brik; upgrade Brik first")
            raise self._error("is not a Brik backup")
        length = int.from_bytes(self._read(4), "big")
        if not 0 < length <= MAX_HEADER:
            raise self._error("has a damaged header")
        raw = self._read(length)
        if len(raw) != length:
            raise self._error("is truncated (in its header)")
        try:
            header = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise self._error("has a damaged header") from None
        if not isinstance(header, dict) or not isinstance(header.get("format"), int):
            raise self._error("has a damaged header")
        if header["format"] > FORMAT:
            raise self._error("was made by a newer version of Brik; upgrade Brik first")
        if header["format"] != FORMAT or header.get("cipher") != "AES-256-GCM":
            raise self._error("has a damaged header")
        self._aad = MAGIC + length.to_bytes(4, "big") + raw
        return header

    def chunks(self) -> Iterator[bytes]:
        sha, size, counter = hashlib.sha256(), 0, 0
        while True:
            prefix = self._read(4)
            if not prefix:
                raise self._error("is truncated (its end is missing)")
            if len(prefix) < 4:
                raise self._error("is truncated")
            length = int.from_bytes(prefix, "big")
            if not TAG <= length <= MAX_MANIFEST + TAG:
                raise self._error("is damaged (a record has an impossible length)")
            sealed = self._read(length)
            if len(sealed) < length:
                raise self._error("is truncated")
            plaintext, final = self._open(sealed, counter)
            counter += 1
            if final:
                break
            sha.update(plaintext)
            size += len(plaintext)
            yield plaintext
        if self._in.read(1):
            raise self._error("has data after its end (it was changed)")
        try:
            manifest = json.loads(plaintext)
            payload = manifest["payload"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise self._error("has a damaged manifest") from None
        if payload.get("bytes") != size or payload.get("sha256") != sha.hexdigest():
            raise self._error("does not match its checksum (it is damaged)")
        self.manifest = manifest

    def _open(self, sealed: bytes, counter: int) -> tuple[bytes, bool]:
        for final in (False, True):
            try:
                return self._aes.decrypt(_nonce(counter, final), sealed, self._aad), final
            except InvalidTag:
                continue
        raise self._error(f"is damaged or was changed (record {counter + 1} does not authenticate)")

    def read_all(self) -> dict:
        """Read through the whole file without keeping anything; returns the manifest."""
        for _chunk in self.chunks():
            pass
        assert self.manifest is not None  # chunks() sets it or raises
        return self.manifest


def header_created_at(path) -> str | None:
    """A backup's creation time from its (unauthenticated) header, or None if it is not one."""
    try:
        with open(path, "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                return None
            length = int.from_bytes(f.read(4), "big")
            if not 0 < length <= MAX_HEADER:
                return None
            header = json.loads(f.read(length))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    created = header.get("created_at") if isinstance(header, dict) else None
    return created if isinstance(created, str) else None
