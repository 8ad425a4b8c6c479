"""Authenticated encryption of single values, and the keyed blind index.

Fernet (AES-128-CBC with HMAC-SHA256) from the `cryptography` package: a
tampered or wrongly keyed value fails loudly with DecryptionError instead of
returning garbage. MultiFernet lets old keys decrypt while the first key
encrypts, which is what key rotation needs. `decrypt_many` reads the same tokens,
with the same checks, for a page that decrypts many values at once.
"""

import base64
import binascii
import hashlib
import hmac
import unicodedata
from collections.abc import Sequence
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
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


@cache
def _fernet_parts(keys: tuple[str, ...]) -> tuple[tuple[hmac.HMAC, algorithms.AES], ...]:
    """(HMAC-SHA256 keyed with the signing key, AES algorithm object) of each Fernet
    key, in the keyring's order. The keyed HMAC is copied for each token (a third
    cheaper than keying one anew)."""
    _keyring(keys)  # the same refusal of a missing or malformed key
    parts = []
    for key in keys:
        raw = base64.urlsafe_b64decode(key.encode())
        parts.append((hmac.new(raw[:16], digestmod=hashlib.sha256), algorithms.AES(raw[16:])))
    return tuple(parts)


# A Fernet token: version (0x80), timestamp (8 bytes), IV (16), AES-CBC ciphertext (at
# least one block), HMAC-SHA256 (32) of all that precedes it.
_VERSION, _IV_AT, _TEXT_AT, _MAC = 0x80, 9, 25, 32
_BLOCK = 16


def decrypt_many(values: Sequence[str]) -> list[str]:
    """[decrypt(value) for value in values], for the many values of one page at once.

    The same Fernet tokens and the same checks as the `cryptography` package's
    MultiFernet (the spec: https://github.com/fernet/spec): each token's HMAC is
    checked, in constant time, with each configured key in turn before anything of
    it is decrypted; the first key whose HMAC matches decrypts it; its padding is
    checked. What it saves is the per-value cost of that package's objects: all the
    values of one key are decrypted by one AES-CBC context, each ciphertext in the
    stream preceded by its own IV, so that each ciphertext block is XORed with the
    block before it in its own token (CBC's rule), and the blocks that decrypt the
    IVs themselves are dropped. A search decrypts about 120 values: a third of the
    time of decrypt() on each, 4.4 µs a value against 12.9 (docs/performance.md,
    twenty-first round).

    Raises DecryptionError, as decrypt() does, for the first value that is not
    Brik's, is malformed, or matches no key."""
    if not values:
        return []
    parts = _fernet_parts(tuple(settings.ENCRYPTION_KEYS))
    tokens: list[tuple[int, bytes]] = []  # (key's place, token) in the values' order
    for stored in values:
        if not stored.startswith(PREFIX):
            raise DecryptionError("The stored value is not encrypted by Brik.")
        try:
            data = base64.urlsafe_b64decode(stored[len(PREFIX) :].encode("ascii"))
        except (binascii.Error, UnicodeEncodeError):
            raise _undecryptable() from None
        size = len(data) - _TEXT_AT - _MAC
        if size < _BLOCK or size % _BLOCK or data[0] != _VERSION:
            raise _undecryptable()
        signed, mac = data[:-_MAC], data[-_MAC:]
        for place, (keyed, _aes) in enumerate(parts):
            signature = keyed.copy()
            signature.update(signed)
            if hmac.compare_digest(signature.digest(), mac):
                tokens.append((place, signed))
                break
        else:
            raise _undecryptable()
    plain: list[str | None] = [None] * len(tokens)
    for place, (_keyed, aes) in enumerate(parts):
        mine = [(n, signed) for n, (p, signed) in enumerate(tokens) if p == place]
        if not mine:
            continue
        # Each token's IV and ciphertext, one after the other: the zero IV of the
        # context only decrypts the first IV's block, which is dropped.
        decryptor = Cipher(aes, modes.CBC(bytes(_BLOCK))).decryptor()
        stream = decryptor.update(b"".join([signed[_IV_AT:] for _n, signed in mine]))
        stream += decryptor.finalize()
        at = 0
        for n, signed in mine:
            at += _BLOCK  # the IV's block
            end = at + len(signed) - _TEXT_AT
            padded = stream[at:end]
            at = end
            pad = padded[-1]
            if not 1 <= pad <= _BLOCK or padded[-pad:] != bytes((pad,)) * pad:
                raise _undecryptable()
            plain[n] = padded[:-pad].decode("utf-8")
    return plain  # type: ignore[return-value]  # every place was filled


def _undecryptable() -> DecryptionError:
    return DecryptionError(
        "A stored value cannot be decrypted with the configured keys: "
        "wrong BRIK_ENCRYPTION_KEYS, or the value was tampered with."
    )


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
