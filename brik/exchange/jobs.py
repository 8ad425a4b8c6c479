"""Large exports as background jobs: the queue is a table, the worker is `brik run_jobs`.

No extra service is needed: a job is a row of `ExportJob`; `brik run_jobs`
(run by systemd next to the web server, see docs/exchange.md) claims the
oldest waiting job with a conditional UPDATE (two workers never take the same
job, on SQLite and PostgreSQL alike), writes the file and records its
progress every 10,000 rows. A worker that dies leaves its job "running" with
a stale heartbeat; the next worker puts it back in the queue (at most
MAX_ATTEMPTS times). Nothing runs in the web server's process.

The file is written encrypted at rest (brik.protection.backup_file: a random
AES-256-GCM key per file, wrapped with BRIK_ENCRYPTION_KEYS), 0600 in
BRIK_EXPORT_DIR. Only the person who asked for it downloads it, each download
audited, until it expires (BRIK_EXPORT_DOWNLOAD_HOURS, default 24); expired
files are deleted by `apply_retention` and by the worker.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from brik.accounts.permissions import Ability, can
from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.exchange import selectors, services, writers
from brik.exchange.models import DataExport, ExportJob
from brik.protection.backup_file import BackupReader, BackupWriter
from brik.protection.files import private_dir, private_file_create

DEFAULT_THRESHOLD = 50_000
DEFAULT_DOWNLOAD_HOURS = 24
STALE_AFTER = timedelta(minutes=10)  # a running job without a heartbeat for this long
MAX_ATTEMPTS = 3
PROGRESS_EVERY = 10_000
SUFFIX = ".brikexp"


def threshold() -> int:
    """Web exports of more cases than this run as a job (BRIK_EXPORT_JOB_THRESHOLD)."""
    return int(getattr(settings, "BRIK_EXPORT_JOB_THRESHOLD", DEFAULT_THRESHOLD))


def export_dir() -> Path:
    default = Path(settings.DATA_DIR) / "exports"
    return private_dir(Path(getattr(settings, "BRIK_EXPORT_DIR", default)))


def _download_hours() -> int:
    return int(getattr(settings, "BRIK_EXPORT_DOWNLOAD_HOURS", DEFAULT_DOWNLOAD_HOURS))


# --- asking for an export -------------------------------------------------------------------


def export_job_request(*, actor, file_format: str, filters: dict) -> ExportJob:
    """Queue an export of the case list (with its filter) for `actor`; audited now.

    The export is recorded (and audited, with its filter and whether identity
    columns are in it) when it is asked for, as a download is.
    """
    if file_format not in ("csv", "xlsx"):
        raise ValidationError({"file_format": _("Choose CSV or Excel.")})
    if not can(actor, Ability.CASE_LIST):
        raise ValidationError(_("You may not export cases."), code="forbidden")
    identity = selectors.identity_columns(actor)
    total = selectors.cases_for_export(user=actor, filters=filters).count()
    with transaction.atomic():
        export = services.export_record(
            actor=actor,
            kind=DataExport.Kind.CASES,
            file_format=file_format,
            filters=filters,
            with_identity=bool(identity),
        )
        return ExportJob.objects.create(export=export, requested_by=actor, rows_total=total)


# --- the worker -----------------------------------------------------------------------------


def job_claim(*, now: datetime | None = None) -> ExportJob | None:
    """Take the oldest waiting job (status running), or None. Safe with several workers."""
    now = now or timezone.now()
    waiting = ExportJob.objects.filter(status=ExportJob.Status.QUEUED).order_by(
        "requested_at", "pk"
    )
    for pk in waiting.values_list("pk", flat=True)[:10]:
        taken = ExportJob.objects.filter(pk=pk, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
        )
        if taken:
            return ExportJob.objects.select_related("export", "requested_by").get(pk=pk)
    return None


def jobs_recover(*, now: datetime | None = None) -> int:
    """Put jobs whose worker died back in the queue (or fail them after MAX_ATTEMPTS)."""
    now = now or timezone.now()
    stale = ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    )
    failed = stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=ExportJob.Status.FAILED,
        finished_at=now,
        error="The worker stopped while writing this export, too many times.",
    )
    requeued = stale.update(status=ExportJob.Status.QUEUED, rows_done=0)
    return failed + requeued


class _Sealed:
    """Text or bytes written into an encrypted file (BackupWriter), in 1 MiB pieces."""

    def __init__(self, writer: BackupWriter):
        self._writer = writer
        self._parts: list[str] = []
        self._size = 0

    def write(self, data) -> None:
        if isinstance(data, bytes):
            self.flush()
            self._writer.write(data)
            return
        self._parts.append(data)
        self._size += len(data)
        if self._size >= 1 << 20:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._writer.write("".join(self._parts).encode("utf-8"))
            self._parts, self._size = [], 0


def job_run(job: ExportJob, *, now_fn=timezone.now) -> ExportJob:
    """Write the job's file (encrypted) and mark it ready; on any error, mark it failed."""
    user = job.requested_by
    export = job.export
    path = export_dir() / f"{secrets.token_hex(16)}{SUFFIX}"
    try:
        if not user.is_active or not can(user, Ability.CASE_LIST):
            raise PermissionError("the person who asked for it may no longer export cases")
        # Identity columns as the person may read them now (a role may have changed).
        identity = selectors.identity_columns(user) if export.with_identity else []
        columns = selectors.case_columns(identity)
        cases = selectors.cases_for_export(user=user, filters=export.filters)

        def progress(count: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=count, heartbeat_at=now_fn())

        fd = private_file_create(path)
        with os.fdopen(fd, "wb") as out:
            writer = BackupWriter(out, created_at=now_fn().isoformat())
            sealed = _Sealed(writer)
            if export.file_format == "csv":
                pieces = writers.case_csv_pieces(cases, identity)
                count = writers.write_cases_csv(sealed, pieces, columns, on_rows=progress)
            else:
                count = _write_xlsx(sealed, cases, identity, columns, progress)
            sealed.flush()
            writer.finish({"kind": "brik-export", "job": job.pk, "rows": count})
            out.flush()
            os.fsync(out.fileno())
    except Exception as error:
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, finished_at=now_fn(), error=str(error)[:500]
        )
        job.refresh_from_db()
        return job
    finished = now_fn()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        rows_done=count,
        rows_total=count,
        file_name=path.name,
        finished_at=finished,
        heartbeat_at=finished,
        expires_at=finished + timedelta(hours=_download_hours()),
    )
    if export.with_identity and not identity:
        DataExport.objects.filter(pk=export.pk).update(with_identity=False)
    job.refresh_from_db()
    return job


def _write_xlsx(sealed: _Sealed, cases, identity, columns, progress) -> int:
    """openpyxl needs a seekable file: a private temporary file, copied in sealed, then gone."""
    rows = selectors.case_rows(cases=cases, identity=identity)

    def counted():
        for count, row in enumerate(rows, start=1):
            if count % PROGRESS_EVERY == 0:
                progress(count)
            yield row

    with tempfile.TemporaryFile(dir=export_dir()) as plain:
        count = writers.write_cases_xlsx(plain, counted(), columns)
        plain.seek(0)
        while block := plain.read(1 << 20):
            sealed.write(block)
    return count


def jobs_run_once(*, now: datetime | None = None) -> list[ExportJob]:
    """Recover stale jobs, delete expired files, then run every waiting job; returns them."""
    jobs_recover(now=now)
    export_files_expire(now=now or timezone.now())
    done = []
    while (job := job_claim(now=now)) is not None:
        done.append(job_run(job))
    return done


# --- downloading and expiry -----------------------------------------------------------------


def job_download(*, actor, job: ExportJob) -> Iterator[bytes]:
    """The job's file, decrypted as it streams; audited. Only its requester, until it expires."""
    if job.requested_by_id != actor.pk:
        raise ValidationError(_("Only the person who asked for this export may download it."))
    if job.status != ExportJob.Status.DONE or not job.file_name:
        raise ValidationError(_("This export is not ready."), code="not_ready")
    if job.expires_at is None or job.expires_at <= timezone.now():
        raise ValidationError(_("This download has expired."), code="expired")
    path = export_dir() / job.file_name
    if not path.exists():
        raise ValidationError(_("This download has expired."), code="expired")
    log_action(
        actor=actor,
        action=AuditEvent.EXCHANGE_EXPORT_DOWNLOADED,
        obj=job.export,
        data={"job": job.pk, "format": job.export.file_format, "rows": job.rows_done},
    )
    return _decrypted(path)


def _decrypted(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as source:
        yield from BackupReader(source, path.name).chunks()


def export_files_due(*, now: datetime) -> list[ExportJob]:
    """Finished jobs whose download has expired and whose file is still kept."""
    return list(
        ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now).exclude(
            file_name=""
        )
    )


def export_files_expire(*, now: datetime) -> list[Path]:
    """Delete the files of expired downloads (and left-over temporary files); returns them."""
    deleted = []
    folder = export_dir()
    for job in export_files_due(now=now):
        path = folder / job.file_name
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file_name="")
        deleted.append(path)
    # Files no job points to (a worker killed mid-write) older than a day.
    kept = set(ExportJob.objects.exclude(file_name="").values_list("file_name", flat=True))
    for path in folder.glob(f"*{SUFFIX}"):
        old = now.timestamp() - path.stat().st_mtime > 86_400
        if path.name not in kept and old:
            path.unlink(missing_ok=True)
            deleted.append(path)
    return deleted
