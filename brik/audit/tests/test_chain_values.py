"""The chain of rows given as tuples (the demo's writer) is the chain of the same rows as dicts."""

import datetime as dt
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from brik.audit import chain

KEY = b"k" * 32
ids = st.none() | st.integers(min_value=1, max_value=2**40)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)
rows = st.lists(
    st.tuples(
        st.datetimes(timezones=st.just(dt.UTC)),
        ids,
        ids,
        st.text(max_size=30),
        st.text(max_size=30),
        st.text(max_size=10) | st.integers(),
        ids,
        st.dictionaries(st.text(max_size=8), json_values, max_size=4),
        st.dictionaries(st.text(max_size=8), json_values, max_size=3),
    ),
    min_size=1,
    max_size=5,
)
NAMES = chain.CONTENT[1:]  # CONTENT but `sequence`, the tuples' order


def _dict_links(values: list[tuple], head) -> list[tuple]:
    dicts = [dict(zip(NAMES, row, strict=True)) for row in values]
    with mock.patch.object(chain, "_head", return_value=head):
        chain.rows_chain(dicts)
    return [(d["sequence"], d["prev_hash"], d["row_hash"]) for d in dicts]


def _tuple_links(values: list[tuple], head) -> list[tuple]:
    with mock.patch.object(chain, "_head", return_value=head):
        return chain.values_chain(values)


@given(rows, st.integers(min_value=0, max_value=10**6))
def test_tuples_are_chained_as_the_same_rows_as_dicts(values, last):
    head = (KEY, last, chain.GENESIS if last == 0 else "ab" * 32)
    assert _tuple_links(values, head) == _dict_links(values, head)


@given(rows)
def test_the_comparison_sees_a_changed_value(values):
    """The two ways are compared on the links, which change with any value of any row."""
    head = (KEY, 0, chain.GENESIS)
    changed = [(*values[0][:3], values[0][3] + "x", *values[0][4:]), *values[1:]]
    before, after = _tuple_links(values, head), _dict_links(changed, head)
    assert [link[2] for link in before] != [link[2] for link in after]
    assert all(b[2] != a[2] for b, a in zip(before, after, strict=True))


def test_no_rows_no_links():
    assert chain.values_chain([]) == []
