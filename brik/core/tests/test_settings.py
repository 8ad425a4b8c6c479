"""Production mode refuses to start without real secrets.

Each case starts a fresh Python process, because settings are read once per
process.
"""

import base64
import os
import secrets
import subprocess
import sys

import pytest

SETUP = "import django; django.setup(); print('started')"


def start_django(**brik_env: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIK_")}
    env["DJANGO_SETTINGS_MODULE"] = "brik.settings"
    env.update(brik_env)
    return subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=60
    )


def fernet_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def production_keys():
    return {"BRIK_ENCRYPTION_KEYS": fernet_key(), "BRIK_BLIND_INDEX_KEY": fernet_key()}


def test_it_refuses_to_start_in_production_without_a_secret_key(production_keys):
    result = start_django(BRIK_DEBUG="False", **production_keys)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "BRIK_SECRET_KEY" in result.stderr


def test_it_refuses_a_short_secret_key_in_production(production_keys):
    result = start_django(BRIK_DEBUG="False", BRIK_SECRET_KEY="short-secret", **production_keys)
    assert result.returncode != 0
    assert "BRIK_SECRET_KEY" in result.stderr


def test_it_starts_in_production_with_a_long_random_secret_key(production_keys):
    result = start_django(
        BRIK_DEBUG="False", BRIK_SECRET_KEY=secrets.token_urlsafe(50), **production_keys
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_it_reads_the_secret_key_from_a_file(tmp_path, production_keys):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(secrets.token_urlsafe(50) + "\n", encoding="utf-8")
    result = start_django(
        BRIK_DEBUG="False", BRIK_SECRET_KEY_FILE=str(secret_file), **production_keys
    )
    assert result.returncode == 0, result.stderr


def test_it_rejects_a_debug_value_other_than_true_or_false():
    result = start_django(BRIK_DEBUG="yes")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "BRIK_DEBUG must be True or False" in result.stderr


@pytest.mark.parametrize("value", ["fast", "0", "-1", "nan", "1.1 -c work_mem=1GB"])
def test_it_refuses_a_random_page_cost_that_is_not_a_positive_number(value):
    """The value goes into the options of every PostgreSQL connection: a number only."""
    result = start_django(
        BRIK_DATABASE_URL="postgres://brik:brik@127.0.0.1:5432/brik",
        BRIK_PG_RANDOM_PAGE_COST=value,
    )
    assert result.returncode != 0
    assert "BRIK_PG_RANDOM_PAGE_COST must be a positive number" in result.stderr


@pytest.mark.django_db
def test_postgresql_plans_with_the_random_page_cost_of_an_ssd():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    """On PostgreSQL psycopg prepares what a cursor binding on the server runs (the kept
    queries); BRIK_PG_PREPARED_STATEMENTS=False turns that off. SQLite has none."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "o = settings.DATABASES['default'].get('OPTIONS', {}); "
        "print(settings.PG_PREPARED_STATEMENTS, o.get('prepare_threshold'))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIK_")}
    env.update(
        DJANGO_SETTINGS_MODULE="brik.settings",
        BRIK_DATABASE_URL="postgres://brik:brik@127.0.0.1:1/brik",
    )
    run = [sys.executable, "-c", code]

    def printed(**more: str) -> list[str]:
        done = subprocess.run(
            run, env=env | more, capture_output=True, text=True, timeout=60, check=True
        )
        return done.stdout.split()

    assert printed() == ["True", "0"]
    assert printed(BRIK_PG_PREPARED_STATEMENTS="False") == ["False", "None"]
    assert printed(BRIK_DATABASE_URL="sqlite:///:memory:") == ["False", "None"]
