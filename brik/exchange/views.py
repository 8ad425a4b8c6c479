"""Downloads for staff: the case list as CSV or Excel, the case microdata as HTCDS.

The case list export takes the case list's own filter form and selector, so
it holds exactly the cases the list shows, all of them (no page, no cap).
CSV streams as it is read; an Excel workbook is written to a temporary file
first (its format needs the whole file), then sent. Identity columns are in
it only for a person who may read them. Every download is audited with its
filter. Huge exports run in the request: there is no background job yet.
"""

import tempfile

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from brik.accounts.permissions import Ability, permission_required
from brik.cases import forms as case_forms
from brik.cases import selectors as case_selectors
from brik.exchange import htcds, selectors, services, writers
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
    identity = selectors.identity_columns(user)
    columns = selectors.case_columns(identity)
    services.export_record(
        actor=user,
        kind=DataExport.Kind.CASES,
        file_format=file_format,
        filters=filters,
        with_identity=bool(identity),
    )
    rows = selectors.case_rows(
        cases=selectors.cases_for_export(user=user, filters=filters), identity=identity
    )
    if file_format == "csv":
        response = StreamingHttpResponse(
            writers.case_csv_lines(rows, columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{_name("cases", "csv")}"'
        return response
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
