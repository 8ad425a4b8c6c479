"""The report's charts: well-formed SVG, hidden figures not drawn, labels escaped."""

import xml.etree.ElementTree as ET

from brik.statistics import charts
from brik.statistics.selectors.specs import series_table, years_table
from brik.statistics.tables import PRIMARY, SECONDARY

SVG = "{http://www.w3.org/2000/svg}"


def _forms_table():
    table = years_table(
        slug="forms",
        title="Victims <by> form",
        measure="identified",
        row_dim="form",
        years=[2022, 2023],
        counts={(2022, "a"): 120, (2023, "a"): 140, (2022, "b"): 3, (2023, "b"): 9},
        categories=[("a", "Sexual & other"), ("b", "Forced labour")],
        totals=None,
        note="",
    )
    table.rows[1].marks = [PRIMARY, SECONDARY]
    return table


def _parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    return root


def test_a_comparison_chart_draws_shown_figures_only(db):
    root = _parse(charts.comparison_chart(_forms_table(), threshold=5))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"2022", "2023", "Sexual & other", "Forced labour", "120", "140", "<5", "x"} <= set(
        texts
    )
    assert "3" not in texts
    assert "9" not in texts
    # Two bars for the shown row, two legend keys, and for the hidden row two marked
    # slots (no bar): the row is there, its figures are not.
    rects = list(root.iter(f"{SVG}rect"))
    assert len([r for r in rects if r.get("class") != "hidden-slot"]) == 4
    assert len([r for r in rects if r.get("class") == "hidden-slot"]) == 2
    assert root.get("aria-label") == "Victims <by> form"
    assert root.get("class") == "chart"


def test_a_series_chart_has_a_bar_per_year_and_the_last_stands_out(db):
    table = series_table(
        slug="identified_series",
        title="Per year",
        measure="identified",
        series={2021: 90, 2022: 0, 2023: 100},
        label="Identified",
        note="",
    )
    root = _parse(charts.series_chart(table, threshold=5))
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert fills == [charts.PREVIOUS, charts.CURRENT]
    heights = [float(r.get("height")) for r in root.iter(f"{SVG}rect")]
    assert heights[0] < heights[1]


def test_the_same_data_gives_the_same_chart(db):
    assert charts.comparison_chart(_forms_table(), threshold=5) == charts.comparison_chart(
        _forms_table(), threshold=5
    )


def test_a_hidden_figure_is_a_marked_slot_of_one_size_whatever_its_count(db):
    """Issue 10: the 2021 gender chart had no bar for men when men were hidden."""
    small, large = _forms_table(), _forms_table()
    large.rows[1].values = [4, 1]  # other hidden counts, the same marks
    assert charts.comparison_chart(small, threshold=5) == charts.comparison_chart(
        large, threshold=5
    )
    slots = [
        r
        for r in _parse(charts.comparison_chart(small, threshold=5)).iter(f"{SVG}rect")
        if r.get("class") == "hidden-slot"
    ]
    assert {r.get("width") for r in slots} == {str(charts.HIDDEN_SLOT)}
    assert all(r.get("fill") == "none" and r.get("stroke-dasharray") for r in slots)


def test_actions_and_persons_are_drawn_on_scales_of_their_own(db):
    """Issue 10: actions held and persons met shared one axis (5 actions, a bar of nothing)."""
    table = years_table(
        slug="joint_actions",
        title="Joint actions",
        measure="joint_actions",
        row_dim="result",
        years=[2022, 2023],
        counts={(2022, "actions"): 4, (2023, "actions"): 5, (2022, "met"): 300, (2023, "met"): 250},
        categories=[("actions", "Actions held"), ("met", "Persons met")],
        totals=None,
        note="",
    )
    svg = str(charts.comparison_chart(table, threshold=5))
    assert svg.count("<svg") == 2
    first, second = (_parse("<svg" + part) for part in svg.split("<svg")[1:])
    assert "Actions held" in [t.text for t in first.iter(f"{SVG}text")]
    assert "Actions held" not in [t.text for t in second.iter(f"{SVG}text")]

    def longest(root):
        return max(float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("y") != "4")

    # Each chart's largest bar spans its own plot: 5 actions are not a sliver beside 300.
    assert longest(first) > 0.5 * longest(second)
