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

A query that counts persons says how to reach a row's person (`person=`): its counts
are then kept per slice of persons and counted again only where persons changed
(brik.statistics.selectors.stored). Here it is compiled twice more, restricted to a
slice (its bounds as parameters) and grouped by slice (for the first count).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Model, QuerySet, Value
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable

from brik.core.kept import Converters, converted, portable_converters
from brik.statistics import changes
from brik.statistics.selectors import stored

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
        return self.shaped(self.fetch(connection))

    def fetch(
        self, connection: BaseDatabaseWrapper, params: Sequence[Any] | None = None
    ) -> Sequence[Sequence[Any]]:
        """The rows of the kept SQL (with other parameters if given), converted."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params if params is None else params)
            rows: Sequence[Sequence[Any]] = cursor.fetchall()
        if self.width is not None:
            rows = [row[: self.width] for row in rows]
        if self.converters:
            rows = converted(rows, self.converters, connection)
        return rows

    def shaped(self, rows: Sequence[Sequence[Any]]) -> list:
        """Rows as iterating the queryset gives them (dicts, tuples or values)."""
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
        with stored.one_build():
            yield
    finally:
        _ROWS.reset(token)


def _shared(full_key: tuple, rows: Callable[[], list]) -> list:
    """`rows()`, or within `one_build()` the rows already got under `full_key`."""
    shared = _ROWS.get()
    if shared is None:
        return rows()
    if full_key not in shared:
        shared[full_key] = rows()
    return shared[full_key]


def _run(query: KeptQuery, full_key: tuple, connection: BaseDatabaseWrapper) -> list:
    return _shared(full_key, lambda: query.run(connection))


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


def kept(
    model: type[Model], key: tuple, make: Callable[[], QuerySet], *, person: str | None = None
) -> list:
    """What iterating `make()` gives (a list of dicts, tuples or values), its SQL compiled
    once per `key`, database alias and vendor.

    `make()` is a .values() or .values_list() queryset of `model`; another kind of
    queryset (model instances), or one the compiler cannot keep, is run through the
    ORM each time.

    `person`: the way from a row of `model` to its person's id ("person_id",
    "case__person_id"), for a query that counts persons (or rows of one person each):
    its counts are kept per slice of persons and counted again only where persons
    changed (brik.statistics.selectors.stored)."""
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
    if person is not None and stored.enabled(alias):
        sliced = _sliced(full_key, key, query, lambda: _slices_of(make(), person, alias))
        if sliced is not None:
            return _run_counted(sliced, full_key, alias)
    return _run(query, full_key, connection)


# The index through which SQLite reads a slice's cases (person first), and the main FROM
# of a query of cases: a table of a subquery has an alias (U0, U1...) in Django's SQL.
PERSON_INDEX = "case_person_outcome_idx"
_CASES_FROM = re.compile(r'FROM "cases_case" (?!U\d)')


def _bounded(queryset: QuerySet, person: str, vendor: str) -> QuerySet:
    """The queryset restricted to a slice of persons (LO <= person id < HI).

    The database should read the slice's cases first, through the person index, not a
    year of rows through a date index with each row's person checked after (10-100
    times as long at a national caseload). SQLite's planner, without statistics, takes
    the date index: a query of cases is bounded on its person and told the index
    (`_person_first`); any other query is bounded by its cases among the slice's,
    which SQLite reads first."""
    from brik.cases.models import Case

    if not person.endswith("person_id"):
        raise ValueError(f"{person}: the way to a person's id ends in person_id")
    if person == "person_id" and queryset.model is Case and vendor == "sqlite":
        return queryset.filter(person_id__gte=stored.LO, person_id__lt=stored.HI)
    cases = Case.objects.filter(person_id__gte=stored.LO, person_id__lt=stored.HI).values("id")
    return queryset.filter(**{f"{person.removesuffix('person_id')}id__in": cases})


def _person_first(query: KeptQuery | None, vendor: str) -> KeptQuery | None:
    """On SQLite, a query of cases bounded on its person reads them by PERSON_INDEX."""
    if query is None or vendor != "sqlite" or len(_CASES_FROM.findall(query.sql)) != 1:
        return query
    sql = _CASES_FROM.sub(f'FROM "cases_case" INDEXED BY "{PERSON_INDEX}" ', query.sql)
    return dataclasses.replace(query, sql=sql)


def _slices_of(
    queryset: QuerySet, person: str, alias: str
) -> tuple[KeptQuery | None, tuple[int, ...], KeptQuery | None]:
    """The query restricted to a slice, the positions of its summed columns, and the
    query grouped by slice as well when the slice comes out as its last column (else the
    first count goes slice by slice)."""
    sums = stored.summed_columns(queryset)
    vendor = connections[alias].vendor
    sliced = _person_first(compile_kept(_bounded(queryset, person, vendor), alias), vendor)
    size = Value(changes.PERSONS_PER_SLICE)
    per_slice = queryset.annotate(**{stored.SLICE: F(person) / size})
    every = compile_kept(per_slice, alias)
    compiler = per_slice.query.get_compiler(using=alias)
    compiler.setup_query()
    last = compiler.annotation_col_map.get(stored.SLICE) == compiler.col_count - 1
    if not last or stored.summed_columns(per_slice) != sums:
        every = None
    return sliced, sums, every


_SLICED: dict[tuple, stored.Sliced] = {}


def _sliced(
    full_key: tuple,
    key: tuple,
    whole: KeptQuery,
    make: Callable[[], tuple[KeptQuery | None, tuple[int, ...], KeptQuery | None]],
) -> stored.Sliced | None:
    """The query `whole` restricted to a slice of persons and grouped by slice, compiled
    once (like `kept`) from what `make()` gives (see `_slices_of`)."""
    known = _SLICED.get(full_key)
    if known is not None and not VERIFY:
        return known
    sliced, sums, every = make()
    if sliced is None:
        return None
    if sliced.params.count(stored.LO) != 1 or sliced.params.count(stored.HI) != 1:
        raise AssertionError(f"the slice's bounds of {key!r} are not its query's parameters")
    if known is not None and (known.sliced.sql, known.sliced.params) != (sliced.sql, sliced.params):
        raise AssertionError(_MISSED.format(key=key))
    if len(_SLICED) >= _KEPT_MAX:
        _SLICED.clear()
    fresh = stored.Sliced(whole=whole, sliced=sliced, sums=sums, every_slice=every)
    return _SLICED.setdefault(full_key, fresh)


def _run_counted(sliced: stored.Sliced, full_key: tuple, alias: str) -> list:
    return _shared(full_key, lambda: sliced.whole.shaped(stored.counted_rows(sliced, alias)))


class Wrap(Protocol):
    """Gives the outer SQL around a query's (`inner`): `per_slice`, when given, is the
    number of persons in a slice, and the outer SQL then groups by slice as well (the
    inner query's _person // per_slice, as its last column)."""

    def __call__(self, vendor: str, inner: str, *, per_slice: int | None = None) -> str: ...


def kept_wrapped(
    model: type[Model],
    key: tuple,
    make: Callable[[], QuerySet],
    wrap: Wrap,
    wrap_params: Sequence[Any] = (),
    *,
    person: str | None = None,
    sums: tuple[int, ...] = (),
) -> list[tuple]:
    """The rows of SQL around a queryset's: `wrap(vendor, inner_sql)` gives the outer
    SQL holding the inner query, for what the ORM cannot say (a join to a table-valued
    function). `wrap_params` are the outer SQL's parameters, all before the inner query.
    Kept like `kept`: the key holds everything either SQL depends on, wrap's included.

    `person` as for `kept`, restricting the inner query, with `sums` the positions of
    the outer SQL's columns that count persons (or rows of one person each)."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    full_key = ("wrapped", key, alias, connection.vendor)

    def outer(inner: KeptQuery | None, per_slice: int | None = None) -> KeptQuery | None:
        # The outer SQL's columns are its own: the inner query's converters do not apply.
        if inner is None:
            return None
        sql = wrap(connection.vendor, inner.sql, per_slice=per_slice)
        return KeptQuery(sql, (*wrap_params, *inner.params), TUPLES, (), None, ())

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
            outer_sql = wrap(connection.vendor, sql)
            once = KeptQuery(outer_sql, (*wrap_params, *params), TUPLES, (), None, ())
            return _run(once, full_key, connection)
        whole = outer(inner)
        assert whole is not None
        query = _keep(full_key, key, whole)
    if person is not None and stored.enabled(alias):
        if not sums:
            raise AssertionError(f"{key!r}: which columns count persons?")

        def slices() -> tuple[KeptQuery | None, tuple[int, ...], KeptQuery | None]:
            queryset = make().order_by()
            vendor = connection.vendor
            bounded = _person_first(compile_kept(_bounded(queryset, person, vendor), alias), vendor)
            sliced = outer(bounded)
            every = outer(compile_kept(queryset, alias), changes.PERSONS_PER_SLICE)
            return sliced, sums, every

        sliced = _sliced(full_key, key, query, slices)
        if sliced is not None:
            return _run_counted(sliced, full_key, alias)
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
    _SLICED.clear()
    stored.forget_triggers()


setting_changed.connect(forget, dispatch_uid="brik.statistics.selectors.kept.forget")
