import datetime as dt
import shutil
import subprocess

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from brik.cases import services
from brik.cases.models import Interview, PersonIdentity
from brik.protection.crypto import DecryptionError, generate_key
from brik.testing.factories import referral_kwargs

SECRETS = ["Adaeze", "Okonkwo-Testperson", "Mama Blessing", "1994-02-17", "Hidden narrative text"]


@pytest.fixture
def case_with_secrets(dave, police, alice):
    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        **referral_kwargs(
            identity={
                "given_names": "Adaeze",
                "family_name": "Okonkwo-Testperson",
                "aliases": "Mama Blessing",
                "date_of_birth": dt.date(1994, 2, 17),
            }
        ),
    )
    services.interview_record(
        actor=alice, case=case, held_on=dt.date(2021, 3, 2), notes="Hidden narrative text"
    )
    return case


def _raw_rows() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, family_name, aliases, date_of_birth FROM cases_personidentity"
        )
        identity = cursor.fetchall()
        cursor.execute("SELECT notes FROM cases_interview")
        notes = cursor.fetchall()
    return repr(identity + notes)


def test_identity_and_narrative_are_readable_through_the_model(case_with_secrets):
    identity = PersonIdentity.objects.get(person=case_with_secrets.person)
    assert identity.full_name == "Adaeze Okonkwo-Testperson"
    assert identity.date_of_birth == dt.date(1994, 2, 17)
    assert Interview.objects.get(case=case_with_secrets).notes == "Hidden narrative text"


def test_the_database_holds_no_clear_text(case_with_secrets):
    raw = _raw_rows()
    assert "enc1:" in raw
    for secret in SECRETS:
        assert secret not in raw


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_shows_no_clear_text(dave, police, alice, tmp_path):
    services.case_refer(
        actor=dave,
        referring_organisation=police,
        **referral_kwargs(identity={"given_names": "Adaeze", "family_name": "Okonkwo-Testperson"}),
    )
    if connection.vendor == "sqlite":
        target = tmp_path / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        dump = target.read_bytes()
    else:
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is needed to check a PostgreSQL dump")
        settings = connection.settings_dict
        env = {"PGPASSWORD": settings.get("PASSWORD") or ""}
        dump = subprocess.run(
            [
                "pg_dump",
                "-h",
                settings.get("HOST") or "localhost",
                "-p",
                str(settings.get("PORT") or 5432),
                "-U",
                settings["USER"],
                settings["NAME"],
            ],
            capture_output=True,
            check=True,
            env=env,
        ).stdout
    assert b"Okonkwo" not in dump
    assert b"Adaeze" not in dump
    assert b"enc1:" in dump


def test_a_wrong_key_fails_loudly_not_with_garbage(case_with_secrets, settings):
    settings.ENCRYPTION_KEYS = [generate_key()]
    with pytest.raises(DecryptionError):
        PersonIdentity.objects.get(person=case_with_secrets.person)


def test_encrypted_fields_cannot_be_searched_in_clear(case_with_secrets):
    with pytest.raises(FieldError):
        PersonIdentity.objects.filter(family_name="Okonkwo-Testperson").count()


def test_the_blind_index_finds_a_name_whatever_its_spelling(case_with_secrets):
    from brik.protection.crypto import blind_index

    assert PersonIdentity.objects.filter(
        name_index=blind_index("adaeze  OKONKWO testperson")
    ).exists()
    assert not PersonIdentity.objects.filter(name_index=blind_index("Adaeze Other")).exists()
