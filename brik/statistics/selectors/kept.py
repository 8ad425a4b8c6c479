"""The report's queries with their SQL kept: built and compiled by the ORM once, then only run.

At demo size the report's ~44 queries take a few milliseconds of SQL, and
Django's building and compiling of their querysets (CASE WHEN for age bands and
citizenship groups, filtered COUNT(DISTINCT), subqueries) about fifteen times
that, on every build of the report (issue 10). `kept(model, key, make)` compiles
`make()` the first time and keeps its SQL, parameters and the converters its
columns need; afterwards it only runs the kept SQL, through Django's cursor (so
the query is counted by CaptureQueriesContext and logged like any other).

The key is the caller's promise: it holds everything the SQL or its parameters
depend on (the selector, the years, every argument, the settings the query reads,
such as the listed citizenships). `kept` adds the database alias and vendor. A
query whose SQL depends on today's date or on the data must have it in its key,
or not be kept. Every kept SQL is forgotten when a setting changes (tests), and
the store is bounded. With VERIFY set (the statistics tests), every call compiles
`make()` again and checks that the kept SQL and parameters are the same: a key
that misses an input fails there rather than counting with another query's SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable

from brik.core.kept import Converters, converted, portable_converters

# The rows as iterating the queryset gives them.
DICTS = "dicts"  # .values()
TUPLES = "tuples"  # .values_list()
FLAT = "flat"  # .values_list(flat=True)
_SHAPES = {ValuesIterable: DICTS, ValuesListIterable: TUPLES, FlatValuesListIterable: FLAT}

_KEPT_MAX = 512

# Compile make() again on every call and compare with the kept SQL (tests only).
VERIFY = False


@dataclass(frozen=True)
class KeptQuery:
    sql: str
    params: tuple
    shape: str
    # The names of a .values() row's columns, in order.
    names: tuple[str, ...]
    # The columns a row keeps, when the compiler added some for its own use (ordering).
    width: int | None
    # (column, converters, the column's expression) as SQLCompiler.get_converters gives them.
    converters: Converters

    def run(self, connection: BaseDatabaseWrapper) -> list:
        """The rows of the kept SQL, converted and shaped as the queryset's iteration would."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows: Sequence[Sequence[Any]] = cursor.fetchall()
        if self.width is not None:
            rows = [row[: self.width] for row in rows]
        if self.converters:
            rows = converted(rows, self.converters, connection)
        if self.shape == DICTS:
            # As ValuesIterable: the names, each with its column.
            names = self.names
            indexes = range(len(names))
            return [{names[i]: row[i] for i in indexes} for row in rows]
        if self.shape == FLAT:
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]


_KEPT: dict[tuple, KeptQuery] = {}

# Within `one_build()`: the rows of each kept query by its full key, so that two tables
# built from the same query (the age bands and children/adults, say) run it once.
_ROWS: ContextVar[dict[tuple, list] | None] = ContextVar("brik_kept_rows", default=None)


@contextmanager
def one_build() -> Iterator[None]:
    """Within it, a kept query with the same key runs once and its rows are shared (the
    callers only read them): for one build of a report, whose tables are all read at
    once. Outside, every call runs its query."""
    token = _ROWS.set({})
    try:
        yield
    finally:
        _ROWS.reset(token)


def _run(query: KeptQuery, full_key: tuple, connection: BaseDatabaseWrapper) -> list:
    shared = _ROWS.get()
    if shared is None:
        return query.run(connection)
    if full_key not in shared:
        shared[full_key] = query.run(connection)
    return shared[full_key]


_MISSED = (
    "the kept SQL of {key!r} is not what its queryset compiles to now: its key misses an input"
)


def _keep(full_key: tuple, key: tuple, fresh: KeptQuery) -> KeptQuery:
    """The query kept under `full_key`: `fresh` the first time; afterwards the kept one,
    which must be what `fresh` compiled to (checked by the callers only with VERIFY)."""
    query = _KEPT.get(full_key)
    if query is None:
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        _KEPT[full_key] = fresh
        return fresh
    if (fresh.sql, fresh.params) != (query.sql, query.params):
        raise AssertionError(_MISSED.format(key=key))
    return query


def kept(model: type[Model], key: tuple, make: Callable[[], QuerySet]) -> list:
    """What iterating `make()` gives (a list of dicts, tuples or values), its SQL compiled
    once per `key`, database alias and vendor.

    `make()` is a .values() or .values_list() queryset of `model`; another kind of
    queryset (model instances), or one the compiler cannot keep, is run through the
    ORM each time."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    full_key = (key, alias, connection.vendor)
    query = _KEPT.get(full_key)
    if query is None or VERIFY:
        queryset = make()
        fresh = compile_kept(queryset, alias)
        if fresh is None:
            if query is not None:
                raise AssertionError(_MISSED.format(key=key))
            return list(queryset)
        query = _keep(full_key, key, fresh)
    return _run(query, full_key, connection)


def kept_wrapped(
    model: type[Model],
    key: tuple,
    make: Callable[[], QuerySet],
    wrap: Callable[[str, str], str],
    wrap_params: Sequence[Any] = (),
) -> list[tuple]:
    """The rows of SQL around a queryset's: `wrap(vendor, inner_sql)` gives the outer
    SQL holding the inner query, for what the ORM cannot say (a join to a table-valued
    function). `wrap_params` are the outer SQL's parameters, all before the inner query.
    Kept like `kept`: the key holds everything either SQL depends on, wrap's included."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    full_key = ("wrapped", key, alias, connection.vendor)

    def outer(inner_sql: str, inner_params: Sequence[Any]) -> KeptQuery:
        # The outer SQL's columns are its own: the inner query's converters do not apply.
        sql = wrap(connection.vendor, inner_sql)
        return KeptQuery(sql, (*wrap_params, *inner_params), TUPLES, (), None, ())

    query = _KEPT.get(full_key)
    if query is None or VERIFY:
        queryset = make().order_by()
        inner = compile_kept(queryset, alias)
        if inner is None:
            # Not one to keep: compiled now and run once.
            try:
                sql, params = queryset.query.get_compiler(using=alias).as_sql()
            except EmptyResultSet:
                return []
            return _run(outer(sql, params), full_key, connection)
        query = _keep(full_key, key, outer(inner.sql, inner.params))
    return _run(query, full_key, connection)


def compile_kept(queryset: QuerySet, alias: str) -> KeptQuery | None:
    """The SQL, parameters and converters of a values queryset, or None when it is not
    one that can be kept (model instances, another database, an empty IN (), a column
    whose converter holds a connection)."""
    shape = _SHAPES.get(queryset._iterable_class)
    if shape is None or queryset.db != alias:
        return None
    query = queryset.query
    if query.selected:
        names = tuple(query.selected)
    else:
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
    compiler = query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(fields):
        return None
    converters = portable_converters(compiler, fields)
    if converters is None:
        return None
    return KeptQuery(
        sql=sql,
        params=tuple(params),
        shape=shape,
        names=names,
        width=compiler.col_count if compiler.has_extra_select else None,
        converters=converters,
    )


def forget(**_kwargs: Any) -> None:
    """Forget every kept SQL: a setting a query reads (the listed citizenships, the
    databases...) may have changed."""
    _KEPT.clear()


setting_changed.connect(forget, dispatch_uid="brik.statistics.selectors.kept.forget")
