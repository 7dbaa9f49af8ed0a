"""The app's one chart drawer: a series of a few dozen points as static SVG markup.

Plain Python (no Reflex, no JavaScript): the Progress tab and the check-ups page
send the browser a finished picture, so no chart library is in any screen's
bundle and drawing a year of data costs the phone nothing but parsing a few
kilobytes of SVG (issue 24: recharts held the main thread for ~1.6 s on a cheap
phone). Ranges are drawn day by day up to 30 points and week by week beyond
(views/progress.py), so a chart never has more than 54 points.

What a chart looks like is in assets/styles.css (`.svg-chart ...`): colours are
CSS variables and `currentColor`, so dark mode follows the page. Every word in
the picture (axis labels, the legend, the title) comes from the caller in the
page's language, and is escaped here: a patient's own urge name can be in it.
The picture is `role="img"` with a `<title>`; the caller decides whether screen
readers skip it (the Progress tab says the same in the line above it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Literal

WIDTH = 340
LEFT = 30  # room for the y axis' numbers
RIGHT = 6
TOP = 10
BOTTOM = 22  # room for the x axis' labels
X_LABELS = 3  # at most: first, middle and last fit "Tue, Mar 3" on a 360 px phone
DOT_RADIUS = 3
WIDE_STEP = 90  # a point's share of the width that fits its day label under it

Kind = Literal["line", "marks", "bar"]


@dataclass(frozen=True)
class Series:
    """One thing drawn: a line with a dot at each value, triangles (marks), or bars.

    `values` line up with the chart's labels; None is a gap (nothing drawn, and a
    line breaks there). `css` is the class that colours it (styles.css).
    """

    name: str
    values: Sequence[float | None]
    kind: Kind = "line"
    css: str = "series-main"


@dataclass(frozen=True)
class Band:
    """A shaded stripe across the chart from `low` to `high` (a score band)."""

    low: float
    high: float
    css: str


@dataclass(frozen=True)
class Chart:
    labels: Sequence[str]
    series: Sequence[Series]
    title: str
    top: float | None = None  # the y axis' end; None: from the data
    ticks: Sequence[float] | None = None  # y axis numbers; None: chosen here
    bands: Sequence[Band] = field(default_factory=tuple)
    stacked: bool = False  # bars on top of each other (else side by side)
    legend: bool = True
    height: int = 200
    css: str = ""


def nice_ticks(top: float) -> list[float]:
    """0 up to `top` (or just above it) in steps of 1, 2, 5, 10, 20, 50... with at
    most six numbers, so the axis reads at a glance."""
    if top <= 0:
        return [0, 1]
    step = 1.0
    for magnitude in (10 ** power for power in range(7)):
        step = next((s * magnitude for s in (1, 2, 5) if top / (s * magnitude) <= 5), 0)
        if step:
            break
    count = math.ceil(top / step - 1e-9)
    return [round(step * index, 6) for index in range(count + 1)]


def _number(value: float) -> str:
    return f"{value:g}"


def _stack_top(chart: Chart) -> float:
    bars = [s for s in chart.series if s.kind == "bar"]
    others = [v for s in chart.series if s.kind != "bar" for v in s.values if v is not None]
    if chart.stacked and bars:
        totals = [sum(s.values[i] or 0 for s in bars) for i in range(len(chart.labels))]
    else:
        totals = [v for s in bars for v in s.values if v is not None]
    return max([*totals, *others, 0])


def _x_label_indices(count: int) -> list[int]:
    if count <= X_LABELS:
        return list(range(count))
    return sorted({round(i * (count - 1) / (X_LABELS - 1)) for i in range(X_LABELS)})


def _line_path(points: Sequence[tuple[float, float] | None]) -> str:
    """One path, broken where a value is missing."""
    parts: list[str] = []
    pen_down = False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{point[0]:.1f},{point[1]:.1f}")
        pen_down = True
    return "".join(parts)


def _triangle(x: float, y: float) -> str:
    return f"M{x:.1f},{y - 8:.1f}L{x + 7:.1f},{y + 5:.1f}L{x - 7:.1f},{y + 5:.1f}Z"


def _swatch(series: Series) -> str:
    """The legend's small picture of a series, in the series' own class."""
    if series.kind == "marks":
        shape = f'<path class="{series.css}" d="{_triangle(7, 9)}"/>'
    elif series.kind == "bar":
        shape = f'<rect class="{series.css}" x="1" y="2" width="12" height="12" rx="2"/>'
    else:
        shape = (f'<path class="{series.css}" d="M0,8L14,8"/>'
                 f'<circle class="{series.css}-dot" cx="7" cy="8" r="{DOT_RADIUS}"/>')
    return ('<svg class="swatch" width="14" height="16" viewBox="0 0 14 16" '
            f'aria-hidden="true">{shape}</svg>')


def _legend(series: Sequence[Series]) -> str:
    items = "".join(f"<li>{_swatch(s)}{escape(s.name)}</li>" for s in series)
    return f'<ul class="chart-legend">{items}</ul>'


def chart_markup(chart: Chart) -> str:
    """The chart as SVG (its legend, when it has one, as a list under it)."""
    count = len(chart.labels)
    ticks = list(chart.ticks) if chart.ticks else nice_ticks(
        chart.top if chart.top is not None else _stack_top(chart))
    top = max(chart.top if chart.top is not None else 0, ticks[-1]) or 1
    plot_bottom = chart.height - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    step = plot_width / max(count, 1)

    def x_at(index: int) -> float:
        return LEFT + step * (index + 0.5)

    def y_at(value: float) -> float:
        return plot_bottom - (plot_bottom - TOP) * min(value, top) / top

    classes = " ".join(("svg-chart", chart.css)).strip()
    out: list[str] = [
        f'<svg class="{classes}" viewBox="0 0 {WIDTH} {chart.height}" width="100%" '
        f'role="img" aria-label="{escape(chart.title)}">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for band in chart.bands:
        y1, y2 = y_at(band.high), y_at(band.low)
        out.append(f'<rect class="band-area {band.css}" x="{LEFT}" y="{y1:.1f}" '
                   f'width="{plot_width}" height="{y2 - y1:.1f}"/>')
    out.append('<g class="chart-grid">')
    for tick in ticks:
        y = y_at(tick)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
    out.append("</g>")
    out.append('<g class="chart-axis y-axis">')
    for tick in ticks:
        out.append(f'<text x="{LEFT - 6}" y="{y_at(tick) + 4:.1f}" text-anchor="end">'
                   f"{_number(tick)}</text>")
    out.append("</g>")
    out.append('<g class="chart-axis x-axis">')
    shown = _x_label_indices(count)
    for index in shown:
        # Under its point when there is room; else the first and last keep to the edges.
        edges = count > 1 and step < WIDE_STEP
        anchor = ("start" if edges and index == 0 else
                  "end" if edges and index == count - 1 else "middle")
        x = LEFT if anchor == "start" else WIDTH - RIGHT if anchor == "end" else x_at(index)
        out.append(f'<text x="{x:.1f}" y="{chart.height - 6}" text-anchor="{anchor}">'
                   f"{escape(chart.labels[index])}</text>")
    out.append("</g>")
    out.extend(_bars(chart, step, x_at, y_at))
    for series in chart.series:
        points = [None if v is None else (x_at(i), y_at(v)) for i, v in enumerate(series.values)]
        if series.kind == "line":
            out.append(f'<path class="{series.css}" d="{_line_path(points)}"/>')
            out.extend(f'<circle class="chart-dot {series.css}-dot" cx="{p[0]:.1f}" '
                       f'cy="{p[1]:.1f}" r="{DOT_RADIUS}"/>' for p in points if p)
        elif series.kind == "marks":
            out.extend(f'<path class="marked-point {series.css}" d="{_triangle(*p)}"/>'
                       for p in points if p)
    out.append("</svg>")
    if chart.legend:
        out.append(_legend(chart.series))
    return "".join(out)


def _bars(chart: Chart, step: float, x_at: Callable[[int], float],
          y_at: Callable[[float], float]) -> list[str]:
    bars = [s for s in chart.series if s.kind == "bar"]
    if not bars:
        return []
    out: list[str] = []
    group = step * 0.7
    width = group if chart.stacked else group / len(bars)
    for index in range(len(chart.labels)):
        base = 0.0
        for position, series in enumerate(bars):
            value = series.values[index]
            if not value:
                continue
            left = x_at(index) - group / 2 + (0 if chart.stacked else position * width)
            low = base if chart.stacked else 0.0
            y1, y2 = y_at(low + value), y_at(low)
            out.append(f'<rect class="chart-bar {series.css}" x="{left:.1f}" y="{y1:.1f}" '
                       f'width="{width:.1f}" height="{max(y2 - y1, 0.5):.1f}"/>')
            if chart.stacked:
                base += value
    return out
