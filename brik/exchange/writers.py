"""The files this app writes: case microdata (CSV, XLSX), HTCDS (JSON, CSV), CTDC.

Every CSV and XLSX goes through brik.core.exports, so no text runs as a
formula. Everything is written as it streams: no file is built in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date

from brik.core.exports import bulk_csv_writer, csv_writer, xlsx_append, xlsx_workbook
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


def case_csv_lines(cells: Iterable[list], columns: list[str]) -> Iterator[str]:
    """The case microdata (rows of selectors.case_cells) as CSV text, in pieces of ~64 KB."""
    buffer = _Buffer()
    writer = bulk_csv_writer(buffer)
    writer.writerow(list(columns))
    batch: list[list] = []
    for row in cells:
        batch.append(row)
        if len(batch) == 500:
            writer.writerows(batch)
            batch = []
            if buffer.size >= 1 << 16:
                yield buffer.take()
    writer.writerows(batch)
    yield buffer.take()


def write_cases_csv(out, cells: Iterable[list], columns: list[str], on_rows=None) -> int:
    """The case microdata (rows of selectors.case_cells) as CSV into `out`; returns the rows.

    on_rows(count), if given, is called every 10,000 rows (a job's progress).
    """
    writer = bulk_csv_writer(out)
    writer.writerow(list(columns))
    if on_rows is None:
        return writer.writerows(cells)
    count = 0
    for batch in _batches(cells, 10_000):
        count += writer.writerows(batch)
        on_rows(count)
    return count


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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
        self.size = 0

    def write(self, text: str) -> None:
        self._parts.append(text)
        self.size += len(text)

    def take(self) -> str:
        text, self._parts, self.size = "".join(self._parts), [], 0
        return text


class CommandOutput:
    """A management command's stdout that writes text as it is (Django's adds line ends).

    Text is gathered into pieces of ~64 KB: one write per CSV row would cost more
    than the row. Call flush() at the end.
    """

    def __init__(self, wrapper):
        self._wrapper = wrapper
        self._buffer = _Buffer()

    def write(self, text: str) -> None:
        self._buffer.write(text)
        if self._buffer.size >= 1 << 16:
            self.flush()

    def flush(self) -> None:
        self._wrapper.write(self._buffer.take(), ending="")
