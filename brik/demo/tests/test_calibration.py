"""The calibration table holds the centre's published figures, and its construction adds up."""

from datetime import date

import pytest

from brik.core.choices import ExploitationForm as F
from brik.core.choices import LabourSector
from brik.demo.calibration import (
    FIGURES,
    YEARS,
    apportion,
    calibrated_persons,
    derived,
    scaled_figures,
)

# The figures of the project's domain notes, section 4, as published.
PUBLISHED = {
    2019: {"identified": 64, "women": 41, "men": 22, "trans": 1, "minors": 6,
           "forms": {F.SEXUAL: 38, F.FORCED_LABOUR: 17, F.CRIMINAL: 5, F.NOT_DETERMINED: 4}},
    2020: {"identified": 77, "labour_or_criminal": 18, "forms": {F.SEXUAL: 45, F.SLAVERY_LIKE: 3}},
    2021: {"identified": 80, "screened": 193, "labour_or_criminal": 37, "prepared_returns": 38,
           "nationalities": 26, "forms": {F.FORCED_LABOUR: 19, F.CRIMINAL: 18, F.SLAVERY_LIKE: 3},
           "top_nationalities": ("NG", "TH", "MA", "RO", "VN")},
    2022: {"identified": 73, "women": 48, "men": 24, "women_in_sexual": 36, "minors": 6,
           "minor_ages": (15, 17), "nationalities": 28},
    2023: {"identified": 112, "forms": {F.SEXUAL: 58, F.FORCED_LABOUR: 23}},
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_the_table_holds_every_published_figure(year):
    figures = FIGURES[year]
    for name, value in PUBLISHED[year].items():
        if name == "forms":
            for form, count in value.items():
                assert figures.forms[form] == count, (year, form)
        elif name == "screened":
            assert figures.screened == value
        else:
            assert getattr(figures, name) == value, (year, name)


def test_2023_has_12_of_23_persons_in_forced_labour_in_construction():
    assert FIGURES[2023].labour_sectors[LabourSector.F] == 12
    assert sum(FIGURES[2023].labour_sectors.values()) == 23


def test_the_published_changes_hold():
    assert FIGURES[2021].forms[F.SEXUAL] < FIGURES[2020].forms[F.SEXUAL]  # "fell"
    assert FIGURES[2021].labour_or_criminal >= 2 * FIGURES[2020].labour_or_criminal  # "doubled"
    assert abs(FIGURES[2021].women - FIGURES[2021].men) <= 2  # "about half"
    assert FIGURES[2021].prepared_returns > max(FIGURES[y].prepared_returns for y in (2019, 2020))
    assert 0.3 <= FIGURES[2022].labour_or_criminal / FIGURES[2022].identified <= 0.36


@pytest.mark.parametrize("year", YEARS)
def test_the_composition_reproduces_the_years_figures(year):
    figures = FIGURES[year]
    made = derived(figures.composition)
    assert made["identified"] == figures.identified
    assert (made["women"], made["men"], made["trans"]) == (
        figures.women,
        figures.men,
        figures.trans,
    )
    assert made["forms"] == dict(figures.forms)
    assert made["labour_or_criminal"] == figures.labour_or_criminal
    assert made["women_in_sexual"] == figures.women_in_sexual
    assert sum(figures.labour_sectors.values()) == figures.forms.get(F.FORCED_LABOUR, 0)
    assert figures.minors <= figures.identified
    assert len(figures.top_nationalities) == 5 <= figures.nationalities


def test_2024_is_marked_invented_and_every_invented_name_is_a_figure():
    assert FIGURES[2024].invented == {"*"}
    names = {"not_identified", "women", "men", "trans", "minors", "minor_ages", "forms",
             "labour_or_criminal", "women_in_sexual", "labour_sectors", "nationalities",
             "top_nationalities", "prepared_returns"}  # fmt: skip
    for year in YEARS[:-1]:
        for name in FIGURES[year].invented:
            assert name.split(".")[0] in names, (year, name)


def test_apportion_adds_up_and_keeps_exact_weights():
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(64, [41, 22, 1]) == [41, 22, 1]
    assert sum(apportion(1000, [0.3, 0.3, 0.4, 7])) == 1000
    assert apportion(5, [0, 0]) == [0, 0]


def test_the_calibrated_size_is_the_default():
    plan = scaled_figures()
    assert plan.persons == calibrated_persons()
    assert {year: plan.figures[year] for year in YEARS} == FIGURES


def test_the_years_after_the_calibrated_ones_are_synthetic_up_to_today():
    plan = scaled_figures(today=date(2026, 7, 1))
    assert plan.years == (*YEARS, 2025, 2026)
    for year in (2025, 2026):
        assert plan.figures[year].invented == {"*"}
        made = derived(plan.figures[year].composition)
        assert made["identified"] == plan.figures[year].identified
    full, half = plan.figures[2025], plan.figures[2026]
    assert abs(full.screened - FIGURES[2024].screened * 1.04) <= 1
    assert 0.4 * full.screened <= half.screened <= 0.6 * full.screened
    # In the first days of January today's year has no decision yet.
    assert scaled_figures(today=date(2027, 1, 3)).years[-1] == 2026


@pytest.mark.parametrize("persons", [500, 3000, 100_000])
def test_scaled_figures_stay_consistent_and_proportional(persons):
    plan = scaled_figures(persons)
    factor = persons / calibrated_persons()
    for year in YEARS:
        scaled, published = plan.figures[year], FIGURES[year]
        made = derived(scaled.composition)
        assert made["identified"] == scaled.identified
        assert made["forms"] == {k: v for k, v in scaled.forms.items() if v}
        assert scaled.women + scaled.men + scaled.trans == scaled.identified
        assert abs(scaled.screened - published.screened * factor) <= 1
        assert abs(scaled.identified - published.identified * factor) <= 1
        for form, count in published.forms.items():
            # Each form sums several rounded groups: a rounding error per group at most.
            assert abs(scaled.forms[form] - count * factor) <= 2 + 0.02 * count * factor
        assert abs(scaled.prepared_returns - published.prepared_returns * factor) <= 1


def test_it_refuses_a_demo_of_fewer_than_100_persons():
    with pytest.raises(ValueError, match="at least 100"):
        scaled_figures(99)
