"""The world map (issue 10: nationality by gender, "the centre's world map").

The geometry comes from npm (world-atlas) and maps every listed country to a
shape; a hidden figure is a hatch whatever its count; and, on a report built
from a random history, every number and marker in the map is the published
table's cell, in both languages and in the PDF.
"""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from brik.core.countries import REPORTING_COUNTRY
from brik.statistics import charts, exports, worldmap
from brik.statistics.checks import world_map_geometry_check
from brik.statistics.report import report_build
from brik.statistics.selectors.specs import by_gender_table
from brik.statistics.tables import PRIMARY, SECONDARY, TOTAL, display_cell
from brik.statistics.tests.conftest import build_random_history

SVG = "{http://www.w3.org/2000/svg}"
# The default list of citizenships (brik/settings.py), whatever the environment sets.
DEFAULT_CITIZENSHIPS = (
    *("DK", "NG", "RO", "TH", "VN", "MA", "UG", "HU", "UA", "BG"),
    *("PL", "LT", "PH", "CN", "GH", "KE", "BR", "AF", "IN"),
)
MERGED = {"other_eu", "other_non_eu", "unknown"}


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def _parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    return root


def _table(cells: dict[str, dict[str, int]], marks: dict[str, list[str]] | None = None):
    """A citizenship by gender table of 2023: {country: {gender: count}}."""
    countries = [(key, key) for key in cells]
    counted = [
        {
            "person__gender": gender,
            "persons": 0,
            **{f"c_{i}": cells[key].get(gender, 0) for i, (key, _label) in enumerate(countries)},
        }
        for gender in ("woman", "man", "trans", "unknown")
    ]
    table = by_gender_table(
        counted=counted,
        categories=countries,
        count_of=lambda i, _key: f"c_{i}",
        slug="citizenship_gender",
        title="Victims by citizenship & gender",
        note="",
        row_dim="country",
        year=2023,
    )
    for row in table.rows:
        row.marks = (marks or {}).get(row.key, [""] * len(table.columns))
    return table


# --- the geometry ------------------------------------------------------------------------------


def test_every_listed_default_country_has_a_shape_and_the_paths_are_small():
    on_map = worldmap.codes_on_map()
    assert set(DEFAULT_CITIZENSHIPS) <= on_map
    assert len(on_map) > 150
    assert "AQ" not in on_map  # nobody's citizenship
    shapes = worldmap.shapes()
    assert worldmap.shapes() is shapes  # projected once per process
    for shape in shapes:
        assert re.fullmatch(r"(M[-0-9. ]+l[-0-9. ]+z)+", shape.path), shape.code
        # Tenths of a unit at most.
        assert not re.search(r"\.\d\d", shape.path), shape.code
    assert sum(len(s.path) for s in shapes) < 90_000


def _points(path: str) -> list[tuple[float, float]]:
    """The absolute points of an SVG path written as M x y l dx dy ... z."""
    points = []
    for ring in re.findall(r"M([^l]+)l([^z]*)z", path):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d)?", " ".join(ring))]
        x, y = numbers[0], numbers[1]
        points.append((x, y))
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


def test_countries_across_the_antimeridian_are_cut_not_drawn_across_the_world():
    shapes = {s.code: s.path for s in worldmap.shapes()}
    for code in ("RU", "FJ", "US"):
        path = shapes[code]
        for ring in re.findall(r"M[^z]*z", path):
            xs = [x for x, _y in _points(ring)]
            # A ring that jumped from 180° to -180° would span the map.
            assert max(xs) - min(xs) < worldmap.WIDTH * 0.6, code
        assert all(
            -0.5 <= x <= worldmap.WIDTH + 0.5 and -0.5 <= y <= worldmap.MAP_HEIGHT + 0.5
            for x, y in _points(path)
        ), code


def test_a_missing_geometry_says_how_to_install_it(settings, tmp_path):
    assert world_map_geometry_check(None) == []
    worldmap.shapes.cache_clear()
    settings.NODE_MODULES = tmp_path
    try:
        with pytest.raises(ImproperlyConfigured, match="make install"):
            worldmap.shapes()
        # `brik check` says so before anyone asks for a report.
        [error] = world_map_geometry_check(None)
        assert error.id == "brik.statistics.E001"
        assert "make install" in error.hint
    finally:
        worldmap.shapes.cache_clear()


# --- classes and hidden cells ---------------------------------------------------------------


def test_a_countrys_class_follows_its_published_cell_only(english):
    cls = worldmap.cell_class
    assert cls(3, PRIMARY, 5) == cls(1, PRIMARY, 5) == "b1"
    assert cls(40, SECONDARY, 5) == cls(0, SECONDARY, 5) == "hidden"
    assert cls(0, "", 5) == "zero"
    assert [cls(n, "", 5) for n in (5, 9, 10, 24, 25, 900)] == ["b2", "b2", "b3", "b3", "b4", "b4"]
    # Another threshold moves the first band's end; the bands still cover every count.
    assert [b.label for b in worldmap.bands(10, internal=False)][:3] == [
        "<10",
        "10–24",
        "25 or more",
    ]
    assert [cls(n, "", 10) for n in (10, 24, 25)] == ["b2", "b2", "b3"]
    assert worldmap.bands(5, internal=True)[0].label == "1–4"


def _paths(root) -> dict[str, ET.Element]:
    return {p.get("data-country"): p for p in root.iter(f"{SVG}path") if p.get("data-country")}


def test_a_hidden_figure_is_hatched_whatever_its_count(db, english):
    width = 5
    marks = {"IN": [SECONDARY, SECONDARY, "", "", SECONDARY], "TH": [PRIMARY, "", "", "", PRIMARY]}
    small = _table(
        {"NG": {"woman": 12, "man": 3}, "IN": {"woman": 2, "man": 4}, "TH": {"woman": 2}}, marks
    )
    large = _table(
        {"NG": {"woman": 12, "man": 3}, "IN": {"woman": 30, "man": 9}, "TH": {"woman": 4}}, marks
    )
    assert len(small.columns) == width
    svg = worldmap.world_map(small, threshold=5)
    assert svg == worldmap.world_map(large, threshold=5)
    paths = _paths(_parse(svg))
    assert paths["IN"].get("class") == "hidden"
    assert paths["IN"].get("fill") == f"url(#{worldmap.HATCH})"
    assert paths["IN"].find(f"{SVG}title").text == "IN: x – Woman: x, Man: x"
    assert paths["TH"].get("class") == "b1"
    assert paths["TH"].find(f"{SVG}title").text == "TH: <5 – Woman: <5"
    assert paths["NG"].get("class") == "b3"
    assert paths["NG"].find(f"{SVG}title").text == "NG: 15 – Woman: 12, Man: 3"
    root = _parse(svg)
    assert root.find(f"{SVG}defs/{SVG}pattern").get("id") == worldmap.HATCH
    legend = {
        g.get("data-class"): "".join(g.itertext())
        for g in root.iter(f"{SVG}g")
        if g.get("data-class")
    }
    assert legend["hidden"] == "x: hidden (disclosure control)"
    assert legend["b1"] == "<5"


def test_rows_the_map_cannot_draw_are_listed_under_it(db, english):
    table = _table(
        {
            "NG": {"woman": 6},
            "MT": {"man": 5},  # too small for the map at 1:110 million
            REPORTING_COUNTRY: {"woman": 7},
            "other_eu": {"woman": 9},
            "other_non_eu": {},
            "unknown": {"man": 1},
        },
        {"unknown": ["", PRIMARY, "", "", PRIMARY]},
    )
    root = _parse(worldmap.world_map(table, threshold=5))
    apart = {
        t.get("data-country"): "".join(t.itertext())
        for t in root.iter(f"{SVG}text")
        if t.get("class") == "apart"
    }
    assert apart == {
        REPORTING_COUNTRY: f"{REPORTING_COUNTRY}: 7 – Woman: 7",
        "MT": "MT: 5 – Man: 5",
        "other_eu": "other_eu: 9 – Woman: 9",
        "other_non_eu": "other_non_eu: 0",
        "unknown": "unknown: <5 – Man: <5",
    }
    paths = _paths(root)
    # The reporting country is drawn neutral (outlined), without figures.
    assert paths[REPORTING_COUNTRY].get("class") == "reporting"
    assert paths[REPORTING_COUNTRY].find(f"{SVG}title") is None
    assert "MT" not in paths
    assert paths["NG"].get("class") == "b2"
    # Countries the table does not list are neutral, with no title.
    assert paths["FR"].get("class") == "neutral"
    assert paths["FR"].find(f"{SVG}title") is None
    # Printed at the page's width (446 units on about 493 pt), no text is under 8 pt.
    assert root.get("viewBox").split()[2] == str(charts.WIDTH)
    sizes = [float(t.get("font-size", root.get("font-size"))) for t in root.iter(f"{SVG}text")]
    assert sizes
    assert min(sizes) >= 8
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "worldmap-title worldmap-desc"


def test_a_long_line_under_the_map_wraps_within_its_width():
    text = "Statsborgerskab ukendt: 1.234 – " + ", ".join(
        f"Transkønnet / ikke-binær {i}: <5" for i in range(4)
    )
    lines = worldmap._lines(text)
    assert len(lines) > 1
    assert "".join(lines) == text
    assert all(
        worldmap._text_width(line.rstrip(), worldmap.SMALL) <= worldmap.WIDTH for line in lines
    )


def test_europe_is_drawn_again_larger_in_an_inset(db, english):
    table = _table({"LT": {"woman": 6}, "NG": {"man": 7}})
    root = _parse(worldmap.world_map(table, threshold=5))
    inset = next(g for g in root.iter(f"{SVG}g") if g.get("data-inset") == "europe")
    inside = {p.get("data-country"): p for p in inset.iter(f"{SVG}path")}
    assert {"LT", "RO", "PL", "HU", "BG", "UA", REPORTING_COUNTRY} <= set(inside)
    assert not {"NG", "BR"} & set(inside)
    # The same published class and title as on the world map.
    assert inside["LT"].get("class") == "b2"
    assert inside["LT"].find(f"{SVG}title").text == "LT: 6 – Woman: 6"
    assert "scale(1.8)" in ET.tostring(inset, encoding="unicode")
    assert "".join(inset.find(f"{SVG}text").itertext()) == "Europe"


def test_only_the_citizenship_by_gender_table_is_drawn(db):
    table = _table({"NG": {"woman": 6}})
    table.slug = "gender"
    with pytest.raises(ValueError, match="citizenship_gender"):
        worldmap.world_map(table, threshold=5)


# --- on a report: nothing but published cells ------------------------------------------------

TOKEN = re.compile(r"<\d+|(?<![\w])x(?![\w])|\d+(?:[.,]\d+)*")


def _expected_tokens(table, row, threshold) -> list[str]:
    """The row's published cells as the map must give them: the total, then each
    gender not published as 0, in the table's order."""
    index = [c.key for c in table.columns].index(TOTAL)
    cells = [display_cell(row.values[index], row.mark(index), threshold)]
    for i, column in enumerate(table.columns):
        if column.key != TOTAL and (row.values[i] or row.mark(i)):
            cells.append(display_cell(row.values[i], row.mark(i), threshold))
    return cells


def _class_of(shown: str, threshold: int) -> str:
    """The class a published text calls for, worked out apart from worldmap.cell_class."""
    if shown == "x":
        return "hidden"
    if shown == f"<{threshold}":
        return "b1"
    count = int(shown.replace(".", "").replace(",", ""))
    if count == 0:
        return "zero"
    if count < threshold:  # exact, in the internal report
        return "b1"
    return "b2" if count < 10 else "b3" if count < 25 else "b4"


def _check_map_against_tables(report) -> int:
    """Every figure in the map is its published cell; returns how many hidden ones it shows."""
    tables = {t.slug: t for t in report.all_tables()}
    cross, citizenship = tables["citizenship_gender"], tables["citizenship"]
    svg = dict(next(s for s in report.sections if s.slug == "citizenship").charts)[
        "citizenship_gender"
    ]
    root = _parse(svg)
    threshold = report.threshold
    hidden = 0
    seen = set()
    for element in root.iter():
        key = element.get("data-country")
        if element.tag == f"{SVG}path" and element.get("class") in ("neutral", "reporting"):
            assert element.find(f"{SVG}title") is None
            continue
        if element.tag not in (f"{SVG}path", f"{SVG}text") or key is None:
            continue
        row = cross.row(key)
        text = (
            "".join(element.itertext())
            if element.tag == f"{SVG}text"
            else element.find(f"{SVG}title").text
        )
        label, _sep, figures = text.partition(": ")
        assert label == row.label
        # Gender labels hold no figures; the figures are exactly the row's published cells.
        tokens = TOKEN.findall(figures)
        assert tokens == _expected_tokens(cross, row, threshold), text
        # The total is the citizenship table's published cell of the year.
        assert tokens[0] == display_cell(row.values[-1], row.mark(-1), threshold)
        year = [c.key for c in citizenship.columns].index(report.year)
        shown = citizenship.row(key)
        assert tokens[0] == display_cell(shown.values[year], shown.mark(year), threshold)
        if element.tag == f"{SVG}path":
            assert element.get("class") == _class_of(tokens[0], threshold), text
        hidden += sum(t == "x" or t.startswith("<") for t in tokens)
        seen.add(key)
    # Every row of the table is on the map or listed under it.
    assert seen == {r.key for r in cross.rows}
    # Nothing else in the map holds a figure: the legend's bands and the year only.
    for element in root.iter():
        if element.get("data-country") is not None or element.tag == f"{SVG}title":
            continue
        text = "".join(element.itertext()) if element.tag == f"{SVG}g" else (element.text or "")
        if element.tag == f"{SVG}desc":
            assert TOKEN.findall(text) == [str(report.year)]
    legend = " ".join("".join(g.itertext()) for g in root.iter(f"{SVG}g") if g.get("data-class"))
    assert set(TOKEN.findall(legend)) <= {
        "0",
        f"<{threshold}",
        "5",
        "9",
        "10",
        "24",
        "25",
        "x",
        "1",
        "4",
    }
    return hidden


@pytest.fixture
def history_2021(history, settings):
    settings.BRIK_REPORT_CITIZENSHIPS = ("DK", "NG", "TH", "RO", "VN", "UA", "MA")
    build_random_history(history, seed=23, persons=45)
    for _i in range(6):
        history.decide(decided_on=dt.date(2021, 4, 2), citizenships=("NG",))
    return history


def test_the_map_shows_exactly_the_published_cells_in_both_languages_and_the_pdf(history_2021):
    hidden = 0
    for language in ("en", "da"):
        report = report_build(year=2021, language=language)
        hidden += _check_map_against_tables(report)
        html = exports.render_html(report)
        assert html.count('class="chart worldmap"') == 1
        # Beside its table, in the citizenship section.
        section = html[html.index('id="section-citizenship"') : html.index('id="section-forms"')]
        assert 'class="chart worldmap"' in section
        assert section.index("worldmap") < section.index('id="table-citizenship_gender"') + 200
        with translation.override(language):
            legend = (
                "x: skjult (diskretionering)"
                if language == "da"
                else "x: hidden (disclosure control)"
            )
        assert legend in html
    assert "Rumænien" in html  # the Danish country names, as the tables give them
    assert hidden, "the random history has hidden cells on the map"
    pdf = exports.render_pdf(report)
    assert pdf.startswith(b"%PDF")


def test_the_internal_map_shows_exact_figures_without_a_hatch(history_2021):
    report = report_build(year=2021, language="en", internal=True)
    assert _check_map_against_tables(report) == 0
    svg = str(
        dict(next(s for s in report.sections if s.slug == "citizenship").charts)[
            "citizenship_gender"
        ]
    )
    assert "hidden (disclosure control)" not in svg
    assert ">1–4<" in svg
