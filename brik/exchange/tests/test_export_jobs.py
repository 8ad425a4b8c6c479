"""Large exports as background jobs: queued on the web, run by `brik run_jobs`, downloaded once ready."""

import csv
import io
import secrets
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.exchange import jobs
from brik.exchange.models import ExportJob
from brik.exchange.tests.conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(dave, police):
    return refer(dave, police, 3) + refer(dave, police, 2, identified=False, citizenships=["RO"])


def _rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def _request(client, user, query="", file_format="csv"):
    client.force_login(user)
    url = reverse("exchange:jobs") + query
    return client.post(url, {"file_format": file_format, "form_token": secrets.token_urlsafe(24)})


def _run() -> None:
    call_command("run_jobs", "--once", stdout=StringIO())


def test_a_large_export_is_offered_as_a_job_and_nothing_is_exported_yet(
    client, carol, cases, settings
):
    settings.BRIK_EXPORT_JOB_THRESHOLD = 1  # the filter leaves 2 cases
    client.force_login(carol)

    response = client.get(reverse("exchange:cases", args=["csv"]) + "?citizenship=RO")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert reverse("exchange:jobs") + "?citizenship=RO" in page
    assert not ActionLog.objects.filter(action=AuditEvent.EXCHANGE_EXPORTED).exists()


def test_the_job_runs_in_the_worker_and_its_requester_downloads_it(client, carol, cases):
    response = _request(client, carol, "?citizenship=RO")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange:job", args=[job.pk])
    entry = ActionLog.objects.get(action=AuditEvent.EXCHANGE_EXPORTED)
    assert entry.data["filters"] == {"citizenship": "RO"}
    assert job.status == ExportJob.Status.QUEUED
    assert client.get(reverse("exchange:job", args=[job.pk])).status_code == 200

    _run()

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert (job.rows_done, job.rows_total) == (2, 2)
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    stored = (jobs.export_dir() / job.file_name).read_bytes()
    assert b"case_code" not in stored  # encrypted at rest
    assert b"citizenships" not in stored
    response = client.get(reverse("exchange:job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    rows = _rows(b"".join(response.streaming_content))
    assert {r["citizenships"] for r in rows} == {"RO"}
    assert "given_names" not in rows[0]  # an analyst: no identity columns
    assert ActionLog.objects.filter(
        action=AuditEvent.EXCHANGE_EXPORT_DOWNLOADED, actor=carol
    ).exists()


def test_a_caseworkers_job_has_the_identity_columns_and_excel_works(client, alice, cases):
    _request(client, alice, file_format="xlsx")
    _run()
    job = ExportJob.objects.get()

    response = client.get(reverse("exchange:job_download", args=[job.pk]))

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in next(sheet.iter_rows())]
    assert "given_names" in header
    assert sheet.max_row == 6


def test_nobody_else_sees_or_downloads_the_job(client, carol, alice, cases):
    _request(client, carol)
    _run()
    job = ExportJob.objects.get()

    client.force_login(alice)
    assert client.get(reverse("exchange:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("exchange:job_download", args=[job.pk])).status_code == 404
    assert not ActionLog.objects.filter(action=AuditEvent.EXCHANGE_EXPORT_DOWNLOADED).exists()


def test_the_page_polls_until_the_job_is_done(client, carol, cases):
    _request(client, carol)
    job = ExportJob.objects.get()
    url = reverse("exchange:job", args=[job.pk])

    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert "<html" not in fragment
    page = client.get(url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page  # without JS: reload

    _run()
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done
    assert reverse("exchange:job_download", args=[job.pk]) in done


def test_a_double_submit_queues_one_job(client, carol, cases):
    client.force_login(carol)
    data = {"file_format": "csv", "form_token": secrets.token_urlsafe(24)}
    client.post(reverse("exchange:jobs"), data)
    client.post(reverse("exchange:jobs"), data)

    assert ExportJob.objects.count() == 1


def test_an_expired_download_is_refused_and_its_file_deleted_by_retention(client, carol, cases):
    _request(client, carol)
    _run()
    job = ExportJob.objects.get()
    path = jobs.export_dir() / job.file_name
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert client.get(reverse("exchange:job_download", args=[job.pk])).status_code == 410
    out = StringIO()
    call_command("apply_retention", stdout=out)

    assert not path.exists()
    assert f"Deleted expired export {path.name}" in out.getvalue()
    job.refresh_from_db()
    assert (job.status, job.file_name) == (ExportJob.Status.EXPIRED, "")


def test_a_job_left_running_by_a_dead_worker_runs_again(client, carol, cases):
    _request(client, carol)
    job = jobs.job_claim()  # a worker took it, then died
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))

    _run()

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.attempts == 2


def test_two_workers_never_take_the_same_job(client, carol, cases):
    _request(client, carol)

    assert jobs.job_claim() is not None
    assert jobs.job_claim() is None


def test_a_requester_who_lost_the_right_gets_no_file(client, carol, cases):
    _request(client, carol)
    carol.is_active = False
    carol.save(update_fields=["is_active"])

    _run()

    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert not job.file_name
    assert not list(jobs.export_dir().glob("*" + jobs.SUFFIX))


@pytest.mark.parametrize("who", ["dave", "erin", "frank", "oscar"])
def test_only_who_sees_the_case_list_asks_for_jobs(client, request, cases, who):
    response = _request(client, request.getfixturevalue(who))
    assert response.status_code == 403
    assert not ExportJob.objects.exists()
