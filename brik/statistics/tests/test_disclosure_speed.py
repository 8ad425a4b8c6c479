"""The faster protection chooses exactly what the plain search chose (issue 10, speed).

- `_cheapest` stops at the first option that leaves nothing exposed: it must
  pick what min(options, key=cost) picks, for any costs.
- The pattern is kept under a digest that is the same in both languages (row
  order differs between them) and differs when a figure differs.
"""

import datetime as dt

from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from brik.statistics import disclosure, frozen
from brik.statistics.models import PublishedCell, PublishedRelease
from brik.statistics.tables import TOTAL, Column, Row, Table


@given(
    st.dictionaries(
        st.text(alphabet="abcdef", min_size=1, max_size=3),
        st.tuples(st.integers(0, 3), st.integers(0, 9)),
        min_size=1,
        max_size=12,
    )
)
def test_the_cheapest_option_is_the_one_min_would_choose(options):
    values = {key: value for key, (_exposed, value) in options.items()}
    tried = []

    def cost(key):
        tried.append(key)
        return (options[key][0], values[key], str(key))

    assert disclosure._cheapest(set(options), cost, values) == min(options, key=cost)


def _table(order, counts) -> Table:
    return Table(
        slug="gender",
        title="t",
        columns=[Column(key=2021, label="2021")],
        rows=[Row(key=k, label=k, values=[counts[k]]) for k in order],
        total=Row(key=TOTAL, label="Total", values=[sum(counts.values())]),
        note="",
        measure="identified",
        row_dim="gender",
        additive=True,
    )


def test_the_kept_pattern_is_shared_by_both_row_orders_and_not_by_other_figures(db, monkeypatch):
    cache.clear()
    disclosure._PATTERNS.clear()
    counts = {"woman": 40, "man": 2, "unknown": 9}
    first = disclosure.protect([_table(["woman", "man", "unknown"], counts)], t=5)
    assert len(disclosure._PATTERNS) == 1
    second = disclosure.protect([_table(["unknown", "man", "woman"], counts)], t=5)
    assert len(disclosure._PATTERNS) == 1  # the same digest: no new search
    assert {r.key: r.marks for r in first[0].all_rows()} == {
        r.key: r.marks for r in second[0].all_rows()
    }
    disclosure.protect([_table(["woman", "man", "unknown"], {**counts, "unknown": 10})], t=5)
    assert len(disclosure._PATTERNS) == 2
    # Another process (an empty memo) finds the pattern in Django's cache.
    disclosure._PATTERNS.clear()

    def no_search(*args, **kwargs):
        raise AssertionError("searched again")

    monkeypatch.setattr(disclosure, "suppress", no_search)
    again = disclosure.protect([_table(["woman", "man", "unknown"], counts)], t=5)
    assert {r.key: r.marks for r in again[0].all_rows()} == {
        r.key: r.marks for r in first[0].all_rows()
    }


def test_the_frozen_cells_are_read_again_when_a_publication_differs(db):
    """The frozen cells are kept per state of the publications; a cell that differs
    (here written over in place, as a rolled-back and repeated publication could leave
    the same ids behind) is read again, never served from the kept copy."""
    release = PublishedRelease.objects.create(
        year=2020,
        published_at=dt.datetime(2021, 1, 5, tzinfo=dt.UTC),
        data_as_of=dt.date(2021, 1, 4),
        threshold=5,
        document={},
    )
    key = ("identified", (("year", 2020),))
    cell = PublishedCell.objects.create(
        release=release,
        table="identified_series",
        row="total",
        column="2020",
        key=frozen.key_text(key),
        value=77,
        exact=77,
        mark="",
    )
    assert frozen.frozen_cells()[key].exact == 77
    PublishedCell.objects.filter(pk=cell.pk).update(value=78, exact=78)
    assert frozen.frozen_cells()[key].exact == 78
    # The kept copy is not handed out to be changed in place.
    frozen.frozen_cells().clear()
    assert key in frozen.frozen_cells()
