"""Charts drawn on the server as inline SVG, written directly.

The same SVG goes into the web page, the HTML file and the PDF (WeasyPrint
renders it), so a chart looks the same everywhere. Text stays text (not
paths) so it is sharp in print and readable by screen readers; each chart has
a title and the table beside it holds the figures. Hidden figures (disclosure
control) are not drawn as bars: in their place is a marked "hidden" slot of
one fixed size (a dashed outline, the same whatever the hidden count) with
the label "<5" or "x", so a hidden row is never silently absent.
A chart draws exactly its published table: every row (none is left out for
being zero), in the table's order, scaled to the shown figures only.

The charts are simple bars, so they are written as SVG elements here rather
than through matplotlib, whose figure, layout and SVG writer took about as
long as the whole rest of the report. The same data gives the same SVG.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from brik.statistics.tables import Table, display_cell

CURRENT = "#1f4e79"
PREVIOUS = "#9db7d1"
TEXT = "#222222"
AXIS = "#888888"
MAX_BARS = 10

WIDTH = 446  # 6.2 inches at 72 points an inch, as the charts were drawn before
FONT = 9
SMALL = 8
CHAR = 0.56  # the average width of a DejaVu Sans character, in font sizes
LINE = 11  # the height of a line of axis labels
PAD = 6


def _number(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


def _text(x: float, y: float, text: str, *, size: int = FONT, anchor: str = "start") -> str:
    attrs = f'x="{_number(x)}" y="{_number(y)}"'
    if size != FONT:
        attrs += f' font-size="{size}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    return f"<text {attrs}>{escape(text)}</text>"


def _lines(x: float, y: float, lines: list[str], *, anchor: str) -> str:
    """Lines of text centred vertically on y."""
    top = y - (len(lines) - 1) * LINE / 2
    return "".join(_text(x, top + i * LINE, line, anchor=anchor) for i, line in enumerate(lines))


def _rect(x: float, y: float, width: float, height: float, colour: str) -> str:
    if width <= 0 or height <= 0:
        return ""
    return (
        f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
        f'height="{_number(height)}" fill="{colour}"/>'
    )


HIDDEN_SLOT = 14  # the length of a hidden figure's slot, whatever its count


def _hidden_slot(x: float, y: float, width: float, height: float) -> str:
    """A hidden figure's place: a dashed outline of fixed size (says nothing of the count)."""
    return (
        f'<rect class="hidden-slot" x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
        f'height="{_number(height)}" fill="none" stroke="{AXIS}" stroke-width="0.8" '
        f'stroke-dasharray="2 2"/>'
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" y2="{_number(y2)}" '
        f'stroke="{AXIS}" stroke-width="0.8"/>'
    )


def _svg(height: float, body: str, title: str) -> SafeString:
    height = round(height)
    return mark_safe(  # noqa: S308 - every text in it is escaped (_text, the title)
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="{FONT}" fill="{TEXT}">'
        f"{body}</svg>"
    )


def _wrap(label: str, width: int = 34) -> list[str]:
    if len(label) <= width:
        return [label]
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines[:2] if len(lines) <= 2 else [lines[0], lines[1] + "…"]


def _text_width(text: str, size: int = FONT) -> float:
    return len(text) * size * CHAR


def _label_margin(labels: list[list[str]]) -> float:
    widest = max((_text_width(line) for lines in labels for line in lines), default=0)
    return min(widest, WIDTH * 0.45) + 2 * PAD


def _horizontal_bars(
    labels: list[list[str]],
    series: list[tuple[str, list[int], list[str], list[bool]]],
    top: float,
    ends: float,
) -> tuple[float, str]:
    """Rows of horizontal bars with their labels; `series` is (colour, values, texts, hidden).

    A hidden figure gets a dashed slot of HIDDEN_SLOT units instead of a bar.

    Returns the height used and the SVG body, starting at y=0.
    """
    band = 30 if len(series) > 1 else 29
    left = _label_margin(labels)
    plot = WIDTH - left - PAD
    scale = plot / (top or 1)
    bar = band * 0.38 * (1 if len(series) > 1 else 2)
    parts = []
    for i, lines in enumerate(labels):
        centre = (i + 0.5) * band
        parts.append(_lines(left - PAD, centre + FONT / 3, lines, anchor="end"))
        first = centre - bar * len(series) / 2
        for j, (colour, values, texts, hidden) in enumerate(series):
            y = first + j * bar
            if hidden[i]:
                width = HIDDEN_SLOT
                parts.append(_hidden_slot(left, y, width, bar))
            else:
                width = values[i] * scale
                parts.append(_rect(left, y, width, bar, colour))
            parts.append(_text(left + width + ends, y + bar / 2 + SMALL / 3, texts[i], size=SMALL))
    height = band * len(labels)
    parts.append(_line(left, 0, left, height))
    parts.append(_line(left, height, left + plot, height))
    return height + PAD, "".join(parts)


# Rows that count something else than the table's other rows (by table slug): they
# get a chart of their own with its own scale, not an axis shared with persons.
OWN_SCALE = {"joint_actions": {"actions"}}


def comparison_chart(table: Table, *, threshold: int, max_bars: int = MAX_BARS) -> SafeString:
    """Horizontal bars: each row, the year before and the year (the last two columns).

    Rows in OWN_SCALE are drawn as a chart of their own (actions beside persons).
    """
    apart = OWN_SCALE.get(table.slug, set())
    if apart and any(r.key in apart for r in table.rows):
        charts = []
        for keep in (
            [r for r in table.rows if r.key in apart],
            [r for r in table.rows if r.key not in apart],
        ):
            if keep:
                part = table.copy()
                part.rows = keep
                charts.append(_comparison_chart(part, threshold=threshold, max_bars=max_bars))
        return mark_safe("".join(charts))  # noqa: S308 - each part is escaped SVG
    return _comparison_chart(table, threshold=threshold, max_bars=max_bars)


def _comparison_chart(table: Table, *, threshold: int, max_bars: int) -> SafeString:
    # Every row of the published table, in its order (which follows published
    # figures only): a row is never left out for a figure it hides.
    rows = table.rows[:max_bars]
    if not rows or len(table.columns) < 2:
        return mark_safe("")
    top = max(max(_visible(r, i) for i in (-2, -1)) for r in rows) or 1
    series = []
    legend = []
    for index, colour, column in (
        (-2, PREVIOUS, table.columns[-2]),
        (-1, CURRENT, table.columns[-1]),
    ):
        values = [0 if r.mark(index) else r.values[index] for r in rows]
        texts = [display_cell(r.values[index], r.mark(index), threshold) for r in rows]
        series.append((colour, values, texts, [bool(r.mark(index)) for r in rows]))
        legend.append((colour, str(column.label)))
    height, bars = _horizontal_bars([_wrap(str(r.label)) for r in rows], series, top * 1.15, ends=4)
    key, x = [], 0.0
    for colour, label in legend:
        key.append(_rect(x, 4, 14, 8, colour))
        key.append(_text(x + 18, 11, label, size=SMALL))
        x += 18 + _text_width(label, SMALL) + 14
    return _svg(
        height + 20,
        "".join(key) + f'<g transform="translate(0 20)">{bars}</g>',
        str(table.title),
    )


def _visible(row, index: int) -> int:
    """A cell's bar length: its count when shown, 0 when hidden (never the hidden count)."""
    return 0 if row.mark(index) else row.values[index]


def _shown(row, count: int, threshold: int) -> tuple[list[int], list[str]]:
    """Bar heights (0 for a hidden figure) and their labels ("<5" or "x" when hidden)."""
    values = [0 if row.mark(i) else row.values[i] for i in range(count)]
    labels = [display_cell(row.values[i], row.mark(i), threshold) for i in range(count)]
    return values, labels


def series_chart(table: Table, *, threshold: int) -> SafeString:
    """Vertical bars of the total row over the years (a small, hidden total is not drawn)."""
    row = table.total
    if row is None or not row.values:
        return mark_safe("")
    labels = [str(c.label) for c in table.columns]
    values, texts = _shown(row, len(labels), threshold)
    height = 173  # 2.4 inches
    bottom = height - LINE - PAD
    plot = bottom - PAD
    scale = plot / ((max(values) or 1) * 1.18)
    band = (WIDTH - 2 * PAD) / len(labels)
    parts = []
    for i, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        colour = CURRENT if i == len(labels) - 1 else PREVIOUS
        centre = PAD + (i + 0.5) * band
        if row.mark(i):
            bar_height = HIDDEN_SLOT
            parts.append(
                _hidden_slot(centre - band * 0.4, bottom - bar_height, band * 0.8, bar_height)
            )
        else:
            bar_height = value * scale
            parts.append(
                _rect(centre - band * 0.4, bottom - bar_height, band * 0.8, bar_height, colour)
            )
        parts.append(_text(centre, bottom - bar_height - 3, text, size=SMALL, anchor="middle"))
        parts.append(_text(centre, bottom + LINE, label, anchor="middle"))
    parts.append(_line(PAD, bottom, WIDTH - PAD, bottom))
    return _svg(height, "".join(parts), str(table.title))


def columns_chart(table: Table, *, threshold: int) -> SafeString:
    """Horizontal bars of the total row across the columns (a cross table's margin)."""
    row = table.total
    columns = [c for c in table.columns if c.key != "total"]
    if row is None or not columns:
        return mark_safe("")
    values, texts = _shown(row, len(columns), threshold)
    top = (max(values) or 1) * 1.15
    height, bars = _horizontal_bars(
        [_wrap(str(c.label)) for c in columns],
        [(CURRENT, values, texts, [bool(row.mark(i)) for i in range(len(columns))])],
        top,
        ends=2,
    )
    return _svg(height + PAD, f'<g transform="translate(0 {PAD})">{bars}</g>', str(table.title))
