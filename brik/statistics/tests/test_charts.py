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
    # Two bars for the shown row, none for the hidden one, two legend keys.
    assert len(list(root.iter(f"{SVG}rect"))) == 4
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
