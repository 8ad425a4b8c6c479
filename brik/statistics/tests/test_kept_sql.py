"""The report's queries run from SQL compiled once (brik.statistics.selectors.kept): the
same rows as their querysets for every year and setting, the same queries and figures
on a second build, and never one query's SQL for another's inputs."""

import datetime as dt
from itertools import combinations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brik.cases.models import Case
from brik.statistics import frozen
from brik.statistics.report import report_build, report_tables
from brik.statistics.selectors import kept as kept_module
from brik.statistics.selectors.counting import (
    citizenship_row_expression,
    identified_cases,
    listed_citizenships,
    person_count,
)
from brik.statistics.tests.conftest import build_random_history


@pytest.fixture
def small_history(history):
    build_random_history(history, seed=7, persons=25)
    case = history.decide(decided_on=dt.date(2021, 2, 1), citizenships=("TH", "RO"))
    history.prepared_return(case, departed_on=dt.date(2021, 3, 1))
    return history


@pytest.fixture
def empty_store():
    kept_module._KEPT.clear()
    yield kept_module._KEPT
    kept_module._KEPT.clear()


def by_citizenship(years):
    """As identified_by_citizenship's query: it reads the years and a setting."""
    listed = listed_citizenships()
    return kept_module.kept(
        Case,
        ("test_by_citizenship", tuple(years), listed),
        lambda: (
            identified_cases(years)
            .values("year", row=citizenship_row_expression("person__citizenships__country", listed))
            .annotate(n=person_count())
            .order_by("year", "row")
        ),
    )


def orm_by_citizenship(years):
    listed = listed_citizenships()
    return list(
        identified_cases(years)
        .values("year", row=citizenship_row_expression("person__citizenships__country", listed))
        .annotate(n=person_count())
        .order_by("year", "row")
    )


def types(rows):
    return [tuple(map(type, row)) if isinstance(row, tuple) else type(row) for row in rows]


def test_a_kept_query_gives_the_querysets_rows_for_each_year_and_setting(
    small_history, empty_store, settings
):
    """Twice each (compiled, then from the kept SQL), for two pairs of years, and again
    after the listed citizenships change: the kept SQL is forgotten, not reused."""
    settings.BRIK_REPORT_CITIZENSHIPS = ("NG",)
    seen = []
    for years in ([2018, 2019], [2021, 2022], [2018, 2019], [2021, 2022]):
        rows = by_citizenship(years)
        assert rows == orm_by_citizenship(years)
        assert rows, "the history has identified persons in these years"
        assert {row["year"] for row in rows} <= set(years)
        seen.append(rows)
    assert seen[0] != seen[1]
    assert len(empty_store) == 1 + 1
    assert any(row["row"] == "NG" for row in seen[1])
    assert not any(row["row"] == "TH" for row in seen[1])

    settings.BRIK_REPORT_CITIZENSHIPS = ("TH",)
    assert not empty_store, "a changed setting forgets every kept SQL"
    rows = by_citizenship([2021, 2022])
    assert rows == orm_by_citizenship([2021, 2022])
    assert any(row["row"] == "TH" for row in rows)
    assert not any(row["row"] == "NG" for row in rows)


def test_kept_rows_are_the_orms_values_of_the_same_types(small_history, empty_store):
    """Dates, booleans and JSON lists converted as the ORM converts them (on SQLite the
    backend's converters, bound to this thread's connection), tuples, dicts and flat values."""
    makes = {
        "tuples": lambda: Case.objects.order_by("pk").values_list(
            "pk", "referred_on", "decided_on", "urgent", "assessment__means_of_control"
        ),
        "dicts": lambda: Case.objects.order_by("pk").values("pk", "decided_on", "urgent"),
        "flat": lambda: Case.objects.order_by("pk").values_list("decided_on", flat=True),
    }
    for name, make in makes.items():
        for _twice in range(2):
            rows = kept_module.kept(Case, (name,), make)
            assert rows == list(make())
            assert types(rows) == types(list(make()))
    assert len(empty_store) == 3


def table_dump(tables):
    return [
        (t.slug, [(r.key, r.label, list(r.values), list(r.marks or [])) for r in t.all_rows()])
        for t in tables
    ]


def report_dump(report):
    return (
        table_dump(report.all_tables()),
        [(k.slug, k.value, k.previous) for k in report.key_figures],
    )


def test_a_second_build_runs_the_same_queries_with_the_same_figures(
    small_history, empty_store, monkeypatch, counted_afresh
):
    """The first build compiles each query, the second runs the kept SQL: the same
    statements (counted and logged as any query), the same figures; and the same figures
    as the ORM gives with nothing kept."""
    builds = []
    for _twice in range(2):
        frozen._FROZEN.clear()
        with CaptureQueriesContext(connection) as queries:
            report = report_build(year=2021, language="en")
        builds.append(([q["sql"] for q in queries.captured_queries], report_dump(report)))
    (first_sql, first), (second_sql, second) = builds
    assert empty_store, "the report's queries were kept"
    assert len(second_sql) == len(first_sql)
    assert second_sql == first_sql
    assert second == first

    empty_store.clear()
    monkeypatch.setattr(kept_module, "compile_kept", lambda queryset, alias: None)
    frozen._FROZEN.clear()
    assert report_dump(report_build(year=2021, language="en")) == first
    assert not empty_store


def test_two_years_or_arguments_never_share_a_kept_sql(small_history, empty_store, settings):
    """Every year's report (and after a setting changes) with every kept SQL checked
    against a fresh compile (VERIFY, as in the whole statistics suite), the figures as
    the ORM's; and a selector's queries for two years are two kept SQLs."""
    assert kept_module.VERIFY, "the statistics tests verify every kept SQL (conftest)"
    for year in (2019, 2021, 2022):
        for language in ("en", "da"):
            report_tables(year=year, language=language)
    names = {key[0][0] for key in empty_store}
    assert len(names) >= 30
    for (key_a, query_a), (key_b, query_b) in combinations(empty_store.items(), 2):
        if key_a[0][0] == key_b[0][0] and key_a[0][1] != key_b[0][1]:
            assert (query_a.sql, query_a.params) != (query_b.sql, query_b.params), (key_a, key_b)
    kept_tables = table_dump(report_tables(year=2021, language="en"))

    settings.BRIK_REPORT_CITIZENSHIPS = ("TH", "RO")
    assert not empty_store
    changed = table_dump(report_tables(year=2021, language="en"))
    assert changed != kept_tables
    citizenship = dict(changed)["citizenship"]
    assert {"TH", "RO"} <= {key for key, *_rest in citizenship}


def test_a_key_that_misses_an_input_is_caught(small_history, empty_store, monkeypatch):
    """Two queries under one key: unchecked, the second would get the first's rows (why
    the key must hold every input); checked (VERIFY), it is an error."""

    def identified_in(year):
        return lambda: identified_cases([year]).values("year").annotate(n=person_count())

    assert kept_module.kept(Case, ("test",), identified_in(2021)) == list(identified_in(2021)())
    monkeypatch.setattr(kept_module, "VERIFY", False)
    wrong = kept_module.kept(Case, ("test",), identified_in(2022))
    assert wrong != list(identified_in(2022)())
    assert {row["year"] for row in wrong} == {2021}
    monkeypatch.setattr(kept_module, "VERIFY", True)
    with pytest.raises(AssertionError, match="misses an input"):
        kept_module.kept(Case, ("test",), identified_in(2022))
