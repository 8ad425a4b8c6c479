"""Trends in words: the kind of change, and its sentence in English and Danish.

The rules are phrasing.py's docstring; the cases here are the ones a reader
caught: ratio words for tiny numbers, "on level" for equal figures, a fall to
"none", a year without data read as 0, records over a series that is too short.
"""

import pytest
from django.utils import translation

from brik.statistics import phrasing
from brik.statistics.phrasing import Kind, Measure

IDENTIFIED = Measure(
    lambda: translation.gettext("the number of persons identified as victims of trafficking"),
    lambda: translation.gettext("persons identified as victims of trafficking"),
)


@pytest.mark.parametrize(
    ("previous", "current", "kind", "fraction"),
    [
        (77, 80, Kind.LEVEL, None),
        (80, 77, Kind.LEVEL, None),
        (100, 105, Kind.LEVEL, None),
        (40, 43, Kind.LEVEL, None),  # 3 and 7.5 %
        (80, 80, Kind.UNCHANGED, None),
        # Small numbers: both under 10, or fewer than 5 apart: plain counts.
        (2, 5, Kind.PLAIN, None),
        (3, 4, Kind.PLAIN, None),
        (4, 3, Kind.PLAIN, None),
        (2, 1, Kind.PLAIN, None),
        (4, 8, Kind.PLAIN, None),
        (20, 23, Kind.PLAIN, None),  # 3 apart but 15 %: not "about the same" either
        (18, 37, Kind.DOUBLED, None),
        (10, 25, Kind.MORE_THAN_DOUBLED, None),
        (10, 30, Kind.TRIPLED, None),
        (10, 40, Kind.MORE_THAN_TRIPLED, None),
        (1, 13, Kind.PLAIN, None),
        (3, 20, Kind.PLAIN, None),
        (40, 75, Kind.ALMOST_DOUBLED, None),
        (73, 112, Kind.ROSE_MORE_THAN_HALF, None),
        (40, 20, Kind.HALVED, None),
        (112, 60, Kind.ALMOST_HALVED, None),
        (100, 30, Kind.FELL_MORE_THAN_HALF, None),
        (40, 30, Kind.FELL_FRACTION, "quarter"),
        (30, 40, Kind.ROSE_FRACTION, "third"),
        (40, 60, Kind.ROSE_FRACTION, "half"),
        (60, 20, Kind.FELL_FRACTION, "two_thirds"),
        (100, 88, Kind.FELL, None),
        (100, 115, Kind.ROSE, None),
        (0, 12, Kind.FROM_ZERO, None),
        (5, 0, Kind.TO_ZERO, None),
        (0, 0, Kind.NONE, None),
        (None, 64, Kind.UNKNOWN, None),
    ],
)
def test_it_names_the_change(previous, current, kind, fraction):
    assert phrasing.classify(previous, current) == (kind, fraction)


def test_the_first_time_only_over_a_series_known_from_its_beginning():
    assert phrasing.classify(0, 12, earlier=[0, 0]) == (Kind.FIRST, None)
    assert phrasing.classify(0, 12, earlier=[2, 0]) == (Kind.FROM_ZERO, None)
    assert phrasing.classify(0, 12) == (Kind.FROM_ZERO, None)
    with translation.override("en"):
        assert "first time" not in phrasing.change_sentence(
            IDENTIFIED, previous=0, current=12, year=2021, series={2020: 0, 2021: 12}
        )
        assert "the first time there were any" in phrasing.change_sentence(
            IDENTIFIED,
            previous=0,
            current=12,
            year=2021,
            series={2019: 0, 2020: 0, 2021: 12},
            series_began=2019,
        )


def test_the_level_tolerance_is_five_percent_or_three_within_ten_percent():
    assert phrasing.is_level(60, 63)
    assert not phrasing.is_level(60, 64)
    assert phrasing.is_level(200, 210)
    assert not phrasing.is_level(200, 211)
    assert not phrasing.is_level(10, 11)  # 10 %: one is not "about the same" among ten


def test_about_the_same_in_english_and_danish():
    kwargs = {"previous": 77, "current": 80, "year": 2021}
    with translation.override("en"):
        assert phrasing.change_sentence(IDENTIFIED, **kwargs) == (
            "The number of persons identified as victims of trafficking was about the same as "
            "in 2020 (80 against 77)."
        )
    with translation.override("da"):
        assert phrasing.change_sentence(IDENTIFIED, **kwargs) == (
            "Antallet af personer vurderet udsat for menneskehandel var på niveau med "
            "2020 (80 mod 77)."
        )


def test_equal_figures_are_unchanged():
    with translation.override("en"):
        assert phrasing.change_sentence(IDENTIFIED, previous=80, current=80, year=2021) == (
            "The number of persons identified as victims of trafficking was unchanged at 80, "
            "as in 2020."
        )
    with translation.override("da"):
        assert "var uændret på 80" in phrasing.change_sentence(
            IDENTIFIED, previous=80, current=80, year=2021
        )


@pytest.mark.parametrize(("previous", "current"), [(2, 5), (3, 4), (4, 3), (2, 1), (10, 11)])
def test_small_numbers_are_stated_plainly_never_as_a_ratio(previous, current):
    with translation.override("en"):
        sentence = phrasing.change_sentence(
            IDENTIFIED, previous=previous, current=current, year=2021
        )
        assert sentence == (
            "The number of persons identified as victims of trafficking was "
            f"{current} in 2021, against {previous} in 2020."
        )
    with translation.override("da"):
        assert f"var {current} i 2021 mod {previous} i 2020." in phrasing.change_sentence(
            IDENTIFIED, previous=previous, current=current, year=2021
        )


def test_a_fall_to_zero_says_no_persons():
    with translation.override("en"):
        assert phrasing.change_sentence(IDENTIFIED, previous=5, current=0, year=2021) == (
            "There were no persons identified as victims of trafficking in 2021, against 5 in 2020."
        )
    with translation.override("da"):
        assert phrasing.change_sentence(IDENTIFIED, previous=5, current=0, year=2021) == (
            "Der var ingen personer vurderet udsat for menneskehandel i 2021 mod 5 i 2020."
        )


def test_an_unknown_year_before_gives_no_sentence():
    assert phrasing.change_sentence(IDENTIFIED, previous=None, current=64, year=2019) == ""
    assert phrasing.change_sentence(IDENTIFIED, previous=0, current=0, year=2019) == ""


def test_differences_are_digits_like_the_figures():
    with translation.override("en"):
        assert "rose by 15 persons, from 100 in 2020 to 115 in 2021" in (
            phrasing.change_sentence(IDENTIFIED, previous=100, current=115, year=2021)
        )
        assert "fell by 12 persons," in phrasing.change_sentence(
            IDENTIFIED, previous=100, current=88, year=2021
        )
    with translation.override("da"):
        assert "steg med 15 personer," in phrasing.change_sentence(
            IDENTIFIED, previous=100, current=115, year=2021
        )


@pytest.mark.parametrize(
    ("previous", "current", "english", "danish"),
    [
        (
            18,
            37,
            "doubled, from 18 in 2020 to 37 in 2021",
            "blev fordoblet, fra 18 i 2020 til 37 i 2021",
        ),
        (10, 25, "more than doubled", "blev mere end fordoblet"),
        (10, 30, "tripled", "blev tredoblet"),
        (40, 75, "almost doubled", "blev næsten fordoblet"),
        (73, 112, "rose by more than half, from 73", "steg med mere end halvdelen, fra 73"),
        (40, 20, "was halved", "blev halveret"),
        (112, 60, "almost halved, from 112", "blev næsten halveret, fra 112"),
        (100, 30, "fell by more than half", "faldt med mere end halvdelen"),
        (40, 30, "fell by a quarter", "faldt med en fjerdedel"),
        (30, 40, "rose by a third", "steg med en tredjedel"),
        (0, 12, "was 12 in 2021, against none in 2020", "var 12 i 2021 mod ingen i 2020"),
    ],
)
def test_each_kind_has_its_words_in_both_languages(previous, current, english, danish):
    with translation.override("en"):
        assert english in phrasing.change_sentence(
            IDENTIFIED, previous=previous, current=current, year=2021
        )
    with translation.override("da"):
        assert danish in phrasing.change_sentence(
            IDENTIFIED, previous=previous, current=current, year=2021
        )


def test_a_record_needs_a_series_known_from_its_beginning():
    series = {2019: 20, 2020: 25, 2021: 38}
    # Brik's own data from 2019 is not "since the series began": the centre's series is older.
    assert phrasing.record_sentence(series, year=2021) == ""
    history = {2007: 30, **dict.fromkeys(range(2008, 2019), 20), **series}
    with translation.override("en"):
        assert phrasing.record_sentence(history, year=2021, began=2007) == (
            "That is the highest number since 2007."
        )
        low = {**history, 2021: 10}
        assert phrasing.record_sentence(low, year=2021, began=2007).startswith("That is the lowest")
        assert phrasing.record_sentence({**history, 2021: 29}, year=2021, began=2007) == ""
        # A gap in the series: no claim.
        gap = {y: v for y, v in history.items() if y != 2012}
        assert phrasing.record_sentence(gap, year=2021, began=2007) == ""
    with translation.override("da"):
        assert phrasing.record_sentence(history, year=2021, began=2007) == (
            "Det er det højeste antal siden 2007."
        )


def test_gender_balance_in_words():
    with translation.override("en"):
        assert "almost as many men as women were identified (41 women and 38 men)" in (
            phrasing.gender_sentence(women=41, men=38, year=2021)
        )
        assert "almost as many women as men were identified (41 men and 38 women)" in (
            phrasing.gender_sentence(women=38, men=41, year=2021)
        )
        assert "as many women as men were identified (40 women and 40 men)" in (
            phrasing.gender_sentence(women=40, men=40, year=2021)
        )
        assert "more women than men" in phrasing.gender_sentence(women=48, men=24, year=2022)
        assert "(3 women and 1 man)" in phrasing.gender_sentence(women=3, men=1, year=2022)
    with translation.override("da"):
        assert "næsten lige så mange mænd som kvinder" in phrasing.gender_sentence(
            women=41, men=38, year=2021
        )
        sentence = phrasing.gender_sentence(women=48, men=24, year=2022)
        assert "flere kvinder end mænd" in sentence
        assert sentence.endswith("(48 kvinder og 24 mænd).")


def test_counts_agree_in_number():
    with translation.override("en"):
        assert phrasing.count_sentence("returned", n=38, year=2021) == (
            "In 2021, 38 persons were helped home by a prepared return."
        )
        assert phrasing.count_sentence("returned", n=1, year=2021) == (
            "In 2021, 1 person was helped home by a prepared return."
        )
    with translation.override("da"):
        assert phrasing.count_sentence("returned", n=38, year=2021) == (
            "I 2021 blev 38 personer hjulpet hjem med en forberedt hjemsendelse."
        )


@pytest.mark.parametrize("language", ["en", "da"])
@pytest.mark.parametrize(
    ("previous", "current"),
    [
        (p, c)
        for p in (0, 1, 2, 3, 4, 5, 7, 9, 10, 12, 18, 40, 73, 77, 112)
        for c in (0, 1, 3, 8, 9, 13, 37, 60, 80, 112)
    ],
)
def test_no_sentence_mixes_number_words_and_digits_or_leaves_a_placeholder(
    language, previous, current
):
    words = {
        "en": {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"},
        "da": {"tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti"},
    }[language]
    with translation.override(language):
        sentence = phrasing.change_sentence(
            IDENTIFIED, previous=previous, current=current, year=2021
        )
    assert "%(" not in sentence
    # Fractions are words by nature ("fell by three quarters"), not counts.
    for fraction in ("three quarters", "two thirds", "tre fjerdedele", "to tredjedele"):
        sentence = sentence.replace(fraction, "")
    tokens = {t.strip(".,()") for t in sentence.split()}
    assert not (tokens & words), sentence
