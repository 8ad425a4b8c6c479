"""Retention drops places too, in the records and in the action log, keeps the log verifiable,
expires old backups, and leaves no old values in the database's free pages."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from brik.audit.models import ActionLog
from brik.audit.services import audit_chain_verify
from brik.cases import services
from brik.cases.models import Interview, Referral
from brik.core import choices as c
from brik.protection.backup import backup_create, default_backup_path
from brik.testing.factories import referral_kwargs

MUNICIPALITY = "Testkommune-Ø"
PLANNED_PLACE = "Mødested Testvej 7"
HELD_PLACE = "Andet mødested Prøvegade 3"


@pytest.fixture
def closed_case_with_places(dave, police, alice):
    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        assigned_to=alice,
        **referral_kwargs(municipality=MUNICIPALITY),
    )
    interview = services.interview_plan(
        actor=alice,
        case=case,
        planned_for=dt.datetime(2021, 3, 4, 10, tzinfo=dt.UTC),
        place=PLANNED_PLACE,
    )
    services.interview_record(
        actor=alice, case=case, interview=interview, held_on=dt.date(2021, 3, 5), place=HELD_PLACE
    )
    services.case_close(
        actor=alice,
        case=case,
        closed_on=dt.date(2021, 6, 1),
        reason=c.ClosingReason.DISAPPEARED,
    )
    return case


def _log_text() -> str:
    return json.dumps(
        list(ActionLog.objects.order_by("sequence").values_list("data", "changes")),
        ensure_ascii=False,
    )


@time_machine.travel(dt.date(2026, 6, 2))
def test_dropping_an_identity_blanks_the_places_in_the_records_and_the_log(
    closed_case_with_places,
):
    case = closed_case_with_places
    assert PLANNED_PLACE in _log_text()
    assert HELD_PLACE in _log_text()

    call_command("apply_retention", verbosity=0)

    assert Referral.objects.get(case=case).municipality == ""
    assert Interview.objects.get(case=case).place == ""
    text = _log_text()
    for value in (MUNICIPALITY, PLANNED_PLACE, HELD_PLACE):
        assert value not in text
    redaction = ActionLog.objects.get(action="brik.audit.redacted")
    assert redaction.object_id == str(case.person_id)


@time_machine.travel(dt.date(2026, 6, 2))
def test_the_log_still_verifies_after_retention_and_still_shows_tampering(
    closed_case_with_places,
):
    call_command("apply_retention", verbosity=0)

    verdict = audit_chain_verify()
    assert verdict.ok, verdict.problem
    assert verdict.redacted == len(ActionLog.objects.get(action="brik.audit.redacted").data["rows"])
    assert verdict.redacted >= 2

    sequence = ActionLog.objects.get(action="brik.audit.redacted").data["rows"][0][0]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_actionlog SET data = %s WHERE sequence = %s",
            [json.dumps({"place": "Forged"}), sequence],
        )
    verdict = audit_chain_verify()
    assert verdict.broken_sequence == sequence
    assert "after retention redacted it" in verdict.problem


@pytest.mark.django_db(transaction=True)
def test_retention_deletes_brik_backups_older_than_the_backup_period(settings, capsys):
    settings.BRIK_BACKUP_RETENTION_DAYS = 30
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)):
        old = default_backup_path()
        backup_create(path=old)
        legacy = old.with_name("brik-20260101-120000.sqlite3")
        legacy.write_bytes(b"SQLite format 3\x00")
        stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp()
        os.utime(legacy, (stamp, stamp))
        other = old.with_name("notes.txt")
        other.write_text("not Brik's")
        os.utime(other, (stamp, stamp))
    with time_machine.travel(dt.datetime(2026, 1, 25, 12, tzinfo=dt.UTC)):
        young = default_backup_path()
        backup_create(path=young)

    with time_machine.travel(dt.datetime(2026, 2, 5, 12, tzinfo=dt.UTC)):
        call_command("apply_retention", dry_run=True)
        assert {old, legacy, young, other} <= set(old.parent.iterdir())
        assert f"Would delete backup {old}" in capsys.readouterr().out

        call_command("apply_retention")

    assert sorted(old.parent.iterdir()) == sorted([young, other])
    row = ActionLog.objects.get(action="brik.retention.backups_deleted")
    assert sorted(row.data["files"]) == sorted([old.name, legacy.name])


BRIK = Path(sys.executable).with_name("brik")

# A person met in MUNICIPALITY, whose only case was closed in 2010; prints what the
# database stores of them: the encrypted name and its blind index.
SETUP = """
import datetime as dt
from django.db import connection
from brik.accounts.models import Organisation, User
from brik.cases import services
from brik.testing.factories import referral_kwargs
police = Organisation.objects.create(name="Testpoliti", type="police")
dave = User.objects.create(username="dave", organisation=police, role="referrer")
case = services.case_refer(
    actor=dave, referring_organisation=police,
    **referral_kwargs(referred_on=dt.date(2010, 3, 1), municipality="MUNICIPALITY"),
)
services.case_close(actor=dave, case=case, closed_on=dt.date(2010, 6, 1), reason="other",
                    note="synthetic")
with connection.cursor() as cursor:
    cursor.execute("SELECT given_names, family_name, name_index FROM cases_personidentity")
    print("STORED", *cursor.fetchone())
""".replace("MUNICIPALITY", MUNICIPALITY)


def _files_hold(data_dir: Path, values: list[bytes]) -> list[bytes]:
    content = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())
    return [v for v in values if v in content]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own file")
def test_after_retention_the_database_file_holds_none_of_the_dropped_values(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIK_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["BRIK_DATA_DIR"] = str(tmp_path)

    def brik(*args: str) -> str:
        result = subprocess.run(
            [str(BRIK), *args], env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    brik("migrate", "--no-input", "--verbosity", "0")
    line = next(x for x in brik("shell", "-c", SETUP).splitlines() if x.startswith("STORED "))
    stored = [v.encode() for v in line.split()[1:]] + [MUNICIPALITY.encode()]
    assert _files_hold(tmp_path, stored) == stored

    brik("apply_retention")

    assert _files_hold(tmp_path, stored) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite setting")
def test_brik_turns_on_sqlite_secure_delete_whatever_the_build_default(db, settings):
    # Debian builds SQLite with secure_delete on; other builds (macOS, some wheels) do not.
    assert "PRAGMA secure_delete=ON" in settings.DATABASES["default"]["OPTIONS"]["init_command"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_that_dropped_something_compacts_the_database(closed_case_with_places, capsys):
    with time_machine.travel(dt.date(2026, 6, 2)):
        call_command("apply_retention")
    out = capsys.readouterr().out
    assert "rewritten" in out or "vacuumed" in out
    assert audit_chain_verify().ok
