"""The one shape every statistic takes: a Table of counts.

Selectors return Tables; disclosure control marks their cells; renderers
(HTML, PDF, Excel, CSV, charts) read them. A Table never holds a rendered
string for a count: `display_rows()` turns counts and marks into text.

Each cell has a *semantic key* (what is counted, and the coordinates: year,
gender, age band...). Two tables that show the same figure share the key,
which is how disclosure control sees that a cell hidden in one table must
not be shown in another, and how it finds the totals a cell adds up to.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format

TOTAL = "total"

# A cell is hidden because it is small (1 to threshold-1)...
PRIMARY = "primary"
# ...or because it would otherwise let someone work out a small cell.
SECONDARY = "secondary"
# A statistic that is not a count (a median age) left out for a small group.
NOT_SHOWN = "not_shown"

Coords = tuple[tuple[str, Any], ...]
CellKey = tuple[str, Coords]


def make_coords(**values: Any) -> Coords:
    return tuple(sorted(values.items()))


@dataclass
class Column:
    key: Any
    label: str


@dataclass
class Row:
    key: str
    label: str
    values: list[int]
    # Cell marks after disclosure control: "" (shown), PRIMARY or SECONDARY.
    marks: list[str] = field(default_factory=list)
    # False for rows that do not count persons (actions held, anonymous
    # outreach contacts): disclosure control leaves them alone.
    protect: bool = True

    def mark(self, index: int) -> str:
        return self.marks[index] if self.marks else ""


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[Row]
    total: Row | None
    note: str
    # What is counted, e.g. "identified" (persons identified); part of each cell's key.
    measure: str
    # The dimension the rows break down by ("gender"), and the columns' ("year").
    row_dim: str
    col_dim: str = "year"
    # Coordinates shared by every cell (a cross table for one year: (("year", 2021),)).
    fixed: Coords = ()
    # True when every unit counted falls in exactly one row, so the rows add up
    # to the total. Disclosure control then protects against subtraction.
    additive: bool = True
    # Cross tables: the last column is the total over the column dimension...
    col_total: bool = False
    # ...and the other columns add up to it (False when a unit can be in several).
    col_additive: bool = True
    # The figures are exact although the report is public (set by disclosure control).
    protected: bool = False
    internal: bool = False
    # Figures that are not whole numbers (rates) are kept as whole numbers of
    # 10**-decimals (tenths for 1): `number` gives the figure itself.
    decimals: int = 0
    # Category codes (Eurostat's) of the rows and the columns, for the data files.
    row_codes: dict[str, str] = field(default_factory=dict)
    column_codes: dict[Any, str] = field(default_factory=dict)

    # --- keys ----------------------------------------------------------------

    def cell_key(self, row: Row, column: Column) -> CellKey:
        coords = dict(self.fixed)
        if row is not self.total:
            coords[self.row_dim] = row.key
        if not (self.col_total and column.key == TOTAL):
            coords[self.col_dim] = column.key
        return (self.measure, tuple(sorted(coords.items())))

    def number(self, value: int) -> int | float:
        """A stored value as the figure it stands for (a rate of 14 tenths is 1.4)."""
        return round(value / 10**self.decimals, self.decimals) if self.decimals else value

    def all_rows(self) -> list[Row]:
        return [*self.rows, *([self.total] if self.total else [])]

    # --- years and change ------------------------------------------------------

    @property
    def is_series(self) -> bool:
        return self.col_dim == "year"

    @property
    def shows_change(self) -> bool:
        return self.is_series and len(self.columns) >= 2

    def change(self, row: Row) -> int | None:
        """Last year against the year before, or None when either is hidden."""
        if not self.shows_change or row.mark(-1) or row.mark(-2):
            return None
        return row.values[-1] - row.values[-2]

    def total_mark(self, column_key: Any) -> str:
        """The mark of the total row's cell in a column ("" when shown or absent)."""
        keys = [c.key for c in self.columns]
        if self.total is None or column_key not in keys:
            return ""
        return self.total.mark(keys.index(column_key))

    def value(self, row_key: str, column_key: Any) -> int:
        row = self.total if row_key == TOTAL else self.row(row_key)
        return row.values[[c.key for c in self.columns].index(column_key)]

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def copy(self) -> Table:
        rows = [
            dataclasses.replace(r, values=list(r.values), marks=list(r.marks)) for r in self.rows
        ]
        total = (
            dataclasses.replace(
                self.total, values=list(self.total.values), marks=list(self.total.marks)
            )
            if self.total
            else None
        )
        return dataclasses.replace(self, rows=rows, total=total, columns=list(self.columns))

    # --- display -------------------------------------------------------------------

    def header(self) -> list[str]:
        labels = [str(c.label) for c in self.columns]
        if self.shows_change:
            from django.utils.translation import gettext

            labels.append(gettext("Change"))
        return labels

    def display_rows(self, threshold: int) -> list[tuple[Row, list[str]]]:
        """Each row with its cells as text: counts, "<5" or "x"."""
        out = []
        for row in self.all_rows():
            cells = [
                display_cell(v, row.mark(i), threshold, self.decimals)
                for i, v in enumerate(row.values)
            ]
            if self.shows_change:
                change = self.change(row)
                cells.append("" if change is None else signed(change))
            out.append((row, cells))
        return out


def display_cell(value: int | None, mark: str, threshold: int, decimals: int = 0) -> str:
    if mark == PRIMARY:
        return f"<{threshold}"
    if mark == SECONDARY:
        return "x"
    if mark == NOT_SHOWN:
        from django.utils.translation import gettext

        return gettext("not shown")
    if value is None:
        return ""
    if decimals:
        return number_format(value / 10**decimals, decimal_pos=decimals, force_grouping=True)
    return number_format(value, force_grouping=True)


def signed(value: int) -> str:
    if value > 0:
        return "+" + number_format(value, force_grouping=True)
    if value < 0:
        return "−" + number_format(-value, force_grouping=True)
    return "0"


@dataclass
class KeyFigure:
    slug: str
    label: str
    value: int
    previous: int | None = None
    # The marks of the table cells that show the same figures (disclosure control).
    mark: str = ""
    previous_mark: str = ""
    threshold: int = 5

    @property
    def shown(self) -> int | str:
        """The figure as published: the count, or "<5" / "x" when its cell is hidden."""
        return display_cell(self.value, self.mark, self.threshold) if self.mark else self.value

    @property
    def previous_shown(self) -> int | str | None:
        if self.previous is None or not self.previous_mark:
            return self.previous
        return display_cell(self.previous, self.previous_mark, self.threshold)


@dataclass
class Section:
    slug: str
    title: str
    intro: str
    tables: list[Table]
    charts: list[Any] = field(default_factory=list)


@dataclass
class Report:
    year: int
    language: str
    internal: bool
    title: str
    key_figures: list[KeyFigure]
    summary: list[str]
    sections: list[Section]
    eurostat: list[Table]
    counting_note: str
    disclosure_note: str
    threshold: int
    # The day the figures were counted (for a published year: the day of its publication).
    data_as_of: Any = None
    # Dated notes on earlier publications whose figures the records now differ from.
    revision_notes: list[str] = field(default_factory=list)
    # The analysts' foreword in the report's language (plain text; escaped when shown).
    foreword: str = ""

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def all_tables(self) -> list[Table]:
        return [*self.tables(), *self.eurostat]
