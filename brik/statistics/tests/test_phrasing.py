"""Trends in words: the kind of change, and its sentence in English and Danish."""

import pytest
from django.utils import translation

from brik.statistics import phrasing
from brik.statistics.phrasing import Kind, Measure

IDENTIFIED = Measure(
    lambda: translation.gettext("the number of persons identified as victims of trafficking")
)


@pytest.mark.parametrize(
    ("previous", "current", "kind", "fraction"),
    [
        (77, 80, Kind.LEVEL, None),
        (80, 77, Kind.LEVEL, None),
        (100, 105, Kind.LEVEL, None),
        (40, 43, Kind.LEVEL, None),  # 3 and 7.5 %
        (20, 23, Kind.ROSE, None),  # 3 but 15 %
        (2, 5, Kind.MORE_THAN_DOUBLED, None),
        (18, 37, Kind.DOUBLED, None),
        (10, 25, Kind.MORE_THAN_DOUBLED, None),
        (4, 12, Kind.TRIPLED, None),
        (3, 20, Kind.MORE_THAN_TRIPLED, None),
        (40, 20, Kind.HALVED, None),
        (40, 30, Kind.FELL_FRACTION, "quarter"),
        (30, 40, Kind.ROSE_FRACTION, "third"),
        (40, 60, Kind.ROSE_FRACTION, "half"),
        (60, 20, Kind.FELL_FRACTION, "two_thirds"),
        (100, 88, Kind.FELL, None),
        (0, 3, Kind.FIRST, None),
        (5, 0, Kind.TO_ZERO, None),
        (0, 0, Kind.NONE, None),
    ],
)
def test_it_names_the_change(previous, current, kind, fraction):
    assert phrasing.classify(previous, current) == (kind, fraction)


def test_after_a_year_without_it_is_not_the_first_time():
    assert phrasing.classify(0, 3, earlier=[2, 0]) == (Kind.AGAIN, None)
    assert phrasing.classify(0, 3, earlier=[0, 0]) == (Kind.FIRST, None)


def test_the_level_tolerance_is_five_percent_or_three_within_ten_percent():
    assert phrasing.is_level(60, 63)
    assert not phrasing.is_level(60, 64)
    assert phrasing.is_level(200, 210)
    assert not phrasing.is_level(200, 211)
    assert not phrasing.is_level(10, 11)  # 10 %: one is not "on level" among ten


def test_on_level_in_english_and_danish():
    kwargs = {"previous": 77, "current": 80, "year": 2021}
    with translation.override("en"):
        assert phrasing.change_sentence(IDENTIFIED, **kwargs) == (
            "The number of persons identified as victims of trafficking was on level with "
            "2020 (80 against 77)."
        )
    with translation.override("da"):
        assert phrasing.change_sentence(IDENTIFIED, **kwargs) == (
            "Antallet af personer vurderet udsat for menneskehandel var på niveau med "
            "2020 (80 mod 77)."
        )


def test_small_differences_are_written_in_words_with_the_right_number():
    with translation.override("en"):
        assert "rose by one person," in phrasing.change_sentence(
            IDENTIFIED, previous=10, current=11, year=2021
        )
        assert "fell by three persons," in phrasing.change_sentence(
            IDENTIFIED, previous=20, current=17, year=2021
        )
        assert "rose by 15 persons," in phrasing.change_sentence(
            IDENTIFIED, previous=100, current=115, year=2021
        )
    with translation.override("da"):
        assert "steg med en person," in phrasing.change_sentence(
            IDENTIFIED, previous=10, current=11, year=2021
        )
        assert "faldt med tre personer," in phrasing.change_sentence(
            IDENTIFIED, previous=20, current=17, year=2021
        )


@pytest.mark.parametrize(
    ("n", "english", "danish"),
    [
        (1, "one", "en"),
        (2, "two", "to"),
        (7, "seven", "syv"),
        (11, "eleven", "elleve"),
        (12, "twelve", "tolv"),
        (13, "13", "13"),
    ],
)
def test_number_words_up_to_twelve(n, english, danish):
    with translation.override("en"):
        assert phrasing.number_word(n) == english
    with translation.override("da"):
        assert phrasing.number_word(n) == danish


def test_danish_one_agrees_with_a_neuter_noun():
    with translation.override("da"):
        assert phrasing.number_word(1, neuter=True) == "et"


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
        (4, 12, "tripled", "blev tredoblet"),
        (40, 20, "was halved", "blev halveret"),
        (40, 30, "fell by a quarter", "faldt med en fjerdedel"),
        (30, 40, "rose by a third", "steg med en tredjedel"),
        (0, 3, "the first time", "første gang"),
        (5, 0, "to none in 2021", "til ingen i 2021"),
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


def test_a_record_is_named_only_when_the_series_is_long_enough():
    series = {2019: 20, 2020: 25, 2021: 38}
    with translation.override("en"):
        assert phrasing.record_sentence(series, year=2021) == (
            "That is the highest number since the series began in 2019."
        )
        assert phrasing.record_sentence({2019: 40, 2020: 25, 2021: 10}, year=2021).startswith(
            "That is the lowest"
        )
        assert phrasing.record_sentence({2020: 25, 2021: 38}, year=2021) == ""
        assert phrasing.record_sentence({2019: 40, 2020: 25, 2021: 38}, year=2021) == ""
    with translation.override("da"):
        assert phrasing.record_sentence(series, year=2021) == (
            "Det er det højeste antal, siden opgørelsen begyndte i 2019."
        )


def test_gender_balance_in_words():
    with translation.override("en"):
        assert "almost equally many women and men" in phrasing.gender_sentence(
            women=41, men=38, year=2021
        )
        assert "more women than men" in phrasing.gender_sentence(women=48, men=24, year=2022)
        assert "(3 women and 1 man)" in phrasing.gender_sentence(women=3, men=1, year=2022)
    with translation.override("da"):
        assert "næsten lige mange kvinder og mænd" in phrasing.gender_sentence(
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
