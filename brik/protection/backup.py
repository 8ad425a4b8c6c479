"""Consistent backups and restores of the whole database.

SQLite: the online backup API copies a consistent snapshot while Brik keeps
running. PostgreSQL: pg_dump in its custom format, restored with pg_restore
in one transaction. Encrypted values stay encrypted in the backup; the keys
are not in it and must be kept (separately) to read it.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.utils import timezone


class BackupError(Exception):
    pass


def default_backup_path(directory: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
    return directory / f"brik-{stamp}.{suffix}"


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (apt-get install postgresql-client).")
    s = connection.settings_dict
    args = [program, "-h", s.get("HOST") or "localhost", "-p", str(s.get("PORT") or 5432)]
    if s.get("USER"):
        args += ["-U", s["USER"]]
    env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}
    return args, env


def backup_create(*, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} exists already; choose a new file name.")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            with target:
                connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_command("pg_dump")
        args += [
            "--format=custom",
            "--no-owner",
            "--file",
            str(path),
            connection.settings_dict["NAME"],
        ]
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
        if result.returncode:
            raise BackupError(result.stderr.strip())
    else:
        raise BackupError(f"Backups are not supported for {connection.vendor}.")
    os.chmod(path, 0o600)
    return path


def backup_restore(*, path: Path) -> None:
    """Replace the whole database with the backup's contents."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_command("pg_restore")
        args += [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            str(path),
        ]
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
        if result.returncode:
            raise BackupError(result.stderr.strip())
    else:
        raise BackupError(f"Restores are not supported for {connection.vendor}.")
