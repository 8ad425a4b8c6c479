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
