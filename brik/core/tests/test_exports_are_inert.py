"""No text in a CSV or Excel export runs as a formula, whichever export writes it."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from brik.core.exports import FORMULA_STARTS, csv_writer, xlsx_append, xlsx_workbook

PAYLOADS = [f'{start}HYPERLINK("https://example.org/x","Open")' for start in FORMULA_STARTS]
BRIK = Path(__file__).resolve().parents[2]


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def assert_inert_csv(text: str, payload: str) -> None:
    cells = [c for c in _csv_cells(text) if payload.lstrip("\t\r=+-@") in c]
    assert cells, "the payload is in the file"
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS), cell


def assert_inert_xlsx(content: bytes, payload: str) -> None:
    cells = [c for c in _xlsx_cells(content) if isinstance(c.value, str) and payload in c.value]
    assert cells, "the payload is in the workbook"
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix
        assert cell.value == payload  # shown exactly as written, as text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_csv_writer_neutralises_every_formula_start(payload):
    buffer = io.StringIO()
    csv_writer(buffer).writerow([payload, "plain", 12, -3])
    cells = _csv_cells(buffer.getvalue())
    assert cells[0] == "'" + payload
    assert cells[1:] == ["plain", "12", "-3"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_xlsx_writer_stores_every_formula_start_as_text(payload):
    workbook = xlsx_workbook()
    xlsx_append(workbook.active, [payload, "plain", 12, -3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    first, plain, number, negative = _xlsx_cells(buffer.getvalue())[:4]
    # XML stores a carriage return as a line feed; it is text either way.
    assert (first.value, first.data_type, first.quotePrefix) == (
        payload.replace("\r", "\n"),
        "s",
        True,
    )
    assert (plain.value, plain.quotePrefix) == ("plain", False)
    assert (number.value, number.data_type) == (12, "n")
    assert (negative.value, negative.data_type) == (-3, "n")


@pytest.fixture
def formula_titled_plan(alice, centre):
    from brik.cooperation import services as coop

    payload = '=HYPERLINK("https://example.org/x","Open")'
    plan = coop.action_plan_create(
        actor=alice, number=6, title="Plan", starts_year=2020, ends_year=2023
    )
    area = coop.focus_area_add(actor=alice, plan=plan, title=payload)
    coop.initiative_add(actor=alice, focus_area=area, title="Initiative", responsible=centre)
    return payload


@pytest.mark.parametrize("internal", [True, False], ids=["internal", "public"])
def test_every_statistics_export_keeps_a_formula_title_inert(formula_titled_plan, internal):
    from brik.statistics import exports
    from brik.statistics.report import report_build

    payload = formula_titled_plan
    report = report_build(year=2021, language="en", internal=internal)
    checked = set()
    for fmt in exports.FORMATS:
        content, _type, _name = exports.render(report, fmt) if fmt != "pdf" else (b"", "", "")
        if fmt == "xlsx":
            assert_inert_xlsx(content, payload)
            checked.add(fmt)
        elif fmt == "csv":
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                text = archive.read("2021-action_plan.csv").decode()
            assert_inert_csv(text, payload)
            checked.add(fmt)
    assert checked == {"xlsx", "csv"}
    table = next(t for t in report.all_tables() if t.slug == "action_plan")
    assert_inert_csv(exports.table_csv(table, report.threshold), payload)


def test_no_module_writes_csv_or_excel_but_the_shared_one():
    """Closing the class: a new export cannot bypass brik.core.exports."""
    own = BRIK / "core" / "exports.py"
    pattern = re.compile(r"csv\.(writer|DictWriter)\(|from csv import|Workbook\(|xlsxwriter")
    offenders = []
    for path in BRIK.rglob("*.py"):
        if path == own or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if pattern.search(text):
            offenders.append(str(path.relative_to(BRIK)))
    assert offenders == []
