"""Are the configured keys the ones this database was written with?

Brik stores a key check value (brik.protection.models.Database): a known text
encrypted with the first key of BRIK_ENCRYPTION_KEYS, and an HMAC of a known
text with BRIK_BLIND_INDEX_KEY. Before serving (`brik serve`, brik.wsgi),
before `brik migrate` and in `brik check --database default`, Brik verifies:

- at least one configured encryption key decrypts the check value; otherwise
  it refuses, naming BRIK_ENCRYPTION_KEYS (with a wrong key it would accept
  writes that nobody can read later);
- the first key, the one new values are encrypted with, decrypts it too;
  otherwise a key rotation is under way and it warns until `brik rotate_keys`
  has finished (which re-encrypts the check value last);
- the blind index key gives the stored HMAC; otherwise it refuses, naming
  BRIK_BLIND_INDEX_KEY (name search would silently find nothing).

A database without a check value (made before Brik stored one) is checked by
decrypting one stored value instead, and the check value is written at the
next `brik migrate`.
"""

import base64
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

from brik.protection import crypto

logger = logging.getLogger(__name__)

KEY_CHECK_TEXT = "brik key check v1"
INDEX_CHECK_TEXT = b"brik blind index check v1"
TABLE = "protection_database"

WRONG_KEYS = (
    "BRIK_ENCRYPTION_KEYS: none of the configured keys decrypts the data in this database. "
    "Set the keys it was written with (a new key goes first, the old ones stay after it)."
)
ROTATION_PENDING = (
    "BRIK_ENCRYPTION_KEYS: the first key is not yet the one the data is encrypted with; "
    "finish the rotation with `brik rotate_keys` before removing the old key."
)
WRONG_INDEX_KEY = (
    "BRIK_BLIND_INDEX_KEY is not the key this database's name index was built with: "
    "set that key again, or rebuild the index with `brik rotate_keys --reindex`."
)


class KeyCheckError(Exception):
    """The configured keys cannot read this database."""


@dataclass(frozen=True)
class Finding:
    error: bool
    message: str


# --- the values ----------------------------------------------------------------------------


def index_check_value() -> str:
    key = settings.BLIND_INDEX_KEY
    if not key:
        raise ImproperlyConfigured("No blind index key configured (BRIK_BLIND_INDEX_KEY).")
    return hmac.new(key.encode(), INDEX_CHECK_TEXT, hashlib.sha256).hexdigest()


def new_audit_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def new_row_values() -> dict[str, str]:
    """The stored values of a new row, under the keys configured now."""
    return {
        "key_check": crypto.encrypt(KEY_CHECK_TEXT),
        "index_check": index_check_value(),
        "audit_key": crypto.encrypt(new_audit_key()),
    }


# --- reading the database --------------------------------------------------------------------


def _stored(using: str) -> tuple[str, str] | None:
    """(key_check, index_check) as stored, or None without a row (or a table)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT key_check, index_check FROM {TABLE} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return (row[0] or "", row[1] or "") if row else None


def encrypted_sample(using: str = DEFAULT_DB_ALIAS, models=None) -> str | None:
    """One encrypted value stored in the database, or None if there is none.

    `models`: the models to look in (default: every installed model with
    encrypted fields; a migration passes its historical models).
    """
    from brik.protection.fields import (
        concrete_column,
        encrypted_fields,
        models_with_encrypted_fields,
    )

    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in models or models_with_encrypted_fields():
            if model._meta.db_table not in tables:
                continue
            for field in encrypted_fields(model):
                column, table = quote(concrete_column(field)), quote(model._meta.db_table)
                cursor.execute(
                    f"SELECT {column} FROM {table} WHERE {column} LIKE %s LIMIT 1",  # noqa: S608
                    [crypto.PREFIX + "%"],
                )
                row = cursor.fetchone()
                if row:
                    return row[0]
    return None


def decrypts(stored: str, keys) -> bool:
    try:
        return crypto.decrypt_with(stored, keys) is not None
    except crypto.DecryptionError:
        return False


def keys_verify(using: str = DEFAULT_DB_ALIAS) -> list[Finding]:
    """What is wrong with the configured keys for this database (empty: nothing)."""
    keys = list(settings.ENCRYPTION_KEYS)
    if not keys or crypto.malformed_key_positions(keys):
        return [Finding(True, "BRIK_ENCRYPTION_KEYS holds no valid Fernet key.")]
    stored = _stored(using)
    if stored is None or not stored[0]:
        sample = encrypted_sample(using)
        if sample is not None and not decrypts(sample, keys):
            return [Finding(True, WRONG_KEYS)]
        return []
    key_check, index_check = stored
    findings = []
    if not decrypts(key_check, keys):
        findings.append(Finding(True, WRONG_KEYS))
    elif not decrypts(key_check, keys[:1]):
        findings.append(Finding(False, ROTATION_PENDING))
    if index_check and not hmac.compare_digest(index_check, index_check_value()):
        findings.append(Finding(True, WRONG_INDEX_KEY))
    return findings


def key_check_values_verify(key_check: str, index_check: str) -> list[Finding]:
    """The same verdict for check values read elsewhere (a backup's manifest)."""
    keys = list(settings.ENCRYPTION_KEYS)
    findings = []
    if key_check and not decrypts(key_check, keys):
        findings.append(Finding(True, WRONG_KEYS))
    if index_check and not hmac.compare_digest(index_check, index_check_value()):
        findings.append(Finding(True, WRONG_INDEX_KEY))
    return findings


def keys_require_valid(using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse (ImproperlyConfigured) with keys that cannot read this database; log warnings."""
    findings = keys_verify(using)
    errors = [f.message for f in findings if f.error]
    for finding in findings:
        if not finding.error:
            logger.warning(finding.message)
    if errors:
        raise ImproperlyConfigured(" ".join(errors))


# --- writing the row -------------------------------------------------------------------------


def database_row_ensure(using: str = DEFAULT_DB_ALIAS):
    """The Database row (only its id loaded), written with the current keys if it is missing.

    A missing row is written only when the current keys decrypt the data that
    is already there (KeyCheckError otherwise): a wrong key is never adopted.
    A row without a check value (none was stored yet) gets one the same way.
    """
    from brik.protection.models import Database

    rows = Database.objects.using(using).only("id")
    stored = _stored(using)
    if stored is not None and stored[0]:
        return rows.get(pk=1)
    sample = encrypted_sample(using)
    if sample is not None and not decrypts(sample, settings.ENCRYPTION_KEYS):
        raise KeyCheckError(WRONG_KEYS)
    values = new_row_values()
    if stored is None:
        Database.objects.using(using).create(pk=1, **values)
    else:
        rows.filter(pk=1).update(key_check=values["key_check"], index_check=values["index_check"])
    return rows.get(pk=1)


def index_check_update(using: str = DEFAULT_DB_ALIAS) -> None:
    """After the name index was rebuilt with the current BRIK_BLIND_INDEX_KEY."""
    from brik.protection.models import Database

    database_row_ensure(using)
    Database.objects.using(using).filter(pk=1).update(index_check=index_check_value())
