"""Everything Brik writes in its data folder is for the account that runs it only.

The class test runs every command that writes files (through `brik`, as an
operator does) in a fresh data folder and then looks at every folder and file.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

BRIK = Path(sys.executable).with_name("brik")

# Static files are public by nature and served by a web server (BRIK_STATIC_ROOT).
PUBLIC = "static"

SETUP = """
import datetime as dt
from brik.accounts.models import Organisation, User
from brik.cases import services
from brik.testing.factories import referral_kwargs
police = Organisation.objects.create(name="Testpoliti", type="police")
dave = User.objects.create(username="dave", organisation=police, role="referrer")
case = services.case_refer(actor=dave, referring_organisation=police, **referral_kwargs())
print("CODE", case.person.code)
"""

OPEN_FILES = """
import os, stat
from pathlib import Path
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM cases_case")
    name = Path(settings.DATABASES["default"]["NAME"])
    for suffix in ("", "-wal", "-shm"):
        path = name.with_name(name.name + suffix)
        print("MODE", path.name, oct(stat.S_IMODE(path.stat().st_mode)))
"""


def _modes(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    folders, files = {}, {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != PUBLIC]
        here = Path(folder)
        folders[str(here.relative_to(root.parent))] = oct(stat.S_IMODE(here.stat().st_mode))
        for name in names:
            path = here / name
            files[str(path.relative_to(root.parent))] = oct(stat.S_IMODE(path.stat().st_mode))
    return folders, files


def test_every_folder_brik_creates_is_0700_and_every_file_0600(tmp_path):
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIK_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["BRIK_DATA_DIR"] = str(data)

    def brik(*args: str) -> str:
        result = subprocess.run(
            [str(BRIK), *args], env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path
        )
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    def said(output: str, tag: str) -> list[list[str]]:
        return [line.split()[1:] for line in output.splitlines() if line.startswith(tag + " ")]

    brik("migrate", "--no-input", "--verbosity", "0")
    (code,) = said(brik("shell", "-c", SETUP), "CODE")[0]
    open_modes = dict(said(brik("shell", "-c", OPEN_FILES), "MODE"))
    brik("backup")
    brik("backup", "--output", str(data / "copies" / "manual.brikbackup"))
    backup = next((data / "backups").glob("brik-*.brikbackup"))
    brik("restore", str(backup), "--yes")
    brik("report", "2021", "--format", "xlsx", "--output", str(data / "2021.xlsx"))
    brik("report", "2021", "--format", "csv", "--output", str(data / "2021-tables.zip"))
    brik("subject_access_export", code, "--output", str(data / "exports"))
    brik("apply_retention")
    brik("audit", "verify")

    assert open_modes == dict.fromkeys(
        ("brik.sqlite3", "brik.sqlite3-wal", "brik.sqlite3-shm"), "0o600"
    )
    folders, files = _modes(data)
    assert {"data", "data/backups", "data/copies", "data/exports"} <= set(folders)
    assert {f for f in files if "before-restore" in f}, "the restore's safety copy"
    assert {f"data/exports/{code}.json", "data/2021.xlsx", "data/brik.sqlite3"} <= set(files)
    assert folders == dict.fromkeys(folders, "0o700")
    assert files == dict.fromkeys(files, "0o600")


@pytest.fixture
def data_dir(settings, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    folder.chmod(0o700)
    settings.DATA_DIR = folder
    settings.BRIK_BACKUP_DIR = folder / "backups"
    settings.STATIC_ROOT = folder / PUBLIC
    return folder


def test_check_is_quiet_when_everything_is_private(data_dir):
    (data_dir / "brik.sqlite3").touch(mode=0o600)
    (data_dir / PUBLIC).mkdir(mode=0o755)
    (data_dir / PUBLIC / "site.css").touch(mode=0o644)
    call_command("check", "--fail-level", "WARNING", verbosity=0)


@pytest.mark.parametrize("wide", ["folder", "subfolder", "file", "backup"])
def test_check_warns_about_a_folder_or_file_others_can_read(data_dir, wide):
    target = {
        "folder": data_dir,
        "subfolder": data_dir / "exports",
        "file": data_dir / "brik.sqlite3",
        "backup": data_dir / "backups" / "brik-20260101-000000.brikbackup",
    }[wide]
    if wide == "file":
        target.touch()
    elif wide == "backup":
        target.parent.mkdir(mode=0o700)
        target.touch()
    elif wide == "subfolder":
        target.mkdir()
    target.chmod(0o755 if target.is_dir() else 0o644)

    with pytest.raises(SystemCheckError, match=rf"brik\.W001.*{target}"):
        call_command("check", "--fail-level", "WARNING", verbosity=0)
