"""The files this app writes: case microdata (CSV, XLSX), HTCDS (JSON, CSV), CTDC.

Every CSV and XLSX goes through brik.core.exports, so no text runs as a
formula. Everything is written as it streams: no file is built in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date

from brik.core.exports import csv_writer, xlsx_append, xlsx_workbook
from brik.exchange import ctdc, htcds

LIST_SEPARATOR = ";"


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def _xlsx_value(value):
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def case_csv_lines(rows: Iterable[dict], columns: list[str]) -> Iterator[str]:
    """The case microdata as CSV text, a chunk at a time (for streaming responses)."""
    buffer = _Buffer()
    writer = csv_writer(buffer)
    writer.writerow(columns)
    yield buffer.take()
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(row[c]) for c in columns])
        if count % 500 == 0:
            yield buffer.take()
    yield buffer.take()


def write_cases_csv(out, rows: Iterable[dict], columns: list[str]) -> int:
    writer = csv_writer(out)
    writer.writerow(columns)
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 (the count is returned)
        writer.writerow([_csv_value(row[c]) for c in columns])
    return count


def write_cases_xlsx(out, rows: Iterable[dict], columns: list[str]) -> int:
    """An Excel workbook, streamed (openpyxl write-only). Excel shows at most 1,048,575 rows."""
    workbook = xlsx_workbook(write_only=True)
    sheet = workbook.create_sheet("cases")
    xlsx_append(sheet, columns)
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007
        xlsx_append(sheet, [_xlsx_value(row[c]) for c in columns])
    workbook.save(out)
    return count


def write_htcds_json(out, records: Iterable[dict]) -> int:
    """{"standard": "HTCDS", "version": "2.0", "records": [...]}, one record per line."""
    head = json.dumps(htcds.STANDARD)[:-1]
    out.write(head + ', "records": [\n')
    count = 0
    for count, rec in enumerate(records, start=1):
        out.write(("" if count == 1 else ",\n") + json.dumps(rec, ensure_ascii=False))
    out.write("\n]}\n")
    return count


def write_htcds_csv(out, records: Iterable[dict]) -> int:
    writer = csv_writer(out)
    writer.writerow(htcds.FIELDS)
    count = 0
    for count, rec in enumerate(records, start=1):  # noqa: B007
        writer.writerow(htcds.csv_cells(rec))
    return count


def write_ctdc(out, rows: Iterable[dict], notice: str) -> int:
    """CTDC's layout: `;`, a notice in the first header cell, a leading empty cell."""
    writer = csv_writer(out, delimiter=ctdc.DELIMITER)
    writer.writerow(ctdc.header(notice))
    count = 0
    for count, values in enumerate(rows, start=1):  # noqa: B007
        writer.writerow(ctdc.line(values))
    return count


class _Buffer:
    """A file-like sink the CSV writer writes into and a response drains."""

    def __init__(self):
        self._parts: list[str] = []

    def write(self, text: str) -> None:
        self._parts.append(text)

    def take(self) -> str:
        text, self._parts = "".join(self._parts), []
        return text


class CommandOutput:
    """A management command's stdout that writes text as it is (Django's adds line ends)."""

    def __init__(self, wrapper):
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, ending="")
