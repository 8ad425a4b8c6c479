"""Every expected failure of the data commands is one clear line and a non-zero exit.

The class: each of backup, restore, rotate_keys, generate_keys,
apply_retention, audit and subject_access_export, given bad arguments or bad
input, run as the operator runs it (`brik ...`, brik.cli.main).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from brik.cli import main
from brik.protection.backup_file import BackupWriter
from brik.protection.crypto import generate_key

BRIK = Path(sys.executable).with_name("brik")


@pytest.fixture
def files(tmp_path):
    existing = tmp_path / "existing.brikbackup"
    existing.write_text("keep me")
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(os.urandom(5000))
    empty = tmp_path / "empty.bin"
    empty.touch()
    with open(tmp_path / "whole.brikbackup", "wb") as f:
        writer = BackupWriter(f, created_at="2026-01-01T00:00:00+00:00")
        writer.write(b"x" * 3000)
        writer.finish({"format": 1})
    truncated = tmp_path / "truncated.brikbackup"
    truncated.write_bytes((tmp_path / "whole.brikbackup").read_bytes()[:-20])
    return {
        "existing": existing,
        "garbage": garbage,
        "empty": empty,
        "truncated": truncated,
        "missing": tmp_path / "missing.brikbackup",
        "folder": tmp_path,
    }


CASES = {
    "backup onto an existing file": (["backup", "--output", "{existing}"], "exists already"),
    "backup below a file": (["backup", "--output", "{existing}/x.brikbackup"], "is not a folder"),
    "backup with an unknown option": (["backup", "--bogus"], "unrecognized arguments"),
    "restore without a file": (["restore"], "arguments are required: path"),
    "restore without --yes": (["restore", "{garbage}"], "add --yes"),
    "restore a missing file": (["restore", "{missing}", "--yes"], "does not exist"),
    "restore a folder": (["restore", "{folder}", "--yes"], "is not a file"),
    "restore an empty file": (["restore", "{empty}", "--yes"], "is empty"),
    "restore garbage": (["restore", "{garbage}", "--yes"], "is not a Brik backup"),
    "restore a truncated backup": (["restore", "{truncated}", "--yes"], "is truncated"),
    "check garbage": (["restore", "{garbage}", "--check"], "is not a Brik backup"),
    "rotate_keys with no rows per batch": (["rotate_keys", "--batch-size", "0"], "at least 1"),
    "rotate_keys with a word for a number": (["rotate_keys", "--batch-size", "x"], "invalid int"),
    "rotate_keys with a wrong key": (["rotate_keys"], "BRIK_ENCRYPTION_KEYS"),
    "generate_keys with an argument": (["generate_keys", "extra"], "unrecognized arguments"),
    "apply_retention with an unknown option": (["apply_retention", "--now"], "unrecognized"),
    "audit without an action": (["audit"], "arguments are required: action"),
    "audit with an unknown action": (["audit", "repair"], "invalid choice"),
    "audit verify of a changed log": (["audit", "verify"], "broken at row id"),
    "subject access export of an unknown code": (
        ["subject_access_export", "BRK-1900-0001"],
        "No person with the case code",
    ),
}


@pytest.fixture
def private_umask():
    """brik.cli.main sets the process umask; give the test process its own back."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield
    os.umask(previous)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_an_expected_failure_is_one_line_and_a_non_zero_exit(
    case, files, capsys, private_umask, settings, alice, referred_case
):
    argv, expected = CASES[case]
    argv = [a.format(**files) for a in argv]
    if case == "rotate_keys with a wrong key":
        settings.ENCRYPTION_KEYS = [generate_key()]
    if case == "audit verify of a changed log":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_actionlog SET action = 'brik.changed'")

    with pytest.raises(SystemExit) as exit_:
        main(argv)

    err = capsys.readouterr().err
    assert exit_.value.code not in (0, None)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err
    assert files["existing"].read_text() == "keep me"


def test_commands_on_a_database_that_is_not_migrated_say_so_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIK_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["BRIK_DATA_DIR"] = str(tmp_path)
    for argv in (["audit", "verify"], ["apply_retention"], ["rotate_keys"]):
        result = subprocess.run(
            [str(BRIK), *argv], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode != 0, argv
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, (argv, result.stderr)
        assert "no such table" in result.stderr
