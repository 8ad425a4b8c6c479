"""The fast paths of the bulk CSV export write exactly what the careful path wrote."""

import csv
import io
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from brik.accounts.models import Organisation, OrganisationType
from brik.core.exports import FORMULA_STARTS, bulk_csv_writer, csv_cell, csv_writer
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
    count = writers.write_cases_csv(fast, writers.case_csv_pieces(everything, identity), columns)

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
    pieces = selectors.case_csv_chunks(cases=selectors.cases_for_export(), chunk_size=2)
    with django_assert_num_queries(1 + 3 * 2):
        assert [rows for rows, _text in pieces] == [2, 2, 1]


def test_the_streamed_web_csv_equals_the_file(cases):
    columns = selectors.case_columns([])
    everything = selectors.cases_for_export()
    streamed = "".join(writers.case_csv_lines(writers.case_csv_pieces(everything, []), columns))
    file = io.StringIO()
    writers.write_cases_csv(file, writers.case_csv_pieces(everything, []), columns)
    assert streamed == file.getvalue()


# Texts a person can type into the fields the export writes as they are (a municipality,
# an organisation's or a police district's name, a username).
AWKWARD = [
    *(f'{start}cmd|" /C calc"!A0' for start in FORMULA_STARTS),
    "%APPDATA%",
    "|pipe",
    "-3",
    "-1,5",
    "-",
    "-x",
    'say "hi"',
    "comma, here",
    "two\nlines",
    "cr\rhere",
    "unit\x1fseparator",
    "\x1f=after",
    " leading space",
    "Ærø Kommune",
    "",
]


@pytest.mark.parametrize("text", AWKWARD, ids=range(len(AWKWARD)))
def test_the_database_writes_every_awkward_text_as_the_careful_writer_does(
    text, dave, police, alice
):
    district = Organisation.objects.create(name=text or "x", type=OrganisationType.POLICE)
    Organisation.objects.filter(pk=police.pk).update(name=(text or "y") + " org")
    type(alice).objects.filter(pk=alice.pk).update(username=text or "x")
    made = refer(dave, police, 2, municipality=text)
    from brik.cases.models import Case, Referral

    Referral.objects.filter(case__in=made).update(police_district=district)
    Case.objects.filter(pk__in=[c.pk for c in made]).update(assigned_to=alice)
    columns = selectors.case_columns([])
    everything = selectors.cases_for_export()

    fast = io.StringIO()
    pieces = selectors.case_csv_chunks(cases=everything, chunk_size=1)
    writers.write_cases_csv(fast, pieces, columns)

    careful = _careful_csv(selectors.case_rows(cases=everything, identity=[]), columns)
    assert fast.getvalue() == careful
    rows = list(csv.DictReader(io.StringIO(fast.getvalue())))
    assert len(rows) == 2
    district_cell = rows[0]["police_district"]
    assert district_cell == _read_back(text or "x")
    assert not district_cell.startswith(("=", "+", "@", "|", "%", "\t", "\r"))
    assert not district_cell.startswith("-") or district_cell[1:].replace(",", "").isdigit()


def _read_back(text: str) -> str:
    """What a CSV reader reads back of the cell the writers write for `text`."""
    return next(csv.reader(io.StringIO(csv_cell(text))), [""])[0]


def test_a_text_cell_is_written_as_the_writers_write_it():
    for text in AWKWARD:
        careful = io.StringIO()
        csv_writer(careful).writerow(["a", text, "b"])
        assert "a," + csv_cell(text) + ",b\r\n" == careful.getvalue(), text


def _part(lines: list[str]):
    def part():
        for line in lines:
            yield 1, line + "\r\n"

    return part


def test_the_parts_of_a_file_are_written_at_once_and_joined_in_order(tmp_path):
    path = tmp_path / "out.csv"
    parts = [_part([f"{p},{i}" for i in range(1000)]) for p in range(3)]

    assert writers.write_csv_parts(path, ["part", "line"], parts) == 3000

    lines = path.read_bytes().decode().split("\r\n")
    assert lines[0] == "part,line"
    assert lines[1:-1] == [f"{p},{i}" for p in range(3) for i in range(1000)]
    assert sorted(os.listdir(tmp_path)) == ["out.csv"]  # no part file left behind


def _failing():
    yield 1, "fine\r\n"
    raise ValueError("the disk is full")


def test_a_failing_part_fails_the_file_and_leaves_nothing(tmp_path):
    path = tmp_path / "out.csv"

    with pytest.raises(RuntimeError, match="the disk is full"):
        writers.write_csv_parts(path, ["a"], [_part(["x"]), _failing, _part(["y"])])

    assert os.listdir(tmp_path) == []


def test_the_command_refuses_no_workers():
    with pytest.raises(CommandError, match="--workers"):
        call_command("export_cases", "--workers", "0", "--output", "x.csv")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_identity", [False, True])
def test_a_file_written_by_several_processes_equals_one_written_by_one(
    with_identity, dave, police, tmp_path
):
    if not selectors.export_in_parts_possible():
        pytest.skip("an in-memory SQLite database cannot be read by other processes")
    refer(dave, police, 7)
    refer(dave, police, 4, identified=False, municipality='=1+1, say "hi"')
    flags = ["--with-identity"] if with_identity else []
    written = {}
    for workers in ("1", "3"):
        path = tmp_path / f"{workers}.csv"
        call_command(
            "export_cases", "--output", str(path), "--workers", workers, *flags, stderr=StringIO()
        )
        written[workers] = path.read_bytes()
    assert written["1"] == written["3"]
    assert written["1"].count(b"\r\n") == 12
    connection.close()  # the parts' processes closed the test's connection: a new one


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
