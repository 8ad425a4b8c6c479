"""Downloads for staff: the case list as CSV or Excel, the case microdata as HTCDS.

The case list export takes the case list's own filter form and selector, so
it holds exactly the cases the list shows, all of them (no page, no cap).
CSV streams as it is read; an Excel workbook is written to a temporary file
first (its format needs the whole file), then sent. Identity columns are in
it only for a person who may read them. Every download is audited with its
filter. An export of more cases than BRIK_EXPORT_JOB_THRESHOLD is offered as
a background job instead (brik.exchange.jobs): the job's page shows its
progress and, when it is ready, a download link for the requester only.

The synthetic public-use dataset (brik.exchange.synthetic) is made and
published by those who publish the annual report, through the same
confirmation (statistics' PublishForm: the digest shown, a one-time token).
"""

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brik.accounts.permissions import Ability, permission_required
from brik.cases import forms as case_forms
from brik.cases import selectors as case_selectors
from brik.core.services import AlreadySubmitted
from brik.core.views import apply_service_error, submit_once
from brik.exchange import htcds, jobs, selectors, services, synthetic, writers
from brik.exchange.forms import ExportJobForm, PublishForm, SyntheticReleaseForm
from brik.exchange.models import DataExport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request) -> dict:
    staff, referrers = case_selectors.case_list_choices()
    form = case_forms.CaseFilterForm(request.GET or None, staff=staff, referrers=referrers)
    if form.is_bound and form.is_valid():
        return form.filters()
    return {}


def _name(stem: str, extension: str) -> str:
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


@permission_required(Ability.CASE_LIST)
@require_GET
def cases_export(request, file_format: str):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    user = request.user
    filters = _filters(request)
    cases = selectors.cases_for_export(user=user, filters=filters)
    total = cases.count()
    if total > jobs.threshold():
        # Too large for one request: offered as a background job (nothing exported yet).
        return render(
            request,
            "exchange/export_offer.html",
            {
                "total": total,
                "form": ExportJobForm(initial={"file_format": file_format}),
                "query": request.GET.urlencode(),
            },
        )
    identity = selectors.identity_columns(user)
    columns = selectors.case_columns(identity)
    services.export_record(
        actor=user,
        kind=DataExport.Kind.CASES,
        file_format=file_format,
        filters=filters,
        with_identity=bool(identity),
    )
    if file_format == "csv":
        pieces = writers.case_csv_pieces(cases, identity)
        response = StreamingHttpResponse(
            writers.case_csv_lines(pieces, columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{_name("cases", "csv")}"'
        return response
    rows = selectors.case_rows(cases=cases, identity=identity)
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    writers.write_cases_xlsx(file, rows, columns)
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=_name("cases", "xlsx"), content_type=XLSX
    )


@permission_required(Ability.CASE_VIEW)
@require_GET
def htcds_export(request, file_format: str):
    """The centre's microdata in HTCDS v2, for its exchange partners (centre staff only)."""
    if file_format not in ("json", "csv"):
        raise Http404
    services.export_record(
        actor=request.user, kind=DataExport.Kind.HTCDS, file_format=file_format, with_identity=False
    )
    rows = selectors.case_rows(cases=selectors.cases_for_export(user=request.user), identity=[])
    records = (htcds.record(row) for row in rows)
    write = writers.write_htcds_json if file_format == "json" else writers.write_htcds_csv
    file = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 (FileResponse closes it)
    text = _TextSink(file)
    write(text, records)
    file.seek(0)
    content_type = "application/json" if file_format == "json" else "text/csv; charset=utf-8"
    return FileResponse(
        file, as_attachment=True, filename=_name("htcds", file_format), content_type=content_type
    )


class _TextSink:
    """Text written as UTF-8 into a binary file."""

    def __init__(self, file):
        self._file = file

    def write(self, text: str) -> None:
        self._file.write(text.encode("utf-8"))


# --- background exports ---------------------------------------------------------------------


@permission_required(Ability.CASE_LIST)
@require_http_methods(["GET", "POST"])
def export_jobs(request):
    """The person's own background exports, and (POST) a new one of the filtered case list."""
    form = ExportJobForm(request.POST or None)
    if request.method == "POST":
        filters = _filters(request)  # the filter travels in the form's address
        done = submit_once(
            request,
            form,
            lambda data: jobs.export_job_request(
                actor=request.user, file_format=data["file_format"], filters=filters
            ),
            success=_("The export is queued. This page shows when it is ready."),
            next_url=lambda job: reverse("exchange:job", args=[job.pk]),
        )
        if done:
            return done
    return render(
        request,
        "exchange/jobs.html",
        {
            "jobs": selectors.export_jobs_of(request.user)[:50],
            "form": form,
            "query": request.GET.urlencode(),
        },
        status=422 if form.is_bound else 200,
    )


@permission_required(Ability.CASE_LIST)
@require_GET
def export_job(request, pk: int):
    """A job's progress (HTMX polls the fragment every 2 s; without JS the page reloads)."""
    job = get_object_or_404(selectors.export_jobs_of(request.user), pk=pk)
    template = "exchange/_job.html" if request.htmx else "exchange/job.html"
    return render(request, template, {"job": job, "now": timezone.now()})


@permission_required(Ability.CASE_LIST)
@require_GET
def export_job_download(request, pk: int):
    """The job's file, for its requester only, until it expires; audited."""
    job = get_object_or_404(selectors.export_jobs_of(request.user), pk=pk)
    try:
        chunks = jobs.job_download(actor=request.user, job=job)
    except ValidationError as error:
        return render(
            request, "exchange/job.html", {"job": job, "errors": error.messages}, status=410
        )
    extension = job.export.file_format
    response = StreamingHttpResponse(
        chunks, content_type=XLSX if extension == "xlsx" else "text/csv; charset=utf-8"
    )
    name = f"cases-{job.requested_at:%Y-%m-%d}-{job.pk}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- the synthetic public-use dataset -----------------------------------------------------


@permission_required(Ability.STATISTICS_PUBLISH)
@require_http_methods(["GET", "POST"])
def synthetic_releases(request):
    """The synthetic releases, and (POST) a new one: made and stored, not yet published."""
    form = SyntheticReleaseForm(request.POST or None)
    if request.method == "POST":
        done = submit_once(
            request,
            form,
            lambda data: synthetic.synthetic_release_make(
                actor=request.user,
                years=data["years"],
                epsilon=data["epsilon"],
                delta=data["delta"],
            ),
            success=_("The synthetic dataset is made. Check it, then publish it."),
            next_url=lambda release: reverse("exchange:synthetic_publish", args=[release.pk]),
        )
        if done:
            return done
    return render(
        request,
        "exchange/synthetic.html",
        {"releases": selectors.synthetic_releases()[:50], "form": form},
        status=422 if form.is_bound else 200,
    )


@permission_required(Ability.STATISTICS_PUBLISH)
@require_http_methods(["GET", "POST"])
def synthetic_publish(request, pk: int):
    """The confirmation page of a synthetic release (GET), and its publication (POST)."""
    release = get_object_or_404(selectors.synthetic_releases(), pk=pk)
    form = PublishForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                synthetic.synthetic_release_publish(
                    actor=request.user,
                    release=release,
                    confirmation=form.cleaned_data["confirmation"],
                    form_token=form.cleaned_data["form_token"],
                )
            except AlreadySubmitted:
                messages.info(
                    request, _("This publication had already been sent; it was made once.")
                )
                return redirect("exchange:synthetic")
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The synthetic dataset is published."))
                return redirect("exchange:synthetic")
        status = 422
    return render(
        request,
        "exchange/synthetic_publish.html",
        {
            "release": release,
            "errors": list(form.non_field_errors()) if form.is_bound else [],
            "form": PublishForm(initial={"confirmation": release.digest})
            if release.published_at is None
            else None,
        },
        status=status,
    )


SYNTHETIC_FILES = {
    "data.csv": "text/csv; charset=utf-8",
    "utility.json": "application/json",
    "utility.md": "text/markdown; charset=utf-8",
}


@require_GET
def synthetic_file(request, pk: int, name: str):
    """A file of a release: public once published; before, only for those who publish."""
    if name not in SYNTHETIC_FILES:
        raise Http404
    release = get_object_or_404(selectors.synthetic_releases(), pk=pk)
    if release.published_at is None:
        return _unpublished_file(request, release, name)
    return _synthetic_file_response(release, name)


@permission_required(Ability.STATISTICS_PUBLISH)
def _unpublished_file(request, release, name: str):
    return _synthetic_file_response(release, name)


def _synthetic_file_response(release, name: str) -> HttpResponse:
    content = selectors.synthetic_file(release, name)
    response = HttpResponse(content, content_type=SYNTHETIC_FILES[name])
    stem = "brik-synthetic-" + "-".join(str(y) for y in release.years)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name}"'
    return response
