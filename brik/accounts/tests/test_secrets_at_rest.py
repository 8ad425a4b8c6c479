"""A copy of the database is not enough to log in as anyone.

Session keys are stored only as keyed digests, authenticator secrets
encrypted, recovery codes as keyed digests. The checks read every column of
every table, so a secret stored anywhere else is found too.
"""

from base64 import b32encode

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from brik.accounts import services
from brik.accounts.models import Authenticator, Session
from brik.protection.crypto import generate_key
from brik.protection.services import keys_rotate


def stored_anywhere(secret: str) -> list[str]:
    """The tables whose stored values contain `secret` (compared case-insensitively)."""
    found = []
    quote = connection.ops.quote_name
    wanted = secret.lower()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the schema
            if any(wanted in str(value).lower() for row in cursor.fetchall() for value in row):
                found.append(table)
    return found


def code(device: Authenticator) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"


def test_the_session_key_is_not_in_the_database(client, alice):
    client.force_login(alice)
    key = client.cookies["sessionid"].value

    assert Session.objects.filter(user_id=alice.pk).count() == 1
    assert stored_anywhere(key) == []


def test_a_copied_session_row_does_not_open_the_case_page(client, alice, referred_case):
    client.force_login(alice)
    assert client.get(referred_case.get_absolute_url()).status_code == 200

    thief = Client()
    thief.cookies["sessionid"] = Session.objects.get().session_key
    response = thief.get(referred_case.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_authenticator_secret_is_encrypted(alice):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    device = services.totp_device_ensure(user=alice, secret=secret).device

    assert stored_anywhere(device.key) == []
    assert stored_anywhere(secret) == []
    assert stored_anywhere(b32encode(device.bin_key).decode()) == []
    # What the application reads is the secret itself.
    assert Authenticator.objects.get().key == device.key


def test_recovery_codes_are_not_in_the_database(alice):
    services.totp_device_ensure(user=alice)

    codes = services.recovery_codes_generate(user=alice)

    assert all(stored_anywhere(c) == [] for c in codes)
    assert services.two_factor_verify(user=alice, token=codes[3].upper()) is not None


def test_rotating_the_encryption_key_keeps_authenticators_working(alice, settings):
    device = services.totp_device_ensure(user=alice).device
    old_key, new_key = settings.ENCRYPTION_KEYS[0], generate_key()
    settings.ENCRYPTION_KEYS = [new_key, old_key]

    keys_rotate()
    settings.ENCRYPTION_KEYS = [new_key]

    device = Authenticator.objects.get()
    assert services.two_factor_verify(user=alice, token=code(device)) == device


def test_an_authenticator_code_is_accepted_once(alice):
    device = services.totp_device_ensure(user=alice).device
    current = code(device)

    assert services.two_factor_verify(user=alice, token=current) == device
    assert services.two_factor_verify(user=alice, token=current) is None


def test_a_code_from_another_secret_is_refused(alice):
    services.totp_device_ensure(user=alice)
    other = Authenticator(key="00" * 20)

    assert services.two_factor_verify(user=alice, token=code(other)) is None


# --- the migration from django-otp's and Django's clear-text tables -----------------------


@pytest.mark.django_db(transaction=True)
def test_sessions_devices_and_codes_keep_working_after_the_migration(alice, referred_case):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore as ClearTextStore
    from django.contrib.sessions.models import Session as ClearTextSession
    from django.db.migrations.executor import MigrationExecutor
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0003_sessions_and_second_factor_at_rest")])

    # As Brik left them before: a verified session, a TOTP device, recovery codes.
    old_device = TOTPDevice.objects.create(user=alice, name="authenticator", key="3132" * 10)
    static = StaticDevice.objects.create(user=alice, name="recovery codes")
    StaticToken.objects.create(device=static, token="abcdefgh")
    StaticToken.objects.create(device=static, token="ijklmnop")
    session = ClearTextStore()
    session[SESSION_KEY] = str(alice.pk)
    session[BACKEND_SESSION_KEY] = "brik.accounts.backends.UserBackend"
    session[HASH_SESSION_KEY] = alice.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = old_device.persistent_id
    session.save()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # The session goes on, past the second factor, without a new login.
    client = Client()
    client.cookies["sessionid"] = session.session_key
    page = client.get(referred_case.get_absolute_url())
    assert page.status_code == 200
    assert referred_case.code in page.text
    # The device and the unused recovery codes work; nothing is left in clear.
    device = Authenticator.objects.get(user=alice)
    assert device.key == "3132" * 10
    assert services.two_factor_verify(user=alice, token=code(device)) == device
    assert services.two_factor_verify(user=alice, token="ijklmnop") is not None
    assert not ClearTextSession.objects.exists()
    assert not TOTPDevice.objects.exists()
    assert not StaticToken.objects.exists()
    assert stored_anywhere(session.session_key) == []
    assert stored_anywhere("3132" * 10) == []
    assert stored_anywhere("abcdefgh") == []
