"""Charts drawn on the server as inline SVG (matplotlib's SVG backend).

The same SVG goes into the web page, the HTML file and the PDF (WeasyPrint
renders it), so a chart looks the same everywhere. Text stays text (not
paths) so it is sharp in print and readable by screen readers; each chart has
a title and the table beside it holds the figures. Hidden figures (disclosure
control) are not drawn: the bar is left out and its label says "<5" or "x".
"""

from __future__ import annotations

import io
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from brik.statistics.tables import Table, display_cell

CURRENT = "#1f4e79"
PREVIOUS = "#9db7d1"
TEXT = "#222222"
MAX_BARS = 10

_STYLE = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": "#888888",
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "svg.hashsalt": "brik",  # stable ids: the same data gives the same SVG
}


def _svg(figure, title: str, prefix: str) -> SafeString:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # matplotlib numbers its ids from 1 in every chart; a page holds many charts.
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    # Scale to the column's width; name the chart for assistive technology.
    svg = re.sub(
        r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1 class="chart"', svg, count=1
    )
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{escape(title)}"', 1)
    return mark_safe(svg)  # noqa: S308 - produced by matplotlib from escaped labels


def _figure(height: float):
    import matplotlib

    matplotlib.rcParams.update(_STYLE)
    from matplotlib.figure import Figure

    return Figure(figsize=(6.2, height), dpi=72, layout="constrained")


def _wrap(label: str, width: int = 34) -> str:
    if len(label) <= width:
        return label
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")


def comparison_chart(table: Table, *, threshold: int, max_bars: int = MAX_BARS) -> SafeString:
    """Horizontal bars: each row, the year before and the year (the last two columns)."""
    rows = [r for r in table.rows if any(r.values[-2:])][:max_bars]
    if not rows or len(table.columns) < 2:
        return mark_safe("")
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        figure = _figure(0.45 + 0.42 * len(rows))
        ax = figure.add_subplot()
        positions = range(len(rows))
        height = 0.38
        top = max(max(r.values[-2:]) for r in rows) or 1
        for offset, index, colour, column in (
            (-height / 2, -2, PREVIOUS, table.columns[-2]),
            (height / 2, -1, CURRENT, table.columns[-1]),
        ):
            values = [0 if r.mark(index) else r.values[index] for r in rows]
            y = [p + offset for p in positions]
            ax.barh(y, values, height=height, color=colour, label=str(column.label))
            for yy, r, v in zip(y, rows, values, strict=True):
                text = display_cell(r.values[index], r.mark(index), threshold)
                ax.text(v + top * 0.01, yy, text, va="center", fontsize=8, color=TEXT)
        ax.set_yticks(list(positions), [_wrap(str(r.label)) for r in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.15)
        ax.spines[["top", "right"]].set_visible(False)
        ax.xaxis.set_visible(False)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False, fontsize=8)
        return _svg(figure, str(table.title), f"chart-{table.slug}")


def _shown(row, count: int, threshold: int) -> tuple[list[int], list[str]]:
    """Bar heights (0 for a hidden figure) and their labels ("<5" or "x" when hidden)."""
    values = [0 if row.mark(i) else row.values[i] for i in range(count)]
    labels = [display_cell(row.values[i], row.mark(i), threshold) for i in range(count)]
    return values, labels


def series_chart(table: Table, *, threshold: int) -> SafeString:
    """Vertical bars of the total row over the years (a small, hidden total is not drawn)."""
    row = table.total
    if row is None or not any(row.values):
        return mark_safe("")
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        figure = _figure(2.4)
        ax = figure.add_subplot()
        labels = [str(c.label) for c in table.columns]
        colours = [PREVIOUS] * (len(labels) - 1) + [CURRENT]
        values, texts = _shown(row, len(labels), threshold)
        bars = ax.bar(range(len(labels)), values, color=colours)
        ax.set_xticks(range(len(labels)), labels)
        ax.bar_label(bars, labels=texts, fontsize=8, color=TEXT)
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.yaxis.set_visible(False)
        ax.set_ylim(0, (max(values) or 1) * 1.18)
        return _svg(figure, str(table.title), f"chart-{table.slug}")


def columns_chart(table: Table, *, threshold: int) -> SafeString:
    """Horizontal bars of the total row across the columns (a cross table's margin)."""
    row = table.total
    columns = [c for c in table.columns if c.key != "total"]
    if row is None or not any(row.values[: len(columns)]):
        return mark_safe("")
    values, texts = _shown(row, len(columns), threshold)
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        figure = _figure(0.45 + 0.4 * len(columns))
        ax = figure.add_subplot()
        bars = ax.barh(range(len(columns)), values, color=CURRENT)
        ax.set_yticks(range(len(columns)), [_wrap(str(c.label)) for c in columns])
        ax.bar_label(bars, labels=texts, fontsize=8, color=TEXT, padding=2)
        ax.invert_yaxis()
        ax.spines[["top", "right"]].set_visible(False)
        ax.xaxis.set_visible(False)
        ax.set_xlim(0, (max(values) or 1) * 1.15)
        return _svg(figure, str(table.title), f"chart-{table.slug}")
