"""Which persons' records changed: the database's triggers write it down.

The report's counting queries are kept per slice of persons
(brik.statistics.selectors.stored) and counted again only for the slices whose
records changed. What changed is written by triggers in the database itself, on
every table those queries read, in the writing transaction: a service, the admin,
an import, a deletion for retention and hand-written SQL are all seen, and a write
that is rolled back leaves no mark. Each write adds a PersonChange row with the
slice of the person whose record it was (person id // PERSONS_PER_SLICE); a changed
organisation type (which moves every person it referred) marks every slice (-1).

The triggers are made again after every `migrate` (post_migrate): an update that
changes no column marks nothing, and on SQLite that comparison names the table's
columns, so it must follow them (and on SQLite they are dropped before a migrate that
changes something, pre_migrate: SQLite drops no column a trigger names). A database missing any of them keeps no counts
(brik.statistics.selectors.stored.enabled: the report counts everyone), and when they
are made again every slice is marked, since writes made meanwhile were not. The demo
leaves them out of its load the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from brik.accounts.models import Organisation
from brik.cases.models import (
    Assessment,
    Case,
    ExploitationForm,
    FollowUp,
    Person,
    PersonCitizenship,
    PreparedReturn,
    Referral,
    ReflectionExtension,
    ReflectionPeriod,
    SupportMeasure,
)
from brik.statistics.models import PersonChange

PERSONS_PER_SLICE = 128
EVERY_SLICE = -1
PREFIX = "brik_change_"


def _t(model) -> str:
    return model._meta.db_table


def _own(column: str) -> Callable[[str], str]:
    """The slice of a row holding its person's id in `column`."""
    return lambda row: f"SELECT {row}.{column} / {PERSONS_PER_SLICE}"


def _by_case(row: str) -> str:
    """The slice of a row of a case's (case_id)."""
    return (
        f'SELECT c.person_id / {PERSONS_PER_SLICE} FROM "{_t(Case)}" c WHERE c.id = {row}.case_id'  # noqa: S608
    )


def _by_parent(parent: type, column: str) -> Callable[[str], str]:
    """The slice of a row of a `parent` row (its id in `column`) that belongs to a case."""
    return lambda row: (
        f'SELECT c.person_id / {PERSONS_PER_SLICE} FROM "{_t(Case)}" c '  # noqa: S608
        f'JOIN "{_t(parent)}" p ON p.case_id = c.id WHERE p.id = {row}.{column}'
    )


@dataclass(frozen=True)
class Tracked:
    model: type
    # The SELECT giving the slice of the row `row` (NEW or OLD).
    slices: Callable[[str], str]
    # Only these columns' changes count (None: any column's).
    columns: tuple[str, ...] | None = None
    on_insert_and_delete: bool = True


def tracked() -> list[Tracked]:
    """Every table the report's kept counts read, with the way from a row to its person."""
    return [
        Tracked(Person, _own("id")),
        Tracked(PersonCitizenship, _own("person_id")),
        Tracked(Case, _own("person_id")),
        Tracked(Referral, _by_case),
        Tracked(Assessment, _by_case),
        Tracked(ExploitationForm, _by_parent(Assessment, "assessment_id")),
        Tracked(ReflectionPeriod, _by_case),
        Tracked(ReflectionExtension, _by_parent(ReflectionPeriod, "period_id")),
        Tracked(SupportMeasure, _by_case),
        Tracked(PreparedReturn, _by_case),
        Tracked(FollowUp, _by_parent(PreparedReturn, "prepared_return_id")),
        # An organisation's type is its referrals' type: every slice. A new organisation
        # has referred nobody, and one that has cannot be deleted.
        Tracked(
            Organisation,
            lambda r: f"SELECT {EVERY_SLICE}",
            columns=("type",),
            on_insert_and_delete=False,
        ),
    ]


def tracked_tables() -> set[str]:
    return {_t(entry.model) for entry in tracked()}


def _sqlite_columns(connection: BaseDatabaseWrapper, table: str) -> list[str]:
    """The table's columns as the database has them (PRAGMA table_info: Django's
    introspection parses the table's SQL, and the demo runs without cycle collection)."""
    with connection.cursor() as cursor:
        cursor.execute(f'PRAGMA table_info("{table}")')
        return [row[1] for row in cursor.fetchall()]


def _sqlite(connection: BaseDatabaseWrapper, entry: Tracked) -> list[str]:
    table, name = _t(entry.model), PREFIX + _t(entry.model)
    into = f'INSERT INTO "{_t(PersonChange)}" (slice)'
    columns = entry.columns or _sqlite_columns(connection, table)
    changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns)
    statements = [
        f'CREATE TRIGGER "{name}_u" AFTER UPDATE ON "{table}" WHEN {changed} BEGIN '
        f"{into} {entry.slices('OLD')} UNION {entry.slices('NEW')}; END"
    ]
    if entry.on_insert_and_delete:
        statements += [
            f'CREATE TRIGGER "{name}_i" AFTER INSERT ON "{table}" BEGIN '
            f"{into} {entry.slices('NEW')}; END",
            f'CREATE TRIGGER "{name}_d" AFTER DELETE ON "{table}" BEGIN '
            f"{into} {entry.slices('OLD')}; END",
        ]
    return statements


def _postgresql(connection: BaseDatabaseWrapper, entry: Tracked) -> list[str]:
    table, name = _t(entry.model), PREFIX + _t(entry.model)
    if entry.columns:
        changed = " OR ".join(f'OLD."{c}" IS DISTINCT FROM NEW."{c}"' for c in entry.columns)
    else:
        changed = "OLD.* IS DISTINCT FROM NEW.*"
    into = f'INSERT INTO "{_t(PersonChange)}" (slice)'
    body = (
        "BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {into} {entry.slices('OLD')}; END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {into} {entry.slices('NEW')}; END IF; "
        "RETURN NULL; END"
    )
    statements = [
        f'CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $brik$ {body} $brik$',
        f'CREATE TRIGGER "{name}_u" AFTER UPDATE ON "{table}" FOR EACH ROW '
        f"WHEN ({changed}) EXECUTE FUNCTION "
        f'"{name}"()',
    ]
    if entry.on_insert_and_delete:
        statements.append(
            f'CREATE TRIGGER "{name}_id" AFTER INSERT OR DELETE ON "{table}" FOR EACH ROW '
            f'EXECUTE FUNCTION "{name}"()'
        )
    return statements


def _triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """The names of Brik's change triggers in the database."""
    if connection.vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s"
    elif connection.vendor == "postgresql":
        sql = "SELECT tgname FROM pg_trigger WHERE tgname LIKE %s AND NOT tgisinternal"
    else:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, [PREFIX + "%"])
        return [row[0] for row in cursor.fetchall()]


def remove(using: str = "default") -> None:
    """Drop Brik's change triggers (a bulk load that marks every slice itself)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in _triggers(connection):
                cursor.execute(f'DROP TRIGGER "{name}"')
        elif connection.vendor == "postgresql":
            # A trigger goes with its function.
            for entry in tracked():
                cursor.execute(f'DROP FUNCTION IF EXISTS "{PREFIX}{_t(entry.model)}"() CASCADE')


def install(using: str = "default") -> None:
    """(Re)make the change triggers of every tracked table from its present columns."""
    from brik.statistics.selectors import stored

    connection = connections[using]
    make = {"sqlite": _sqlite, "postgresql": _postgresql}.get(connection.vendor)
    if make is None:
        return
    # Writes made while a trigger was missing were not marked: every slice is, then.
    was_complete = complete(using)
    remove(using)
    with connection.cursor() as cursor:
        for entry in tracked():
            for statement in make(connection, entry):
                cursor.execute(statement)
    if not was_complete:
        every_slice_changed(using)
    stored.forget_triggers()


def installed(using: str = "default") -> int:
    """How many of Brik's change triggers the database holds."""
    return len(_triggers(connections[using]))


def expected() -> dict[str, int]:
    """How many change triggers a complete installation has, per database vendor."""
    both = sum(1 for entry in tracked() if entry.on_insert_and_delete)
    updates_only = len(tracked()) - both
    return {"sqlite": 3 * both + updates_only, "postgresql": 2 * both + updates_only}


def complete(using: str = "default") -> bool:
    """Does the database hold every change trigger (as `migrate` makes them)?"""
    vendor = connections[using].vendor
    return vendor in expected() and installed(using) == expected()[vendor]


def every_slice_changed(using: str = "default") -> None:
    """Mark every slice changed (after a load with the triggers removed)."""
    PersonChange.objects.using(using).create(slice=EVERY_SLICE)


def on_pre_migrate(using: str = "default", plan=None, **_kwargs) -> None:
    """Before a `migrate` that will change something, on SQLite: the triggers dropped, as
    SQLite refuses to drop or rename a column that a trigger names (a migration that
    removes a field of a tracked table, or one undone that added it). post_migrate makes
    them again from the columns then and marks every slice changed, since the
    migration's own writes were not marked. PostgreSQL's triggers compare whole rows."""
    if plan and connections[using].vendor == "sqlite":
        remove(using)


def on_post_migrate(using: str = "default", **_kwargs) -> None:
    """After `migrate`: the triggers made again, once every tracked table is there."""
    tables = set(connections[using].introspection.table_names())
    if {_t(PersonChange), *tracked_tables()} <= tables:
        install(using)
