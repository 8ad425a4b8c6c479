"""The whole report: a fixed number of queries, consistent figures, every format."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from brik.statistics import exports
from brik.statistics.report import report_build
from brik.statistics.tables import PRIMARY
from brik.statistics.tests.conftest import build_random_history

# The selectors' queries (those of the contents' tables included), the historical
# figures, the foreword, and three for the years already published (frozen): the
# releases and the cells' count (the state, which the frozen cells are kept under),
# then the cells themselves when that state is new. Eurostat's presumed victims
# (one query for their three breakdowns) and the year's population (for the rates
# per 100,000) are two more; issue 10's further tables add six, one each: referrals
# by region, persons decided by first responder, citizenship by gender, type of
# sexual exploitation, means of control, countries of exploitation (the rate per
# first responder is worked out from two of them, without a query). The number of
# nationalities in the year and the year before is one more (the citizenship table
# merges the countries not listed, so it cannot be read from it), and the year
# before's number as published is one more (the release of that year, if any).
REPORT_QUERIES = 49


@pytest.fixture
def small_history(history):
    build_random_history(history, seed=7, persons=25)
    case = history.decide(decided_on=dt.date(2021, 2, 1))
    history.prepared_return(case, departed_on=dt.date(2021, 3, 1))
    return history


def test_the_report_runs_a_fixed_number_of_queries(
    small_history, counted_afresh, django_assert_max_num_queries
):
    with django_assert_max_num_queries(REPORT_QUERIES):
        report_build(year=2021, language="en")
    build_random_history(small_history, seed=8, persons=25)
    with django_assert_max_num_queries(REPORT_QUERIES):
        report_build(year=2021, language="en")


def test_the_public_report_hides_small_counts_and_the_internal_one_does_not(small_history):
    public = report_build(year=2021, language="en")
    internal = report_build(year=2021, language="en", internal=True)
    marked = [
        (t.slug, row.key)
        for t in public.all_tables()
        for row in t.all_rows()
        if any(m == PRIMARY for m in row.marks)
    ]
    assert marked, "a history of 25 persons has small cells"
    assert not any(
        row.marks and any(row.marks) for t in internal.all_tables() for row in t.all_rows()
    )
    assert "not for publication" in internal.disclosure_note
    for table in public.all_tables():
        for row in table.all_rows():
            for value, mark in zip(row.values, row.marks or [""] * len(row.values), strict=True):
                if row.protect and 1 <= value < public.threshold and table.total is not row:
                    assert mark, f"{table.slug}/{row.key}: {value} shown"


def test_every_format_renders(small_history, tmp_path):
    report = report_build(year=2021, language="da")
    html = exports.render_html(report)
    assert "<svg" in html
    assert "Årsrapport 2021" in html or "Annual report 2021" in html
    workbook = load_workbook(io.BytesIO(exports.render_xlsx(report)))
    assert len(workbook.sheetnames) == 1 + len(report.all_tables())
    archive = zipfile.ZipFile(io.BytesIO(exports.render_csv_zip(report)))
    assert "2021-gender.csv" in archive.namelist()
    pdf = exports.render_pdf(report)
    assert pdf.startswith(b"%PDF")


def test_the_command_writes_the_report(small_history, tmp_path):
    path = tmp_path / "r.xlsx"
    call_command("report", "2021", "--lang", "en", "--format", "xlsx", "--output", str(path))
    assert load_workbook(path).sheetnames[0] == "About"
    out = tmp_path / "gender.csv"
    call_command("report", "2021", "--format", "csv", "--table", "gender", "--output", str(out))
    assert out.read_text().splitlines()[0].startswith(",2020,2021")


def test_the_benchmarks_report_steps_are_report_builds(small_history):
    """scripts/benchmark.py times report_tables and protected_tables: the same
    counts and the same hidden cells as the report itself."""
    from brik.statistics import disclosure
    from brik.statistics.report import protected_tables, report_tables

    tables = report_tables(year=2021, language="en", frozen_cells={})
    shown, revised = protected_tables(tables, {}, threshold=disclosure.threshold())
    assert revised == {}
    report = {t.slug: t for t in report_build(year=2021, language="en").all_tables()}
    for table in shown:
        built = report[table.slug]
        for row in table.all_rows():
            # The report orders some tables by their published figures afterwards, and
            # works out shares and rates (rows not protected) from the shown counts.
            same = next(r for r in built.all_rows() if r.key == row.key)
            if row.protect:
                assert [bool(m) for m in row.marks] == [bool(m) for m in same.marks], (
                    table.slug,
                    row.key,
                )


def test_the_merged_rows_and_unknown_close_the_tables_of_countries(small_history):
    report = report_build(year=2021, language="da")
    for table in report.all_tables():
        if table.slug in ("citizenship", "returns"):
            keys = [r.key for r in table.rows]
            assert keys[-3:] == ["other_eu", "other_non_eu", "unknown"], table.slug


def test_the_merged_rows_keep_their_order_whatever_their_figures():
    from brik.statistics.report import order_rows
    from brik.statistics.tables import Column, Row, Table

    def row(key, *values):
        return Row(key=key, label=key, values=list(values))

    table = Table(
        slug="citizenship",
        title="",
        columns=[Column(key=2020, label="2020"), Column(key=2021, label="2021")],
        rows=[
            row("unknown", 9, 9),
            row("other_non_eu", 12, 10),
            row("NG", 1, 6),
            row("other_eu", 0, 7),
        ],
        total=None,
        note="",
        measure="identified",
        row_dim="country",
    )
    order_rows(table, 5)
    assert [r.key for r in table.rows] == ["NG", "other_eu", "other_non_eu", "unknown"]
