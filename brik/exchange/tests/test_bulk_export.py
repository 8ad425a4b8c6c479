"""The fast path of the bulk CSV export writes exactly what the careful path wrote."""

import csv
import io

import pytest

from brik.core.exports import FORMULA_STARTS, bulk_csv_writer, csv_writer
from brik.exchange import selectors, writers
from brik.exchange.tests.conftest import refer

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://example.org/x","Open")'


@pytest.fixture
def cases(dave, police):
    return refer(dave, police, 3) + refer(
        dave, police, 2, identified=False, citizenships=["RO", "BG"], municipality=FORMULA
    )


def _careful_csv(rows, columns) -> str:
    """The export as it was written before the fast path: defusedcsv, row by row."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([writers._csv_value(row[c]) for c in columns])
    return out.getvalue()


@pytest.mark.parametrize("with_identity", [False, True])
def test_the_fast_export_equals_the_careful_one(cases, with_identity):
    identity = selectors.identity_columns(None) if with_identity else []
    columns = selectors.case_columns(identity)
    everything = selectors.cases_for_export()

    fast = io.StringIO()
    count = writers.write_cases_csv(
        fast, selectors.case_cells(cases=everything, identity=identity, chunk_size=2), columns
    )

    assert count == 5
    careful = _careful_csv(selectors.case_rows(cases=everything, identity=identity), columns)
    assert fast.getvalue() == careful
    municipalities = {r["municipality"] for r in csv.DictReader(io.StringIO(fast.getvalue()))}
    assert "'" + FORMULA in municipalities
    assert ("Syntetisk" in fast.getvalue()) is with_identity


def test_the_fast_rows_need_a_fixed_number_of_queries(cases, django_assert_num_queries):
    cells = selectors.case_cells(cases=selectors.cases_for_export(), identity=[], chunk_size=2)
    # One query streams the cases; per chunk of 2 (3 chunks): the forms and the citizenships.
    with django_assert_num_queries(1 + 3 * 2):
        assert len(list(cells)) == 5


def test_the_streamed_web_csv_equals_the_file(cases):
    columns = selectors.case_columns([])
    everything = selectors.cases_for_export()
    cells = selectors.case_cells(cases=everything, identity=[])
    streamed = "".join(writers.case_csv_lines(cells, columns))
    file = io.StringIO()
    writers.write_cases_csv(file, selectors.case_cells(cases=everything, identity=[]), columns)
    assert streamed == file.getvalue()


CELLS = [
    *(f'{start}cmd|" /C calc"!A0' for start in FORMULA_STARTS),
    "%APPDATA%",
    "|pipe",
    "-3",
    "-1,5",
    "plain",
    "",
    None,
    12,
    -3,
    4.5,
    "=",
]


def test_the_bulk_writer_writes_what_the_defused_writer_writes():
    careful, fast = io.StringIO(), io.StringIO()
    csv_writer(careful).writerow(CELLS)
    bulk_csv_writer(fast).writerows([list(CELLS)])

    assert fast.getvalue() == careful.getvalue()
    for cell in fast.getvalue().split(","):
        assert not cell.lstrip('"').startswith(FORMULA_STARTS) or cell.lstrip('"')[1:2].isdigit()
