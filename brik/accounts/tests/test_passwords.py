"""Passwords: hashed with Argon2, and strong."""

import importlib

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from brik.accounts import services
from brik.testing.factories import TEST_PASSWORD


@pytest.fixture
def real_hashers(settings):
    """The hashers of brik.settings (the test suite's conftest swaps in a fast one)."""
    settings.PASSWORD_HASHERS = importlib.import_module("brik.settings").PASSWORD_HASHERS


def test_argon2_hashes_new_passwords(real_hashers, alice):
    services.user_set_password(actor=None, user=alice, password="a long and unusual passphrase")
    alice.refresh_from_db()
    assert alice.password.startswith("argon2$argon2id$")


def test_a_user_with_an_argon2_password_logs_in(real_hashers, carol):
    services.user_set_password(actor=None, user=carol, password="a long and unusual passphrase")

    response = Client().post(
        reverse("login"), {"username": "carol", "password": "a long and unusual passphrase"}
    )

    assert response.status_code == 302


def test_an_older_hash_is_upgraded_to_argon2_at_the_next_login(real_hashers, settings, carol):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    carol.set_password(TEST_PASSWORD)
    carol.save(update_fields=["password"])
    assert carol.password.startswith("pbkdf2_sha256$")
    settings.PASSWORD_HASHERS = importlib.import_module("brik.settings").PASSWORD_HASHERS

    Client().post(reverse("login"), {"username": "carol", "password": TEST_PASSWORD})

    carol.refresh_from_db()
    assert carol.password.startswith("argon2$")


@pytest.mark.parametrize(
    "weak",
    [
        "short-pw",  # under 12 characters
        "123456789012345",  # only digits
        "password12345",  # a common password
    ],
)
def test_weak_passwords_are_refused(carol, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, carol)
