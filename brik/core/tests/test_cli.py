"""The `brik` command explains Brik's own commands and passes the rest to Django."""

import os
import subprocess
import sys
from pathlib import Path

BRIK = Path(sys.executable).with_name("brik")


def run_brik(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIK_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the command sets it itself
    env.update(extra_env)
    return subprocess.run([str(BRIK), *args], env=env, capture_output=True, text=True, timeout=120)


def test_brik_help_lists_brik_commands_before_django_ones():
    result = run_brik("--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for command in ("serve", "demo", "report"):
        assert f"\n  {command} " in out
    assert "http://127.0.0.1:8000/" in out
    assert out.index("serve") < out.index("Django's management commands work too")
    assert "brik migrate" in out


def test_brik_passes_django_management_commands_through(tmp_path):
    result = run_brik("help", "createsuperuser", BRIK_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: brik createsuperuser")


def test_brik_explains_a_broken_configuration_in_one_line():
    result = run_brik("check", BRIK_DEBUG="False")
    assert result.returncode != 0
    assert result.stderr.startswith("brik: the configuration is not valid:")
    assert "Traceback" not in result.stderr


def test_brik_creates_the_folder_of_its_sqlite_database(tmp_path):
    data_dir = tmp_path / "not-yet-there"
    result = run_brik("migrate", "--no-input", BRIK_DATA_DIR=str(data_dir))
    assert result.returncode == 0, result.stderr
    assert (data_dir / "brik.sqlite3").is_file()
