"""The year of a date in SQL: the same years as Django's ExtractYear, without a Python
call per row on SQLite, at the boundaries (31 December / 1 January, leap days)."""

import datetime as dt

from django.db import connection
from django.db.models.functions import ExtractYear
from django.test.utils import CaptureQueriesContext

from brik.accounts.models import User
from brik.cases.models import Case
from brik.statistics import selectors
from brik.statistics.expressions import Year

BOUNDARIES = [
    dt.date(2023, 12, 31),
    dt.date(2024, 1, 1),
    dt.date(2024, 2, 29),
    dt.date(2024, 12, 31),
    dt.date(2025, 1, 1),
]


def test_the_year_of_a_date_is_django_s_and_python_s(history):
    for day in BOUNDARIES:
        history.decide(decided_on=day)
    rows = Case.objects.annotate(native=Year("decided_on"), django=ExtractYear("decided_on"))
    seen = sorted((row.decided_on, row.native, row.django) for row in rows)
    assert seen == [(day, day.year, day.year) for day in BOUNDARIES]


def test_the_age_at_the_decision_counts_whole_calendar_years(history):
    # Born in 2006: 17 on 31 December 2023, 18 from 1 January 2024 (the age band rule).
    history.decide(decided_on=dt.date(2023, 12, 31), birth_year=2006)
    history.decide(decided_on=dt.date(2024, 1, 1), birth_year=2006)
    history.decide(decided_on=dt.date(2024, 2, 29), birth_year=2015)
    table = selectors.identified_by_age_band(years=[2023, 2024])
    cells = {
        (column.key, row.key): row.values[i]
        for row in table.rows
        for i, column in enumerate(table.columns)
        if row.values[i]
    }
    assert cells == {(2023, "9-17"): 1, (2024, "18-20"): 1, (2024, "9-17"): 1}


def test_the_report_s_queries_call_no_python_function_per_row(history):
    history.decide(decided_on=dt.date(2024, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        selectors.identified_by_age_band(years=[2023, 2024])
        selectors.identified_series_until(year=2024)
        selectors.returns_series_until(year=2024)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "django_date_extract" not in sql
    if connection.vendor == "sqlite":
        assert "strftime" in sql


def test_a_datetime_s_year_is_taken_in_the_time_zone(db, settings):
    # 23:30 UTC on 31 December is already the new year in Copenhagen.
    settings.TIME_ZONE = "Europe/Copenhagen"
    utc = dt.UTC
    User.objects.create(username="eve", date_joined=dt.datetime(2023, 12, 31, 23, 30, tzinfo=utc))
    User.objects.create(
        username="mallory", date_joined=dt.datetime(2023, 12, 31, 22, 0, tzinfo=utc)
    )
    rows = User.objects.filter(username__in=["eve", "mallory"]).annotate(
        native=Year("date_joined"), django=ExtractYear("date_joined")
    )
    assert {(u.username, u.native, u.django) for u in rows} == {
        ("eve", 2024, 2024),
        ("mallory", 2023, 2023),
    }
