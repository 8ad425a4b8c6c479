"""Fernet tokens for the demo's encrypted fields, made without Fernet's per-value set-up.

The writer encrypts every name, alias and birth date of a million persons. The
`cryptography` package's Fernet builds a new AES-CBC cipher context for each
value; here the keys are derived once and AES-CBC is chained block by block
over one reusable AES block encryptor (CBC is exactly that: each block XORed
with the previous ciphertext block, the first with the random IV). The tokens
are Fernet tokens (version 0x80, time, a new random 128-bit IV from os.urandom
per value, AES-128-CBC with PKCS7 padding, HMAC-SHA256 over all of it) under
the first of BRIK_ENCRYPTION_KEYS, as brik.protection.crypto.encrypt makes
them: brik.protection.crypto.decrypt reads them, and key rotation re-encrypts
them (brik/demo/tests/test_sealing.py decrypts them with Fernet itself).
"""

import base64
import hmac
import os
import struct
import time

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

from brik.protection import crypto

_VERSION = b"\x80"
_PADDING = [bytes([n]) * n for n in range(17)]


class Sealer:
    """Encrypts text into "enc1:<Fernet token>" with one Fernet key (urlsafe base64 text)."""

    def __init__(self, key: str | None = None):
        if key is None:
            crypto.keyring()  # the same refusal as crypto.encrypt when no key is configured
            key = settings.ENCRYPTION_KEYS[0]
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
        if len(raw) != 32:
            raise ValueError("A Fernet key is 32 url-safe base64-encoded bytes.")
        self._signing = raw[:16]
        # ECB of one block at a time is the AES block function; CBC's chaining is below.
        self._block = Cipher(algorithms.AES(raw[16:]), modes.ECB()).encryptor().update  # noqa: S305

    def seal(self, text: str) -> str:
        data = text.encode("utf-8")
        data += _PADDING[16 - len(data) % 16]
        iv = os.urandom(16)
        block, chained = self._block, int.from_bytes(iv, "big")
        sealed = []
        for start in range(0, len(data), 16):
            out = block(
                (int.from_bytes(data[start : start + 16], "big") ^ chained).to_bytes(16, "big")
            )
            sealed.append(out)
            chained = int.from_bytes(out, "big")
        body = _VERSION + struct.pack(">Q", int(time.time())) + iv + b"".join(sealed)
        token = body + hmac.digest(self._signing, body, "sha256")
        return crypto.PREFIX + base64.urlsafe_b64encode(token).decode("ascii")
