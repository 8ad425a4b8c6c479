"""Bulk exports of the case list and case microdata: command line and web."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.core import choices as c
from brik.exchange.tests.conftest import refer

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://example.org/x","Open")'


@pytest.fixture
def cases(dave, police):
    """Three identified Nigerian cases and two undecided Romanian ones."""
    return refer(dave, police, 3) + refer(
        dave, police, 2, identified=False, citizenships=["RO"], municipality=FORMULA
    )


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --- the command -------------------------------------------------------------------


def test_the_command_writes_every_case_without_identities(cases):
    out = StringIO()
    call_command("export_cases", stdout=out)

    rows = _csv(out.getvalue())
    assert sorted(r["case_code"] for r in rows) == sorted(case.code for case in cases)
    assert "given_names" not in rows[0]
    assert "Syntetisk" not in out.getvalue()
    assert sorted(r["citizenships"] for r in rows) == ["NG", "NG", "NG", "RO", "RO"]


def test_the_command_writes_identities_only_when_asked(cases, tmp_path):
    path = tmp_path / "cases.csv"
    call_command("export_cases", "--with-identity", "--output", str(path), stderr=StringIO())

    rows = _csv(path.read_text(encoding="utf-8"))
    assert {r["family_name"] for r in rows} == {"Syntetisk"}


def test_a_text_that_looks_like_a_formula_stays_text(cases):
    out = StringIO()
    call_command("export_cases", stdout=out)

    municipalities = {r["municipality"] for r in _csv(out.getvalue())}
    assert "'" + FORMULA in municipalities
    assert FORMULA not in municipalities


def test_the_command_writes_excel(cases, tmp_path):
    path = tmp_path / "cases.xlsx"
    call_command("export_cases", "--format", "xlsx", "--output", str(path), stderr=StringIO())

    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "case_code"
    assert len(rows) == 6
    formula_cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA]
    assert formula_cells
    assert all(cell.data_type == "s" for cell in formula_cells)


def test_excel_needs_an_output_file():
    with pytest.raises(CommandError, match="needs --output"):
        call_command("export_cases", "--format", "xlsx")


def test_every_command_export_is_audited(cases):
    call_command("export_cases", stdout=StringIO())

    entry = ActionLog.objects.get(action=AuditEvent.EXCHANGE_EXPORTED)
    assert entry.data == {"kind": "cases", "format": "csv", "filters": {}, "with_identity": False}


def test_rows_come_in_chunks_with_a_fixed_number_of_queries(cases, django_assert_num_queries):
    from brik.exchange import selectors

    rows = selectors.case_rows(cases=selectors.cases_for_export(), identity=[], chunk_size=2)
    # Per chunk of 2: the forms and the citizenships; 5 cases make 3 chunks, read by one query.
    with django_assert_num_queries(1 + 3 * 2):
        assert len(list(rows)) == 5


# --- the web -------------------------------------------------------------------------


def _download(client, user, file_format="csv", query=""):
    client.force_login(user)
    url = reverse("exchange:cases", args=[file_format]) + query
    response = client.get(url)
    return response


def test_an_analyst_downloads_the_case_list_without_identities(client, carol, cases):
    response = _download(client, carol)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(b"".join(response.streaming_content).decode())
    assert len(rows) == 5
    assert "given_names" not in rows[0]


def test_a_caseworker_downloads_identities_too(client, alice, cases):
    response = _download(client, alice)

    rows = _csv(b"".join(response.streaming_content).decode())
    assert {r["given_names"] for r in rows} == {"Testa0", "Testa1", "Testa2"}


def test_the_download_holds_the_filtered_list_and_the_filter_is_audited(client, carol, cases):
    response = _download(client, carol, query="?citizenship=RO&status=referred")

    rows = _csv(b"".join(response.streaming_content).decode())
    assert {r["citizenships"] for r in rows} == {"RO"}
    assert len(rows) == 2
    entry = ActionLog.objects.get(action=AuditEvent.EXCHANGE_EXPORTED)
    assert entry.actor == carol
    assert entry.data["filters"] == {"citizenship": "RO", "status": "referred"}


def test_the_excel_download(client, carol, cases):
    response = _download(client, carol, "xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 6


@pytest.mark.parametrize("who", ["dave", "erin", "oscar", "frank"])
def test_no_one_else_downloads_cases(client, request, cases, who):
    response = _download(client, request.getfixturevalue(who))

    assert response.status_code == 403
    assert not ActionLog.objects.filter(action=AuditEvent.EXCHANGE_EXPORTED).exists()


def test_an_unknown_format_is_not_found(client, carol):
    assert _download(client, carol, "pdf").status_code == 404


def test_the_case_list_links_to_the_download_with_its_filter(client, carol, cases):
    client.force_login(carol)
    response = client.get(reverse("cases:list") + "?citizenship=RO")

    page = response.content.decode()
    assert reverse("exchange:cases", args=["csv"]) + "?citizenship=RO" in page
    assert reverse("exchange:jobs") + "?citizenship=RO" in page  # background exports


def test_centre_staff_download_htcds_and_analysts_do_not(client, alice, carol, cases):
    client.force_login(alice)
    response = client.get(reverse("exchange:htcds", args=["json"]))
    assert response.status_code == 200
    assert b'"standard": "HTCDS"' in b"".join(response.streaming_content)

    client.force_login(carol)
    assert client.get(reverse("exchange:htcds", args=["json"])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("exchange:cases", args=["csv"]))
    assert response.status_code == 302
    assert c.Role  # the world of roles is the one of brik/conftest.py
