"""Brik's system checks (`brik check`; the database ones with `brik check --database default`,
and before `brik migrate`).

- brik.E001: BRIK_ENCRYPTION_KEYS is empty or holds a value that is not a
  Fernet key; brik.E002: BRIK_BLIND_INDEX_KEY is empty.
- brik.W001: a folder in the data folder (or the backup folder, or the
  SQLite database's) is wider than 0700, or a file wider than 0600.
- brik.E003 (database): the configured keys cannot read this database (the
  key check value, brik.protection.keycheck); brik.W002: a key rotation is
  not finished.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError

from brik.protection import crypto
from brik.protection.files import sqlite_files, too_wide


@register("brik")
def keys_check(app_configs, **kwargs):
    errors = []
    keys = list(settings.ENCRYPTION_KEYS)
    if not keys:
        errors.append(
            Error(
                "BRIK_ENCRYPTION_KEYS is empty.",
                hint="`brik generate_keys` prints new keys.",
                id="brik.E001",
            )
        )
    elif bad := crypto.malformed_key_positions(keys):
        errors.append(
            Error(
                f"BRIK_ENCRYPTION_KEYS: key number {', '.join(map(str, bad))} is not a Fernet key "
                "(32 url-safe base64-encoded bytes).",
                hint="`brik generate_keys` prints a valid key.",
                id="brik.E001",
            )
        )
    if not settings.BLIND_INDEX_KEY:
        errors.append(
            Error(
                "BRIK_BLIND_INDEX_KEY is empty.",
                hint="`brik generate_keys` prints a new key.",
                id="brik.E002",
            )
        )
    return errors


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _private_roots() -> list[Path]:
    data = Path(settings.DATA_DIR)
    roots = [data]
    database = settings.DATABASES["default"]
    extra = [Path(settings.BRIK_BACKUP_DIR)]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        extra += sqlite_files(str(database["NAME"]))
    for path in extra:
        if not _inside(path, data) and path.exists():
            roots.append(path)
    return roots


@register("brik")
def file_permissions_check(app_configs, **kwargs):
    """Only the account that runs Brik may read its data folder, database and backups."""
    static = (Path(settings.STATIC_ROOT),)
    found = []
    for root in _private_roots():
        if root.is_file():
            mode = root.stat().st_mode & 0o777
            if mode & 0o077:
                found.append((root, mode))
        else:
            found += list(too_wide(root, skip=static))
    if not found:
        return []
    listed = ", ".join(f"{path} ({mode:o})" for path, mode in found[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    return [
        Warning(
            f"Brik's files are readable by other accounts on this computer: {listed}{more}.",
            hint=f"Folders should be 700 and files 600: chmod -R go-rwx {settings.DATA_DIR}",
            id="brik.W001",
        )
    ]


@register(Tags.database)
def key_check_value_check(app_configs, databases=None, **kwargs):
    """The keys decrypt the data this database holds (refuses a wrong key)."""
    from brik.protection.keycheck import keys_verify

    messages: list[CheckMessage] = []
    for alias in databases or ():
        try:
            findings = keys_verify(alias)
        except DatabaseError:
            continue  # no database to check yet; Django reports a connection problem itself
        for finding in findings:
            if finding.error:
                messages.append(Error(finding.message, id="brik.E003"))
            else:
                messages.append(Warning(finding.message, id="brik.W002"))
    return messages
