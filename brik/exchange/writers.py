"""The files this app writes: case microdata (CSV, XLSX), HTCDS (JSON, CSV), CTDC.

Every CSV and XLSX goes through brik.core.exports, so no text runs as a
formula. Everything is written as it streams: no file is built in memory.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

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


def case_csv_pieces(cases, identity: list[str]) -> Iterator[tuple[int, str]]:
    """The case microdata of `cases` as CSV text without its header: (rows, text) pieces.

    Without identity columns the database makes the lines (selectors.case_csv_chunks);
    with them, the rows of selectors.case_cells go through the bulk writer (the
    identity values are decrypted in Python). Both write the same cells alike.
    """
    from brik.exchange import selectors

    if not identity:
        yield from selectors.case_csv_chunks(cases=cases)
        return
    buffer = _Buffer()
    writer = bulk_csv_writer(buffer)
    for batch in _batches(selectors.case_cells(cases=cases, identity=identity), 1000):
        writer.writerows(batch)
        yield len(batch), buffer.take()


def case_csv_lines(pieces: Iterable[tuple[int, str]], columns: list[str]) -> Iterator[str]:
    """The header, then the pieces' text, in pieces of ~64 KB (a streamed response)."""
    buffer = _Buffer()
    bulk_csv_writer(buffer).writerow(list(columns))
    for _rows, text in pieces:
        buffer.write(text)
        if buffer.size >= 1 << 16:
            yield buffer.take()
    yield buffer.take()


def write_cases_csv(
    out, pieces: Iterable[tuple[int, str]], columns: list[str], on_rows=None
) -> int:
    """The header, then the pieces (see case_csv_pieces), into `out`; returns the rows.

    on_rows(count), if given, is called after every piece (a job's progress).
    """
    bulk_csv_writer(out).writerow(list(columns))
    count = 0
    for rows, text in pieces:
        out.write(text)
        count += rows
        if on_rows is not None:
            on_rows(count)
    return count


Part = Callable[[], Iterable[tuple[int, str]]]


def default_parts() -> int:
    """How many processes write a large file at once by default: one per CPU, at most 4."""
    return min(4, os.cpu_count() or 1)


def write_csv_parts(path: Path, header: list[str], parts: list[Part]) -> int:
    """`header` as a CSV line, then the text of each part in order, into the file `path`.

    The parts are made at the same time: the first by this process straight into
    `path`, each other one by a process of its own (forked: the part is any
    function) into a private file beside `path` that is then appended to it and
    removed; with one part, no process is started. Each part yields (rows, text)
    pieces of whole CSV lines (see selectors.case_csv_chunks) and reads the
    database on a connection of its own. Returns the number of rows written
    after the header. If a part fails, so does the file, and no file is left
    behind (another process's failure is raised as a RuntimeError).
    """
    try:
        return _write_csv_parts(path, header, parts)
    except BaseException:
        path.unlink(missing_ok=True)  # no half-written file is left to be mistaken for the export
        raise


def _write_csv_parts(path: Path, header: list[str], parts: list[Part]) -> int:
    from django.db import connections

    with open(path, "w", encoding="utf-8", newline="", buffering=1 << 20) as out:
        bulk_csv_writer(out).writerow(list(header))
        if len(parts) == 1:
            return _write_part(out, parts[0])
        connections.close_all()  # a child must not share the parent's connection
        context = multiprocessing.get_context("fork")
        files, workers = [], []
        try:
            for part in parts[1:]:  # started one after the other, all at work at once
                fd, name = tempfile.mkstemp(dir=path.parent, prefix=".part-", suffix=".csv")
                os.close(fd)  # mkstemp: the file is the owner's only (0600)
                files.append(Path(name))
                receive, send = context.Pipe(duplex=False)
                worker = context.Process(target=_part_worker, args=(part, files[-1], send))
                worker.start()
                send.close()
                workers.append((worker, receive))
            count = _write_part(out, parts[0])  # this process writes the first part itself
            for (worker, receive), file in zip(workers, files, strict=True):
                try:
                    rows = receive.recv()
                except EOFError:  # the process ended without a word
                    rows = None
                worker.join()
                if worker.exitcode != 0 or not isinstance(rows, int):
                    raise RuntimeError(f"a part of the export failed: {rows}")
                out.flush()
                with open(file, "rb") as written:  # UTF-8 both: the bytes as they are
                    shutil.copyfileobj(written, out.buffer, 1 << 20)
                file.unlink()
                count += rows
            return count
        finally:
            for worker, _receive in workers:
                if worker.is_alive():
                    worker.kill()
                    worker.join()
            for file in files:
                file.unlink(missing_ok=True)


def _write_part(out, part: Part) -> int:
    count = 0
    for rows, text in part():
        out.write(text)
        count += rows
    return count


def _part_worker(part: Part, file: Path, send) -> None:
    """In the forked process: the part into `file`; sends its row count or the error."""
    try:
        with open(file, "w", encoding="utf-8", newline="", buffering=1 << 20) as out:
            send.send(_write_part(out, part))
    except BaseException as error:
        send.send(f"{type(error).__name__}: {error}")
        raise


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
