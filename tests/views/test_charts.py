"""The one chart drawer (views/charts.py): gaps stay gaps, marks are triangles, bars
stack, every word is escaped, and the markup is well-formed SVG with no script."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from skills_app.views.charts import Band, Chart, Series, chart_markup, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    # The SVG and its legend, as the page holds them (one parent).
    return ET.fromstring(f'<div xmlns="http://www.w3.org/2000/svg">{markup}</div>')


def _all(root: ET.Element, tag: str, css: str = "") -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if css in e.get("class", "").split() or not css]


def test_a_line_has_a_dot_per_value_and_breaks_at_a_gap() -> None:
    chart = Chart(labels=["Mon", "Tue", "Wed", "Thu", "Fri"], title="Mood, average 6",
                  series=[Series("Mood", [5, 6, None, 7, 8])], top=10, legend=False)
    root = _parse(chart_markup(chart))
    assert len(_all(root, "circle", "chart-dot")) == 4
    (line,) = _all(root, "path", "series-main")
    assert line.get("d").count("M") == 2  # two runs: Mon-Tue and Thu-Fri
    svg = root.find(SVG + "svg")
    assert svg.get("role") == "img" and svg.get("aria-label") == "Mood, average 6"
    assert svg.find(SVG + "title").text == "Mood, average 6"
    assert [t.text for t in _all(root, "text") if t.get("text-anchor") == "end"][:2] == ["0", "2"]
    assert not _all(root, "li")  # no legend asked for


def test_marks_are_triangles_named_in_the_legend() -> None:
    chart = Chart(labels=["a", "b", "c"], title="Urge", top=5, series=[
        Series("Highest urge", [1, 4, None]),
        Series("Acted on", [None, 4, None], kind="marks", css="series-mark")])
    root = _parse(chart_markup(chart))
    (mark,) = _all(root, "path", "marked-point")
    assert mark.get("d").endswith("Z")
    assert ["".join(li.itertext()) for li in _all(root, "li")] == ["Highest urge", "Acted on"]


def test_stacked_bars_reach_the_total_and_zero_draws_nothing() -> None:
    chart = Chart(labels=["w1", "w2"], title="Skills", stacked=True, series=[
        Series("A", [2, 0], kind="bar", css="a"), Series("B", [3, 0], kind="bar", css="b")])
    root = _parse(chart_markup(chart))
    bars = _all(root, "rect", "chart-bar")
    assert len(bars) == 2
    top = min(float(b.get("y")) for b in bars)
    bottom = max(float(b.get("y")) + float(b.get("height")) for b in bars)
    ticks = nice_ticks(5)
    assert ticks == [0, 1, 2, 3, 4, 5]
    plot = 200 - 22 - 10
    assert abs((bottom - top) - plot) < 0.5  # 5 of 5: the whole height


def test_bands_are_shaded_under_the_line() -> None:
    chart = Chart(labels=["Mar 1"], title="GAD-7", top=21, ticks=[0, 5, 10, 15, 21],
                  series=[Series("Score", [7], css="measure-line")],
                  bands=[Band(0, 5, "band-minimal"), Band(5, 10, "band-mild")], legend=False)
    root = _parse(chart_markup(chart))
    assert [r.get("class") for r in _all(root, "rect")] == ["band-area band-minimal",
                                                          "band-area band-mild"]
    assert len(_all(root, "circle")) == 1


def test_every_word_is_escaped_and_nothing_runs() -> None:
    evil = '<script>alert(1)</script> "x" & <img src=x onerror=alert(1)>'
    chart = Chart(labels=[evil, "b"], title=evil, series=[Series(evil, [1, 2])])
    markup = chart_markup(chart)
    root = _parse(markup)
    assert "<script" not in markup and "<img" not in markup
    assert root.find(SVG + "svg").find(SVG + "title").text == evil
    assert not [e for e in root.iter() if any(a.startswith("on") for a in e.attrib)]


def test_nice_ticks_read_at_a_glance() -> None:
    assert nice_ticks(10) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(4) == [0, 1, 2, 3, 4]
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(37) == [0, 10, 20, 30, 40]
    assert nice_ticks(180) == [0, 50, 100, 150, 200]
