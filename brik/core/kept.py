"""Model instances from a query whose SQL is compiled once per process.

The case page's query (the case with nine related rows and six EXISTS flags) took
longer for Django to build and compile on every request than for the database to run.
`kept_list` keeps what compiling produced, per query name and database: the SQL, and
how its columns become the model instance, its related instances and its annotations
(what django.db.models.query.ModelIterable reads from the compiler). A later call runs
the kept SQL with the new value through Django's cursor (counted and logged as
any query; the database driver and the fields' converters turn the columns into
values, encrypted ones decrypted as the ORM would) and builds the instances as
ModelIterable does. The query is one of a single value (a primary key, or a foreign
key: `make(value)` builds it); `kept_get` is get() by the primary key.

A column's converters are kept unbound from the compiling connection
(`PortableConverter`) and bound to the calling thread's connection when run; a query
with a converter that holds a connection otherwise is not kept. The report's kept
queries (brik.statistics.selectors.kept) use the same converters.

`kept_rows` is the same for a values_list of a list of ids (the case list's rows and
their citizenships and forms, the filter form's choices): its SQL is kept per number of
ids, and its rows are the database driver's (text, integers, booleans and dates).

`kept_values` is the same for a values_list with several values (My work's lists: a
user's and an organisation's ids, days and times), and `kept_counts` counts several
such queries up to a cap in one query. Each value is changed in turn when compiling:
only a query whose SQL stays the same and whose parameters change exactly where that
value goes (as it is, or as the backend writes a date or a time) is kept, and a call
whose values are of other types (None, which makes another SQL) runs through the ORM.
With VERIFY set (the cases' tests), every call compiles the query again and compares.

On PostgreSQL the kept queries run as prepared statements, when PG_PREPARED_STATEMENTS
is set (`_fetch`): parsed and planned once per connection instead of on every request.
Their constant parameters (a status, a limit, the 1 of an EXISTS) are written into the
SQL as literals first, so that the one plan PostgreSQL keeps for any values of the
others can still use the partial indexes a status selects and knows the limit. On SQLite
the constants that are text, integers or dates are written in too: SQLite uses a partial
index only for a query whose condition names the index's values (a parameter's value
is not known when the query is planned), and a query with fewer parameters runs faster
(docs/performance.md, "Sixteenth round").

The query is compiled twice the first time, for the value and for another value: only
a query whose SQL is the same for both and whose parameters differ exactly where they
are the value is kept (its other parameters, such as the 1 of an EXISTS, are kept with
it); any other query runs through the ORM every time. The caller names the query and
builds the same query for the same name: the name stands for everything but the value.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# --- a column's converters, run on any thread's connection --------------------------------


@dataclass(frozen=True)
class PortableConverter:
    """A column's converter. One of the backend's (DatabaseOperations) is kept as its
    function and bound to the calling thread's connection when run: a connection, and
    its operations, belong to one thread."""

    function: Callable[..., Any]
    of_operations: bool

    def bound(self, connection: BaseDatabaseWrapper) -> Callable[..., Any]:
        if self.of_operations:
            return self.function.__get__(connection.ops)
        return self.function


# (column, its converters, the column's expression), as SQLCompiler.get_converters gives them.
Converters = tuple[tuple[int, tuple[PortableConverter, ...], Any], ...]


def portable_converters(compiler: SQLCompiler, fields: list) -> Converters | None:
    """The converters of the compiled columns `fields`, or None when one of them holds
    the compiling connection (or its compiler) otherwise than as the backend's method:
    such a query is not kept."""
    converters = []
    for i, (convs, expression) in compiler.get_converters(fields).items():
        portable = [_portable(c, compiler) for c in convs]
        if None in portable:
            return None
        converters.append((i, tuple(c for c in portable if c is not None), expression))
    return tuple(converters)


def converted(rows: Sequence[Sequence[Any]], converters: Converters, connection) -> list[list]:
    """The rows with each column's converters applied, on this thread's connection."""
    bound = [(i, [c.bound(connection) for c in convs], e) for i, convs, e in converters]
    out = []
    for row in rows:
        values = list(row)
        for i, convs, expression in bound:
            value = values[i]
            for converter in convs:
                value = converter(value, expression, connection)
            values[i] = value
        out.append(values)
    return out


def _portable(converter: Callable[..., Any], compiler: SQLCompiler) -> PortableConverter | None:
    owner = getattr(converter, "__self__", None)
    if owner is compiler.connection.ops and isinstance(owner, BaseDatabaseOperations):
        return PortableConverter(converter.__func__, of_operations=True)  # type: ignore[attr-defined]
    held = [owner, *_closed_over(converter)]
    if any(isinstance(o, BaseDatabaseWrapper | SQLCompiler | BaseDatabaseOperations) for o in held):
        return None
    return PortableConverter(converter, of_operations=False)


def _closed_over(function: Callable[..., Any]) -> list:
    found = []
    for cell in getattr(function, "__closure__", None) or ():
        try:
            found.append(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
    return found


# --- running a kept query -----------------------------------------------------------------

# The SQL of a kept query as a prepared statement: (SQL with its constants written in,
# the positions of the parameters left), per SQL and constants. Bounded.
_PREPARED_FORM: dict[tuple, tuple[str, tuple[int, ...]] | None] = {}
_PREPARED_FORM_MAX = 512
# Django's PostgreSQL SQL marks a parameter %s and writes a percent sign %%.
_MARK = re.compile(r"%.?", re.DOTALL)
# Constants written into the SQL as literals (psycopg quotes them); others stay parameters.
_LITERAL_TYPES = (str, int, date)  # bool is an int, datetime a date


def _fetch(
    connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any], varying: Sequence[int]
) -> list:
    """The rows of a kept query: `params` in full, `varying` the positions of those that
    change between calls (the others are the same on every call of this SQL)."""
    form = _prepared_form(connection, sql, params, varying)
    if form is not None:  # the constants written in; the values left as parameters
        sql, params = form[0], [params[i] for i in form[1]]
    if form is None or connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with _binding_cursor(connection) as cursor:
        cursor.execute(sql, params)
        log = connection.queries_log
        if connection.queries_logged and log and log[-1]["sql"] is None:
            # psycopg keeps no text of a prepared statement's run for Django's query log.
            log[-1]["sql"] = connection.ops.compose_sql(sql, params)
        return cursor.fetchall()


def fetch_fixed(connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any]) -> list:
    """The rows of a statement written by hand (no queryset) whose parameters all vary
    between calls: on PostgreSQL with PG_PREPARED_STATEMENTS prepared as the kept
    queries are (so its text should not change with the number of values: an array
    parameter, not IN with one mark per value), elsewhere run as it is."""
    return _fetch(connection, sql, params, range(len(params)))


def _prepared_form(
    connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any], varying: Sequence[int]
) -> tuple[str, tuple[int, ...]] | None:
    """On PostgreSQL with PG_PREPARED_STATEMENTS, and on SQLite: `sql` with its constant
    parameters written in as literals, and the positions of the parameters left; None
    elsewhere."""
    if connection.vendor == "postgresql":
        if not getattr(settings, "PG_PREPARED_STATEMENTS", False):
            return None
    elif connection.vendor != "sqlite":
        return None
    left = frozenset(varying)
    constants = tuple((i, type(p), p) for i, p in enumerate(params) if i not in left)
    try:
        key = (sql, constants)
        return _PREPARED_FORM[key]
    except TypeError:  # a constant that is no key (a list): sent as it is
        return None
    except KeyError:
        pass
    form = _written_in(connection, sql, params, left)
    if len(_PREPARED_FORM) >= _PREPARED_FORM_MAX:
        _PREPARED_FORM.clear()
    _PREPARED_FORM[key] = form
    return form


def _sqlite_literal(value: Any) -> str | None:
    """A constant as SQLite reads it in SQL, as its driver would bind it (Django's
    adapters: a date as ISO text, a boolean as 0 or 1); None: left a parameter."""
    if isinstance(value, str):
        return None if "\x00" in value else "'" + value.replace("'", "''") + "'"
    if isinstance(value, int):
        # Beyond SQLite's integers a literal would be read as a real number.
        return str(int(value)) if -(2**63) <= value < 2**63 else None
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"'{value.isoformat()}'"
    return None


def _written_in(
    connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any], left: frozenset[int]
) -> tuple[str, tuple[int, ...]] | None:
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        from psycopg import sql as psycopg_sql

        def literal(value: Any) -> str | None:
            return psycopg_sql.Literal(value).as_string(connection.connection)
    else:
        literal = _sqlite_literal
    parts, positions, index = [], [], 0
    end = 0
    for mark in _MARK.finditer(sql):
        parts.append(sql[end : mark.start()])
        end = mark.end()
        if mark.group() == "%%":
            parts.append("%%")
            continue
        if mark.group() != "%s" or index >= len(params):
            return None  # not Django's marks: sent as it is
        value = params[index]
        written = (
            None
            if index in left or value is None or not isinstance(value, _LITERAL_TYPES)
            else literal(value)
        )
        if written is None:
            parts.append("%s")
            positions.append(index)
        else:
            parts.append(written.replace("%", "%%"))
        index += 1
    if index != len(params):
        return None
    parts.append(sql[end:])
    return "".join(parts), tuple(positions)


class _binding_cursor:
    """Django's cursor (counted and logged as any) over a psycopg cursor that binds its
    parameters on the server, which psycopg prepares (the connection's
    prepare_threshold, set with PG_PREPARED_STATEMENTS). Django's own cursors bind on
    the client and are never prepared."""

    def __init__(self, connection: BaseDatabaseWrapper):
        self.connection = connection

    def __enter__(self):
        from django.db.backends.postgresql.base import ServerBindingCursor

        self.connection.ensure_connection()
        raw = self.connection.connection
        factory = raw.cursor_factory
        raw.cursor_factory = ServerBindingCursor
        try:
            self.cursor = self.connection.cursor()
        finally:
            raw.cursor_factory = factory
        return self.cursor

    def __exit__(self, *exc: object) -> None:
        self.cursor.close()


# --- model instances by one value ---------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # the compiled parameters
    places: tuple[int, ...]  # where the value goes in them
    model: type[Model]
    init_list: list[str]
    start: int
    end: int
    populators: list
    annotations: dict[str, int]
    converters: Converters


M = TypeVar("M", bound=Model)

_KEPT: dict[tuple, _Compiled] = {}
_KEPT_MAX = 64
# The queries found not to be ones to keep: run through the ORM without trying again.
_NOT_KEPT: set[tuple] = set()


def kept_get(name: str, model: type[M], make: Callable[[Any], QuerySet], pk: Any) -> M:
    """`make(pk).get()` for a queryset of `model` filtered to the primary key `pk`,
    with its SQL compiled once per `name` and database. Raises DoesNotExist as get()
    does."""
    pk = model._meta.pk.to_python(pk)
    return _one(model, kept_list(name, model, lambda value: make(value).order_by()[:2], pk))


def kept_list(name: str, model: type[M], make: Callable[[Any], QuerySet], value: Any) -> list[M]:
    """`list(make(value))` for a queryset of `model` whose only varying parameter is
    `value`, with its SQL compiled once per `name` and database."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    if isinstance(value, int) and not _fits(connection, value):
        # The ORM knows that no row has such a key and sends no query (EmptyResultSet);
        # the database's driver would refuse the number.
        return list(make(value).using(alias))
    key = (name, alias, connection.vendor)
    if key in _NOT_KEPT:
        return list(make(value).using(alias))
    compiled = _KEPT.get(key)
    if compiled is None:
        queryset = make(value).using(alias)
        compiled = _compile(queryset, make(_other(value)).using(alias), alias, value)
        if compiled is None:  # not kept: see the module's note
            if len(_NOT_KEPT) >= _KEPT_MAX:
                _NOT_KEPT.clear()
            _NOT_KEPT.add(key)
            return list(queryset)
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        _KEPT[key] = compiled
    params = list(compiled.params)
    for place in compiled.places:
        params[place] = value
    rows = _fetch(connection, compiled.sql, params, compiled.places)
    instances: list[Any] = []  # of compiled.model, the queryset's (`model`)
    for row in converted(rows, compiled.converters, connection):
        instance = compiled.model.from_db(
            alias, compiled.init_list, row[compiled.start : compiled.end]
        )
        for populator in compiled.populators:
            populator.populate(row, instance)
        for attribute, position in compiled.annotations.items():
            setattr(instance, attribute, row[position])
        instances.append(instance)
    return instances


# The SQL of kept_rows' queries, per name, database and number of ids. Bounded.
_ROWS_SQL: dict[tuple, str] = {}
_ROWS_SQL_MAX = 512


def kept_rows(name: str, model: type[Model], make: Callable[[list], QuerySet], ids: list) -> list:
    """The rows of `make(ids)` (a values_list of `model` whose parameters are exactly
    `ids`), with its SQL compiled once for this many ids and run through Django's
    cursor. A query written otherwise (repeated ids, an array) runs through the ORM."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    key = (name, alias, connection.vendor, len(ids))
    sql = _ROWS_SQL.get(key)
    if sql is None:
        queryset = make(ids).using(alias)
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        if list(params) != list(ids):
            return list(queryset)
        if len(_ROWS_SQL) >= _ROWS_SQL_MAX:
            _ROWS_SQL.clear()
        _ROWS_SQL[key] = sql
    return _fetch(connection, sql, ids, range(len(ids)))


# --- values lists with several parameters -------------------------------------------------


# How a value becomes its query parameter: as it is, or as the backend writes a date or a
# date and time (SQLite: text, a datetime in UTC). Checked on two values when compiled.
_ADAPT: dict[str, Callable[[BaseDatabaseOperations, Any], Any]] = {
    "same": lambda ops, value: value,
    "date": lambda ops, value: ops.adapt_datefield_value(value),
    "datetime": lambda ops, value: ops.adapt_datetimefield_value(value),
}


@dataclass(frozen=True)
class Parametrized:
    """A query's SQL with the places of its values among its parameters: (position,
    which value, how it is adapted). The other parameters are kept as compiled."""

    sql: str
    params: tuple
    places: tuple[tuple[int, int, str], ...]
    types: tuple[type, ...]  # of the values it was compiled for
    converters: Converters
    width: int  # the columns of a row (the compiler may add some for its own use)

    def takes(self, values: Sequence[Any]) -> bool:
        """Values of the types it was compiled for (None, say, may change the SQL)."""
        return len(values) == len(self.types) and all(
            type(v) is t for v, t in zip(values, self.types, strict=True)
        )

    @property
    def varying_positions(self) -> tuple[int, ...]:
        return tuple(position for position, _, _ in self.places)

    def params_for(self, connection: BaseDatabaseWrapper, values: Sequence[Any]) -> list:
        params = list(self.params)
        ops = connection.ops
        for position, index, adapt in self.places:
            params[position] = _ADAPT[adapt](ops, values[index])
        return params


def parametrized(
    queryset: Callable[..., QuerySet], values: tuple, alias: str
) -> Parametrized | None:
    """The SQL of `queryset(*values)` with the places of its values, or None when it
    cannot be kept: each value is changed in turn (`_other_value`), and only a query whose SQL
    stays the same and whose parameters change exactly where that value goes (as it is,
    or adapted as a date or a date and time) is kept."""
    try:
        compiler = queryset(*values).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    connection = connections[alias]
    places: list[tuple[int, int, str]] = []
    for index, value in enumerate(values):
        other = _other_value(value)
        if other is None:
            return None
        changed = (*values[:index], other, *values[index + 1 :])
        try:
            other_sql, other_params = queryset(*changed).query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:
            return None
        if other_sql != sql or len(other_params) != len(params):
            return None
        positions = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
        if not positions:
            return None
        for position in positions:
            adapt = _adaptation(
                connection.ops, value, other, params[position], other_params[position]
            )
            if adapt is None:
                return None
            places.append((position, index, adapt))
    if len({position for position, _, _ in places}) != len(places):
        return None
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    converters = portable_converters(compiler, fields)
    if converters is None:
        return None
    return Parametrized(
        sql=sql,
        params=tuple(params),
        places=tuple(places),
        types=tuple(type(v) for v in values),
        converters=converters,
        width=compiler.col_count,
    )


def _other_value(value: Any) -> Any:
    """Another value of the same type (None for a type not handled, or None)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return f"{value}-other"
    if isinstance(value, datetime):
        return value + timedelta(seconds=1)
    if isinstance(value, date):
        return value + timedelta(days=1)
    return None


def _adaptation(ops, value: Any, other: Any, param: Any, other_param: Any) -> str | None:
    for name, adapt in _ADAPT.items():
        try:
            if adapt(ops, value) == param and adapt(ops, other) == other_param:
                return name
        except (TypeError, ValueError, AttributeError):
            continue
    return None


# Parametrized queries per name, database and vendor. Bounded.
_PARAMETRIZED: dict[tuple, Parametrized] = {}
_PARAMETRIZED_MAX = 512

# Compile the query again on every call and check that the kept SQL, with the values put
# in, is what the ORM compiles now (the tests of the callers set it).
VERIFY = False


def _parametrized_for(
    name: str, alias: str, queryset: Callable[..., QuerySet], values: tuple
) -> Parametrized | None:
    connection = connections[alias]
    key = (name, alias, connection.vendor)
    kept = _PARAMETRIZED.get(key)
    if kept is None:
        if key in _NOT_KEPT:
            return None
        kept = parametrized(queryset, values, alias)
        if kept is None:
            if len(_NOT_KEPT) >= _KEPT_MAX:
                _NOT_KEPT.clear()
            _NOT_KEPT.add(key)
            return None
        if len(_PARAMETRIZED) >= _PARAMETRIZED_MAX:
            _PARAMETRIZED.clear()
        _PARAMETRIZED[key] = kept
    if not kept.takes(values):
        return None
    if VERIFY:
        fresh_sql, fresh_params = queryset(*values).query.get_compiler(using=alias).as_sql()
        if (fresh_sql, list(fresh_params)) != (kept.sql, kept.params_for(connection, values)):
            raise AssertionError(f"the kept SQL of {name!r} is not what its queryset compiles to")
    return kept


def kept_values(
    name: str, model: type[Model], queryset: Callable[..., QuerySet], values: tuple
) -> list[tuple]:
    """The rows of `queryset(*values)`, a values_list() of `model` (tuples), with its
    SQL compiled once per `name` and database: later calls put their values in the kept
    parameters. The name stands for everything but the values (the SQL must depend on
    nothing else); a query that cannot be kept runs through the ORM every time."""
    alias = router.db_for_read(model)
    kept = _parametrized_for(name, alias, queryset, values)
    if kept is None:
        return [tuple(row) for row in queryset(*values).using(alias)]
    connection = connections[alias]
    rows = _fetch(connection, kept.sql, kept.params_for(connection, values), kept.varying_positions)
    if len(kept.converters) == 0:
        return [tuple(row[: kept.width]) for row in rows]
    return [tuple(row[: kept.width]) for row in converted(rows, kept.converters, connection)]


def kept_counts(
    name: str,
    model: type[Model],
    counted: Sequence[tuple[str, Callable[..., QuerySet], tuple]],
    cap: int,
) -> list[int]:
    """For each (name, queryset, values) of `counted`: how many rows `queryset(*values)`
    has, counting no further than `cap` + 1 (as `queryset[: cap + 1].count()`), all in one
    query, its SQL compiled once per `name` and database (as for `kept_values`). If one of
    them cannot be kept, each is counted by the ORM."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    parts = []
    for part_name, queryset, values in counted:

        def capped(*args: Any, queryset: Callable[..., QuerySet] = queryset) -> QuerySet:
            return queryset(*args).order_by().values("pk")[: cap + 1]

        kept = _parametrized_for(f"{name}: {part_name}: {cap}", alias, capped, values)
        if kept is None:
            return [
                queryset(*values).using(alias)[: cap + 1].count() for _, queryset, values in counted
            ]
        parts.append((kept, values))
    # The ORM's SQL of each capped query, its values as parameters (as Django's count()
    # of a sliced queryset: SELECT COUNT(*) FROM (...) subquery).
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM ({kept.sql}) counted_{i})"  # noqa: S608
        for i, (kept, _) in enumerate(parts)
    )
    sql = f"SELECT {counts}"
    params: list[Any] = []
    varying: list[int] = []
    for kept, values in parts:
        varying.extend(len(params) + position for position in kept.varying_positions)
        params.extend(kept.params_for(connection, values))
    return list(_fetch(connection, sql, params, varying)[0])


def _fits(connection, value: int) -> bool:
    low, high = connection.ops.integer_field_range("BigIntegerField")
    return (low is None or value >= low) and (high is None or value <= high)


def _other(value: Any) -> Any:
    """Another value of the same type, to see where the value goes in the parameters."""
    return value + 1 if isinstance(value, int) else f"{value}-other"


def _compile(queryset: QuerySet, other: QuerySet, alias: str, value: Any) -> _Compiled | None:
    compiler = queryset.query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
        other_sql, other_params = other.query.get_compiler(using=alias).as_sql()
    except EmptyResultSet:  # a query that matches nothing (none()) is not sent at all
        return None
    if other_sql != sql or len(other_params) != len(params):
        return None
    places = tuple(i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b)
    if (
        not places
        or any(params[i] != value or other_params[i] != _other(value) for i in places)
        or queryset._known_related_objects  # type: ignore[attr-defined]
        or queryset._iterable_class is not ModelIterable
        or queryset._prefetch_related_lookups  # type: ignore[attr-defined]
    ):
        return None
    select, klass_info = compiler.select, compiler.klass_info
    converters = portable_converters(
        compiler, [column[0] for column in select[0 : compiler.col_count]]
    )
    if converters is None:
        return None
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    return _Compiled(
        sql=sql,
        params=tuple(params),
        places=places,
        model=klass_info["model"],
        init_list=[column[0].target.attname for column in select[start:end]],
        start=start,
        end=end,
        # (django-stubs describe a later Django, whose function has one more argument.)
        populators=get_related_populators(klass_info, select, alias),  # type: ignore[call-arg]
        annotations=dict(compiler.annotation_col_map or {}),
        converters=converters,
    )


def _one(model: type[M], instances: list[M]) -> M:
    if not instances:
        raise model.DoesNotExist(  # type: ignore[attr-defined]
            f"{model._meta.object_name} matching query does not exist."
        )
    if len(instances) > 1:
        raise model.MultipleObjectsReturned(  # type: ignore[attr-defined]
            f"get() returned more than one {model._meta.object_name}"
        )
    return instances[0]


def forget(**_kwargs: Any) -> None:
    """Forget every kept SQL: a setting the queries read (the databases) may have changed."""
    _KEPT.clear()
    _NOT_KEPT.clear()
    _ROWS_SQL.clear()
    _PARAMETRIZED.clear()
    _PREPARED_FORM.clear()


setting_changed.connect(forget, dispatch_uid="brik.core.kept.forget")
