"""Each selector against an independent count of persons from the raw rows."""

import pytest

from brik.core import choices
from brik.core.countries import citizenship_group
from brik.statistics import selectors
from brik.statistics.tests.conftest import (
    EMPTY_YEAR,
    RawCounts,
    build_random_history,
    citizenship_rows,
    table_counts,
    table_totals,
)

YEARS = range(2018, 2023)


@pytest.fixture
def raw(history):
    build_random_history(history, seed=4, persons=70)
    return RawCounts()


def _age_band(row):
    if row["person__birth_year"] is None:
        return selectors.UNKNOWN
    age = row["decided_on"].year - row["person__birth_year"]
    for band, lo, hi in selectors.AGE_BANDS:
        if lo <= age <= hi:
            return band
    return selectors.UNKNOWN


_GROUP_ORDER = ["reporting", "eu", "non_eu"]


def _group(raw, row):
    groups = {citizenship_group(code) for code in raw.citizenships[row["person_id"]]}
    for group in _GROUP_ORDER:
        if group in groups:
            return group
    return selectors.UNKNOWN


def test_the_history_has_people_assessed_twice_and_several_forms(raw):
    persons = [r["person_id"] for r in raw.identified()]
    assert len(persons) > len(set(persons)), "someone is identified in two cases"
    assert any(len(forms) > 1 for forms in raw.forms.values())
    assert not any(r["decided_on"].year == EMPTY_YEAR for r in raw.cases)


def test_identified_totals_count_each_person_once_a_year(raw):
    totals = selectors.decision_totals(years=YEARS)
    assert totals["identified"] == raw.total()
    screened = raw.total(rows=raw.cases)
    assert totals["screened"] == screened
    assert EMPTY_YEAR not in totals["screened"]


def test_identified_by_gender_matches(raw):
    table = selectors.identified_by_gender(years=YEARS)
    assert table_counts(table) == raw.count(lambda r: [r["person__gender"]])
    assert table_totals(table) == raw.total()


def test_identified_by_age_band_matches(raw):
    table = selectors.identified_by_age_band(years=YEARS)
    assert table_counts(table) == raw.count(lambda r: [_age_band(r)])
    assert table_totals(table) == raw.total()


def test_children_and_adults_merge_the_bands(raw):
    def majority(row):
        band = _age_band(row)
        if band == selectors.UNKNOWN:
            return [selectors.UNKNOWN]
        return [selectors.CHILD if band in selectors.CHILD_BANDS else selectors.ADULT]

    table = selectors.identified_by_majority(years=YEARS)
    assert table_counts(table) == raw.count(majority)


def test_identified_by_citizenship_group_matches_eurostat_grouping(raw):
    table = selectors.identified_by_citizenship_group(years=YEARS)
    assert table_counts(table) == raw.count(lambda r: [_group(raw, r)])
    assert table_totals(table) == raw.total()


@pytest.mark.parametrize("listed", [("NG", "TH"), ("NG", "TH", "RO", "VN", "MA", "SE", "UA")])
def test_identified_by_citizenship_lists_the_same_rows_and_merges_the_others(raw, settings, listed):
    settings.BRIK_REPORT_CITIZENSHIPS = listed
    table = selectors.identified_by_citizenship(years=YEARS)
    expected = raw.count(lambda r: citizenship_rows(raw.citizenships[r["person_id"]], listed))
    assert table_counts(table) == expected
    assert table_totals(table) == raw.total()
    # The rows are the same whatever the data: Denmark and the listed countries, the
    # two merged rows and "unknown", with or without anyone in them.
    assert [r.key for r in table.rows] == [
        "DK",
        *(c for c in listed if c != "DK"),
        selectors.OTHER_EU,
        selectors.OTHER_NON_EU,
        selectors.UNKNOWN,
    ]
    nationalities = selectors.nationality_counts(years=YEARS)
    for year in YEARS:
        assert nationalities[year] == len(
            {
                code
                for r in raw.identified()
                if r["decided_on"].year == year
                for code in raw.citizenships[r["person_id"]]
            }
        )


def test_a_country_published_earlier_keeps_its_own_row(raw, settings):
    settings.BRIK_REPORT_CITIZENSHIPS = ("NG",)
    table = selectors.identified_by_citizenship(years=YEARS, also={"RO"})
    expected = raw.count(lambda r: citizenship_rows(raw.citizenships[r["person_id"]], {"NG", "RO"}))
    assert table_counts(table) == expected
    assert "RO" in [r.key for r in table.rows]


def test_identified_by_form_counts_a_person_under_each_form(raw):
    table = selectors.identified_by_form(years=YEARS)
    assert table_counts(table) == raw.count(lambda r: raw.forms[r["id"]])
    assert table_totals(table) == raw.total()


def test_eurostat_groups_count_a_person_once_per_group(raw):
    def groups(row):
        found = {
            choices.EXPLOITATION_FORM_CODES[choices.ExploitationForm(f)].eurostat
            for f in raw.forms[row["id"]]
        }
        found = {"UNK" if g == "UNK" else g for g in found}
        if raw.forms[row["id"]] & {"forced_labour", "criminal"}:
            found.add("labour_or_criminal")
        return found

    table = selectors.identified_by_eurostat_form(years=YEARS)
    assert table_counts(table) == raw.count(groups)


def test_identified_by_sector_counts_persons_with_a_sector(raw):
    with_sector = [r for r in raw.identified() if r["assessment__labour_sector"]]
    table = selectors.identified_by_sector(years=YEARS)
    assert table_counts(table) == raw.count(lambda r: [r["assessment__labour_sector"]], with_sector)
    assert table_totals(table) == raw.total(with_sector)


def test_identified_by_authority_and_referrer_match(raw):
    authority = selectors.identified_by_authority(years=YEARS)
    assert table_counts(authority) == raw.count(lambda r: [r["assessment__deciding_authority"]])
    referrer = selectors.identified_by_referrer_type(years=YEARS)
    assert table_counts(referrer) == raw.count(
        lambda r: [r["referral__referring_organisation__type"]]
    )


def test_a_year_without_decisions_is_all_zeros(raw):
    table = selectors.identified_by_gender(years=[EMPTY_YEAR])
    assert all(row.values == [0] for row in table.rows)
    assert table.total.values == [0]
    assert selectors.identified_series(years=YEARS)[EMPTY_YEAR] == 0
