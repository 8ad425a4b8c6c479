"""jsonable's shortcut for the usual exact types gives what the isinstance chain gave."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from hypothesis import given
from hypothesis import strategies as st

from brik.audit.services import jsonable


class Colour(models.TextChoices):
    RED = "red", "Red"


def _isinstance_chain(value: Any) -> Any:
    """jsonable as it was before the shortcut."""
    if isinstance(value, dict):
        return {k: _isinstance_chain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_isinstance_chain(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.dates()
    | st.decimals(allow_nan=False)
    | st.sampled_from(Colour)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(values)
def test_the_shortcut_gives_what_the_isinstance_chain_gave(value):
    got, expected = jsonable(value), _isinstance_chain(value)
    assert got == expected
    assert type(got) is type(expected)


def test_the_comparison_sees_a_changed_type():
    assert jsonable(Colour.RED) is Colour.RED  # a text choice stays itself, as before
    assert jsonable(dt.date(2021, 3, 1)) == "2021-03-01"
    assert jsonable(Decimal("1.50")) == "1.50"
    assert type(jsonable(True)) is bool
    assert type(_isinstance_chain(Colour.RED)) is not str
