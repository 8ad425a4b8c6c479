"""Writes of the exchange app: importing a CTDC or HTCDS file, recording an export.

An import is safe by construction:
- the file's SHA-256 is taken first; a file already imported adds nothing;
- every row is parsed and checked, and every problem is collected with its
  row and column, before the import is committed;
- it is one transaction: any problem (or error) and nothing is written;
- rows stream from the file and are written with bulk_create in chunks, so a
  150,000-row file needs no more memory than one chunk.
A dry run does the same reading and checking and writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.exchange import ctdc, htcds
from brik.exchange.ctdc import Parsed, Problem
from brik.exchange.models import DataExport, ExternalRecord, ImportBatch, Source
from brik.exchange.report import ImportReport

CHUNK_SIZE = 2000


class ImportRejected(Exception):
    """The file has problems: nothing was imported."""

    def __init__(self, problems: list[Problem], report: ImportReport):
        super().__init__(f"{len(problems)} problem(s) in the file; nothing was imported")
        self.problems = problems
        self.report = report


@dataclass
class ImportResult:
    report: ImportReport
    batch: ImportBatch | None = None  # None on a dry run or when already imported
    already: ImportBatch | None = None  # the earlier import of the same file
    problems: list[Problem] = field(default_factory=list)  # dry run only


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def source_of(path: Path, source: str | None) -> str:
    """CTDC, or HTCDS as JSON or CSV by the file's name (import_htcds)."""
    if source:
        return source
    return Source.HTCDS_JSON if path.suffix.lower() == ".json" else Source.HTCDS_CSV


def _parsed(path: Path, source: str) -> Iterator[Parsed]:
    # utf-8-sig: a byte-order mark (Excel writes one) is not part of the first column.
    with open(path, encoding="utf-8-sig", newline="") as file:
        if source == Source.CTDC:
            yield from ctdc.read(file)
        elif source == Source.HTCDS_JSON:
            yield from htcds.read_json(file)
        else:
            yield from htcds.read_csv(file)


def records_import(
    *,
    actor,
    path: Path,
    source: str,
    dry_run: bool = False,
    on_row: Callable[[], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ImportResult:
    """Import the file at `path` (or, dry_run, only check it and report what it holds).

    Raises ImportRejected (nothing written) when a row has a problem, and
    brik.exchange.ctdc.HeaderError when the file is not of the format at all.
    """
    sha256 = file_sha256(path)
    already = ImportBatch.objects.filter(source=source, sha256=sha256).first()
    if already is not None:
        return ImportResult(report=ImportReport(), already=already)
    if dry_run:
        report, problems = ImportReport(), []
        for parsed in _parsed(path, source):
            if on_row:
                on_row()
            if parsed.problems:
                problems += parsed.problems
            else:
                report.add(parsed.record)
        return ImportResult(report=report, problems=problems)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                source=source,
                file_name=path.name,
                sha256=sha256,
                imported_by=actor if getattr(actor, "pk", None) else None,
            )
            report = _write_records(batch, _parsed(path, source), on_row, chunk_size)
            batch.rows = report.rows
            batch.save(update_fields=["rows"])
            log_action(
                actor=actor,
                action=AuditEvent.EXCHANGE_IMPORTED,
                obj=batch,
                data={"source": source, "file": path.name, "sha256": sha256, "rows": report.rows},
            )
    except IntegrityError:
        # The same file, imported at the same moment by someone else.
        already = ImportBatch.objects.filter(source=source, sha256=sha256).first()
        if already is None:
            raise
        return ImportResult(report=ImportReport(), already=already)
    return ImportResult(report=report, batch=batch)


def _write_records(batch, parsed_rows, on_row, chunk_size) -> ImportReport:
    report, problems, chunk = ImportReport(), [], []
    for parsed in parsed_rows:
        if on_row:
            on_row()
        if parsed.problems:
            problems += parsed.problems
            continue
        report.add(parsed.record)
        if problems:
            continue  # keep checking, write no more: it will all be rolled back
        chunk.append(ExternalRecord(batch=batch, source=batch.source, **parsed.record))
        if len(chunk) >= chunk_size:
            ExternalRecord.objects.bulk_create(chunk)
            chunk = []
    if problems:
        raise ImportRejected(problems, report)
    ExternalRecord.objects.bulk_create(chunk)
    return report


def export_record(
    *, actor, kind: str, file_format: str, filters: dict | None = None, with_identity: bool
) -> DataExport:
    """Record (and audit) an export before its rows are written."""
    with transaction.atomic():
        export = DataExport.objects.create(
            kind=kind,
            file_format=file_format,
            filters=filters or {},
            with_identity=with_identity,
            exported_by=actor if getattr(actor, "pk", None) else None,
        )
        log_action(
            actor=actor,
            action=AuditEvent.EXCHANGE_EXPORTED,
            obj=export,
            data={
                "kind": kind,
                "format": file_format,
                "filters": filters or {},
                "with_identity": with_identity,
            },
        )
    return export
