"""Authenticated encryption of single values, and the keyed blind index.

Fernet (AES-128-CBC with HMAC-SHA256) from the `cryptography` package: a
tampered or wrongly keyed value fails loudly with DecryptionError instead of
returning garbage. MultiFernet lets old keys decrypt while the first key
encrypts, which is what key rotation needs.
"""

import base64
import binascii
import hashlib
import hmac
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@cache
def _keyring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("No encryption key configured (BRIK_ENCRYPTION_KEYS).")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "BRIK_ENCRYPTION_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from exc


def keyring() -> MultiFernet:
    return _keyring(tuple(settings.ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return PREFIX + keyring().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise DecryptionError("The stored value is not encrypted by Brik.")
    try:
        return keyring().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise DecryptionError(
            "A stored value cannot be decrypted with the configured keys: "
            "wrong BRIK_ENCRYPTION_KEYS, or the value was tampered with."
        ) from None


def decrypt_with(stored: str, keys) -> str:
    """Decrypt with the given keys instead of the configured ones (key checks)."""
    if not stored.startswith(PREFIX):
        raise DecryptionError("The stored value is not encrypted by Brik.")
    try:
        return _keyring(tuple(keys)).decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except (InvalidToken, UnicodeDecodeError):
        raise DecryptionError("The value cannot be decrypted with these keys.") from None


def reencrypt(stored: str) -> str:
    """Re-encrypt with the current (first) key; raises DecryptionError like decrypt."""
    if not stored.startswith(PREFIX):
        raise DecryptionError("The stored value is not encrypted by Brik.")
    try:
        token = keyring().rotate(stored[len(PREFIX) :].encode("ascii"))
    except InvalidToken:
        raise DecryptionError(
            "A stored value cannot be decrypted with the configured keys."
        ) from None
    return PREFIX + token.decode("ascii")


def is_fernet_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False


def malformed_key_positions(keys) -> list[int]:
    """1-based positions of the values in `keys` that are not Fernet keys."""
    return [n for n, key in enumerate(keys, start=1) if not is_fernet_key(key)]


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def normalise_name(value: str) -> str:
    """Case, accents and spacing do not matter when matching names."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("-", " ").split())


def blind_index(value: str) -> str:
    """A keyed HMAC of the normalised value: equal names give equal indexes, and
    without the key nothing can be learnt from it. Empty stays empty."""
    normalised = normalise_name(value)
    if not normalised:
        return ""
    key = settings.BLIND_INDEX_KEY
    if not key:
        raise ImproperlyConfigured("No blind index key configured (BRIK_BLIND_INDEX_KEY).")
    return hmac.new(key.encode(), normalised.encode("utf-8"), hashlib.sha256).hexdigest()
