"""crypto.decrypt_many: the values of a page decrypted at once, exactly as decrypt()
decrypts each, and refused wherever decrypt() refuses (the `cryptography` package's
Fernet is the reference)."""

import base64
import datetime as dt
import hashlib
import hmac

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.db import connection

from brik.cases.models import PersonIdentity
from brik.protection import crypto
from brik.protection.crypto import DecryptionError, decrypt, decrypt_many, encrypt, generate_key

# Plain texts of every padding (0 to 16 bytes of it) and of several blocks, and
# characters of one to four bytes in UTF-8.
TEXTS = [
    "",
    "a",
    "Amina",
    "x" * 15,
    "y" * 16,
    "z" * 17,
    "Олена Коваленко",
    "Nguyễn Thị Minh Khai",
    "محمد عبد الرحمن",
    "emoji 🧩 piece",
    "a longer narrative, several blocks long: " * 5,
]


def _token(stored: str) -> bytes:
    return base64.urlsafe_b64decode(stored[len(crypto.PREFIX) :])


def _stored(token: bytes) -> str:
    return crypto.PREFIX + base64.urlsafe_b64encode(token).decode("ascii")


def _signed_by(
    key: str, iv: bytes, padded: bytes, *, version: bytes = b"\x80", cut: int = 0
) -> str:
    """A token made by hand with `key`'s halves, correctly signed: any padding, any
    version, a ciphertext cut by `cut` bytes."""
    raw = base64.urlsafe_b64decode(key)
    encryptor = Cipher(algorithms.AES(raw[16:]), modes.CBC(iv)).encryptor()
    text = encryptor.update(padded) + encryptor.finalize()
    body = version + (0).to_bytes(8, "big") + iv + text[: len(text) - cut]
    return _stored(body + hmac.digest(raw[:16], body, hashlib.sha256))


def test_it_gives_what_decrypt_gives_in_the_same_order():
    stored = [encrypt(text) for text in TEXTS * 3]
    assert decrypt_many(stored) == [decrypt(value) for value in stored] == TEXTS * 3
    assert decrypt_many([]) == []
    assert decrypt_many(stored[4:5]) == ["y" * 16]


def test_values_of_an_old_key_are_read_beside_the_new_key_s(settings):
    old = [encrypt(text) for text in TEXTS]
    settings.ENCRYPTION_KEYS = [generate_key(), *settings.ENCRYPTION_KEYS]
    new = [encrypt(text) for text in TEXTS]
    mixed = [value for pair in zip(new, old, strict=True) for value in pair]
    assert decrypt_many(mixed) == [text for text in TEXTS for _ in (1, 2)]
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]  # the old key is gone
    assert decrypt_many(new) == TEXTS
    with pytest.raises(DecryptionError):
        decrypt_many([*new, old[0]])


@pytest.mark.parametrize("text", ["Amina", "y" * 16, "a narrative of three blocks, more or less"])
def test_a_change_of_any_byte_is_refused(text):
    """Every byte: the version, the time, the IV, the ciphertext and the HMAC."""
    token = _token(encrypt(text))
    good = [encrypt("before"), encrypt("after")]
    for at in range(len(token)):
        changed = _stored(token[:at] + bytes([token[at] ^ 0x01]) + token[at + 1 :])
        with pytest.raises(DecryptionError):
            decrypt(changed)
        with pytest.raises(DecryptionError):
            decrypt_many([good[0], changed, good[1]])


@pytest.mark.parametrize(
    "stored",
    [
        "Amina",  # not encrypted
        "enc1:",  # nothing
        "enc1:not base64!",
        "enc1:Zm9v",  # base64 of three bytes
        "enc1:ÆØÅ",  # not ASCII
    ],
)
def test_what_is_not_a_token_is_refused(stored):
    with pytest.raises(DecryptionError):
        decrypt_many([encrypt("fine"), stored])


def test_a_token_cut_short_or_made_longer_is_refused():
    token = _token(encrypt("Amina Okafor"))
    for changed in (token[:-1], token[:-16], token[:40], token + b"\x00" * 16):
        with pytest.raises(DecryptionError):
            decrypt_many([_stored(changed)])


def test_a_wrong_padding_is_refused_even_when_signed(settings):
    """Only someone with the key can sign a token; a signed token whose padding is
    wrong is still refused, as Fernet refuses it."""
    key = settings.ENCRYPTION_KEYS[0]
    iv = bytes(range(16))
    assert decrypt_many([_signed_by(key, iv, b"fifteen bytes!!" + b"\x01")]) == ["fifteen bytes!!"]
    for padded in (b"A" * 15 + b"\x00", b"A" * 15 + b"\x11", b"A" * 14 + b"\x01\x02"):
        with pytest.raises(DecryptionError):
            decrypt(_signed_by(key, iv, padded))
        with pytest.raises(DecryptionError):
            decrypt_many([_signed_by(key, iv, padded)])


def test_another_version_or_a_broken_block_is_refused_even_when_signed(settings):
    key, iv, padded = settings.ENCRYPTION_KEYS[0], bytes(16), b"A" * 15 + b"\x01"
    for token in (
        _signed_by(key, iv, padded, version=b"\x81"),
        _signed_by(key, iv, padded * 2, cut=1),  # not whole blocks
        _signed_by(key, iv, padded, cut=16),  # no block
    ):
        with pytest.raises(DecryptionError):
            decrypt(token)
        with pytest.raises(DecryptionError):
            decrypt_many([token])


def test_the_model_field_decrypts_many_values_as_one(dave, police):
    from brik.cases import services
    from brik.testing.factories import referral_kwargs

    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        **referral_kwargs(identity={"given_names": "Amina", "date_of_birth": dt.date(1990, 4, 3)}),
    )
    field = PersonIdentity._meta.get_field("date_of_birth")
    with connection.cursor() as cursor:  # the column as stored
        cursor.execute(
            "SELECT date_of_birth FROM cases_personidentity WHERE person_id = %s", [case.person_id]
        )
        (raw,) = cursor.fetchone()
    assert raw.startswith(crypto.PREFIX)
    assert field.from_db_values([raw, None, "", raw]) == [
        dt.date(1990, 4, 3),
        None,
        "",
        dt.date(1990, 4, 3),
    ]
