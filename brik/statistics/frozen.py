"""Published years are frozen: their cells, as released, and the release document.

Once a year is published, every cell of its tables (the value shown, or the
suppression mark) is stored (PublishedCell) with the machine-readable release
(PublishedRelease.document). Every later output reads those cells for that
year: the year-before column of the next report shows the same figures and the
same marks, whatever was corrected in the database since (a dated note says
so), and the next year's protection takes them as given: shown figures are
known to everyone, hidden ones stay hidden.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from brik.statistics.tables import TOTAL, CellKey, Column, Report, Row, Table, make_coords

RELEASE_FORMAT = "brik-statistics-release/1"


def key_text(key: CellKey) -> str:
    measure, coords = key
    return json.dumps([measure, [list(c) for c in coords]], ensure_ascii=False)


def key_from_text(text: str) -> CellKey:
    measure, coords = json.loads(text)
    return (measure, tuple((dim, value) for dim, value in coords))


@dataclass(frozen=True)
class FrozenCell:
    exact: int
    mark: str
    year: int  # the year of the publication that released it
    published_on: dt.date
    data_as_of: dt.date


# The frozen cells as last read, by the state of the stored publications: the cells of
# a release never change once written (a year published again is a new release row
# with new cells), so the releases' ids and times and the cells' count, last id and
# sums of their figures name what would be read. (Ids alone could come back after a
# rolled-back transaction on SQLite; with them the times to the microsecond and the
# figures' sums would have to come back too.)
_FROZEN: dict[tuple, dict[CellKey, FrozenCell]] = {}


def frozen_cells(*, except_year: int | None = None) -> dict[CellKey, FrozenCell]:
    """Every cell of every stored publication (but `except_year`'s), by semantic key."""
    from django.db.models import Count, Max, Sum

    from brik.statistics.models import PublishedCell, PublishedRelease

    releases = list(
        PublishedRelease.objects.order_by("year").values_list(
            "id", "year", "published_at", "data_as_of", "created_at", "updated_at"
        )
    )
    cells = PublishedCell.objects.aggregate(
        n=Count("id"), last=Max("id"), exact=Sum("exact"), shown=Sum("value")
    )
    state = (tuple(releases), tuple(sorted(cells.items())), except_year)
    found = _FROZEN.get(state)
    if found is not None:
        return dict(found)
    qs = PublishedCell.objects.order_by("release__year", "id")
    if except_year is not None:
        qs = qs.exclude(release__year=except_year)
    about = {
        release_id: (year, timezone.localdate(published_at), data_as_of)
        for release_id, year, published_at, data_as_of, _created, _updated in releases
    }
    out: dict[CellKey, FrozenCell] = {}
    for key, exact, mark, release_id in qs.values_list("key", "exact", "mark", "release_id"):
        year, published_on, data_as_of = about[release_id]
        parsed = key_from_text(key)
        if parsed not in out:
            out[parsed] = FrozenCell(exact, mark, year, published_on, data_as_of)
    if len(_FROZEN) >= 8:
        _FROZEN.pop(next(iter(_FROZEN)))
    _FROZEN[state] = out
    return dict(out)


def apply_frozen(
    tables: Iterable[Table], frozen: dict[CellKey, FrozenCell]
) -> tuple[dict[CellKey, str], dict[CellKey, FrozenCell]]:
    """Put the frozen counts into the tables (in place).

    Returns the marks of the frozen cells (the suppression pattern already
    public: "" for shown cells) and the frozen cells whose count in the
    database has changed since they were published (for the revision note).
    """
    pinned: dict[CellKey, str] = {}
    revised: dict[CellKey, FrozenCell] = {}
    for table in tables:
        for row in table.all_rows():
            for i, column in enumerate(table.columns):
                key = table.cell_key(row, column)
                cell = frozen.get(key)
                if cell is None or not row.protect:
                    continue
                if row.values[i] != cell.exact:
                    revised[key] = cell
                row.values[i] = cell.exact
                pinned[key] = cell.mark
    return pinned, revised


# --- the release document -----------------------------------------------------------------


def _json_value(value: Any) -> Any:
    return value if isinstance(value, int | str) or value is None else str(value)


def release_document(reports: dict[str, Report]) -> dict:
    """The publication as one JSON document: exactly the published cells and their marks.

    `reports`: the public report of one year in each language (the same cells).
    """
    languages = sorted(reports)
    first = reports[languages[0]]
    tables = []
    by_language = {lang: {t.slug: t for t in reports[lang].all_tables()} for lang in languages}
    for table in first.all_tables():
        variants = {lang: by_language[lang][table.slug] for lang in languages}

        def labels(pick, variants=variants):
            return {lang: str(pick(t)) for lang, t in variants.items()}

        def row_doc(index: int | None, table=table, labels=labels) -> dict:
            row = table.total if index is None else table.rows[index]
            return {
                "key": row.key,
                "label": labels(lambda t: (t.total if index is None else t.rows[index]).label),
                "values": [
                    None if row.mark(i) else table.number(row.values[i])
                    for i in range(len(table.columns))
                ],
                "marks": [row.mark(i) for i in range(len(table.columns))],
                "protected": row.protect,
            }

        tables.append(
            {
                "slug": table.slug,
                "title": labels(lambda t: t.title),
                "note": labels(lambda t: t.note),
                "measure": table.measure,
                "row_dim": table.row_dim,
                "col_dim": table.col_dim,
                "fixed": [[dim, _json_value(v)] for dim, v in table.fixed],
                "additive": table.additive,
                "col_total": table.col_total,
                "col_additive": table.col_additive,
                **({"decimals": table.decimals} if table.decimals else {}),
                "columns": [
                    {
                        "key": _json_value(c.key),
                        "label": {lang: str(variants[lang].columns[i].label) for lang in languages},
                    }
                    for i, c in enumerate(table.columns)
                ],
                "rows": [row_doc(i) for i in range(len(table.rows))],
                "total": row_doc(None) if table.total else None,
            }
        )
    return {
        "format": RELEASE_FORMAT,
        "year": first.year,
        "data_as_of": first.data_as_of.isoformat() if first.data_as_of else None,
        "threshold": first.threshold,
        "markers": {
            "primary": f"<{first.threshold}: a count from 1 to {first.threshold - 1}",
            "secondary": "x: hidden so that no small count can be worked out",
            "not_shown": "not shown: a median or range of fewer persons than the threshold",
        },
        "methodology": {
            lang: {
                "counting": str(reports[lang].counting_note),
                "disclosure": str(reports[lang].disclosure_note),
                "revisions": [str(n) for n in reports[lang].revision_notes],
            }
            for lang in languages
        },
        "tables": tables,
        # The key figures of the year as published (a hidden one without its value): a
        # figure not read from a table cell (the number of nationalities) is frozen here.
        "key_figures": {
            figure.slug: {"value": None if figure.mark else figure.value, "mark": figure.mark}
            for figure in first.key_figures
        },
        "foreword": {lang: reports[lang].foreword for lang in languages},
    }


def tables_from_document(document: dict, exact: dict[str, int] | None = None) -> list[Table]:
    """The tables of a release document (labels in the first language).

    With `exact` (the stored counts by key text), hidden cells get their count
    at publication: what the audit checks an outsider's intervals against.
    Without it a hidden cell holds 0.
    """
    out = []
    for doc in document["tables"]:
        scale = 10 ** doc.get("decimals", 0)

        def row_of(d: dict, scale: int = scale) -> Row:
            values = [round(v * scale) if v is not None else 0 for v in d["values"]]
            label = next(iter(d["label"].values()), d["key"])
            return Row(
                key=d["key"],
                label=label,
                values=values,
                marks=list(d["marks"]),
                protect=d.get("protected", True),
            )

        columns = [
            Column(key=c["key"], label=next(iter(c["label"].values()), str(c["key"])))
            for c in doc["columns"]
        ]
        table = Table(
            slug=doc["slug"],
            title=next(iter(doc["title"].values()), doc["slug"]),
            columns=columns,
            rows=[row_of(r) for r in doc["rows"]],
            total=row_of(doc["total"]) if doc["total"] else None,
            note="",
            measure=doc["measure"],
            row_dim=doc["row_dim"],
            col_dim=doc["col_dim"],
            fixed=make_coords(**dict(doc["fixed"])),
            additive=doc["additive"],
            col_total=doc["col_total"],
            col_additive=doc["col_additive"],
            decimals=doc.get("decimals", 0),
            protected=True,
        )
        if exact:
            for row in table.all_rows():
                for i, column in enumerate(table.columns):
                    if row.mark(i):
                        row.values[i] = exact.get(key_text(table.cell_key(row, column)), 0)
        out.append(table)
    return out


def cells_of(report: Report) -> list[dict]:
    """The cells of a public report, as PublishedCell fields (one per table cell)."""
    out = []
    for table in report.all_tables():
        for row in table.all_rows():
            for i, column in enumerate(table.columns):
                mark = row.mark(i)
                out.append(
                    {
                        "table": table.slug,
                        "row": row.key if row is not table.total else TOTAL,
                        "column": str(column.key),
                        "key": key_text(table.cell_key(row, column)),
                        "value": None if mark else row.values[i],
                        "exact": row.values[i],
                        "mark": mark,
                    }
                )
    return out
