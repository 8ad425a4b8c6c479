"""The centre's world map: identified victims of the year by citizenship, as inline SVG.

A choropleth drawn on the server (no JavaScript) from the PUBLISHED citizenship
by gender table (`citizenship_gender`), the same way the other charts are
(brik.statistics.charts): each country the table lists one by one is coloured by
its published total (the table's total column, which is the citizenship table's
figure for the year); a figure shown as "<5" takes the class of 1 to 4, one
shown as "x" a hatch that the legend explains, never a colour of its count.
Each country's <title> (the tooltip) gives its published cells: "Nigeria: 15 –
Woman: 12, Man: 3", with "<5" and "x" exactly as the table prints them. The
rows that cannot be drawn (other EU countries, other countries, citizenship
unknown), the reporting country (drawn neutral) and a listed country too small
for the map are listed under it with their published cells. Europe, where most
listed countries are, is drawn again larger in an inset. The map therefore
shows nothing the table beside it does not; the table stays the accessible
source (the SVG is role="img" with a title and a description).

The geometry is Natural Earth's at 1:110 million, from the npm package
world-atlas (installed by `make install`, never copied into git): TopoJSON with
ISO 3166-1 numeric ids, decoded by topojson-rs and mapped to the alpha-2 codes
Brik stores with pycountry. It is projected once per process (Natural Earth
projection), cut at the antimeridian (the file does not cut Russia and Fiji
there), rounded to tenths of a unit and thinned; the path strings are cached,
as they never change (about 90 ms once per process, then about 5 ms a map).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from brik.core.countries import REPORTING_COUNTRY, country_name
from brik.statistics.charts import FONT, PAD, SMALL, TEXT, WIDTH, _number, _text_width
from brik.statistics.selectors.counting import OTHER_EU, OTHER_NON_EU, UNKNOWN
from brik.statistics.tables import PRIMARY, TOTAL, Row, Table, display_cell

# The table the map draws.
TABLE = "citizenship_gender"
MERGED = (OTHER_EU, OTHER_NON_EU, UNKNOWN)

# Countries that are not anyone's citizenship.
LEFT_OUT = {"AQ"}

# --- geometry ------------------------------------------------------------------------------

# The map's bounds in latitude (Antarctica is left out; Tierra del Fuego ends at 56° S).
NORTH, SOUTH = 84.0, -57.0
# Points closer than this (in SVG units) to the last one kept are dropped.
THIN = 0.8


def geometry_file() -> Path:
    return Path(settings.NODE_MODULES) / "world-atlas" / "countries-110m.json"


def _natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth projection (Šavrič, Jenny, Patterson and Hurni, 2011), in radians."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


_X_MAX = _natural_earth(180, 0)[0]
_Y_TOP = _natural_earth(0, NORTH)[1]
_Y_BOTTOM = _natural_earth(0, SOUTH)[1]
SCALE = WIDTH / (2 * _X_MAX)
MAP_HEIGHT = math.ceil((_Y_TOP - _Y_BOTTOM) * SCALE)


def _tenths(lon: float, lat: float) -> tuple[int, int]:
    """A point on the map in whole tenths of an SVG unit (y downwards)."""
    x, y = _natural_earth(lon, max(SOUTH, min(NORTH, lat)))
    return round((x + _X_MAX) * SCALE * 10), round((_Y_TOP - y) * SCALE * 10)


def _tenth(value: int) -> str:
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    return f"{sign}{whole}.{tenth}" if tenth else f"{sign}{whole}"


def _clip(
    ring: list[tuple[float, float]], edge: float, keep_below: bool
) -> list[tuple[float, float]]:
    """A ring cut at the meridian `edge` (Sutherland-Hodgman against one line): the part
    west of it (keep_below) or east of it."""

    def inside(point: tuple[float, float]) -> bool:
        return point[0] <= edge if keep_below else point[0] >= edge

    out: list[tuple[float, float]] = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current) != inside(previous):
            t = (edge - previous[0]) / (current[0] - previous[0])
            out.append((edge, previous[1] + t * (current[1] - previous[1])))
        if inside(current):
            out.append(current)
    return out


def _unwrapped(coordinates: list[list[float]]) -> list[list[tuple[float, float]]]:
    """A ring as one or two rings within -180..180 degrees of longitude.

    The geometry does not cut countries at the antimeridian (Russia, Fiji): a
    ring that crosses it jumps from 180 to -180, which drawn flat would be a
    stroke across the world. It is made continuous, then cut at 180 (or -180)
    into its two sides.
    """
    ring: list[tuple[float, float]] = []
    shift = 0.0
    for lon, lat, *_rest in coordinates:
        if ring:
            step = lon + shift - ring[-1][0]
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        ring.append((lon + shift, lat))
    east, west = max(p[0] for p in ring), min(p[0] for p in ring)
    if east <= 180 and west >= -180:
        return [ring]
    edge = 180.0 if east > 180 else -180.0
    beyond = [(lon - 2 * edge, lat) for lon, lat in ring]
    return [r for r in (_clip(ring, edge, edge > 0), _clip(beyond, -edge, edge < 0)) if r]


Box = tuple[int, int, int, int]  # west, north, east, south, in tenths of a unit


def _ring(coordinates: list[tuple[float, float]]) -> tuple[str, Box]:
    """One ring as a path (absolute start, then relative steps) and its box."""
    points: list[tuple[int, int]] = []
    limit = (THIN * 10) ** 2
    for lon, lat in coordinates:
        point = _tenths(lon, lat)
        if points:
            dx, dy = point[0] - points[-1][0], point[1] - points[-1][1]
            if dx * dx + dy * dy < limit:
                continue
        points.append(point)
    if len(points) < 3:
        return "", (0, 0, 0, 0)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    steps = " ".join(
        f"{_tenth(b[0] - a[0])} {_tenth(b[1] - a[1])}" for a, b in itertools.pairwise(points)
    )
    path = f"M{_tenth(points[0][0])} {_tenth(points[0][1])}l{steps}z".replace(" -", "-")
    return path, (min(xs), min(ys), max(xs), max(ys))


def _size(box: Box) -> int:
    return max(box[2] - box[0], box[3] - box[1])


def _polygons(geometry) -> list[list[list[list[float]]]]:
    kind = type(geometry).__name__
    if kind == "Polygon":
        return [geometry.coordinates]
    if kind == "MultiPolygon":
        return list(geometry.coordinates)
    return []


def _alpha_2(numeric: str | None) -> str:
    """The alpha-2 code of an ISO 3166-1 numeric id ("" when it has none, as Kosovo)."""
    if not numeric:
        return ""
    country = pycountry.countries.get(numeric=numeric.zfill(3))
    return country.alpha_2 if country else ""


@dataclass(frozen=True)
class Shape:
    code: str  # ISO 3166-1 alpha-2; "" for an area without a code (Kosovo, N. Cyprus...)
    path: str
    box: Box


@cache
def shapes() -> tuple[Shape, ...]:
    """Every country's outline as an SVG path, in the file's order (cached per process).

    A ring under a unit in size is left out unless it is the country's largest.
    """
    import topojson  # the Rust extension is loaded only when a map is drawn

    path = geometry_file()
    if not path.exists():
        raise ImproperlyConfigured(
            f"The world map's geometry {path} is missing: run `make install` (npm package world-atlas)."
        )
    collection = topojson.read(str(path)).feature("countries")
    # topojson-rs returns its GeoJSON enum's variant, whose value is `_0`.
    features = getattr(collection, "_0", collection).features
    out: dict[str, list[tuple[str, Box]]] = {}
    unnamed: list[list[tuple[str, Box]]] = []
    for feature in features:
        code = _alpha_2(feature.id)
        if code in LEFT_OUT:
            continue
        rings = [
            _ring(part)
            for polygon in _polygons(feature.geometry)
            for ring in polygon
            for part in _unwrapped(ring)
        ]
        rings = [r for r in rings if r[0]]
        if not rings:
            continue
        largest = max(_size(box) for _path, box in rings)
        kept = [(p, box) for p, box in rings if _size(box) >= 10 or _size(box) == largest]
        if code:
            out.setdefault(code, []).extend(kept)
        else:
            unnamed.append(kept)
    return tuple(
        Shape(
            code,
            "".join(p for p, _box in rings),
            (
                min(b[0] for _p, b in rings),
                min(b[1] for _p, b in rings),
                max(b[2] for _p, b in rings),
                max(b[3] for _p, b in rings),
            ),
        )
        for code, rings in [*out.items(), *(("", rings) for rings in unnamed)]
    )


def codes_on_map() -> frozenset[str]:
    return frozenset(s.code for s in shapes() if s.code)


# --- classes ---------------------------------------------------------------------------------

NEUTRAL = "#dddddd"
ZERO = "#f4f8fb"
PALETTE = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
HATCH = "worldmap-hidden"
HIDDEN = f"url(#{HATCH})"
BREAKS = (10, 25)


@dataclass(frozen=True)
class Band:
    slug: str
    low: int
    high: int | None  # inclusive; None: no upper end
    colour: str
    label: str


def bands(threshold: int, *, internal: bool) -> list[Band]:
    """The colour classes of the counts shown: 1 to threshold-1 (shown as "<5" in a
    public report), then from the threshold to 9, 10 to 24, 25 or more."""
    edges = [threshold, *(b for b in BREAKS if b > threshold)]
    first = f"1–{threshold - 1}" if internal else f"<{threshold}"
    out = [Band("b1", 1, threshold - 1, PALETTE[0], first)]
    for i, low in enumerate(edges):
        high = edges[i + 1] - 1 if i + 1 < len(edges) else None
        label = f"{low}–{high}" if high is not None else _("%(count)s or more") % {"count": low}
        out.append(Band(f"b{i + 2}", low, high, PALETTE[min(i + 1, len(PALETTE) - 1)], label))
    return out


def cell_class(value: int, mark: str, threshold: int, *, internal: bool = False) -> str:
    """The class of a published cell: "hidden" ("x"), "zero", or a band's slug.

    Only what is published decides: a "<5" is the first band whatever its count.
    """
    if mark == PRIMARY:
        return "b1"
    if mark:
        return "hidden"
    if value == 0:
        return "zero"
    for band in bands(threshold, internal=internal):
        if value >= band.low and (band.high is None or value <= band.high):
            return band.slug
    raise ValueError(value)  # pragma: no cover - the bands cover every count above 0


# --- the map ----------------------------------------------------------------------------------


def row_text(table: Table, row: Row, threshold: int) -> str:
    """A row's published cells in words: "Nigeria: 15 – Woman: 12, Man: 3" (a gender
    with 0 is left out; "<5" and "x" as the table prints them)."""
    total_index = [c.key for c in table.columns].index(TOTAL)
    parts = []
    for i, column in enumerate(table.columns):
        if i == total_index or (row.values[i] == 0 and not row.mark(i)):
            continue
        cell = display_cell(row.values[i], row.mark(i), threshold, table.decimals)
        parts.append(_("%(gender)s: %(count)s") % {"gender": column.label, "count": cell})
    total = display_cell(row.values[total_index], row.mark(total_index), threshold)
    text = _("%(country)s: %(count)s") % {"country": row.label, "count": total}
    return f"{text} – {', '.join(parts)}" if parts else text


def _total(table: Table, row: Row) -> tuple[int, str]:
    index = [c.key for c in table.columns].index(TOTAL)
    return row.values[index], row.mark(index)


LINE = 11
SWATCH = 10
INDENT = 12


def _lines(text: str) -> list[str]:
    """A text in lines that fit the map's width (a line but the last keeps its space
    at the end, so that the lines joined are the text)."""
    lines, line = [], ""
    for word in text.split(" "):
        room = WIDTH - (INDENT if lines else 0)
        if line and _text_width(line + word, SMALL) > room:
            lines.append(line)
            line = ""
        line += word + " "
    lines.append(line.rstrip(" "))
    return lines


def _hatch(name: str, scale: float) -> str:
    """The pattern of a hidden figure: diagonal lines, 4 units apart on the map."""
    size = _number(4 / scale)
    return (
        f'<pattern id="{name}" patternUnits="userSpaceOnUse" width="{size}" height="{size}" '
        'patternTransform="rotate(45)">'
        f'<rect width="{size}" height="{size}" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="{size}" stroke="{TEXT}" '
        f'stroke-width="{_number(1.5 / scale)}"/></pattern>'
    )


# The inset of Europe, where most listed countries are too small on the world map:
# the window (longitude and latitude) drawn INSET_SCALE times larger in the empty
# South Pacific, in the map's lower left corner.
EUROPE = (-12.0, 35.0, 42.0, 71.0)  # west, south, east, north
INSET = "worldmap-europe"
INSET_SCALE = 1.8
_WINDOW = (
    _tenths(EUROPE[0], EUROPE[1])[0] / 10,
    _tenths(0, EUROPE[3])[1] / 10,
    _tenths(EUROPE[2], EUROPE[1])[0] / 10,
    _tenths(0, EUROPE[1])[1] / 10,
)
INSET_BOX = (
    2.0,
    MAP_HEIGHT - 2 - (_WINDOW[3] - _WINDOW[1]) * INSET_SCALE,
    (_WINDOW[2] - _WINDOW[0]) * INSET_SCALE,
    (_WINDOW[3] - _WINDOW[1]) * INSET_SCALE,
)


def _europe(element, group: str) -> str:
    """The inset: a framed box with the countries that reach into the window, larger."""
    west, north, east, south = (round(v * 10) for v in _WINDOW)
    inside = [
        s
        for s in shapes()
        if s.box[0] < east and s.box[2] > west and s.box[1] < south and s.box[3] > north
    ]
    x, y, width, height = INSET_BOX
    dx, dy = x - _WINDOW[0] * INSET_SCALE, y - _WINDOW[1] * INSET_SCALE
    return (
        f'<g class="inset" data-inset="europe">'
        f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
        f'height="{_number(height)}" fill="#ffffff" stroke="#999999" stroke-width="0.5"/>'
        f'<g clip-path="url(#{INSET})">'
        f'<g transform="translate({_number(dx)} {_number(dy)}) scale({INSET_SCALE})">'
        + group.format(width=_number(0.3 / INSET_SCALE))
        + "".join(element(s, INSET_SCALE) for s in inside)
        + "</g></g></g>"
        f'<text x="{_number(x + 3)}" y="{_number(y + SMALL + 2)}" font-size="{SMALL}">'
        + escape(_("Europe"))
        + "</text></g>"
    )


def world_map(table: Table, *, threshold: int) -> SafeString:
    """The map of the citizenship by gender table (its total column), with its legend
    and the rows it cannot draw listed under it."""
    if table.slug != TABLE or not table.col_total:
        raise ValueError(f"The world map draws the table {TABLE!r}, not {table.slug!r}.")
    internal = table.internal
    on_map = codes_on_map()
    rows = {r.key: r for r in table.rows}
    fills = {
        "zero": ZERO,
        "hidden": HIDDEN,
        **{b.slug: b.colour for b in bands(threshold, internal=internal)},
    }
    parts = [
        "<defs>"
        + _hatch(HATCH, 1)
        # The inset is drawn larger: its hatch is drawn smaller, to look the same.
        + _hatch(f"{HATCH}-inset", INSET_SCALE)
        + f'<clipPath id="{INSET}"><rect x="{_number(INSET_BOX[0])}" y="{_number(INSET_BOX[1])}" '
        + f'width="{_number(INSET_BOX[2])}" height="{_number(INSET_BOX[3])}"/></clipPath>'
        + "</defs>",
    ]

    def element(shape: Shape, scale: float = 1) -> str:
        row = rows.get(shape.code) if shape.code != REPORTING_COUNTRY else None
        if row is None:
            if shape.code == REPORTING_COUNTRY:
                attrs = (
                    f'class="reporting" data-country="{shape.code}" stroke="{TEXT}" '
                    f'stroke-width="{_number(0.6 / scale)}"'
                )
            elif shape.code:
                attrs = f'class="neutral" data-country="{shape.code}"'
            else:
                attrs = 'class="neutral"'
            return f'<path {attrs} d="{shape.path}"/>'
        value, mark = _total(table, row)
        klass = cell_class(value, mark, threshold, internal=internal)
        fill = f"url(#{HATCH}-inset)" if klass == "hidden" and scale != 1 else fills[klass]
        return (
            f'<path class="{klass}" data-country="{shape.code}" fill="{fill}" '
            f'd="{shape.path}"><title>{escape(row_text(table, row, threshold))}</title></path>'
        )

    group = '<g stroke="#ffffff" stroke-width="{width}" stroke-linejoin="round" ' + (
        f'fill-rule="evenodd" fill="{NEUTRAL}">'
    )
    parts.append(group.format(width="0.3"))
    parts += [element(shape) for shape in shapes()]
    parts.append("</g>")
    parts.append(_europe(element, group))

    y = MAP_HEIGHT + PAD + LINE
    legend = [
        ("zero", ZERO, "0"),
        *((b.slug, b.colour, b.label) for b in bands(threshold, internal=internal)),
    ]
    if not internal:
        legend.append(("hidden", HIDDEN, _("x: hidden (disclosure control)")))
    legend += [
        ("neutral", NEUTRAL, _("Not listed on its own")),
        (
            "reporting",
            NEUTRAL,
            _("%(country)s (the reporting country)") % {"country": country_name(REPORTING_COUNTRY)},
        ),
    ]
    x = 0.0
    for slug, fill, label in legend:
        width = SWATCH + 4 + _text_width(label, SMALL) + 12
        if x + width > WIDTH:
            x, y = 0.0, y + LINE + 3
        stroke = (
            f' stroke="{TEXT}" stroke-width="0.6"'
            if slug == "reporting"
            else ' stroke="#999999" stroke-width="0.4"'
        )
        parts.append(
            f'<g class="legend" data-class="{slug}"><rect x="{_number(x)}" y="{_number(y - SWATCH + 1)}" '
            f'width="{SWATCH}" height="{SWATCH - 2}" fill="{fill}"{stroke}/>'
            f'<text x="{_number(x + SWATCH + 4)}" y="{_number(y)}" font-size="{SMALL}">{escape(label)}</text></g>'
        )
        x += width

    # The rows the map cannot draw: the reporting country, a listed country without
    # a shape at this scale, and the merged rows, each with its published cells.
    apart = [
        r
        for r in table.rows
        if r.key == REPORTING_COUNTRY or (r.key not in MERGED and r.key not in on_map)
    ] + [r for r in table.rows if r.key in MERGED]
    if apart:
        y += LINE + 6
        parts.append(
            f'<text x="0" y="{_number(y)}" font-size="{SMALL}" font-weight="bold">'
            + escape(_("Not shown on the map:"))
            + "</text>"
        )
        for row in apart:
            lines = _lines(row_text(table, row, threshold))
            spans = "".join(
                f'<tspan x="{0 if i == 0 else INDENT}" y="{_number(y + (i + 1) * LINE)}">'
                f"{escape(line)}</tspan>"
                for i, line in enumerate(lines)
            )
            parts.append(
                f'<text class="apart" data-country="{row.key}" font-size="{SMALL}">{spans}</text>'
            )
            y += LINE * len(lines)
    height = round(y + PAD)
    title = str(table.title)
    description = _(
        "World map of the identified victims of %(year)s by citizenship. Each country the "
        "table lists on its own is coloured by its number of victims; a hidden figure is "
        "hatched. The table below gives the figures by gender."
    ) % {"year": dict(table.fixed).get("year", "")}
    return mark_safe(  # noqa: S308 - every text in it is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart worldmap" '
        f'aria-labelledby="worldmap-title worldmap-desc" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="{FONT}" fill="{TEXT}">'
        f'<title id="worldmap-title">{escape(title)}</title>'
        f'<desc id="worldmap-desc">{escape(description)}</desc>'
        f"{''.join(parts)}</svg>"
    )
