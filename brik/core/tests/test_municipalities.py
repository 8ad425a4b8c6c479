"""Denmark's municipalities and their regions (brik.core.municipalities)."""

from collections import Counter

import pytest

from brik.core.choices import Region
from brik.core.municipalities import MUNICIPALITIES, NAMES, official_name, region_of


def test_the_98_municipalities_and_their_regions_as_since_2007():
    assert len(MUNICIPALITIES) == len(NAMES) == 98
    assert len({code for code, _name, _region in MUNICIPALITIES}) == 98
    # The number of municipalities in each region.
    assert Counter(region for _code, _name, region in MUNICIPALITIES) == {
        Region.HOVEDSTADEN: 29,
        Region.SJAELLAND: 17,
        Region.SYDDANMARK: 22,
        Region.MIDTJYLLAND: 19,
        Region.NORDJYLLAND: 11,
    }


@pytest.mark.parametrize(
    ("typed", "official", "region"),
    [
        ("Aarhus", "Aarhus", Region.MIDTJYLLAND),
        ("  aarhus   kommune ", "Aarhus", Region.MIDTJYLLAND),
        ("Århus", "Aarhus", Region.MIDTJYLLAND),
        ("Københavns Kommune", "København", Region.HOVEDSTADEN),
        ("Copenhagen", "København", Region.HOVEDSTADEN),
        ("HORSENS", "Horsens", Region.MIDTJYLLAND),
        ("Vejle Kommune", "Vejle", Region.SYDDANMARK),
        ("Bornholms Regionskommune", "Bornholm", Region.HOVEDSTADEN),
        ("Berlin", "Berlin", None),
        ("", "", None),
    ],
)
def test_a_typed_municipality_is_recognised_in_its_usual_spellings(typed, official, region):
    assert official_name(typed) == official
    assert region_of(typed) == region
