import re
from functools import cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brik.audit import chain
from brik.audit.events import READ_EVENT_VALUES
from brik.core.kept import fetch_fixed


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit rows cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit rows cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly("Audit rows cannot be changed.")

    def bulk_create(self, objs, *args, **kwargs):
        """Rows created in bulk are chained too, in the order given."""
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            _chain(objs, self.db)
            return super().bulk_create(objs, *args, **kwargs)


def _chain(rows: list["ActionLog"], using: str) -> None:
    values = [{name: getattr(row, name) for name in chain.CONTENT[1:]} for row in rows]
    chain.rows_chain(values, using)
    for row, chained in zip(rows, values, strict=True):
        row.sequence, row.prev_hash, row.row_hash = (
            chained["sequence"],
            chained["prev_hash"],
            chained["row_hash"],
        )


# A row written alone that keeps finding its place taken goes the locked way after this.
ALONE_ATTEMPTS = 5


def _insert_alone(row: "ActionLog", using: str) -> bool:
    """Insert one row outside a transaction in two statements (brik.audit.chain): read the
    last link, then insert the row after it, on PostgreSQL with a statement that takes
    the chain's lock first (SQLite's insert waits for a writing transaction anyway). The
    unique sequence number refuses the row when another took its place since; it is then
    linked to the new last row. False: not written this way (inside a transaction, or
    its place taken ALONE_ATTEMPTS times)."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return False
    if connection.in_atomic_block or not connection.get_autocommit():
        return False
    fields = _inserted_fields()
    sql = _alone_sql(connection)
    lock = [chain.LOCK_ID] if connection.vendor == "postgresql" else []
    content = {name: getattr(row, name) for name in chain.CONTENT[1:]}
    for _attempt in range(ALONE_ATTEMPTS):
        key, last, prev = chain.head_unlocked(using)
        values = dict(content)
        chain.row_link(key, last + 1, prev, values)  # the fields' values, all of them
        params = [field.get_db_prep_save(values[field.attname], connection) for field in fields]
        try:
            # A prepared statement on PostgreSQL (planned once per connection).
            [(pk,)] = fetch_fixed(connection, sql, [*params, *lock])
        except IntegrityError:
            if chain.head_unlocked(using)[1] <= last:
                raise  # not its place taken: a row the database refuses
            continue
        row.sequence, row.prev_hash, row.row_hash = (
            values["sequence"],
            values["prev_hash"],
            values["row_hash"],
        )
        row.pk = pk
        row._state.adding = False
        row._state.db = using
        return True
    return False


@cache
def _inserted_fields() -> tuple[models.Field, ...]:
    return tuple(f for f in ActionLog._meta.concrete_fields if not f.primary_key)


# _alone_sql's statement per database vendor, written once (it is on every read's path).
_ALONE_SQL: dict[str, str] = {}


def _alone_sql(connection) -> str:
    """INSERT of one row, returning its id; on PostgreSQL it takes the chain's lock before
    the row is made (held until the statement's own transaction commits, as a locked
    transaction holds it: the lock's key is its last parameter)."""
    sql = _ALONE_SQL.get(connection.vendor)
    if sql is None:
        sql = _ALONE_SQL[connection.vendor] = _alone_sql_written(connection)
    return sql


def _alone_sql_written(connection) -> str:
    quote = connection.ops.quote_name
    fields = _inserted_fields()
    values = ", ".join(["%s"] * len(fields))
    if connection.vendor == "postgresql":
        # Each value cast to its column's type: the parameters are bound on the server
        # (a prepared statement), where a value in a SELECT list has no type of its own.
        values = ", ".join(f"%s::{_cast_type(f, connection)}" for f in fields)
        values = f"SELECT {values} FROM (SELECT pg_advisory_xact_lock(%s::bigint)) AS chain_locked"  # noqa: S608
    else:
        values = f"VALUES ({values})"
    # Names from the model, quoted; every value is a parameter.
    return (
        f"INSERT INTO {quote(ActionLog._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) {values} "
        f"RETURNING {quote(ActionLog._meta.pk.column)}"
    )


def _cast_type(field: models.Field, connection) -> str:
    """The column's type for a cast, without a length: a cast to varchar(n) would cut a
    longer value silently, where the insert into the column refuses it."""
    return re.sub(r"\(\d+\)$", "", field.cast_db_type(connection) or "")


class ActionLog(models.Model):
    """One row per recorded step: who did what to which record, and when.

    Written only by brik.audit.services.log_action, in the same transaction as
    the change it records. Rows are never updated or deleted by the application,
    and each is chained to the one before it (brik.audit.chain).
    """

    # Set when the row is made, not at insert: the chain's hash covers it.
    created_at = models.DateTimeField(
        _("when"), default=timezone.now, editable=False, db_index=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_logs",
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    # For a change to an existing row: {field: {"from": old, "to": new}}, or
    # {field: {"changed": true}} for an encrypted field (brik.audit.services).
    changes = models.JSONField(_("fields changed"), default=dict, blank=True)
    # The chain (brik.audit.chain): set on insert, checked by `brik audit verify`.
    sequence = models.BigIntegerField(_("sequence number"), unique=True, editable=False)
    prev_hash = models.CharField(
        _("previous row's hash"), max_length=64, blank=True, editable=False
    )
    row_hash = models.CharField(_("row hash"), max_length=64, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # A case's changes without its reads (its history and timeline): a case
            # read every day gathers thousands of rows of reads, which the case_id
            # index alone would read and drop on every view of the case page. One
            # column, as the case_id index: PostgreSQL prices an index of several
            # columns as read in a more scattered order, and chose the case_id index
            # and its thousands of reads over this one (docs/performance.md,
            # "Nineteenth round"). The few rows are sorted after.
            models.Index(
                fields=["case"],
                condition=models.Q(case__isnull=False) & ~models.Q(action__in=READ_EVENT_VALUES),
                name="actionlog_case_changes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: an audit row is written once.
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit rows cannot be changed.")
        using = kwargs.get("using") or DEFAULT_DB_ALIAS
        if not args and set(kwargs) <= {"using", "force_insert"} and _insert_alone(self, using):
            return
        with transaction.atomic(using=using, savepoint=False):
            _chain([self], using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit rows cannot be deleted.")
