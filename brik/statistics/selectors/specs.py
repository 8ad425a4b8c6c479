"""Table specifications: how counts become a Table (rows, columns, totals, what is
additive), so that every table of the report has the same shape."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from brik.core import choices
from brik.statistics.selectors.counting import EUROSTAT_SEX
from brik.statistics.selectors.labels import sex_label
from brik.statistics.tables import TOTAL, Column, Row, Table, make_coords


def years_table(
    *,
    slug: str,
    title: str,
    measure: str,
    row_dim: str,
    years: Sequence[int],
    counts: dict[tuple[int, str], int],
    categories: Sequence[tuple[str, str]],
    totals: dict[int, int] | None,
    note: str,
    additive: bool = True,
    keep_empty: bool = True,
) -> Table:
    """A categories x years table; rows in the order given, empty rows dropped unless kept."""
    rows = []
    for key, label in categories:
        values = [counts.get((y, key), 0) for y in years]
        if keep_empty or any(values):
            rows.append(Row(key=key, label=str(label), values=values))
    if totals is None:
        total_values = [sum(r.values[i] for r in rows) for i in range(len(years))]
    else:
        total_values = [totals.get(y, 0) for y in years]
    return Table(
        slug=slug,
        title=title,
        columns=[Column(key=y, label=str(y)) for y in years],
        rows=rows,
        total=Row(key=TOTAL, label=_("Total"), values=total_values),
        note=note,
        measure=measure,
        row_dim=row_dim,
        additive=additive,
    )


def series_table(
    *, slug: str, title: str, measure: str, series: dict[int, int], label: str, note: str
) -> Table:
    """A series as a table of one total row (the grand totals, never hidden)."""
    years = sorted(series)
    return Table(
        slug=slug,
        title=title,
        columns=[Column(key=y, label=str(y)) for y in years],
        rows=[],
        total=Row(key=TOTAL, label=label, values=[series[y] for y in years]),
        note=note,
        measure=measure,
        row_dim="none",
    )


def cross_table(
    *,
    slug: str,
    title: str,
    year: int,
    counts: dict[tuple[str, str], int],
    columns: Sequence[tuple[str, str]],
    col_dim: str,
    note: str,
    additive_columns: bool,
    totals: dict[str, int] | None = None,
    measure: str = "identified",
) -> Table:
    """Sex (rows) by a second dimension (columns) for one year, with row and column totals.

    With `additive_columns`, the total column is the sum of the others; otherwise
    `totals` gives each row's total (persons, not the sum of their forms).
    """
    rows = []
    for sex, _code in EUROSTAT_SEX:
        values = [counts.get((sex, col), 0) for col, _label in columns]
        row_total = sum(values) if additive_columns else (totals or {}).get(sex, 0)
        rows.append(Row(key=sex, label=sex_label(sex), values=[*values, row_total]))
    # Each person has one sex, so the rows add up to the column totals.
    total_values = [sum(r.values[i] for r in rows) for i in range(len(columns) + 1)]
    return Table(
        slug=slug,
        title=title,
        columns=[
            *[Column(key=k, label=str(label)) for k, label in columns],
            Column(key=TOTAL, label=_("Total")),
        ],
        rows=rows,
        total=Row(key=TOTAL, label=_("Total"), values=total_values),
        note=note,
        measure=measure,
        row_dim="gender",
        col_dim=col_dim,
        fixed=make_coords(year=year),
        additive=True,
        col_total=True,
        col_additive=additive_columns,
    )


def by_gender_table(
    *,
    counted: Iterable[dict[str, Any]],
    categories: Sequence[tuple[str, Any]],
    count_of: Callable[[int, str], str],
    slug: str,
    title: str,
    note: str,
    row_dim: str,
    year: int,
) -> Table:
    """Categories (rows) by gender (columns) for one year, from one query's rows.

    Each row of `counted` holds a gender (`person__gender`), its persons
    (`persons`) and, for each category, its count under the name count_of(i,
    key). Each person has one gender, so the gender columns add up to the total
    column; a person in several categories is in several rows, so the total row
    counts persons (the gender table's figures).
    """
    genders = list(choices.Gender.choices)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    persons: dict[str, int] = defaultdict(int)
    for row in counted:
        gender = row["person__gender"]
        persons[gender] += row["persons"]
        for i, (key, _label) in enumerate(categories):
            counts[(key, gender)] += row[count_of(i, key)]
    rows = []
    for key, label in categories:
        values = [counts.get((key, g), 0) for g, _label in genders]
        rows.append(Row(key=key, label=str(label), values=[*values, sum(values)]))
    total_values = [persons.get(g, 0) for g, _label in genders]
    return Table(
        slug=slug,
        title=title,
        columns=[
            *[Column(key=g, label=str(label)) for g, label in genders],
            Column(key=TOTAL, label=_("Total")),
        ],
        rows=rows,
        total=Row(key=TOTAL, label=_("Persons"), values=[*total_values, sum(total_values)]),
        note=note,
        measure="identified",
        row_dim=row_dim,
        col_dim="gender",
        fixed=make_coords(year=year),
        additive=False,
        col_total=True,
        col_additive=True,
    )
