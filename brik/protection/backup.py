"""Backups of the whole database that cannot be read without the keys, and restores that
check everything before they touch the live database.

A backup (`backup_create`) is a consistent snapshot, encrypted as a stream
into one file (brik.protection.backup_file) with a manifest: format, Brik's
version, the migrations applied, the rows of every table, the last row of the
action log, the key check values, the payload's size and SHA-256, the time.
The case attachments' files (already encrypted, brik.casefiles) follow the
database dump in the payload and come back with a restore
(brik.protection.backup_files).

- SQLite: the online backup API copies a snapshot into a temporary file
  (0600, next to the backup), which is then encrypted and deleted.
- PostgreSQL: the manifest is read in a REPEATABLE READ transaction whose
  snapshot pg_dump then uses (--snapshot), so both see the same data;
  pg_dump's custom format is encrypted as it streams, never stored in clear.

The encrypted file is written under a temporary name created 0600, fsynced,
then given its final name, so an interrupted backup never leaves a
half-written file under a backup's name.

A restore (`backup_restore`) first reads the whole file: a wrong, empty,
foreign, truncated or changed file, a wrong key, a backup from another
database engine or from a newer Brik (a migration this code does not have)
is refused with one clear line, and nothing is touched. Then it saves the
live database as a safety copy (itself an encrypted backup), and replaces the
database in one step:

- SQLite: the backup is decrypted into a temporary file, checked
  (integrity_check, rows per table against the manifest), then copied into
  the live database with the online backup API, which commits all pages in
  one transaction: other connections see the old or the new database, never
  a mix.
- PostgreSQL: one psql transaction drops the tables (and Brik's trigger
  functions), runs pg_restore's script and checks the rows per table against the
  manifest; any error rolls it all back.

Finally the restore is recorded in the restored action log, with what it
replaced (how many audit rows the live log had, whether it continued the
backup's chain, and its last row's sequence and hash).

One module (about 780 lines) on purpose: the backup file's format is written and
read here, and each check a restore makes sits next to what the backup wrote.
"""

import contextlib
import logging
import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from brik.audit.events import AuditEvent
from brik.protection.backup_file import (
    CHUNK,
    BackupFileError,
    BackupReader,
    BackupWriter,
    header_created_at,
)
from brik.protection.backup_files import (
    BackupFilesError,
    files_extract,
    files_list,
    files_swap,
    files_write,
    staging_dir,
    staging_remove,
)
from brik.protection.files import private_dir, private_file_create

logger = logging.getLogger(__name__)

SUFFIX = ".brikbackup"
TEMPORARY = ".brik-tmp-"
# Names of backups Brik wrote before they were encrypted (expired like the others).
LEGACY_SUFFIXES = (".sqlite3", ".pgdump")


class BackupError(Exception):
    pass


@dataclass
class Restored:
    manifest: dict
    safety_copy: Path | None
    replaced: dict
    migrated: bool


def brik_version() -> str:
    try:
        return version("brik")
    except PackageNotFoundError:
        return "unknown"


def backup_dir() -> Path:
    return Path(settings.BRIK_BACKUP_DIR)


def default_backup_path(directory: Path | None = None, prefix: str = "brik") -> Path:
    directory = Path(directory or backup_dir())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = directory / f"{prefix}-{stamp}{SUFFIX}"
    n = 2
    while path.exists():
        path = directory / f"{prefix}-{stamp}-{n}{SUFFIX}"
        n += 1
    return path


# --- the manifest ------------------------------------------------------------------------------


def _manifest(cursor, tables: list[str], quote) -> dict:
    """What a snapshot holds, read through a DB-API cursor on that snapshot."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [list(row) for row in cursor.fetchall()]
    audit = {"rows": counts.get("audit_actionlog", 0), "last_sequence": 0, "last_hash": ""}
    if audit["rows"] and ["audit", "0004_actionlog_chain"] in migrations:
        cursor.execute(
            "SELECT sequence, row_hash FROM audit_actionlog ORDER BY sequence DESC LIMIT 1"
        )
        audit["last_sequence"], audit["last_hash"] = cursor.fetchone()
    key_check = {"key_check": "", "index_check": ""}
    if "protection_database" in tables:
        cursor.execute("SELECT key_check, index_check FROM protection_database WHERE id = 1")
        row = cursor.fetchone()
        if row:
            key_check = {"key_check": row[0] or "", "index_check": row[1] or ""}
    return {
        "format": 1,
        "brik_version": brik_version(),
        "vendor": connection.vendor,
        "created_at": timezone.now().isoformat(),
        "migrations": migrations,
        "tables": counts,
        "audit": audit,
        "keys": key_check,
    }


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in cursor.fetchall()]


def _sqlite_manifest(path: Path) -> dict:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cursor = db.cursor()
        return _manifest(cursor, _sqlite_tables(cursor), _sqlite_quote)
    finally:
        db.close()


# --- writing a backup --------------------------------------------------------------------------


def _temporary(directory: Path, suffix: str) -> Path:
    return directory / f"{TEMPORARY}{secrets.token_hex(8)}{suffix}"


def _remove_stale_temporaries(directory: Path) -> None:
    """Temporary files left by a backup or restore that was killed (older than a day)."""
    cutoff = time.time() - 24 * 3600
    for path in directory.glob(f"{TEMPORARY}*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def _unlink(*paths: Path) -> None:
    for path in paths:
        for extra in ("", "-journal", "-wal", "-shm"):
            p = path.with_name(path.name + extra)
            with contextlib.suppress(FileNotFoundError):
                p.unlink()


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _publish(temporary: Path, path: Path) -> None:
    """Give the finished file its name, never replacing a file that appeared meanwhile."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise BackupError(f"{path} exists already; choose a new file name.") from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise BackupError(f"{path} exists already; choose a new file name.") from None
        os.replace(temporary, path)
    else:
        temporary.unlink()
    _fsync_dir(path.parent)


def _sqlite_dump(writer: BackupWriter, directory: Path) -> dict:
    plain = _temporary(directory, ".sqlite3")
    os.close(private_file_create(plain))
    try:
        connection.ensure_connection()
        target = sqlite3.connect(plain)
        try:
            connection.connection.backup(target)
            # A copy of a WAL database is in WAL mode too; one self-contained file is wanted.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        manifest = _sqlite_manifest(plain)
        with open(plain, "rb") as f:
            while chunk := f.read(CHUNK):
                writer.write(chunk)
        return manifest
    finally:
        _unlink(plain)


# Connection options that pg_dump, pg_restore and psql read from PG* variables.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or "", "PGCONNECT_TIMEOUT": "10"}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if s.get(key):
            env[variable] = str(s[key])
    for option, variable in LIBPQ_OPTIONS.items():
        if s.get("OPTIONS", {}).get(option):
            env[variable] = str(s["OPTIONS"][option])
    return env


def _pg_program(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(f"{program} is not installed (apt-get install postgresql-client).")
    return path


def _pg_connect():
    import psycopg

    s = connection.settings_dict
    params = {
        "dbname": s["NAME"],
        "user": s.get("USER") or None,
        "password": s.get("PASSWORD") or None,
        "host": s.get("HOST") or None,
        "port": s.get("PORT") or None,
    }
    params.update({k: v for k, v in s.get("OPTIONS", {}).items() if k in LIBPQ_OPTIONS})
    return psycopg.connect(**{k: v for k, v in params.items() if v})


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return [row[0] for row in cursor.fetchall()]


def _pg_functions(cursor) -> list[str]:
    """Brik's own functions in the schema (the statistics' change triggers'): the dump
    makes them again, and dropping the tables leaves them."""
    cursor.execute(
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = current_schema() AND p.proname LIKE 'brik\\_%%'"
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_dump(writer: BackupWriter) -> dict:
    import psycopg

    program = _pg_program("pg_dump")
    snapshot_connection = _pg_connect()
    try:
        snapshot_connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot_connection.read_only = True
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            manifest = _manifest(cursor, _pg_tables(cursor), _pg_quote)
        with tempfile.TemporaryFile() as errors:
            dump = subprocess.Popen(
                [
                    program,
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    connection.settings_dict["NAME"],
                ],
                env=_pg_env(),
                stdout=subprocess.PIPE,
                stderr=errors,
            )
            assert dump.stdout is not None  # stdout=PIPE
            while chunk := dump.stdout.read(CHUNK):
                writer.write(chunk)
            if dump.wait():
                errors.seek(0)
                raise BackupError(_first_line(errors.read()) or "pg_dump failed.")
        return manifest
    finally:
        snapshot_connection.close()


def backup_create(*, path: Path, actor=None, audit: bool = True) -> dict:
    """Write an encrypted backup of the whole database to `path`; returns its manifest."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already; choose a new file name.")
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups are not supported for {connection.vendor}.")
    if path.parent.exists() and not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder.")
    if connection.in_atomic_block:
        # SQLite's backup of a connection with a write transaction open waits forever.
        raise BackupError("A backup cannot be taken inside a transaction.")
    private_dir(path.parent)
    _remove_stale_temporaries(path.parent)
    # Listed before the dump: every file a backed-up row names is there (files never change).
    files = files_list()
    encrypted = _temporary(path.parent, ".part")
    fd = private_file_create(encrypted)
    try:
        with os.fdopen(fd, "wb") as out:
            writer = BackupWriter(out, created_at=timezone.now().isoformat())
            if connection.vendor == "sqlite":
                manifest = _sqlite_dump(writer, path.parent)
            else:
                manifest = _pg_dump(writer)
            # The attachment files follow the dump in the payload (brik.protection.backup_files).
            manifest["database_bytes"] = writer.written
            manifest["files"] = files_write(writer, files)
            manifest = writer.finish(manifest)
            out.flush()
            os.fsync(out.fileno())
        _publish(encrypted, path)
    finally:
        _unlink(encrypted)
    if audit:
        from brik.audit.services import log_action
        from brik.protection.keycheck import database_row_ensure

        log_action(
            actor=actor,
            action=AuditEvent.BACKUP_CREATED,
            obj=database_row_ensure(),
            data={
                "file": path.name,
                "bytes": path.stat().st_size,
                "tables": len(manifest["tables"]),
                "files": manifest["files"]["count"],
                "audit_last_sequence": manifest["audit"]["last_sequence"],
            },
        )
    return manifest


# --- checking a backup ---------------------------------------------------------------------------


def _first_line(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "error" in line]
    return (errors or lines or [""])[0]


def _open_reader(path: Path):
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    f = open(path, "rb")  # noqa: SIM115 - closed by the caller
    try:
        return f, BackupReader(f, str(path))
    except BackupFileError as exc:
        f.close()
        raise BackupError(str(exc)) from None


def _check_manifest(manifest: dict, name: str) -> None:
    from brik.protection.keycheck import key_check_values_verify

    if manifest.get("format") != 1:
        raise BackupError(f"{name} was made by a newer version of Brik; upgrade Brik first.")
    vendor = manifest.get("vendor")
    if vendor != connection.vendor:
        raise BackupError(
            f"{name} is a backup of a {vendor} database; this Brik uses {connection.vendor}."
        )
    migrations = [tuple(m) for m in manifest.get("migrations", [])]
    if not any(app == "audit" for app, _name in migrations):
        raise BackupError(f"{name} holds no Brik database.")
    known = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    unknown = sorted(set(migrations) - known)
    if unknown:
        app, migration = unknown[0]
        raise BackupError(
            f"{name} was made by a newer version of Brik (it has migration {app}.{migration}, "
            "which this version does not); upgrade Brik first."
        )
    keys = manifest.get("keys", {})
    findings = [
        f
        for f in key_check_values_verify(keys.get("key_check"), keys.get("index_check"))
        if f.error
    ]
    if findings:
        raise BackupError(f"{name}: {findings[0].message}")


def _split_files(f, manifest: dict, staging: Path | None, name: str) -> None:
    """The attachment files after the dump: unpacked into `staging` (or only read)."""
    if staging is None:
        return
    try:
        files_extract(f, staging, name)
    except BackupFilesError as exc:
        raise BackupError(str(exc)) from None


def _sqlite_decrypt(reader: BackupReader, directory: Path, staging: Path | None = None) -> Path:
    """The backup's database in a temporary file (0600), checked; the caller deletes it.

    The attachment files that follow the dump are unpacked into `staging` (if given)."""
    plain = _temporary(directory, ".sqlite3")
    fd = private_file_create(plain)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in reader.chunks():
                out.write(chunk)
        manifest = reader.manifest
        assert manifest is not None  # chunks() sets it or raises
        _check_manifest(manifest, reader.name)
        split = manifest.get("database_bytes")
        if split is not None:
            with open(plain, "r+b") as f:
                f.seek(split)
                _split_files(f, manifest, staging, reader.name)
                f.truncate(split)
        try:
            db = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
            try:
                cursor = db.cursor()
                (verdict,) = cursor.execute("PRAGMA integrity_check").fetchone()
                if verdict != "ok":
                    raise BackupError(f"{reader.name} holds a damaged database ({verdict}).")
                found = _manifest(cursor, _sqlite_tables(cursor), _sqlite_quote)["tables"]
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{reader.name} holds no readable database ({exc}).") from None
        if found != manifest["tables"]:
            raise BackupError(f"{reader.name} does not hold the rows its manifest lists.")
        return plain
    except BaseException:
        _unlink(plain)
        raise


def backup_verify(*, path: Path) -> dict:
    """Read and check the whole backup without touching the database; returns its manifest."""
    path = Path(path)
    f, reader = _open_reader(path)
    with f:
        try:
            if connection.vendor == "sqlite":
                private_dir(backup_dir())
                _unlink(_sqlite_decrypt(reader, backup_dir()))
            else:
                reader.read_all()
                _check_manifest(reader.manifest, reader.name)
        except BackupFileError as exc:
            raise BackupError(str(exc)) from None
    return reader.manifest


# --- restoring ------------------------------------------------------------------------------------


def _live_audit() -> dict:
    """The live action log's size and last link, for the record of what a restore replaced."""
    tables = connection.introspection.table_names()
    if "audit_actionlog" not in tables:
        return {"rows": 0, "last_sequence": 0, "last_hash": ""}
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_actionlog")
        (rows,) = cursor.fetchone()
        columns = {
            c.name
            for c in connection.introspection.get_table_description(cursor, "audit_actionlog")
        }
        last = (0, "")
        if rows and "sequence" in columns:
            cursor.execute(
                "SELECT sequence, row_hash FROM audit_actionlog ORDER BY sequence DESC LIMIT 1"
            )
            last = cursor.fetchone()
    return {"rows": rows, "last_sequence": last[0], "last_hash": last[1]}


def _live_hash_at(sequence: int) -> str | None:
    if not sequence:
        return ""
    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT row_hash FROM audit_actionlog WHERE sequence = %s", [sequence])
        except Exception:  # an older or broken live database: nothing to compare
            return None
        row = cursor.fetchone()
    return row[0] if row else None


def _replaced(manifest: dict) -> dict:
    """What the live action log held that the backup does not."""
    live = _live_audit()
    backup = manifest["audit"]
    continues = bool(live["rows"]) and _live_hash_at(backup["last_sequence"]) == backup["last_hash"]
    return {
        "audit_rows": live["rows"],
        "last_sequence": live["last_sequence"],
        "last_hash": live["last_hash"],
        # The live log continued the backup's chain: only the rows after it are replaced.
        "continues_backup": continues,
        "rows_after_backup": (
            max(live["last_sequence"] - backup["last_sequence"], 0) if continues else live["rows"]
        ),
    }


def _sqlite_swap(plain: Path) -> None:
    source = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _pg_verification_sql(tables: dict[str, int]) -> str:
    """A block that fails (and so rolls the restore back) unless every table has its rows."""
    checks = "".join(
        f"  SELECT COUNT(*) INTO n FROM {_pg_quote(table)};\n"  # noqa: S608 - quoted names
        f"  IF n <> {int(count)} THEN RAISE EXCEPTION "
        f"'brik: table % has % rows, the backup lists %', {_sql_text(table)}, n, {int(count)}; "
        "END IF;\n"
        for table, count in tables.items()
    )
    return f"DO $brik$\nDECLARE n bigint;\nBEGIN\n{checks}END\n$brik$;\n"


def _pg_restore(reader: BackupReader, manifest: dict, schema: str) -> None:
    """One psql transaction: drop the tables, restore, check the rows; all or nothing.

    The payload after `database_bytes` (the attachment files, unpacked before) is skipped."""
    pg_restore, psql = _pg_program("pg_restore"), _pg_program("psql")
    with connection.cursor() as cursor:
        tables = _pg_tables(cursor)
        functions = _pg_functions(cursor)
    drop = (
        "DROP TABLE IF EXISTS "
        + ", ".join(f"{_pg_quote(schema)}.{_pg_quote(t)}" for t in tables)
        + " CASCADE;\n"
        if tables
        else ""
    )
    drop += "".join(
        f"DROP FUNCTION IF EXISTS {_pg_quote(schema)}.{_pg_quote(f)}() CASCADE;\n"
        for f in functions
    )
    verify = f"SET search_path = {_pg_quote(schema)};\n" + _pg_verification_sql(manifest["tables"])
    env = _pg_env()
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_output:
        loader = subprocess.Popen(
            [
                psql,
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "-v",
                "ON_ERROR_STOP=1",
                "--dbname",
                connection.settings_dict["NAME"],
                "--file",
                "-",
            ],
            env=env,
            stdin=subprocess.PIPE,
            stdout=psql_output,
            stderr=subprocess.STDOUT,
        )
        script = subprocess.Popen(
            [pg_restore, "--no-owner", "--file", "-"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=restore_errors,
        )
        # All three are pipes (stdin=PIPE, stdout=PIPE above).
        assert loader.stdin is not None
        assert script.stdout is not None
        assert script.stdin is not None
        script_input = script.stdin
        feed_error: list[BaseException] = []
        split = manifest.get("database_bytes")

        def feed():
            fed = 0
            try:
                for chunk in reader.chunks():
                    if split is not None and fed + len(chunk) > split:
                        head = max(split - fed, 0)
                        if head:
                            script_input.write(chunk[:head])
                    else:
                        script_input.write(chunk)
                    fed += len(chunk)
            except BaseException as exc:  # reported below; pg_restore then fails too
                feed_error.append(exc)
            finally:
                with contextlib.suppress(OSError):
                    script_input.close()

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        broken = False
        try:
            loader.stdin.write(drop.encode())
            while chunk := script.stdout.read(CHUNK):
                loader.stdin.write(chunk)
            script.wait()
            feeder.join()
            if feed_error or script.returncode:
                # psql must not reach its COMMIT: ending the session rolls it all back.
                broken = True
                loader.kill()
            else:
                loader.stdin.write(verify.encode())
                loader.stdin.close()
        except BrokenPipeError:
            broken = True
            script.kill()
        loader.wait()
        feeder.join()
        if feed_error:
            error = feed_error[0]
            raise BackupError(str(error)) from None
        if script.returncode:
            restore_errors.seek(0)
            raise BackupError(_first_line(restore_errors.read()) or "pg_restore failed.")
        if broken or loader.returncode:
            psql_output.seek(0)
            raise BackupError(
                "The restore was rolled back: "
                + (_first_line(psql_output.read()) or "psql failed.")
            )


def _behind(manifest: dict) -> bool:
    """The backup lacks migrations that this version of Brik has."""
    applied = {tuple(m) for m in manifest["migrations"]}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return bool(set(loader.graph.nodes) - applied)


def _pg_files_first(path: Path, manifest: dict, staging: Path, work: Path) -> None:
    """The backup's attachment files unpacked into `staging` before the database is touched.

    PostgreSQL's dump is streamed into psql later; the files that follow it are read (and
    their list checked) here, so a damaged file list refuses the restore while nothing
    has changed yet."""
    split = manifest["database_bytes"]
    f, reader = _open_reader(path)
    with f, tempfile.TemporaryFile(dir=work) as tail:
        fed = 0
        try:
            for chunk in reader.chunks():
                if fed + len(chunk) > split:
                    tail.write(chunk[max(split - fed, 0) :])
                fed += len(chunk)
        except BackupFileError as exc:
            raise BackupError(str(exc)) from None
        tail.seek(0)
        _split_files(tail, manifest, staging, reader.name)


def backup_restore(*, path: Path, actor=None, safety_copy: bool = True) -> Restored:
    """Replace the whole database with the backup's contents, after checking all of it."""
    from brik.audit.services import log_action
    from brik.protection.keycheck import database_row_ensure

    path = Path(path)
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Restores are not supported for {connection.vendor}.")
    work = private_dir(backup_dir())
    _remove_stale_temporaries(work)
    plain = None
    staging = staging_dir()
    try:
        # 1. Everything is checked before the live database is touched.
        if connection.vendor == "sqlite":
            f, reader = _open_reader(path)
            with f:
                try:
                    plain = _sqlite_decrypt(reader, work, staging)
                except BackupFileError as exc:
                    raise BackupError(str(exc)) from None
            manifest = reader.manifest
        else:
            manifest = backup_verify(path=path)
            if "database_bytes" in manifest:
                _pg_files_first(path, manifest, staging, work)
        if connection.in_atomic_block:
            raise BackupError("A restore cannot run inside a transaction.")
        # 2. What the live database holds is kept, and what the backup replaces is noted.
        replaced = _replaced(manifest)
        copy = None
        if safety_copy:
            copy = default_backup_path(work, prefix="brik-before-restore")
            try:
                backup_create(path=copy, audit=False)
            except Exception as exc:
                raise BackupError(
                    f"The current database could not be saved first ({exc}); nothing was "
                    "restored. Use --without-safety-copy only if it cannot be read at all."
                ) from exc
        # 3. The swap, all at once.
        if connection.vendor == "sqlite":
            assert plain is not None  # decrypted in step 1
            _sqlite_swap(plain)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_schema()")
                (schema,) = cursor.fetchone()
            connection.close()
            f, reader = _open_reader(path)
            with f:
                _pg_restore(reader, manifest, schema)
            connection.close()
        # 4. The attachment files of the backup replace the live ones.
        if "database_bytes" in manifest:
            files_swap(staging)
    finally:
        if plain is not None:
            _unlink(plain)
        staging_remove(staging)
    # 5. A backup from an older Brik is brought up to date, then the restore is recorded.
    migrated = _behind(manifest)
    if migrated:
        call_command("migrate", interactive=False, verbosity=0)
    log_action(
        actor=actor,
        action=AuditEvent.BACKUP_RESTORED,
        obj=database_row_ensure(),
        data={
            "file": path.name,
            "backup_created_at": manifest["created_at"],
            "backup_audit_last_sequence": manifest["audit"]["last_sequence"],
            "backup_audit_last_hash": manifest["audit"]["last_hash"],
            "replaced": replaced,
            "safety_copy": copy.name if copy else None,
            "files": manifest.get("files", {}).get("count"),
        },
    )
    return Restored(manifest=manifest, safety_copy=copy, replaced=replaced, migrated=migrated)


# --- expiry -----------------------------------------------------------------------------------------


def _is_brik_backup(path: Path) -> bool:
    name = path.name
    return name.startswith("brik-") and (name.endswith(SUFFIX) or name.endswith(LEGACY_SUFFIXES))


def _made_at(path: Path) -> datetime | None:
    created = header_created_at(path) if path.name.endswith(SUFFIX) else None
    if created:
        try:
            made = datetime.fromisoformat(created)
        except ValueError:
            made = None
        if made is not None and made.tzinfo is not None:
            return made
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.get_current_timezone())
    except OSError:
        return None


def backups_expired(*, now: datetime, days: int) -> list[Path]:
    """Brik's backups in BRIK_BACKUP_DIR made more than `days` days before `now`."""
    directory = backup_dir()
    if not directory.is_dir():
        return []
    cutoff = now - timedelta(days=days)
    found = []
    for path in sorted(directory.iterdir()):
        if path.is_file() and _is_brik_backup(path):
            made = _made_at(path)
            if made is not None and made < cutoff:
                found.append(path)
    return found


def backups_expire(*, now: datetime, days: int) -> list[Path]:
    """Delete the expired backups; returns what was deleted."""
    deleted = []
    for path in backups_expired(now=now, days=days):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        deleted.append(path)
    return deleted
