"""The report's counts the database works out itself (issue 13: the report at 100,000
persons and more): the codes of a list per person (JSON unnested in SQL), the latest
case of a person's year (a window in SQL), the days from referral to decision and the
ages (counted per value, not per row), and one query shared by the tables read from it.

Each by hand, on the cases that the random histories of the other tests do not make:
codes no choice lists any longer, a person with two cases in a year, dates across a
leap day and a new year. The suite runs on SQLite and PostgreSQL, whose SQL differs here.
"""

import datetime as dt
import statistics

from django.db import connection
from django.test.utils import CaptureQueriesContext

from brik.cases import services as case_services
from brik.cases.models import Assessment
from brik.core import choices
from brik.statistics import selectors
from brik.statistics.selectors.counting import ADULT, CHILD
from brik.statistics.selectors.kept import one_build
from brik.statistics.tables import NOT_SHOWN

UNKNOWN = selectors.UNKNOWN
YEARS = [2020, 2021]
DAY = dt.date(2021, 3, 1)


def _lists(case, *, means=None, countries=None) -> None:
    """Store lists as they may be in the database (codes of older versions included),
    past the services' validation."""
    changes = {}
    if means is not None:
        changes["means_of_control"] = means
    if countries is not None:
        changes["countries_of_exploitation"] = countries
    Assessment.objects.filter(case=case).update(**changes)


def test_a_list_counts_each_listed_code_once_per_person(history):
    both = history.decide(decided_on=DAY)
    _lists(both, means=["debt_bondage", "retired_code"], countries=["DE", "FR"])
    retired_only = history.decide(decided_on=DAY)
    _lists(retired_only, means=["retired_code"], countries=["NG"])
    empty = history.decide(decided_on=DAY)
    _lists(empty, means=[], countries=[])
    # The same person decided twice in the year, the same codes each time.
    again = history.decide(decided_on=DAY)
    _lists(again, means=["debt_bondage"], countries=["NG", "DK"])
    later = history.decide(decided_on=DAY + dt.timedelta(days=40), person=again.person)
    _lists(later, means=["debt_bondage", "excessive_hours"], countries=["NG"])

    means = selectors.identified_by_means_of_control(years=YEARS)
    assert means.value("debt_bondage", 2021) == 2  # a code not listed any more counts nowhere
    assert means.value("excessive_hours", 2021) == 1
    assert means.value(UNKNOWN, 2021) == 2  # only a retired code, or none
    assert means.value("total", 2021) == 4
    assert sum(means.value(key, 2020) for key in [r.key for r in means.rows]) == 0

    countries = selectors.identified_by_country_of_exploitation(years=YEARS, countries=["NG"])
    assert countries.value("other", 2021) == 1  # Germany and France: one person
    assert countries.value("NG", 2021) == 2
    assert countries.value("DK", 2021) == 1
    assert countries.value(UNKNOWN, 2021) == 1


def test_a_person_with_two_cases_in_a_year_counts_under_the_later(history, alice):
    first = history.decide(decided_on=DAY)
    # The second case closes the first (reason "other") on the day it is referred.
    second = history.decide(decided_on=DAY + dt.timedelta(days=30), person=first.person)
    case_services.case_close(
        actor=alice,
        case=second,
        closed_on=DAY + dt.timedelta(days=60),
        reason=choices.ClosingReason.DISAPPEARED,
    )
    # Another person's two cases closed on one day: the later case (by its number) counts.
    third = history.decide(decided_on=DAY)
    fourth = history.decide(decided_on=DAY, person=third.person, referred_days_before=0)
    case_services.case_close(
        actor=alice, case=fourth, closed_on=DAY, reason=choices.ClosingReason.TRANSFERRED
    )
    third.refresh_from_db()
    assert third.closed_on == DAY
    assert third.closing_reason == choices.ClosingReason.OTHER

    closed = selectors.closing_reasons(years=YEARS)
    assert closed.value("disappeared", 2021) == 1
    assert closed.value("transferred", 2021) == 1
    assert closed.value("other", 2021) == 0
    assert closed.value("total", 2021) == 2


def test_days_to_decision_across_a_leap_day_and_a_new_year(history):
    decided = [
        (dt.date(2020, 2, 27), 3),  # over 29 February 2020
        (dt.date(2020, 3, 2), 30),
        (dt.date(2020, 1, 2), 10),  # referred in 2019
        (dt.date(2020, 12, 31), 0),
        (dt.date(2020, 6, 1), 7),
    ]
    cases = [history.decide(decided_on=day, referred_days_before=days) for day, days in decided]
    days = sorted((c.decided_on - c.referred_on).days for c in cases)
    assert days == sorted(d for _day, d in decided)
    table = selectors.days_to_decision(years=[2019, 2020], threshold=3)
    q1, q2, q3 = statistics.quantiles(days, n=4, method="inclusive")
    assert [row.values[1] for row in table.rows] == [int(q + 0.5) for q in (q1, q2, q3)]
    assert [row.marks[0] for row in table.rows] == [NOT_SHOWN] * 3


def test_the_ages_count_a_person_decided_twice_in_a_year_once(history):
    first = history.decide(decided_on=DAY, birth_year=2001)
    history.decide(decided_on=DAY + dt.timedelta(days=40), person=first.person)
    for birth_year in (1980, 1990, 1995):
        history.decide(decided_on=DAY, birth_year=birth_year)
    summary = selectors.identified_age_summary(years=YEARS, threshold=3)
    ages = [20, 41, 31, 26]  # 2021 less the years of birth; the person decided twice once
    assert summary.row("median").values[1] == (26 + 31 + 1) // 2
    assert summary.row("youngest").values[1] == min(ages)
    assert summary.row("oldest").values[1] == max(ages)


def test_tables_from_one_query_share_it_within_a_build(history, settings):
    # The queries counted are the counting queries themselves (not the kept counts').
    settings.BRIK_STATISTICS_KEPT_COUNTS = False
    history.decide(decided_on=DAY, birth_year=2010)
    history.decide(decided_on=DAY, birth_year=1990)
    with CaptureQueriesContext(connection) as apart:
        bands = selectors.identified_by_age_band(years=YEARS)
        children = selectors.identified_by_majority(years=YEARS)
    with one_build(), CaptureQueriesContext(connection) as together:
        assert selectors.identified_by_age_band(years=YEARS).rows == bands.rows
        assert selectors.identified_by_majority(years=YEARS).rows == children.rows
        # Another argument is another query.
        selectors.identified_by_age_band(years=[2021, 2022])
    assert len(apart) == 2
    assert len(together) == 2
    assert children.value(CHILD, 2021) == 1
    assert children.value(ADULT, 2021) == 1
    # Outside a build, every call reads the database again.
    with CaptureQueriesContext(connection) as after:
        selectors.identified_by_age_band(years=YEARS)
    assert len(after) == 1
