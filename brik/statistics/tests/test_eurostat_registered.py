"""Eurostat's registered victims: identified and presumed apart, rates per 100,000, codes.

Registered victims (Eurostat) = identified (in the year of the decision) + presumed
(referred in the year, not decided by its end, and not identified in it). The counts
are checked against a recount in Python from the raw case rows (sets of persons, no
GROUP BY); the rates against the arithmetic; the CSV for Eurostat's codes; and the
public report against the attacker's audit.
"""

import csv
import datetime as dt
import importlib
import io
import random
from collections import defaultdict

import pytest
from django.utils import translation

from brik.cases import services as case_services
from brik.cases.models import Case, PersonCitizenship
from brik.core import choices
from brik.core.countries import citizenship_group
from brik.statistics import audit, disclosure, exports, selectors
from brik.statistics.models import Population
from brik.statistics.relations import inequalities
from brik.statistics.report import report_build
from brik.statistics.selectors.eurostat import IDENTIFIED, PRESUMED, REGISTERED
from brik.statistics.tables import NOT_SHOWN, PRIMARY, SECONDARY, TOTAL, Column, Row, Table
from brik.statistics.tests.conftest import COUNTRIES, GENDERS, build_random_history

YEARS = range(2018, 2023)


def _close_open_cases(history, person, on: dt.date) -> None:
    for case in person.cases.exclude(status=choices.CaseStatus.CLOSED):
        reason = (
            choices.ClosingReason.NOT_IDENTIFIED
            if case.outcome == choices.Outcome.NOT_IDENTIFIED
            else choices.ClosingReason.OTHER
        )
        case_services.case_close(
            actor=history.actor,
            case=case,
            closed_on=max(on, case.decided_on or case.referred_on),
            reason=reason,
            note="Synthetic: the person was referred again.",
        )


def refer(history, *, referred_on: dt.date, person=None, rng: random.Random) -> Case:
    """A referral without a decision (yet): a new person, or a known one referred again."""
    if person is not None:
        _close_open_cases(history, person, referred_on)
    year = referred_on.year
    return case_services.case_refer(
        actor=history.actor,
        referring_organisation=rng.choice(history.referrers),
        referred_on=referred_on,
        person=person,
        gender=rng.choice(GENDERS),
        birth_year=None if rng.random() < 0.1 else rng.randint(year - 60, year - 5),
        citizenships=rng.sample(COUNTRIES, rng.choice([0, 1, 1, 2])),
    )


def build_presumed_history(history, *, seed: int) -> None:
    """Identified and not identified persons (build_random_history, whose referrals
    20 days before a January decision fall in the year before), and on top:
    referrals never decided, referrals decided in a later year, and persons
    identified and referred again in the same year and in the next."""
    build_random_history(history, seed=seed, persons=45)
    rng = random.Random(seed + 1)
    for _i in range(35):
        year = rng.choice(list(YEARS))
        referred_on = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        kind = rng.random()
        if kind < 0.45:
            refer(history, referred_on=referred_on, rng=rng)
            continue
        # Decided later: the same year (not presumed) or a later one (presumed).
        later = referred_on + dt.timedelta(days=rng.randint(10, 500))
        history.decide(
            decided_on=min(later, dt.date(2024, 6, 1)),
            referred_days_before=(min(later, dt.date(2024, 6, 1)) - referred_on).days,
            gender=rng.choice(GENDERS),
            birth_year=rng.randint(year - 60, year - 5),
            citizenships=rng.sample(COUNTRIES, 1),
            outcome=choices.Outcome.IDENTIFIED
            if rng.random() < 0.6
            else choices.Outcome.NOT_IDENTIFIED,
        )
    identified = list(
        Case.objects.filter(outcome=choices.Outcome.IDENTIFIED, decided_on__month__lte=6)
        .select_related("person")
        .order_by("id")
    )
    for case in rng.sample(identified, 8):
        # Referred again later in the year of the positive decision: not presumed then.
        again = dt.date(case.decided_on.year, rng.randint(8, 12), rng.randint(1, 28))
        latest = max(c.closed_on or c.decided_on or c.referred_on for c in case.person.cases.all())
        if again > latest:
            refer(history, referred_on=again, person=case.person, rng=rng)


class Recount:
    """Persons per year, as Eurostat counts them, from the raw case rows with sets."""

    def __init__(self):
        self.cases = list(
            Case.objects.values(
                "person_id",
                "referred_on",
                "decided_on",
                "outcome",
                "person__gender",
                "person__birth_year",
            )
        )
        self.citizenships = defaultdict(set)
        for row in PersonCitizenship.objects.values("person_id", "country"):
            self.citizenships[row["person_id"]].add(row["country"])
        self.person = {r["person_id"]: r for r in self.cases}

    def identified(self, year: int) -> set[int]:
        return {
            r["person_id"]
            for r in self.cases
            if r["outcome"] == choices.Outcome.IDENTIFIED and r["decided_on"].year == year
        }

    def presumed(self, year: int) -> set[int]:
        undecided_at_year_end = {
            r["person_id"]
            for r in self.cases
            if r["referred_on"].year == year
            and (r["decided_on"] is None or r["decided_on"].year > year)
        }
        return undecided_at_year_end - self.identified(year)

    def registered(self, year: int) -> set[int]:
        return self.identified(year) | self.presumed(year)

    def persons(self, status: str, year: int) -> set[int]:
        return {IDENTIFIED: self.identified, PRESUMED: self.presumed, REGISTERED: self.registered}[
            status
        ](year)

    def sex(self, person_id: int) -> str:
        gender = self.person[person_id]["person__gender"]
        other = f"{choices.Gender.TRANS_NONCONFORMING}|{choices.Gender.UNKNOWN}"
        return {choices.Gender.WOMAN: "woman", choices.Gender.MAN: "man"}.get(gender, other)

    def age(self, person_id: int, year: int) -> str:
        born = self.person[person_id]["person__birth_year"]
        if born is None:
            return selectors.UNKNOWN
        return selectors.CHILD if year - born < 18 else selectors.ADULT

    def group(self, person_id: int) -> str:
        groups = {citizenship_group(c) for c in self.citizenships[person_id]}
        for group in ("reporting", "eu", "non_eu"):
            if group in groups:
                return group
        return selectors.UNKNOWN

    def by(self, status: str, year: int, category) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = defaultdict(int)
        for person_id in self.persons(status, year):
            out[(self.sex(person_id), category(person_id))] += 1
        return dict(out)


def cells(table: Table) -> dict[tuple[str, str], int]:
    """{(sex, column): count} of a cross table's non-zero cells, totals left out."""
    return {
        (row.key, column.key): row.values[i]
        for row in table.rows
        for i, column in enumerate(table.columns)
        if column.key != TOTAL and row.values[i]
    }


@pytest.fixture
def recount(history):
    build_presumed_history(history, seed=21)
    return Recount()


def test_the_history_has_presumed_victims_of_each_kind(recount):
    referred_again = [
        p
        for year in YEARS
        for p in recount.identified(year)
        if any(
            r["person_id"] == p and r["referred_on"].year == year and r["decided_on"] is None
            for r in recount.cases
        )
    ]
    assert referred_again, "someone identified and referred again in the same year"
    assert any(r["decided_on"] is None for r in recount.cases)
    assert any(
        r["decided_on"] and r["decided_on"].year > r["referred_on"].year for r in recount.cases
    )
    assert all(recount.presumed(year) for year in YEARS)


def test_registered_identified_and_presumed_match_the_recount(recount):
    for year in YEARS:
        tables = {t.slug: t for t in selectors.eurostat_victims(year=year)}
        for status in (REGISTERED, IDENTIFIED, PRESUMED):
            age = tables[selectors.eurostat_slug(status, "sex_age")]
            citizenship = tables[selectors.eurostat_slug(status, "sex_citizenship")]
            forms = tables[selectors.eurostat_slug(status, "sex_form")]
            persons = recount.persons(status, year)
            for table in (age, citizenship, forms):
                assert table.measure == status
                assert table.value(TOTAL, TOTAL) == len(persons), (year, status, table.slug)
                for sex, _code in selectors.EUROSTAT_SEX:
                    expected = sum(1 for p in persons if recount.sex(p) == sex)
                    assert table.value(sex, TOTAL) == expected
            assert cells(age) == recount.by(status, year, lambda p, y=year: recount.age(p, y))
            assert cells(citizenship) == recount.by(status, year, recount.group)
        # The presumed have no form yet: all under "not determined".
        presumed = tables[selectors.eurostat_slug(PRESUMED, "sex_form")]
        assert cells(presumed) == recount.by(PRESUMED, year, lambda p: "UNK")
        assert recount.identified(year).isdisjoint(recount.presumed(year))


def test_presumed_counts_exclude_those_identified_in_the_year(recount):
    for year in YEARS:
        presumed = {
            row["person_id"] for row in selectors.presumed_cases([year]).values("person_id")
        }
        assert presumed == recount.presumed(year)


def test_denmarks_population_is_reference_data_with_its_source(db):
    assert dict(Population.objects.values_list("year", "population")) == {
        2019: 5_806_081,
        2020: 5_822_763,
        2021: 5_840_045,
        2022: 5_873_420,
        2023: 5_932_654,
        2024: 5_961_249,
        2025: 5_992_734,
    }
    assert all("Statistics Denmark" in p.source for p in Population.objects.all())
    assert selectors.population_of(year=2021) == 5_840_045
    assert selectors.population_of(year=2030) is None


def test_the_data_migration_keeps_an_edited_year_and_removes_only_its_own_rows(db):
    from django.apps import apps

    migration = importlib.import_module("brik.statistics.migrations.0007_population_of_denmark")
    Population.objects.all().delete()
    Population.objects.create(year=2021, population=5_840_000, source="Edited by hand")
    migration.forwards(apps, None)
    assert Population.objects.count() == 7
    assert Population.objects.get(year=2021).population == 5_840_000
    assert Population.objects.get(year=2025).population == 5_992_734
    migration.backwards(apps, None)
    assert list(Population.objects.values_list("year", "source")) == [(2021, "Edited by hand")]


def test_rates_are_per_100000_inhabitants_to_one_decimal():
    # 80 identified in 2021 of 5,840,045 inhabitants: 1.3699 per 100,000.
    assert selectors.rate_tenths(80, 5_840_045) == 14
    assert selectors.rate_tenths(112, 5_932_654) == 19  # 1.888
    assert selectors.rate_tenths(0, 5_932_654) == 0
    # Half a tenth rounds up: 15 of 10,000,000 is 0.15 per 100,000.
    assert selectors.rate_tenths(15, 10_000_000) == 2
    assert selectors.rate_tenths(14, 10_000_000) == 1


def _sex_age(status: str, total_marks: list[str], values: list[int]) -> Table:
    """A sex-by-age table whose total column holds `values` (women, men, other, total)."""
    rows = [
        Row(key=sex, label=sex, values=[0, 0, 0, v], marks=["", "", "", m])
        for (sex, _code), v, m in zip(selectors.EUROSTAT_SEX, values, total_marks, strict=False)
    ]
    return Table(
        slug=selectors.eurostat_slug(status, "sex_age"),
        title="",
        columns=[Column("a", "a"), Column("b", "b"), Column("c", "c"), Column(TOTAL, "Total")],
        rows=rows,
        total=Row(key=TOTAL, label="Total", values=[0, 0, 0, values[-1]], marks=[""] * 4),
        note="",
        measure=status,
        row_dim="gender",
        col_dim="age",
    )


def test_a_hidden_count_hides_its_rate():
    tables = [
        _sex_age(REGISTERED, ["", SECONDARY, SECONDARY], [80, 21, 4, 105]),
        _sex_age(IDENTIFIED, ["", "", PRIMARY], [60, 17, 3, 80]),
        _sex_age(PRESUMED, ["", SECONDARY, SECONDARY], [20, 4, 1, 25]),
    ]
    rates = selectors.eurostat_rates(tables, year=2021, population=5_840_045)
    registered, identified, presumed = rates.rows
    assert [r.key for r in rates.rows] == [REGISTERED, IDENTIFIED, PRESUMED]
    assert registered.marks == ["", NOT_SHOWN, NOT_SHOWN, ""]
    assert identified.marks == ["", "", NOT_SHOWN, ""]
    assert presumed.marks == ["", NOT_SHOWN, NOT_SHOWN, ""]
    assert identified.values[:2] == [10, 3]  # 1.03 and 0.29 per 100,000
    assert identified.values[-1] == 14
    assert all(not row.protect for row in rates.rows)
    with translation.override("en"):
        display = [cells for _row, cells in rates.display_rows(5)]
    assert display[1] == ["1.0", "0.3", "not shown", "1.4"]
    assert display[0] == ["1.4", "not shown", "not shown", "1.8"]
    with translation.override("da"):
        assert [cells for _row, cells in rates.display_rows(5)][1][0] == "1,0"
    # Without a population for the year, no rate at all.
    none = selectors.eurostat_rates(tables, year=2030, population=None)
    assert all(mark == NOT_SHOWN for row in none.rows for mark in row.marks)


def test_registered_is_identified_plus_presumed_for_disclosure_control(recount):
    tables = selectors.eurostat_victims(year=2021)
    system = disclosure.build_system(tables, 5)
    sums = {(eq.total, frozenset(eq.members)) for eq in system.equations}
    for key in system.values:
        measure, coords = key
        if measure == REGISTERED:
            assert (key, frozenset({(IDENTIFIED, coords), (PRESUMED, coords)})) in sums
            assert system.values[key] == (
                system.values[(IDENTIFIED, coords)] + system.values[(PRESUMED, coords)]
            )
    relations = inequalities(tables, system.values)
    at_most = {ineq.terms for ineq in relations}
    for key in system.values:
        if key[0] == REGISTERED:
            assert (((IDENTIFIED, key[1]), 1), (key, -1)) in at_most


def test_the_public_report_protects_the_new_cells_and_passes_the_audit(recount, settings):
    settings.LANGUAGE_CODE = "en"
    report = report_build(year=2021, language="en")
    tables = report.all_tables()
    slugs = [t.slug for t in report.eurostat]
    for status in (REGISTERED, IDENTIFIED, PRESUMED):
        for breakdown in ("sex_age", "sex_citizenship", "sex_form"):
            assert selectors.eurostat_slug(status, breakdown) in slugs
    assert "eurostat_rates" in slugs
    assert audit.failures(audit.audit_tables(tables, report.threshold)) == []
    # Every small count is hidden, in the new tables too.
    for table in report.eurostat:
        for row in table.all_rows():
            for i, value in enumerate(row.values):
                if row.protect and 1 <= value < report.threshold:
                    assert row.mark(i) in (PRIMARY, SECONDARY), (table.slug, row.key)
    # A rate is shown exactly where the count it is worked out from is.
    by_slug = {t.slug: t for t in report.eurostat}
    rates = by_slug["eurostat_rates"]
    population = selectors.population_of(year=2021)
    for row in rates.rows:
        source = by_slug[selectors.eurostat_slug(row.key, "sex_age")]
        for i, column in enumerate(rates.columns):
            counted = source.total if column.key == TOTAL else source.row(column.key)
            hidden = bool(counted.mark(len(source.columns) - 1))
            assert (row.mark(i) == NOT_SHOWN) == hidden
            if not hidden:
                count = counted.values[-1]
                assert row.values[i] == selectors.rate_tenths(count, population)


def test_the_csv_carries_eurostats_codes(recount):
    report = report_build(year=2021, language="en", internal=True)
    files = exports.csv_files(report)

    def read(slug):
        return list(csv.reader(io.StringIO(files[f"2021-{slug}.csv"])))

    age = read("eurostat_registered_sex_age")
    assert age[0][0] == "code"
    assert age[1][:2] == ["", "code"]
    assert age[1][2:] == ["Y_LT18", "Y_GE18", "UNK", "TOTAL"]
    assert [r[0] for r in age[2:]] == ["F", "M", "UNK", "T"]
    assert age[2][1] == "Women"
    citizenship = read("eurostat_sex_citizenship")
    assert citizenship[1][2:] == ["NAT", "EU27_2020_FOR", "NEU27_2020_FOR", "UNK", "TOTAL"]
    forms = read("eurostat_presumed_sex_form")
    assert forms[1][2:] == ["SEX_EXP", "LAB_EXP", "OTH", "UNK", "TOTAL"]
    # Each code names its row: the women's row holds the women's count.
    table = next(t for t in report.eurostat if t.slug == "eurostat_registered_sex_age")
    assert int(age[2][-1]) == table.value("woman", TOTAL)
    rates = read("eurostat_rates")
    assert [r[0] for r in rates[2:]] == [REGISTERED, IDENTIFIED, PRESUMED]
    assert rates[1][2:] == ["F", "M", "UNK", "T"]
    registered = next(t for t in report.eurostat if t.slug == "eurostat_registered_sex_age")
    expected = selectors.rate_tenths(registered.value(TOTAL, TOTAL), 5_840_045) / 10
    assert float(rates[2][-1]) == expected
    # Tables without codes keep their plain shape.
    assert read("gender")[0][0] == ""
