"""The one way Brik writes spreadsheets: CSV and Excel files where no text runs as a formula.

A text that starts with = + - @ (or a tab or carriage return before one) is
taken as a formula by Excel and LibreOffice: a title such as
`=HYPERLINK("https://…", "Open")` in an export would become a live link or
worse on the reader's computer. Every CSV and XLSX that Brik writes goes
through the two helpers here, so no export can forget it:

- `csv_writer` is defusedcsv's writer (it puts an apostrophe before such a
  text, and leaves numbers alone), also guarding a leading tab or carriage
  return, which defusedcsv lets through;
- `xlsx_append` writes a row to an openpyxl sheet with every such text stored
  as a text cell (data type "s") carrying Excel's quote prefix, so the cell
  shows exactly the text and stays text when someone edits it.

A test (brik/core/tests/test_exports_are_inert.py) fails if a module other
than this one writes CSV or Excel itself.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

from defusedcsv import csv as defused_csv

# What a spreadsheet may read as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


class _Writer:
    """defusedcsv's writer, which also neutralises a leading tab or carriage return."""

    def __init__(self, writer):
        self._writer = writer

    @staticmethod
    def _field(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(("\t", "\r")):
            return "'" + value
        return value

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([self._field(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file, **options) -> _Writer:
    """A csv.writer for `file` whose texts can never run as formulas."""
    return _Writer(defused_csv.writer(file, **options))


# defusedcsv's first characters (it also guards | and %) and the tab and carriage return.
_FORMULA_FIRST = frozenset((*FORMULA_STARTS, "|", "%"))
_NUMBER = re.compile(r"-?[0-9,.]+")


def _defused(value: str) -> str:
    """What defusedcsv (plus the tab and carriage-return rule) writes for a suspect text."""
    if value[0] in "\t\r":
        return "'" + value
    if _NUMBER.fullmatch(value):
        return value  # a number written as text ("-3") is left alone, as defusedcsv does
    return "'" + value.replace("|", "\\|")


def csv_cell(value: str) -> str:
    """One text cell as `bulk_csv_writer` (and `csv_writer`) writes it: made safe, and
    quoted when it holds a comma, a quote or a line end (csv.QUOTE_MINIMAL)."""
    if value[:1] in _FORMULA_FIRST:
        value = _defused(value)
    if "," in value or '"' in value or "\r" in value or "\n" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


class BulkCsvWriter:
    """A csv.writer for millions of rows, as safe as `csv_writer` and several times faster.

    defusedcsv looks at every cell in Python; here only a text cell whose first
    character is one of = + - @ | % tab or carriage return is touched (it is
    written exactly as `csv_writer` writes it), and the rows go to the C
    writer in batches. Numbers, dates and empty cells (None) go out as they are.
    """

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row: list[Any]) -> None:
        self.writerows([row])

    def writerows(self, rows: Iterable[list[Any]]) -> int:
        """Write `rows` (lists, changed in place when a cell is neutralised); returns how many."""
        first = _FORMULA_FIRST
        batch: list[list[Any]] = []
        count = 0
        for row in rows:
            # Most rows hold no suspect text: one pass to look, a second only to change.
            for value in row:
                if value.__class__ is str and value[:1] in first:
                    row[:] = [
                        _defused(v) if v.__class__ is str and v[:1] in first else v for v in row
                    ]
                    break
            batch.append(row)
            if len(batch) == 1000:
                self._writer.writerows(batch)
                count += len(batch)
                batch = []
        self._writer.writerows(batch)
        return count + len(batch)


def bulk_csv_writer(file, **options) -> BulkCsvWriter:
    """A writer for large CSV exports whose texts can never run as formulas."""
    return BulkCsvWriter(file, **options)


def xlsx_workbook(*, write_only: bool = False):
    """A new openpyxl workbook (imported here: only exports need openpyxl).

    write_only: rows are streamed to a temporary file, not held in memory (large
    exports); the sheet is then made with `create_sheet()` and only appended to.
    """
    from openpyxl import Workbook

    return Workbook(write_only=write_only)


def xlsx_append(sheet, values: Iterable[Any]) -> None:
    """Append a row to `sheet`; a formula-like text is stored as plain, quoted text."""
    sheet.append([_xlsx_text(sheet, v) if is_formula_like(v) else v for v in values])


def _xlsx_text(sheet, value: str):
    from openpyxl.cell import Cell

    # openpyxl takes "=…" for a formula here... (row and column are set by append;
    # a write-only sheet needs them set to something already)
    cell = Cell(sheet, row=1, column=1, value=value)
    cell.data_type = "s"  # ...so it is stored as text,
    cell.quotePrefix = True  # and stays text when edited in Excel.
    return cell
