"""Brik refuses to run with keys that cannot read its database, and rejects malformed keys."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from brik.protection.crypto import generate_key
from brik.protection.keycheck import (
    ROTATION_PENDING,
    WRONG_INDEX_KEY,
    WRONG_KEYS,
    database_row_ensure,
    keys_verify,
)
from brik.protection.tests.backups import refer

BRIK = Path(sys.executable).with_name("brik")


def _messages() -> list[tuple[bool, str]]:
    return [(f.error, f.message) for f in keys_verify()]


def test_the_configured_keys_pass(db):
    assert _messages() == []


def test_a_wrong_key_is_an_error_naming_the_variable(db, settings):
    settings.ENCRYPTION_KEYS = [generate_key()]
    assert _messages() == [(True, WRONG_KEYS)]
    assert "BRIK_ENCRYPTION_KEYS" in WRONG_KEYS


def test_brik_serve_refuses_to_start_with_a_wrong_key(db, settings):
    settings.ENCRYPTION_KEYS = [generate_key()]
    with socket.socket() as probe:  # a free port: 8000 may be another server's
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CommandError, match="Brik refuses to start: BRIK_ENCRYPTION_KEYS"):
        call_command("serve", port=port)


def test_check_with_the_database_reports_a_wrong_key(db, settings):
    settings.ENCRYPTION_KEYS = [generate_key()]
    with pytest.raises(SystemCheckError, match=r"brik\.E003"):
        call_command("check", "--database", "default")


def test_a_new_first_key_is_a_rotation_under_way_until_rotate_keys_has_run(db, settings):
    old = settings.ENCRYPTION_KEYS[0]
    settings.ENCRYPTION_KEYS = [generate_key(), old]
    assert _messages() == [(False, ROTATION_PENDING)]

    call_command("rotate_keys", verbosity=0)

    assert _messages() == []
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]
    assert _messages() == []


def test_a_changed_blind_index_key_is_refused_until_the_index_is_rebuilt(db, settings):
    settings.BLIND_INDEX_KEY = "a-different-blind-index-key-for-this-test"
    assert _messages() == [(True, WRONG_INDEX_KEY)]
    assert "BRIK_BLIND_INDEX_KEY" in WRONG_INDEX_KEY

    call_command("rotate_keys", reindex=True, verbosity=0)

    assert _messages() == []


def test_a_database_without_a_check_value_is_checked_against_its_data(dave, police, settings):
    refer(dave, police, n=1)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM protection_database")
    right = settings.ENCRYPTION_KEYS
    settings.ENCRYPTION_KEYS = [generate_key()]
    assert _messages() == [(True, WRONG_KEYS)]

    settings.ENCRYPTION_KEYS = right
    assert _messages() == []
    database_row_ensure()
    settings.ENCRYPTION_KEYS = [generate_key()]
    assert _messages() == [(True, WRONG_KEYS)]


def test_a_malformed_key_fails_the_system_check(db, settings):
    settings.ENCRYPTION_KEYS = [generate_key(), "not-a-fernet-key"]
    with pytest.raises(SystemCheckError, match=r"brik\.E001.*key number 2"):
        call_command("check")


# --- in a fresh process: settings, migrate and the WSGI entry point ------------------------


def _env(tmp_path, key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIK_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({"BRIK_DATA_DIR": str(tmp_path), "BRIK_ENCRYPTION_KEYS": key})
    return env


def test_a_malformed_key_stops_brik_at_start_in_one_line_without_echoing_it(tmp_path):
    result = subprocess.run(
        [str(BRIK), "check"],
        env=_env(tmp_path, "not-a-key-but-a-secret-value"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.startswith("brik: the configuration is not valid: BRIK_ENCRYPTION_KEYS")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not-a-key-but-a-secret-value" not in result.stderr


def test_the_wsgi_application_and_migrate_refuse_a_database_written_with_another_key(tmp_path):
    written_with = generate_key()
    migrate = [str(BRIK), "migrate", "--no-input", "--verbosity", "0"]
    result = subprocess.run(
        migrate, env=_env(tmp_path, written_with), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    load_wsgi = [sys.executable, "-c", "import brik.wsgi; print('serving')"]

    other = _env(tmp_path, generate_key())
    refused = subprocess.run(load_wsgi, env=other, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "ImproperlyConfigured: BRIK_ENCRYPTION_KEYS: none of the configured keys" in (
        refused.stderr
    )
    assert "serving" not in refused.stdout
    again = subprocess.run(migrate, env=other, capture_output=True, text=True, timeout=120)
    assert again.returncode != 0
    assert "brik.E003" in again.stderr

    right = _env(tmp_path, written_with)
    served = subprocess.run(load_wsgi, env=right, capture_output=True, text=True, timeout=120)
    assert served.returncode == 0, served.stderr
    assert served.stdout.strip() == "serving"
