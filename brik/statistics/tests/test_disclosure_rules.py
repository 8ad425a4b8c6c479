"""The rules of disclosure control on hand-made tables."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from brik.statistics import disclosure
from brik.statistics.tables import PRIMARY, TOTAL, Column, Row, Table


def gender_table(values_by_year: dict[str, list[int]], years=(2020, 2021)) -> Table:
    rows = [Row(key=k, label=k, values=list(v)) for k, v in values_by_year.items()]
    return Table(
        slug="gender",
        title="gender",
        columns=[Column(key=y, label=str(y)) for y in years],
        rows=rows,
        total=Row(
            key=TOTAL,
            label="total",
            values=[sum(r.values[i] for r in rows) for i in range(len(years))],
        ),
        note="",
        measure="identified",
        row_dim="gender",
    )


def test_a_small_cell_is_hidden_and_one_more_so_it_cannot_be_subtracted():
    table = gender_table({"woman": [54, 40], "man": [22, 39], "trans": [1, 1], "unknown": [0, 0]})
    (protected,) = disclosure.protect([table], t=5)
    displayed = {row.key: cells for row, cells in protected.display_rows(5)}
    assert displayed["trans"][:2] == ["<5", "<5"]
    assert displayed["total"][:2] == ["77", "80"]
    # In each year one more cell is hidden next to the small one.
    for i in (0, 1):
        hidden = [row.key for row in protected.rows if row.mark(i)]
        assert len(hidden) >= 2
    # The change is not shown where a figure is hidden.
    assert displayed["trans"][2] == ""


def test_zero_is_shown_and_large_cells_are_left_alone_without_need():
    table = gender_table({"woman": [30, 41], "man": [20, 38], "trans": [0, 0], "unknown": [0, 0]})
    (protected,) = disclosure.protect([table], t=5)
    assert all(not row.marks or not any(row.marks) for row in protected.all_rows())
    displayed = {row.key: cells for row, cells in protected.display_rows(5)}
    assert displayed["trans"] == ["0", "0", "0"]
    assert displayed["man"][2] == "+18"


def test_a_figure_hidden_in_one_table_is_hidden_in_another_that_shows_it():
    table = gender_table({"woman": [40], "man": [39], "trans": [1], "unknown": [0]}, years=(2021,))
    copy = gender_table({"woman": [40], "man": [39], "trans": [1], "unknown": [0]}, years=(2021,))
    copy.slug = "again"
    first, second = disclosure.protect([table, copy], t=5)
    assert [r.marks for r in first.all_rows()] == [r.marks for r in second.all_rows()]


def test_internal_tables_keep_every_figure_and_say_so():
    table = gender_table({"woman": [3], "man": [1]}, years=(2021,))
    (internal,) = disclosure.exact([table])
    assert internal.internal
    assert [cells for _row, cells in internal.display_rows(5)] == [["3"], ["1"], ["4"]]


def test_a_total_below_the_threshold_is_hidden_like_any_small_cell():
    # One identified person: "Thailand <5, Removal of organs <5, Total 1" would name them.
    table = gender_table({"woman": [1], "man": [0]}, years=(2021,))
    (protected,) = disclosure.protect([table], t=5)
    assert protected.total.mark(0) == PRIMARY
    displayed = {row.key: cells for row, cells in protected.display_rows(5)}
    assert displayed["total"] == ["<5"]
    assert displayed["woman"] == ["<5"]
    assert displayed["man"] == ["0"]


def test_a_small_total_is_hidden_in_every_table_that_shows_it_and_a_large_one_is_not():
    small = gender_table({"woman": [30, 3], "man": [20, 0]}, years=(2020, 2021))
    again = gender_table({"woman": [30, 3], "man": [20, 0]}, years=(2020, 2021))
    again.slug, again.row_dim = "again", "sex"
    first, second = disclosure.protect([small, again], t=5)
    for table in (first, second):
        assert table.total.mark(1) == PRIMARY
        assert table.total.mark(0) == ""
        assert table.display_rows(5)[-1][1][:2] == ["50", "<5"]


@override_settings(BRIK_SDC_THRESHOLD=3)
def test_the_threshold_is_a_setting():
    table = gender_table({"woman": [40], "man": [3], "trans": [2], "unknown": [0]}, years=(2021,))
    (protected,) = disclosure.protect([table])
    assert protected.row("man").mark(0) == ""
    assert protected.row("trans").mark(0) == PRIMARY


@override_settings(BRIK_SDC_THRESHOLD=1)
def test_a_threshold_below_three_is_refused():
    with pytest.raises(ImproperlyConfigured):
        disclosure.threshold()
