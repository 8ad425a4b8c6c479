"""The action log as a hash chain, so that tampering with it shows.

Each row carries `sequence` (1, 2, 3, ... in the order rows were committed),
`prev_hash` (the previous row's `row_hash`) and `row_hash`, an HMAC-SHA256
over the row's content and `prev_hash`. Changing, deleting, inserting or
reordering rows with plain SQL breaks a link that `brik audit verify` finds.

The HMAC key is the audit key of brik.protection.models.Database: random per
installation, stored encrypted with BRIK_ENCRYPTION_KEYS. A copy of the
database alone cannot forge the chain; rotating the encryption keys only
re-encrypts the audit key, so the chain never has to be recomputed.

Rows are chained in commit order: on PostgreSQL a transaction-level advisory
lock is taken right before reading the last row and inserting (held until the
transaction ends, normally milliseconds); SQLite's transactions are
IMMEDIATE, so writers are serialised already. A single row written outside a
transaction (a read of a page: two statements instead of a transaction of four or
five) reads the last link without the lock and is inserted after it, on PostgreSQL
by a statement that takes the lock first (SQLite's insert waits for a writing
transaction anyway); the unique sequence number refuses it if another row took
that place meanwhile, and it is linked again to the new last row.

Retention may redact values (a place, a municipality) in old rows. It records
in a `brik.audit.redacted` row, itself chained, each redacted row's original
content MAC and its new one, so verification stays exact and honest: the
redacted row still links, and its new content is checked against the MAC the
redaction recorded.
"""

import base64
import hmac
import json
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from brik.audit.events import AuditEvent
from brik.core.kept import fetch_fixed

GENESIS = ""
REDACTED = AuditEvent.AUDIT_REDACTED
# pg_advisory_xact_lock key: b"brikaudt" as a signed 64-bit integer.
LOCK_ID = int.from_bytes(b"brikaudt", "big", signed=True)
CONTENT = (
    "sequence",
    "created_at",
    "actor_id",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "data",
    "changes",
)

_HEAD = (
    "SELECT (SELECT audit_key FROM protection_database WHERE id = 1), "
    "(SELECT sequence FROM audit_actionlog ORDER BY sequence DESC LIMIT 1), "
    "(SELECT row_hash FROM audit_actionlog ORDER BY sequence DESC LIMIT 1)"
)


class ChainError(Exception):
    pass


# --- canonical content -----------------------------------------------------------------------


def _canonical(value) -> str:
    """One text per JSON value, whatever the database did to it on the way.

    Numbers are written as normalised decimals, because PostgreSQL's jsonb
    gives 1e+30 back as 1000000000000000000000000000000 and 1.0 as 1.0.
    """
    # The common exact types first (a bulk writer chains millions of rows); strings
    # are written as json.dumps writes them (ensure_ascii), without its per-call set-up.
    kind = type(value)
    if kind is str:
        return _json_text(value)
    if kind is dict:
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ",".join([_json_text(k) + ":" + _canonical(v) for k, v in items]) + "}"
    if kind is list:
        return "[" + ",".join([_canonical(v) for v in value]) + "]"
    if kind is int:
        return _number(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return "#" + str(Decimal(repr(value) if isinstance(value, float) else value).normalize())
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ",".join(json.dumps(k) + ":" + _canonical(v) for k, v in items) + "}"
    raise TypeError(f"{type(value).__name__} is not a JSON value")


_json_text = json.encoder.encode_basestring_ascii  # what json.dumps(text) gives


def _as_stored(value):
    """A JSON field's value as it comes back from the database (tuples as lists, keys as text)."""
    return json.loads(json.dumps(value if value is not None else {}))


class _Irregular(Exception):
    """A value _stored_canonical leaves to the exact (slower) way: json round trip first."""


_SHORT = 10**27  # below this, Decimal's normalize (28 digits) keeps every digit


def _number(value: int) -> str:
    """_canonical of a whole number: its digits unless it ends in zeros or is huge."""
    if value % 10 and -_SHORT < value < _SHORT:
        return "#" + str(value)
    return "#" + str(Decimal(value).normalize())


def _stored_canonical(value) -> str:
    """_canonical(_as_stored(value)) in one pass, for the values a JSON field usually holds.

    Text keys, lists, tuples, text, whole numbers, floats, booleans and null are
    written as the database gives them back; anything else (a key that is not
    text, which json turns into text and may merge with another, an unusual type)
    raises _Irregular and the caller takes the exact round trip.
    """
    kind = type(value)
    if kind is str:
        return _json_text(value)
    if kind is dict:
        for k in value:
            if type(k) is not str:
                raise _Irregular
        return (
            "{"
            + ",".join([_json_text(k) + ":" + _stored_canonical(value[k]) for k in sorted(value)])
            + "}"
        )
    if kind is list or kind is tuple:
        return "[" + ",".join([_stored_canonical(v) for v in value]) + "]"
    if value is None or kind is bool or kind is int or kind is float:
        return _canonical(value)  # the database gives these back as they are
    if isinstance(value, str):
        return _json_text(value)  # a text choice: json writes its text
    raise _Irregular


def _stored_text(value) -> str:
    """The canonical text of a JSON field's value as the database gives it back."""
    if value is None:
        return "{}"
    try:
        return _stored_canonical(value)
    except _Irregular:
        return _canonical(_as_stored(value))


def _moment(value: datetime) -> str:
    if value.tzinfo is None:
        raise ChainError("Audit rows need aware datetimes.")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def content_text(row) -> str:
    """The canonical text of a row given as a mapping of CONTENT names."""
    return _text(*[row[name] for name in CONTENT])


def _text(
    sequence,
    created_at,
    actor_id,
    organisation_id,
    action,
    object_type,
    object_id,
    case_id,
    data,
    changes,
) -> str:
    """content_text of the CONTENT values in their order (a bulk writer's tuples, a row's dict)."""
    head = _canonical(
        [
            sequence,
            _moment(created_at),
            actor_id,
            organisation_id,
            action,
            object_type,
            str(object_id),
            case_id,
        ]
    )
    # The same text as _canonical of the whole list with the two JSON fields
    # round-tripped through json (tests/test_chain.py compares the two ways).
    return head[:-1] + "," + _stored_text(data) + "," + _stored_text(changes) + "]"


def content_mac(key: bytes, row) -> str:
    return _mac(key, content_text(row))


def _mac(key: bytes, text: str) -> str:
    message = b"brik.audit.row.v1\n" + text.encode("utf-8")
    return hmac.digest(key, message, "sha256").hex()  # one-shot: hmac.new(...).hexdigest()


def link_hash(key: bytes, prev_hash: str, mac: str) -> str:
    message = b"brik.audit.link.v1\n" + prev_hash.encode("ascii") + b"\n" + mac.encode("ascii")
    return hmac.digest(key, message, "sha256").hex()


# --- the key and the head of the chain ---------------------------------------------------------


@lru_cache(maxsize=8)
def _decrypted_key(stored: str, keys: tuple[str, ...]) -> bytes:
    from brik.protection import crypto

    return base64.urlsafe_b64decode(crypto.decrypt_with(stored, keys))


def audit_key(stored: str) -> bytes:
    return _decrypted_key(stored, tuple(settings.ENCRYPTION_KEYS))


def stored_audit_key(using: str = DEFAULT_DB_ALIAS) -> str:
    from brik.protection.keycheck import database_row_ensure

    with connections[using].cursor() as cursor:
        cursor.execute("SELECT audit_key FROM protection_database WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        database_row_ensure(using)
        return stored_audit_key(using)
    return row[0]


def _head(using: str) -> tuple[bytes, int, str]:
    """Lock the chain (until the transaction ends) and read its key and last link."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise ChainError("Audit rows are chained inside a transaction.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
    return head_unlocked(using)


def head_unlocked(using: str = DEFAULT_DB_ALIAS) -> tuple[bytes, int, str]:
    """The key and the last link as committed now, without the lock (_head takes it
    first): also for a row inserted alone by a statement that takes the lock itself and
    fails if the next sequence number was taken meanwhile (brik.audit.models.ActionLog.save)."""
    # A prepared statement on PostgreSQL (planned once per connection).
    [(stored, sequence, last)] = fetch_fixed(connections[using], _HEAD, [])
    if stored is None:
        stored = stored_audit_key(using)
    return audit_key(stored), sequence or 0, last or GENESIS


def row_link(key: bytes, sequence: int, prev: str, row: MutableMapping) -> None:
    """Give one row (a mapping of CONTENT names but `sequence`) the place after `prev`."""
    row["sequence"] = sequence
    row["prev_hash"] = prev
    row["row_hash"] = link_hash(key, prev, content_mac(key, row))


def chain_queries(using: str = DEFAULT_DB_ALIAS) -> int:
    """The queries chaining adds to a batch of audit rows inserted in a transaction:
    reading the head of the chain, and on PostgreSQL taking the lock first."""
    return 2 if connections[using].vendor == "postgresql" else 1


def rows_chain(rows: Iterable[MutableMapping], using: str = DEFAULT_DB_ALIAS) -> None:
    """Give each row (a mapping of CONTENT names but `sequence`) its place in the chain.

    Call inside the transaction that inserts the rows, right before inserting
    them in this order: the chain stays locked until that transaction ends.
    """
    rows = list(rows)
    if not rows:
        return
    key, sequence, prev = _head(using)
    for row in rows:
        sequence += 1
        row_link(key, sequence, prev, row)
        prev = row["row_hash"]


def values_chain(rows: Sequence[Sequence], using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
    """rows_chain for rows given as tuples of the CONTENT values but `sequence`, in
    CONTENT's order: (sequence, prev_hash, row_hash) per row, in the rows' order.

    The same links as rows_chain over the same values; a bulk writer that builds its
    rows as tuples (the demo, about 12 rows per person) needs no dict per row.
    """
    if not rows:
        return []
    key, sequence, prev = _head(using)
    links = []
    for values in rows:
        sequence += 1
        row_hash = link_hash(key, prev, _mac(key, _text(sequence, *values)))
        links.append((sequence, prev, row_hash))
        prev = row_hash
    return links


# --- verification ------------------------------------------------------------------------------


@dataclass
class Verdict:
    rows: int = 0
    redacted: int = 0
    last_sequence: int = 0
    last_hash: str = GENESIS
    broken_id: int | None = None
    broken_sequence: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def _row_dicts(queryset):
    fields = ("id", *CONTENT, "prev_hash", "row_hash")
    for values in queryset.values_list(*fields).iterator(chunk_size=2000):
        yield dict(zip(fields, values, strict=True))


def redactions(key: bytes, using: str = DEFAULT_DB_ALIAS) -> dict[int, tuple[str, str]]:
    """sequence -> (original content MAC, content MAC after redaction), from redaction
    rows whose own content is intact (a forged redaction row counts for nothing)."""
    from brik.audit.models import ActionLog

    found: dict[int, tuple[str, str]] = {}
    records = ActionLog.objects.using(using).filter(action=REDACTED).order_by("sequence")
    for row in _row_dicts(records):
        if link_hash(key, row["prev_hash"], content_mac(key, row)) != row["row_hash"]:
            continue
        for sequence, original, now in row["data"].get("rows", []):
            found[int(sequence)] = (original, now)
    return found


def chain_verify(using: str = DEFAULT_DB_ALIAS) -> Verdict:
    """Walk the whole chain; stop at the first broken link."""
    from brik.audit.models import ActionLog

    verdict = Verdict()
    rows = ActionLog.objects.using(using).order_by("sequence")
    if not rows.exists():
        return verdict
    key = audit_key(stored_audit_key(using))
    redacted = redactions(key, using)
    expected, prev = 1, GENESIS

    def broken(row, problem: str) -> Verdict:
        verdict.broken_id, verdict.broken_sequence = row["id"], row["sequence"]
        verdict.problem = problem
        return verdict

    for row in _row_dicts(rows):
        if row["sequence"] != expected:
            return broken(
                row,
                f"its sequence number is {row['sequence']}, {expected} was expected "
                "(rows were removed or renumbered)",
            )
        if row["prev_hash"] != prev:
            return broken(
                row, "it does not follow the row before it (a row was removed, added or moved)"
            )
        mac = content_mac(key, row)
        if row["sequence"] in redacted:
            original, after = redacted[row["sequence"]]
            if not hmac.compare_digest(mac, after):
                return broken(row, "its content was changed after retention redacted it")
            mac = original
            verdict.redacted += 1
        if not hmac.compare_digest(link_hash(key, prev, mac), row["row_hash"]):
            return broken(row, "its content does not match its hash (changed after it was written)")
        prev, expected = row["row_hash"], expected + 1
        verdict.rows += 1
        verdict.last_sequence, verdict.last_hash = row["sequence"], prev
    return verdict


def row_content_mac(row, using: str = DEFAULT_DB_ALIAS) -> tuple[str, bool]:
    """(content MAC now, whether the row links with it as it stands)."""
    key = audit_key(stored_audit_key(using))
    mac = content_mac(key, row)
    return mac, link_hash(key, row["prev_hash"], mac) == row["row_hash"]


def row_dicts(queryset):
    """Rows as mappings of CONTENT names, `id`, `prev_hash` and `row_hash`."""
    return _row_dicts(queryset)
