"""The chain's one-pass canonical text of a JSON field equals the exact json round trip."""

import datetime as dt
import enum

from django.db import models
from hypothesis import given
from hypothesis import strategies as st

from brik.audit import chain


class Colour(models.TextChoices):
    RED = "red", "Red"


class Size(enum.IntEnum):
    LARGE = 3


def _slow(value) -> str:
    return chain._canonical(chain._as_stored(value))


scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_the_one_pass_text_is_the_round_trip_text(value):
    assert chain._stored_text(value) == _slow(value if value is not None else {})


def test_choices_tuples_and_keys_json_changes_are_written_as_stored():
    value = {
        "colour": Colour.RED,
        "size": Size.LARGE,
        "pair": (1, "two"),
        "n": 100,
        "mixed": {1: "one", "1": "uno"},
        "flag": {True: 1, None: 2},
    }
    assert chain._stored_text(value) == _slow(value)
    assert chain._stored_text(None) == _slow({})


def test_content_text_is_the_canonical_text_of_the_whole_row():
    row = {
        "sequence": 7,
        "created_at": dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC),
        "actor_id": 3,
        "organisation_id": None,
        "action": "brik.case.viewed",
        "object_type": "cases.case",
        "object_id": 12,
        "case_id": 12,
        "data": {"from": "a", "n": (1, 2.5)},
        "changes": None,
    }
    head = [7, "2024-05-01T09:30:00.000000+00:00", 3, None, "brik.case.viewed", "cases.case"]
    expected = chain._canonical([*head, "12", 12, chain._as_stored(row["data"]), {}])
    assert chain.content_text(row) == expected


@given(
    st.integers() | st.sampled_from([0, 10, -10, 10**26 + 1, 10**27 - 1, 10**27 + 1, -(10**27) - 3])
)
def test_whole_numbers_are_written_as_decimal_normalises_them(value):
    from decimal import Decimal

    assert chain._canonical(value) == "#" + str(Decimal(value).normalize())
