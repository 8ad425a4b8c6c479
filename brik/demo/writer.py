"""Fast bulk writing of the demo's rows: precomputed primary keys, one executemany per batch.

`QuerySet.bulk_create` spends most of its time preparing each value through
the field machinery, which makes a 100,000-person demo take many minutes. The
demo's rows are simple, so this writer does the same conversion with the
backend's own adapters (``connection.ops.adapt_*``; fields that encrypt or
encode JSON keep their ``get_db_prep_save``) and inserts with ``executemany``.
Primary keys are handed out from the table's current maximum, so children can
refer to their parents before anything is written; afterwards the sequences
are reset (a no-op on SQLite, ``setval`` on PostgreSQL).

Rows keep the ``created_at``/``updated_at`` the histories gave them: this
writer does not call ``pre_save``, so ``auto_now`` does not overwrite them.
Nothing here calls ``save()`` or sends signals; Brik keeps no logic there.
"""

import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from brik.audit.models import ActionLog
from brik.audit.services import (
    AUDIT_LINK_FIELDS,
    AUDIT_VALUE_FIELDS,
    audit_values_chain,
    jsonable,
)
from brik.cases.models import Interview
from brik.demo.records import AuditRecord, Rows
from brik.search import tokens as search_tokens
from brik.search.models import PersonSearchToken

BATCH_SIZE = 1000
# Action-log entries chained and written at a time (Writer.audit).
AUDIT_CHUNK = 20_000
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BooleanField",
    "CharField",
    "EmailField",
    "TextField",
    "SmallIntegerField",
    "IntegerField",
    "BigIntegerField",
    "PositiveSmallIntegerField",
    "PositiveIntegerField",
}


class Writer:
    # False in a process that makes rows for another to write (brik.demo.processes): the
    # identity fields' values stay plain there, and the writing process encrypts them.
    encrypts = True

    def __init__(self):
        self.ops = connection.ops
        self._next_pk: dict[type[models.Model], int] = {}
        self._plans: dict[type[models.Model], tuple] = {}
        self.written: set[type[models.Model]] = set()

    # --- primary keys ---------------------------------------------------------------------

    def _allocate(self, model: type[models.Model], count: int) -> int:
        if model not in self._next_pk:
            highest = model.objects.aggregate(m=Max("pk"))["m"] or 0
            self._next_pk[model] = highest + 1
        first = self._next_pk[model]
        self._next_pk[model] += count
        return first

    def reset_sequences(self) -> None:
        """Let the database's own numbering continue after the demo's rows."""
        statements = self.ops.sequence_reset_sql(no_style(), sorted(self.written, key=str))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    # --- indexes ----------------------------------------------------------------------------

    @contextmanager
    def indexes_deferred(self, *tables: type[models.Model]) -> Iterator[None]:
        """The tables' plain (not unique) indexes dropped for the load and made again after it.

        Indexes take their rows in random order (the action log's created_at and
        object, the search tokens' (kind, value, person), the cases' seventeen on
        dates, statuses and caseworkers): an index built once from all the rows costs
        less than millions of inserts into it (docs/performance.md, the demo's seventh
        round). The same definitions come back (the database's own CREATE INDEX text),
        inside the caller's transaction, so a failed run keeps them; unique indexes
        and primary keys stay, as the load relies on them. SQLite only (see
        _plain_indexes).
        """
        dropped = [d for model in tables for d in _plain_indexes(model._meta.db_table)]
        quote = self.ops.quote_name
        with connection.cursor() as cursor:
            for name, _definition in dropped:
                cursor.execute(f"DROP INDEX {quote(name)}")
        yield
        with connection.cursor() as cursor:
            for _name, definition in dropped:
                cursor.execute(definition)

    # --- values -----------------------------------------------------------------------------

    def _adapter(self, field: models.Field) -> Callable | None:
        """How a field's Python value becomes a database value; None when it is used as is."""
        internal = field.get_internal_type()
        if field.is_relation:
            return None  # resolved in _row: the attname, or the cached parent's pk
        if getattr(field, "encrypted", False):
            # Not encrypted in a process that only makes rows: the writing process
            # does it (Writer.insert_rows).
            return self._encrypter(field) if self.encrypts else None
        if internal == "DecimalField":
            return lambda value: field.get_db_prep_save(value, connection)
        if internal == "JSONField":
            adapt_json, encoder = self.ops.adapt_json_value, field.encoder
            if connection.vendor == "sqlite":
                # What SQLite's adapt_json_value does, json.dumps(value, cls=encoder),
                # with the one encoder made once instead of once per value.
                encode = (encoder or json.JSONEncoder)().encode
                return lambda value: None if value is None else encode(value)
            return lambda value: None if value is None else adapt_json(value, encoder)
        if internal == "DateField":
            return self.ops.adapt_datefield_value
        if internal == "DateTimeField":
            if connection.vendor == "sqlite":
                # What the SQLite backend stores: naive UTC text, str(value.astimezone(UTC)
                # .replace(tzinfo=None)); the aware value's text without its "+00:00" is the
                # same text without a second datetime (about 35 values per person).
                return lambda value: (
                    None if value is None else value.astimezone(UTC).isoformat(" ")[:-6]
                )
            return self.ops.adapt_datetimefield_value
        if internal in _PLAIN:
            return None
        return lambda value: field.get_db_prep_save(value, connection)

    def _plan(self, model: type[models.Model]):
        """Per model: the columns, a getter of the raw values, and what to adapt."""
        if model not in self._plans:
            fields = list(model._meta.local_concrete_fields)
            relations = [
                (i, f.attname, getattr(f, "cache_name", f.name))
                for i, f in enumerate(fields)
                if f.is_relation
            ]
            adapters = [(i, a) for i, f in enumerate(fields) if (a := self._adapter(f))]
            getter = operator.itemgetter(*[f.attname for f in fields])
            self._plans[model] = ([f.column for f in fields], getter, relations, adapters)
        return self._plans[model]

    def _rows(self, model, values: Sequence[dict], caches: Sequence[dict] | None = None):
        """The columns and the database values of rows given as {attname: value} dicts.

        `caches` are the instances' related-object caches: a parent saved after
        its child was made gives its primary key from there.
        """
        columns, getter, relations, adapters = self._plan(model)
        rows = []
        for n, data in enumerate(values):
            row = list(getter(data))
            if caches is not None:
                for i, _attname, cache_name in relations:
                    if row[i] is None:
                        parent = caches[n].get(cache_name)
                        row[i] = parent.pk if parent is not None else None
            for i, adapt in adapters:
                if row[i] is not None:
                    row[i] = adapt(row[i])
            rows.append(tuple(row))
        return columns, rows

    def insert(self, objects: Sequence[models.Model]) -> None:
        """Insert model instances of one model, giving each its primary key first."""
        if not objects:
            return
        model = type(objects[0])
        first = self._allocate(model, len(objects))
        for offset, obj in enumerate(objects):
            obj.pk = first + offset
            obj._state.adding = False
        self._execute(
            model,
            *self._rows(
                model, [o.__dict__ for o in objects], [o._state.fields_cache for o in objects]
            ),
        )

    def insert_rows(self, model, columns: Sequence[str], rows: list[tuple]) -> None:
        """Insert the rows of every concrete field that a writer which does not encrypt
        made (brik.demo.processes), encrypting the encrypted fields' plain values first."""
        fields = model._meta.local_concrete_fields
        if list(columns) != [f.column for f in fields]:
            raise ValueError(f"{model.__name__}: rows of every concrete field, in their order")
        encrypted = [
            (i, self._encrypter(f)) for i, f in enumerate(fields) if getattr(f, "encrypted", False)
        ]
        if encrypted:

            def encrypt_row(row: tuple) -> tuple:
                values = list(row)
                for i, encrypt in encrypted:
                    if values[i] is not None:
                        values[i] = encrypt(values[i])
                return tuple(values)

            rows = [encrypt_row(row) for row in rows]
        self._execute(model, columns, rows)

    @staticmethod
    def _encrypter(field: models.Field) -> Callable:
        return lambda value: field.get_db_prep_save(value, connection)

    def _execute(self, model, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        quote = self.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the models
            quote(model._meta.db_table),
            ", ".join(quote(c) for c in columns),
            ", ".join(["%s"] * len(columns)),
        )
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH_SIZE):
                cursor.executemany(sql, rows[start : start + BATCH_SIZE])
        self.written.add(model)

    def insert_tuples(
        self, model: type[models.Model], attnames: Sequence[str], rows: Iterable[tuple]
    ) -> None:
        """Insert rows given as tuples of database values of `attnames`, every other field
        but the primary key left out: no dict, default or adapter per row (the search
        tokens, about 24 rows per person)."""
        rows = list(rows)
        if not rows:
            return
        first = self._allocate(model, len(rows))
        fields = {f.attname: f for f in model._meta.local_concrete_fields}
        pk = model._meta.pk
        missing = set(fields) - {pk.attname, *attnames}
        if missing:
            raise ValueError(f"{model.__name__}: no value for {', '.join(sorted(missing))}")
        columns = [pk.column, *[fields[a].column for a in attnames]]
        self._execute(model, columns, [(first + offset, *row) for offset, row in enumerate(rows)])

    # --- the demo's rows ----------------------------------------------------------------------

    def case_rows(self, rows: Rows) -> None:
        """One batch of histories, parents before children."""
        for objects in (
            rows.persons,
            rows.identities,
            rows.citizenships,
            rows.cases,
            rows.referrals,
            rows.interviews,
        ):
            self.insert(objects)
        self.person_derived_rows(rows)
        self.through(Interview.interviewers.through, "interview_id", "user_id", rows.interviewers)
        for objects in (
            rows.assessments,
            rows.forms,
            rows.periods,
            rows.extensions,
            rows.supports,
            rows.returns,
            rows.follow_ups,
        ):
            self.insert(objects)

    def person_derived_rows(self, rows: Rows) -> None:
        """The one place where rows derived from each person are bulk-created, once
        per batch, when the batch's persons and identities have their primary keys:
        the search index's tokens (brik.search), computed from the names in memory."""
        self.insert_tuples(
            PersonSearchToken,
            ("person_id", "kind", "value"),
            [
                (identity.person.pk, kind, value)
                for identity in rows.identities
                for kind, value in search_tokens.person_token_values(
                    given_names=identity.given_names,
                    family_name=identity.family_name,
                    aliases=identity.aliases,
                    date_of_birth=identity.date_of_birth,
                    phone=identity.phone,
                    birth_year=identity.person.birth_year,
                )
            ],
        )

    def through(self, model, left: str, right: str, pairs: Sequence[tuple]) -> None:
        """Rows of a many-to-many table: (left object, right object) pairs."""
        self.insert_tuples(model, (left, right), [(a.pk, b.pk) for a, b in pairs])

    def audit(self, records: list[AuditRecord]) -> None:
        """The action-log entries, once every object they name has its primary key.

        Built as tuples straight from the records and chained as tuples
        (brik.audit.services.audit_values_chain): no dict per row and no defaults
        merge, as the action log has about 12 rows per person.
        """
        ordered = sorted(records, key=lambda r: r.at)
        # A part at a time, each chained after the rows written before it: the same rows
        # and links as all at once, without three copies of every row in memory (the
        # cooperation stage logs about 400,000 entries at a million persons).
        for start in range(0, len(ordered), AUDIT_CHUNK):
            self._audit_part(ordered[start : start + AUDIT_CHUNK])

    def _audit_part(self, records: Sequence[AuditRecord]) -> None:
        self.audit_content(audit_content(records))

    def audit_content(self, content: list[tuple]) -> None:
        """Chain and write entries given as tuples of AUDIT_VALUE_FIELDS (audit_content)."""
        links = audit_values_chain(content)
        when, data, changes = self._audit_adapters()
        self.insert_tuples(
            ActionLog,
            _AUDIT_ATTNAMES,
            [
                (when(at), actor, org, action, kind, pk, case, data(d), changes(c), *link)
                for (at, actor, org, action, kind, pk, case, d, c), link in zip(
                    content, links, strict=True
                )
            ],
        )

    def _audit_adapters(self) -> tuple[Callable, Callable, Callable]:
        """The adapters of the action log's created_at, data and changes (as _rows uses them)."""
        fields = {f.attname: f for f in ActionLog._meta.local_concrete_fields}
        adapters = []
        for name in ("created_at", "data", "changes"):
            adapt = self._adapter(fields[name])
            adapters.append(lambda v, adapt=adapt: None if v is None else adapt(v))
        return tuple(adapters)


def audit_content(records: Sequence[AuditRecord]) -> list[tuple]:
    """Action-log entries as tuples of AUDIT_VALUE_FIELDS, every object named by its key:
    what Writer.audit_content chains and writes."""
    return [
        (
            r.at,
            r.actor.pk if r.actor is not None else None,
            r.actor.organisation_id if r.actor is not None else None,
            r.action,
            r.obj._meta.label_lower,
            str(r.obj.pk),
            r.case.pk if r.case is not None else None,
            _jsonable(r.data),
            r.changes,
        )
        for r in records
    ]


def _plain_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of a table's indexes that enforce nothing, on SQLite.

    None on PostgreSQL: its deferred foreign-key checks (Django's are INITIALLY
    DEFERRED) forbid CREATE INDEX on a table with pending checks in the same
    transaction, and the demo is loaded in one.
    """
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
            " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %%' ORDER BY name",
            [table],
        )
        return list(cursor.fetchall())


# The action log's fields in the order Writer.audit builds its tuples.
_AUDIT_ATTNAMES = (*AUDIT_VALUE_FIELDS, *AUDIT_LINK_FIELDS)


def _jsonable(value):
    """brik.audit.services.jsonable, with the exact types the histories log taken first."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return {k: _jsonable(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_jsonable(v) for v in value]
    return jsonable(value)
