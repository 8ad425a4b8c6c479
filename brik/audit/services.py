"""Writing the action log: one row per recorded step, read, export or login.

`log_action` is called by every service inside the transaction of the change
it records. For a change to an existing row, take a `snapshot` of the row
before and pass `changes=changes_since(row, before)`: the row then says which
fields changed, with old and new values, except for encrypted fields, which
are recorded as changed without either value.

Every row is chained to the one before it (brik.audit.chain) when it is
saved; bulk writers that insert with plain SQL chain their rows with
`audit_rows_chain` first. `audit_chain_verify` checks the whole chain, and
`audit_values_redact` is the one sanctioned change to old rows (retention).
"""

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models, transaction

from brik.accounts.models import User
from brik.audit import chain
from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.protection.fields import encrypted_fields

if TYPE_CHECKING:
    from brik.cases.models import Case

# Who acted: a person, or no one (the command line, the demo, a visitor not logged in).
Actor: TypeAlias = User | AnonymousUser | None


def jsonable(value: Any) -> Any:
    """What the log stores for a value: primary keys for records, text for dates and
    decimals. A NUL character in a text (typed into a search, say) is stored as U+FFFD:
    PostgreSQL's JSON cannot hold it, and the row must not fail."""
    kind = type(value)
    if kind is str:
        return _nul_free(value)
    if kind is int or kind is bool or value is None:
        return value  # the usual exact types first: every changed field of every demo step
    if isinstance(value, dict):
        return {(_nul_free(k) if isinstance(k, str) else k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return _nul_free(value)
    if isinstance(value, (bool, int, float)):
        return value
    return _nul_free(str(value))


def _nul_free(text: str) -> str:
    return text.replace("\x00", NUL_STORED_AS) if "\x00" in text else text


NUL_STORED_AS = "\ufffd"


def log_action(
    *,
    actor: Actor,
    action: AuditEvent,
    obj: models.Model,
    case: "Case | None" = None,
    data: dict | None = None,
    changes: dict | None = None,
) -> ActionLog:
    """Record one step. Call inside the service's transaction.

    `action` must be one of AuditEvent: a misspelt name is refused here (ValueError),
    not stored where no auditor's search would find it.
    """
    action = AuditEvent(action)
    return ActionLog.objects.create(
        actor=actor if isinstance(actor, User) and actor.pk else None,
        organisation_id=getattr(actor, "organisation_id", None),
        action=action.value,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        case=case,
        data=jsonable(data or {}),
        changes=changes or {},
    )


# --- which fields changed ------------------------------------------------------------


@cache
def _field_names(
    model: type[models.Model],
) -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    """A model's encrypted fields, and {name: attname} of its fields but the primary key
    (all of them, and all but the timestamps): looked up once per model, as every
    service step snapshots a row (and the demo a million)."""
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    every = {f.name: f.attname for f in concrete}
    plain = {n: a for n, a in every.items() if n not in ("created_at", "updated_at")}
    return frozenset(f.name for f in encrypted_fields(model)), every, plain


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of `obj`'s fields now (all but the timestamps, or those named)."""
    _encrypted, every, plain = _field_names(type(obj))
    if fields is None:
        return {name: getattr(obj, attname) for name, attname in plain.items()}
    wanted = set(fields)
    return {name: getattr(obj, attname) for name, attname in every.items() if name in wanted}


def changes_since(obj: models.Model, before: dict[str, Any]) -> dict[str, dict]:
    """The fields of `obj` that differ from `before` (a snapshot).

    {"status": {"from": "offered", "to": "accepted"}, "plan_notes": {"changed": True}}:
    old and new values for plain fields (foreign keys as ids); encrypted fields
    only say that they changed, so the log never holds what they protect.
    """
    encrypted, attnames, _plain = _field_names(type(obj))
    out: dict[str, dict] = {}
    for name, old in before.items():
        new = getattr(obj, attnames[name])
        if old == new:
            continue
        if name in encrypted:
            out[name] = {"changed": True}
        else:
            out[name] = {"from": jsonable(old), "to": jsonable(new)}
    return out


# --- reads, exports and logins ----------------------------------------------------------


def access_record(
    *,
    actor: Actor,
    action: AuditEvent,
    obj: models.Model,
    case: "Case | None" = None,
    data: dict | None = None,
) -> ActionLog:
    """Record that someone read or exported a record (e.g. brik.case.viewed)."""
    return log_action(actor=actor, action=action, obj=obj, case=case, data=data)


def login_record(*, user: User, ip: str | None) -> ActionLog:
    return log_action(actor=user, action=AuditEvent.USER_LOGGED_IN, obj=user, data={"ip": ip})


def login_failure_record(*, username: str, ip: str | None) -> ActionLog:
    """A refused login: the user name tried (whether or not it exists) and the address."""
    user_model = get_user_model()
    user = user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()
    return ActionLog.objects.create(
        actor=None,
        organisation=None,
        action=AuditEvent.USER_LOGIN_FAILED,
        object_type=user_model._meta.label_lower,
        object_id=str(user.pk) if user else "",
        data={"username": username[:150], "ip": ip},
    )


# --- the chain -----------------------------------------------------------------------------


def audit_rows_chain(rows: Sequence[dict]) -> Sequence[dict]:
    """Chain rows that a bulk writer inserts with plain SQL (the demo generator).

    Each row is a dict of ActionLog attnames (created_at, actor_id,
    organisation_id, action, object_type, object_id, case_id, data, changes);
    this adds sequence, prev_hash and row_hash. Call it inside the transaction
    that inserts the rows, right before inserting them in this order: the
    chain stays locked until that transaction ends.
    """
    for row in rows:
        for name in ("actor_id", "organisation_id", "case_id"):
            row.setdefault(name, None)
        row.setdefault("data", {})
        row.setdefault("changes", {})
    chain.rows_chain(rows)
    return rows


# The fields of audit_values_chain's tuples, in their order; then the link's fields.
AUDIT_VALUE_FIELDS = tuple(name for name in chain.CONTENT if name != "sequence")
AUDIT_LINK_FIELDS = ("sequence", "prev_hash", "row_hash")


def audit_values_chain(rows: Sequence[Sequence]) -> list[tuple]:
    """audit_rows_chain for rows given as tuples of AUDIT_VALUE_FIELDS (created_at,
    actor_id, organisation_id, action, object_type, object_id, case_id, data, changes):
    returns a tuple of AUDIT_LINK_FIELDS per row. The same call-site rules: inside the
    inserting transaction, right before inserting the rows in this order.
    """
    return chain.values_chain(rows)


def audit_chain_verify() -> chain.Verdict:
    """Walk the whole action log; the verdict names the first broken link, if any."""
    return chain.chain_verify()


REDACTED_VALUE = ""


@transaction.atomic
def audit_values_redact(
    *, actor: Actor, rows: models.QuerySet, names: Iterable[str], obj: models.Model, reason: str
) -> int:
    """Blank the values of `names` in the rows' details and changes (retention).

    Rows are append-only; this is the one change allowed, and it is recorded:
    a `brik.audit.redacted` row lists each redacted row's sequence with its
    content MAC before (the one its chain link was made with) and after, so
    `brik audit verify` still checks every row exactly. Returns the number of
    rows changed.
    """
    names = set(names)
    key = chain.audit_key(chain.stored_audit_key())
    earlier = chain.redactions(key)
    done = []
    updates = []
    for row in chain.row_dicts(rows.order_by("sequence")):
        data = _without(row["data"], names, lambda _old: REDACTED_VALUE)
        changes = _without(row["changes"], names, lambda _old: {"changed": True})
        if data == row["data"] and changes == row["changes"]:
            continue
        mac = chain.content_mac(key, row)
        linked = chain.link_hash(key, row["prev_hash"], mac) == row["row_hash"]
        original = mac if linked else earlier.get(row["sequence"], (None,))[0]
        if original is None:
            raise chain.ChainError(
                f"Audit row {row['id']} is broken already; run `brik audit verify`."
            )
        new_mac = chain.content_mac(key, {**row, "data": data, "changes": changes})
        done.append([row["sequence"], original, new_mac])
        updates.append((data, changes, row["id"]))
    if not done:
        return 0
    adapt = connection.ops.adapt_json_value
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE audit_actionlog SET data = %s, changes = %s WHERE id = %s",
            [(adapt(data, None), adapt(changes, None), pk) for data, changes, pk in updates],
        )
    log_action(
        actor=actor,
        action=chain.REDACTED,
        obj=obj,
        data={"reason": reason, "fields": sorted(names), "rows": done},
    )
    return len(done)


def _without(values: dict, names: set[str], replace: Callable[[Any], Any]) -> dict:
    return {k: (replace(v) if k in names and v not in ("", None) else v) for k, v in values.items()}
