"""The demo's fast encryption makes Fernet tokens that the normal decrypt path reads."""

import base64

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from brik.demo.sealing import Sealer
from brik.protection import crypto

TEXTS = ["", "Li", "Anna Maria", "exactly sixteen!", "Ærø — «Ōsaka» 名前 " * 7]


@pytest.mark.parametrize("text", TEXTS)
def test_the_normal_decrypt_reads_what_the_sealer_wrote(text):
    sealed = Sealer().seal(text)
    assert sealed.startswith(crypto.PREFIX)
    assert crypto.decrypt(sealed) == text


@pytest.mark.parametrize("text", TEXTS)
def test_fernet_itself_accepts_the_token(text):
    key = Fernet.generate_key().decode()
    token = Sealer(key).seal(text)[len(crypto.PREFIX) :]
    assert Fernet(key.encode()).decrypt(token.encode(), ttl=60).decode() == text


def test_the_same_text_twice_gives_two_ciphertexts_with_their_own_iv():
    sealer = Sealer()
    one, two = sealer.seal("Anna"), sealer.seal("Anna")
    assert one != two
    iv = lambda s: base64.urlsafe_b64decode(s[len(crypto.PREFIX) :])[9:25]  # noqa: E731
    assert iv(one) != iv(two)


def test_it_encrypts_with_the_first_key_and_rotation_reads_it():
    first, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(ENCRYPTION_KEYS=[first, old]):
        sealed = Sealer().seal("Maria")
        assert crypto.decrypt(sealed) == "Maria"
        assert crypto.decrypt(crypto.reencrypt(sealed)) == "Maria"
    with override_settings(ENCRYPTION_KEYS=[old]), pytest.raises(crypto.DecryptionError):
        crypto.decrypt(sealed)


def test_a_tampered_token_is_refused():
    sealed = Sealer().seal("Maria")
    raw = bytearray(base64.urlsafe_b64decode(sealed[len(crypto.PREFIX) :]))
    raw[30] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(crypto.PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode())
