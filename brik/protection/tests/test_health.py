"""`/health` tells a load balancer whether this app server can serve, and nothing more."""

import json

import pytest
from django.db import connection
from django.db.utils import load_backend

from brik.protection.crypto import generate_key
from brik.protection.health import health_report
from brik.testing.factories import referral_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def encrypted_data(dave, police):
    from brik.cases import services

    return services.case_refer(
        actor=dave,
        referring_organisation=police,
        **referral_kwargs(identity={"given_names": "Testa", "family_name": "Healthperson"}),
    )


def checks_of(response) -> dict:
    body = json.loads(response.content)
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "migrations", "keys"}
    assert set(body["checks"].values()) <= {"ok", "fail"}
    return body["checks"]


def test_health_is_ok_when_the_database_migrations_and_keys_are(client, encrypted_data):
    response = client.get("/health")
    assert response.status_code == 200
    assert checks_of(response) == {"database": "ok", "migrations": "ok", "keys": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_health_is_ok_on_an_empty_database(client):
    assert client.get("/health").status_code == 200


def test_health_fails_when_a_migration_is_not_applied(client):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'cases' AND name = "
            "(SELECT MAX(name) FROM django_migrations WHERE app = 'cases')"
        )
    response = client.get("/health")
    assert response.status_code == 503
    assert checks_of(response) == {"database": "ok", "migrations": "fail", "keys": "ok"}


def test_health_fails_when_the_keys_do_not_decrypt_the_data(client, encrypted_data, settings):
    settings.ENCRYPTION_KEYS = [generate_key()]
    response = client.get("/health")
    assert response.status_code == 503
    assert checks_of(response)["keys"] == "fail"
    # Why it failed goes to the log, not to whoever asked.
    assert b"decrypt" not in response.content
    assert b"BRIK_ENCRYPTION_KEYS" not in response.content


def test_health_fails_every_check_when_the_database_cannot_be_reached(tmp_path):
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "brik.sqlite3")
    else:
        settings_dict["PORT"] = "1"  # nothing listens there
    backend = load_backend(settings_dict["ENGINE"])
    unreachable = backend.DatabaseWrapper(settings_dict, alias="unreachable")
    try:
        report = health_report(unreachable)
    finally:
        unreachable.close()
    assert report == {"database": "fail", "migrations": "fail", "keys": "fail"}


def test_health_answers_plain_http_when_everything_else_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/login/").status_code == 301
    assert client.get("/health").status_code == 200


def test_health_accepts_only_reads(client):
    assert client.post("/health").status_code == 405
