import datetime as dt
from collections import defaultdict

import pytest

from brik.cooperation import selectors, services
from brik.cooperation.models import OutreachLog
from brik.core import choices
from brik.testing.factories import OrganisationFactory


@pytest.fixture
def logs(today, erin, ngo):
    """Eleven rounds by two NGOs over January-May 2021 with varying counts."""
    other = OrganisationFactory(name="HopeNow", type=choices.OrganisationType.NGO)
    rounds = [
        (ngo, dt.date(2021, 1, 5), 3, 1, 0, 0, 1),
        (ngo, dt.date(2021, 1, 20), 5, 0, 1, 0, 2),
        (other, dt.date(2021, 1, 31), 2, 2, 0, 1, 0),
        (ngo, dt.date(2021, 2, 1), 0, 0, 0, 0, 0),
        (other, dt.date(2021, 2, 14), 7, 1, 0, 2, 3),
        (ngo, dt.date(2021, 3, 31), 4, 4, 0, 0, 1),
        (ngo, dt.date(2021, 4, 1), 1, 0, 0, 0, 0),
        (other, dt.date(2021, 4, 30), 6, 0, 2, 0, 1),
        (other, dt.date(2021, 5, 2), 3, 3, 0, 0, 0),
        (ngo, dt.date(2021, 5, 30), 2, 0, 0, 1, 1),
        (ngo, dt.date(2020, 12, 31), 9, 9, 0, 0, 0),
    ]
    for organisation, day, women, men, trans, unknown, referrals in rounds:
        services.outreach_log_add(
            actor=erin,
            organisation=organisation,
            held_on=day,
            place_type=choices.PlaceType.STREET,
            region=choices.Region.HOVEDSTADEN,
            women=women,
            men=men,
            trans=trans,
            unknown=unknown,
            referrals_made=referrals,
        )
    return OutreachLog.objects.all()


def expected(logs, period_of, by_organisation=True):
    """The same totals, computed row by row in Python."""
    totals = defaultdict(lambda: defaultdict(int))
    for log in logs:
        key = (period_of(log.held_on),)
        if by_organisation:
            key += (log.organisation_id, log.organisation.name)
        row = totals[key]
        row["rounds"] += 1
        for field in ("women", "men", "trans", "unknown", "referrals_made"):
            row[field] += getattr(log, field)
        row["contacts"] += log.contacts
    keys = ("period", "organisation_id", "organisation_name") if by_organisation else ("period",)
    return [dict(zip(keys, key, strict=True), **values) for key, values in sorted(totals.items())]


def month(day):
    return day.replace(day=1)


def quarter(day):
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def year(day):
    return dt.date(day.year, 1, 1)


@pytest.mark.parametrize(
    ("period", "period_of"), [("month", month), ("quarter", quarter), ("year", year)]
)
def test_totals_per_period_and_organisation_match_a_row_by_row_count(logs, period, period_of):
    assert selectors.outreach_totals(period=period) == expected(logs, period_of)


def test_totals_for_all_organisations_together(logs):
    rows = selectors.outreach_totals(period="year", by_organisation=False)

    assert rows == expected(logs, year, by_organisation=False)
    assert rows[1]["contacts"] == sum(log.contacts for log in logs if log.held_on.year == 2021)


def test_totals_within_dates_for_one_organisation(logs, ngo):
    rows = selectors.outreach_totals(
        period="quarter",
        date_from=dt.date(2021, 1, 1),
        date_to=dt.date(2021, 3, 31),
        organisation=ngo,
    )

    chosen = [
        log
        for log in logs
        if log.organisation == ngo and dt.date(2021, 1, 1) <= log.held_on <= dt.date(2021, 3, 31)
    ]
    assert rows == expected(chosen, quarter)
    assert rows[0]["rounds"] == 4


def test_totals_take_one_query(logs, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.outreach_totals(period="month")


def test_an_unknown_period_is_a_programming_error(db):
    with pytest.raises(ValueError, match="period must be one of"):
        selectors.outreach_totals(period="week")
