"""The generated rows, counted with the centre's rule, give the calibration table's figures.

Every count here is made from the raw rows with ORM queries: a person is
counted in the year of the positive assessment (Case.decided_on with outcome
identified), once in the total and once under each of their forms.
"""

from collections import Counter

import pytest
from django.db.models import Count

from brik.cases.models import Case, ExploitationForm, Person, PersonCitizenship, PreparedReturn
from brik.core.choices import ExploitationForm as F
from brik.core.choices import Gender, LabourSector, Outcome, ReturnStatus
from brik.demo.calibration import FIGURES, YEARS, calibrated_persons
from brik.demo.planning import age_on

pytestmark = pytest.mark.usefixtures("demo_world", "db")


def identified(year):
    return Case.objects.filter(outcome=Outcome.IDENTIFIED, decided_on__year=year)


def persons_per_form(year) -> dict[str, int]:
    rows = (
        ExploitationForm.objects.filter(
            assessment__outcome=Outcome.IDENTIFIED, assessment__decided_on__year=year
        )
        .values("form")
        .annotate(persons=Count("assessment__case__person", distinct=True))
    )
    return {row["form"]: row["persons"] for row in rows}


def test_the_demo_has_the_calibrated_number_of_persons():
    assert Person.objects.count() == calibrated_persons()


@pytest.mark.parametrize("year", YEARS)
def test_identified_and_screened_per_decision_year(year):
    figures = FIGURES[year]
    assert identified(year).count() == figures.identified
    assert identified(year).values("person").distinct().count() == figures.identified
    assert Case.objects.filter(decided_on__year=year).count() == figures.screened
    not_identified = Case.objects.filter(outcome=Outcome.NOT_IDENTIFIED, decided_on__year=year)
    assert not_identified.count() == figures.not_identified


@pytest.mark.parametrize("year", YEARS)
def test_persons_per_form_of_exploitation(year):
    assert persons_per_form(year) == {k: v for k, v in FIGURES[year].forms.items() if v}


@pytest.mark.parametrize("year", YEARS)
def test_forced_labour_or_criminal_activities_counts_each_person_once(year):
    persons = (
        ExploitationForm.objects.filter(
            assessment__outcome=Outcome.IDENTIFIED,
            assessment__decided_on__year=year,
            form__in=[F.FORCED_LABOUR, F.CRIMINAL],
        )
        .values("assessment__case__person")
        .distinct()
        .count()
    )
    assert persons == FIGURES[year].labour_or_criminal


@pytest.mark.parametrize("year", YEARS)
def test_women_men_and_trans(year):
    counts = dict(identified(year).values_list("person__gender").annotate(n=Count("id")).order_by())
    figures = FIGURES[year]
    assert counts.get(Gender.WOMAN, 0) == figures.women
    assert counts.get(Gender.MAN, 0) == figures.men
    assert counts.get(Gender.TRANS_NONCONFORMING, 0) == figures.trans
    women_sexual = identified(year).filter(
        person__gender=Gender.WOMAN, assessment__forms__form=F.SEXUAL
    )
    assert women_sexual.count() == figures.women_in_sexual


@pytest.mark.parametrize("year", YEARS)
def test_minors_on_the_day_of_the_decision(year):
    ages = [
        age_on(case.person.identity.date_of_birth, case.decided_on)
        for case in identified(year).select_related("person__identity")
    ]
    minors = [age for age in ages if age < 18]
    assert len(minors) == FIGURES[year].minors
    low, high = FIGURES[year].minor_ages
    assert all(low <= age <= high for age in minors)


def test_2023_has_12_of_23_in_forced_labour_in_construction():
    labour = identified(2023).filter(assessment__forms__form=F.FORCED_LABOUR)
    assert labour.count() == 23
    assert labour.filter(assessment__labour_sector=LabourSector.F).count() == 12


@pytest.mark.parametrize("year", YEARS)
def test_number_of_nationalities_and_the_top_five(year):
    countries = Counter(
        PersonCitizenship.objects.filter(
            person__cases__outcome=Outcome.IDENTIFIED, person__cases__decided_on__year=year
        ).values_list("country", flat=True)
    )
    figures = FIGURES[year]
    assert len(countries) == figures.nationalities
    ranked = countries.most_common()
    assert tuple(code for code, _n in ranked[:5]) == figures.top_nationalities
    counts = [n for _code, n in ranked]
    assert counts[0] > counts[1] > counts[2] > counts[3] > counts[4] > counts[5]


@pytest.mark.parametrize("year", YEARS)
def test_prepared_returns_by_year_of_departure(year):
    departed = PreparedReturn.objects.filter(status=ReturnStatus.DEPARTED, departed_on__year=year)
    assert departed.count() == FIGURES[year].prepared_returns


def test_the_2021_story_of_the_annual_report():
    assert identified(2021).count() == 80
    assert identified(2020).count() == 77
    assert Case.objects.filter(decided_on__year=2021).count() == 193
    assert persons_per_form(2021)[F.SEXUAL] < persons_per_form(2020)[F.SEXUAL]
    returns = {
        year: PreparedReturn.objects.filter(departed_on__year=year).count()
        for year in (2019, 2020, 2021)
    }
    assert returns[2021] == 38 > max(returns[2019], returns[2020])


def test_re_trafficked_persons_count_in_each_year_of_identification():
    second = Case.objects.filter(sequence=2, outcome=Outcome.IDENTIFIED)
    assert second.count() > 0
    for case in second.select_related("person"):
        first = case.person.cases.get(sequence=1)
        assert first.outcome == Outcome.IDENTIFIED
        assert first.decided_on.year < case.decided_on.year
