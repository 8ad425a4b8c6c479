"""The report's counting queries kept as counts, counted again only where persons changed.

At a national caseload the report's counting queries read a year's cases each:
seconds at a million persons however they are written (docs/performance.md). But
most of what they count has not changed since the last build. A query that counts
persons, or rows that each belong to one person, gives for all persons the sum of
what it gives for each part of them: its rows are summed over slices of persons
(person id // PERSONS_PER_SLICE), and a slice whose persons' records did not change
gives what it gave before.

So such a query (`kept(..., person=...)`) is kept here as its rows for each slice
(KeptCountPart) and their sum (KeptCount). A build of the report reads the sum, after
counting again only the slices marked changed since (PersonChange, written by the
database's triggers: brik.statistics.changes): the query restricted to a slice's
persons, through the person index. The first build of a query counts every slice.

Which queries may be kept so: those whose aggregates are COUNT(*), SUM, or
COUNT(DISTINCT person) (a person is in exactly one slice), over rows that each belong
to one person. `summed_columns` checks it from the compiled query and refuses others
(a count of distinct countries, a median, rows of values). Groups are kept while any
slice has them, so that a group counted zero times (a filtered count) stays a row, as
the query over everyone would give it.

Correctness rests on the triggers and on the slices being independent; the
statistics tests build every report both ways and compare (test_kept_counts.py), and
`brik statistics_check` does the same on a live database.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Max, Min, QuerySet, Sum
from django.utils import timezone

from brik.statistics import changes
from brik.statistics.changes import EVERY_SLICE
from brik.statistics.models import KeptCount, KeptCountPart, PersonChange

logger = logging.getLogger(__name__)

# Bumped when the stored form of the rows changes: older kept counts are not read.
FORMAT = 1
# Slices below the persons' ids (a queryset's restriction is lo <= person < hi).
LO, HI = -7_777_777_771, -7_777_777_773
# The column of a slice's number, in the query counting every slice at once.
SLICE = "_brik_slice"
# More changed slices than this share of all slices: counted again at once, in one
# query grouped by slice, rather than slice by slice.
REBUILD_SHARE = 0.2
# Kept counts not used for this long are dropped (and so are the changes they held back).
UNUSED_DAYS = 30

Group = tuple
Counter = dict[Group, list[int]]


# Per database: are its change triggers all there (read once per process)?
_TRIGGERS: dict[str, bool] = {}


def enabled(alias: str) -> bool:
    """Kept counts are used when the setting allows and the database holds every change
    trigger: without them (a database restored without its triggers, say) a kept count
    could miss a write, so every count is counted afresh and a warning logged."""
    if not getattr(settings, "BRIK_STATISTICS_KEPT_COUNTS", True):
        return False
    if alias not in _TRIGGERS:
        _TRIGGERS[alias] = changes.complete(alias)
        if not _TRIGGERS[alias]:
            logger.warning(
                "The statistics' change triggers are missing on database %s: the report "
                "counts every person afresh until `brik migrate` makes them again.",
                alias,
            )
    return _TRIGGERS[alias]


def forget_triggers(**_kwargs: Any) -> None:
    _TRIGGERS.clear()


@dataclass(frozen=True)
class Sliced:
    """A kept query over everyone (`whole`), the same restricted to a slice of persons
    (`sliced`: LO and HI among its parameters), and which of its columns are summed.
    Both are brik.statistics.selectors.kept.KeptQuery."""

    whole: Any
    sliced: Any
    sums: tuple[int, ...]
    # The query grouped by slice too (its last column), to count every slice at once.
    every_slice: Any = None

    def digest(self, vendor: str) -> str:
        text = repr(
            (
                FORMAT,
                changes.PERSONS_PER_SLICE,
                vendor,
                self.whole.sql,
                self.whole.params,
                self.sums,
            )
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def of_slice(self, connection: BaseDatabaseWrapper, number: int) -> Sequence[Sequence[Any]]:
        size = changes.PERSONS_PER_SLICE
        lo, hi = number * size, (number + 1) * size
        params = [lo if p == LO else hi if p == HI else p for p in self.sliced.params]
        return self.sliced.fetch(connection, params)


def summed_columns(queryset: QuerySet) -> tuple[int, ...]:
    """The positions of a values queryset's aggregate columns, each one that sums over
    persons; ValueError for an aggregate that does not (a query not to keep as counts)."""
    query = queryset.query
    names = (
        list(query.selected)
        if query.selected
        else [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
    )
    sums = []
    for position, name in enumerate(names):
        expression = query.annotation_select.get(name)
        if expression is None or not expression.contains_aggregate:
            continue
        if not _sums_over_persons(expression):
            raise ValueError(f"{name}: not a count that sums over persons ({expression!r})")
        sums.append(position)
    if not sums:
        raise ValueError("no count to keep")
    return tuple(sums)


def _sums_over_persons(expression: Any) -> bool:
    distinct = getattr(expression, "distinct", False)
    if isinstance(expression, Sum) or (isinstance(expression, Count) and not distinct):
        return True
    if isinstance(expression, Count):
        source = expression.get_source_expressions()[0]
        target = getattr(source, "target", None)
        return target is not None and (
            target.column == "person_id"
            or (target.model._meta.model_name == "person" and target.primary_key)
        )
    return False


# --- the stored form: JSON, with dates and decimals tagged ---------------------------------


def _default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$n": str(value)}
    raise TypeError(f"cannot keep {type(value).__name__}")


def _hook(item: dict) -> Any:
    if "$t" in item:
        return datetime.datetime.fromisoformat(item["$t"])
    if "$d" in item:
        return datetime.date.fromisoformat(item["$d"])
    if "$n" in item:
        return Decimal(item["$n"])
    return item


def _dump(counter: Counter) -> str:
    return json.dumps(
        [[list(g), n] for g, n in counter.items()], default=_default, separators=(",", ":")
    )


def _load(text: str) -> Counter:
    return {tuple(g): n for g, n in json.loads(text, object_hook=_hook)}


def _counter(rows: Sequence[Sequence[Any]], sums: tuple[int, ...]) -> Counter:
    """Rows as {group: [sums..., slices]}: the group is every column not summed."""
    counter: Counter = {}
    for row in rows:
        group = tuple(v for i, v in enumerate(row) if i not in sums)
        values = counter.setdefault(group, [0] * (len(sums) + 1))
        for k, i in enumerate(sums):
            values[k] += row[i] or 0
        values[-1] += 1
    return counter


def _add(total: Counter, part: Counter, sign: int) -> None:
    for group, values in part.items():
        into = total.setdefault(group, [0] * len(values))
        for k, v in enumerate(values):
            into[k] += sign * v
        if into[-1] == 0:
            del total[group]


def _order(group: Group) -> tuple:
    return tuple((value is not None, value) for value in group)


def _rows(counter: Counter, sums: tuple[int, ...]) -> list[tuple]:
    """The rows in the order of their groups (NULL first, as SQLite orders them)."""
    rows = []
    for group in sorted(counter, key=_order):
        values = counter[group]
        row: list[Any] = []
        rest = iter(group)
        for i in range(len(group) + len(sums)):
            row.append(values[sums.index(i)] if i in sums else next(rest))
        rows.append(tuple(row))
    return rows


# --- counting ------------------------------------------------------------------------------


@dataclass
class _Build:
    """What one build of the report reads once per database: the last change and every
    kept count; and what it does once at its end (drop what every count has seen)."""

    last: dict[str, int] = field(default_factory=dict)
    entries: dict[str, dict[str, KeptCount]] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)
    unused_since: dict[str, list[int]] = field(default_factory=dict)
    slices: dict[str, int] = field(default_factory=dict)

    def last_change(self, alias: str) -> int:
        if alias not in self.last:
            self.last[alias] = _read_last_change(alias)
        return self.last[alias]

    def entry(self, alias: str, digest: str) -> KeptCount | None:
        if alias not in self.entries:
            self.entries[alias] = {e.digest: e for e in KeptCount.objects.using(alias)}
        return self.entries[alias].get(digest)

    def slice_count(self, alias: str) -> int:
        if alias not in self.slices:
            from brik.cases.models import Person

            ids = Person.objects.using(alias).aggregate(first=Min("id"), last=Max("id"))
            size = changes.PERSONS_PER_SLICE
            self.slices[alias] = (ids["last"] or 0) // size - (ids["first"] or 0) // size + 1
        return self.slices[alias]

    def used(self, alias: str, entry: KeptCount, today: datetime.date) -> None:
        if entry.used_on != today:
            self.unused_since.setdefault(alias, []).append(entry.id)

    def finish(self) -> None:
        today = timezone.localdate()
        for alias, ids in self.unused_since.items():
            KeptCount.objects.using(alias).filter(id__in=ids).update(used_on=today)
        for alias in self.written:
            _prune(alias)


_BUILD: ContextVar[_Build | None] = ContextVar("brik_stored_build", default=None)


@contextmanager
def one_build() -> Iterator[None]:
    """Within it, every kept count is brought up to the same last change, read once, and
    the kept counts are read in one query."""
    if _BUILD.get() is not None:
        yield
        return
    build = _Build()
    token = _BUILD.set(build)
    try:
        yield
        build.finish()
    finally:
        _BUILD.reset(token)


def _read_last_change(alias: str) -> int:
    """The last change every later build will see: on PostgreSQL after waiting for the
    transactions still writing changes (a change committed later with a smaller id would
    otherwise be passed over). SQLite has one writer at a time."""
    connection = connections[alias]
    changes_ = PersonChange.objects.using(alias)
    if connection.vendor != "postgresql":
        return changes_.aggregate(last=Max("id"))["last"] or 0
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{PersonChange._meta.db_table}" IN SHARE MODE')
        return changes_.aggregate(last=Max("id"))["last"] or 0


def _slices(alias: str) -> list[int]:
    from brik.cases.models import Person

    with connections[alias].cursor() as cursor:
        cursor.execute(
            f'SELECT DISTINCT id / {changes.PERSONS_PER_SLICE} FROM "{Person._meta.db_table}"'  # noqa: S608
        )
        return sorted(row[0] for row in cursor.fetchall())


def counted_rows(query: Sliced, alias: str) -> list[tuple]:
    """The query's rows over every person, from the kept counts (counted again where
    persons changed since), as fetching it would give them (converted, before shaping)."""
    with one_build():
        build = _BUILD.get()
        assert build is not None
        return _counted_rows(query, alias, build)


def _counted_rows(query: Sliced, alias: str, build: _Build) -> list[tuple]:
    connection = connections[alias]
    digest = query.digest(connection.vendor)
    last = build.last_change(alias)
    entry = build.entry(alias, digest)
    if entry is None:
        build.written.add(alias)
        return _build(query, alias, digest, last)
    today = timezone.localdate()
    build.used(alias, entry, today)
    if entry.seen >= last:
        return _rows(_load(entry.rows), query.sums)
    build.written.add(alias)
    changed = set(
        PersonChange.objects.using(alias)
        .filter(id__gt=entry.seen, id__lte=last)
        .values_list("slice", flat=True)
        .distinct()
    )
    if EVERY_SLICE in changed or len(changed) > REBUILD_SHARE * build.slice_count(alias):
        KeptCount.objects.using(alias).filter(id=entry.id, seen=entry.seen).delete()
        return _build(query, alias, digest, last)
    total = _load(entry.rows)
    old = {
        part.slice: part.rows
        for part in KeptCountPart.objects.using(alias).filter(kept=entry, slice__in=changed)
    }
    new: dict[int, Counter] = {}
    for number in sorted(changed):
        new[number] = _counter(query.of_slice(connection, number), query.sums)
        if number in old:
            _add(total, _load(old[number]), -1)
        _add(total, new[number], +1)
    with transaction.atomic(using=alias):
        # Only over the state it was counted from: another build may have got here first.
        if (
            KeptCount.objects.using(alias)
            .filter(id=entry.id, seen=entry.seen)
            .update(rows=_dump(total), seen=last, used_on=today)
        ):
            KeptCountPart.objects.using(alias).filter(kept=entry, slice__in=changed).delete()
            KeptCountPart.objects.using(alias).bulk_create(
                KeptCountPart(kept=entry, slice=n, rows=_dump(c)) for n, c in new.items() if c
            )
    return _rows(total, query.sums)


def _build(query: Sliced, alias: str, digest: str, last: int) -> list[tuple]:
    connection = connections[alias]
    total: Counter = {}
    parts: dict[int, Counter] = {}
    if query.every_slice is not None:
        # One query, grouped by slice as well: the slice is its last column.
        rows: dict[int, list] = {}
        for row in query.every_slice.fetch(connection):
            rows.setdefault(row[-1], []).append(row[:-1])
        counted = ((number, _counter(part, query.sums)) for number, part in rows.items())
    else:
        counted = (
            (number, _counter(query.of_slice(connection, number), query.sums))
            for number in _slices(alias)
        )
    for number, part in counted:
        if part:
            parts[number] = part
            _add(total, part, +1)
    # Another build may have kept it first (the same digest): these rows are as true.
    with contextlib.suppress(IntegrityError), transaction.atomic(using=alias):
        entry = KeptCount.objects.using(alias).create(
            digest=digest, rows=_dump(total), seen=last, used_on=timezone.localdate()
        )
        KeptCountPart.objects.using(alias).bulk_create(
            KeptCountPart(kept=entry, slice=n, rows=_dump(c)) for n, c in parts.items()
        )
    return _rows(total, query.sums)


def _prune(alias: str) -> None:
    """Drop kept counts unused for UNUSED_DAYS, and the changes every kept count has seen."""
    since = timezone.localdate() - datetime.timedelta(days=UNUSED_DAYS)
    KeptCount.objects.using(alias).filter(used_on__lt=since).delete()
    seen = KeptCount.objects.using(alias).aggregate(seen=Min("seen"))["seen"]
    if seen is not None:
        PersonChange.objects.using(alias).filter(id__lte=seen).delete()
