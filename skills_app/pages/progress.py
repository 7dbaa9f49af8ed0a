"""The Progress tab: the weekly summary, then a chart per part of the diary card
(mood, each urge, cravings, skills by module, practice and mindfulness minutes).

Each chart has, above it, the one line a screen reader reads (the chart itself
is hidden from it), and under it the same numbers as a table. A section shows
once its data exists. Charts are Reflex's recharts, drawn without animation.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var, VarData

from skills_app import text
from skills_app.components.layout import patient_shell
from skills_app.content.skills import DBT_MODULES
from skills_app.core.progress import RANGE_CHOICES
from skills_app.pages import localized
from skills_app.state.progress import ProgressState
from skills_app.text import N_, _

P = ProgressState
CHART_HEIGHT = 200
AXIS_TICK = {"fontSize": 12}
# One colour per module (stacked bars); the table and legend name them too.
MODULE_COLOURS = {
    "mindfulness": "var(--teal-9)",
    "distress_tolerance": "var(--amber-9)",
    "emotion_regulation": "var(--blue-9)",
    "interpersonal_effectiveness": "var(--plum-9)",
    "recovery": "var(--grass-9)",
}
LINE = "var(--accent-11)"
MARK_COLOUR = "var(--red-11)"
NOT_FOCUSABLE = {"accessibilityLayer": False}


def _table(caption: str, headers: rx.Var, rows: rx.Var) -> rx.Component:
    return rx.el.details(
        rx.el.summary(_("Show as a table"), class_name="table-toggle"),
        rx.el.div(
            rx.el.table(
                rx.el.caption(caption),
                rx.el.thead(rx.el.tr(rx.foreach(headers, lambda h: rx.el.th(h, scope="col")))),
                rx.el.tbody(rx.foreach(rows, lambda row: rx.el.tr(rx.foreach(
                    row, lambda cell, index: rx.cond(
                        index == 0, rx.el.th(cell, scope="row"), rx.el.td(cell)))))),
                class_name="progress-table",
            ),
            class_name="table-scroll",
            tab_index=0,
            role="region",
            aria_label=caption,
        ),
        class_name="chart-table",
    )


def _section(key: str, title: rx.Var | str, line: rx.Var, chart: rx.Component,
             table: rx.Component) -> rx.Component:
    heading_id = f"{key}-heading"
    return rx.el.section(
        rx.heading(title, as_="h2", size="4", id=heading_id),
        rx.el.p(line, class_name="chart-line", id=f"{key}-line"),
        # The line above says what the chart shows; the table under it has the numbers.
        rx.el.div(chart, class_name="chart-box", aria_hidden="true",
                  custom_attrs={"data-chart": key}),
        table,
        class_name="card stack-tight progress-section",
        id=f"{key}-section",
        aria_labelledby=heading_id,
    )


def _axes(top: int | None) -> list[rx.Component]:
    y_axis = {"domain": [0, top]} if top is not None else {}
    return [
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(data_key="label", tick=AXIS_TICK, interval="preserveStartEnd",
                           min_tick_gap=16),
        rx.recharts.y_axis(width=30, allow_decimals=False, tick=AXIS_TICK, **y_axis),
    ]


def _mood_chart() -> rx.Component:
    return rx.recharts.responsive_container(
        rx.recharts.line_chart(
            *_axes(10),
            rx.recharts.line(data_key="mood", name=_("Mood"), stroke=LINE, stroke_width=2,
                             connect_nulls=False, is_animation_active=False,
                             dot={"r": 3, "fill": LINE}),
            data=P.mood_points,
            margin={"top": 8, "right": 8, "left": 0, "bottom": 0},
            # Hidden from screen readers (the line above says it): no keyboard stop.
            custom_attrs=NOT_FOCUSABLE,
        ),
        width="100%", height=CHART_HEIGHT,
    )


# A triangle at each marked point (recharts draws a line's dots with this function);
# nothing where there is no mark. `jsx` is what Reflex's pages draw with.
_TRIANGLE = Var(
    _js_expr="((p) => (p.cy == null || p.value == null) ? jsx('g', {key: p.key}) : "
             "jsx('path', {key: p.key, className: 'marked-point', fill: '" + MARK_COLOUR + "', "
             "stroke: 'var(--color-panel-solid)', strokeWidth: 1, "
             "d: `M${p.cx},${p.cy - 8}L${p.cx + 7},${p.cy + 5}L${p.cx - 7},${p.cy + 5}Z`}))",
    _var_data=VarData(imports={"@emotion/react": ["jsx"]}),
)


def _marked_chart(points: rx.Var, value_key: str, value_name: str, mark_key: str,
                  mark_name: str, top: int) -> rx.Component:
    """A line of ratings with a triangle where the urge was acted on (or a substance
    used): marked by shape and named in the legend, not by colour alone."""
    return rx.recharts.responsive_container(
        rx.recharts.line_chart(
            *_axes(top),
            rx.recharts.line(data_key=value_key, name=value_name, stroke=LINE, stroke_width=2,
                             connect_nulls=False, is_animation_active=False,
                             dot={"r": 3, "fill": LINE}),
            # No line between marks (width 0); its colour is the legend's triangle.
            rx.recharts.line(data_key=mark_key, name=mark_name, stroke=MARK_COLOUR,
                             stroke_width=0,
                             legend_type="triangle", dot=_TRIANGLE, active_dot=False,
                             is_animation_active=False),
            rx.recharts.legend(icon_size=12, wrapper_style={"fontSize": 13}),
            data=points,
            margin={"top": 10, "right": 10, "left": 0, "bottom": 0},
            custom_attrs=NOT_FOCUSABLE,
        ),
        width="100%", height=CHART_HEIGHT,
    )


def _urge_section(urge: rx.Var) -> rx.Component:
    key = "urge-" + urge["key"].to(str)
    chart = _marked_chart(urge["points"].to(list[dict[str, Any]]), "urge", _("Highest urge"),
                          "acted", _("Acted on"), 5)
    return rx.el.section(
        rx.heading(localized.sentence(_("Urge: {label}"), label=urge["label"].to(str)),
                   as_="h3", size="3"),
        rx.el.p(urge["line"].to(str), class_name="chart-line"),
        rx.el.div(chart, class_name="chart-box", aria_hidden="true",
                  custom_attrs={"data-chart": key}),
        _table(localized.sentence(_("Urge: {label}"), label=urge["label"].to(str)),
               urge["headers"].to(list[str]),
               urge["rows"].to(list[list[str]])),
        class_name="stack-tight urge-chart",
        custom_attrs={"data-urge": urge["key"].to(str)},
    )


def _skills_chart() -> rx.Component:
    return rx.recharts.responsive_container(
        rx.recharts.bar_chart(
            *_axes(None),
            *[rx.recharts.bar(data_key=module.key, name=_(module.name), stack_id="skills",
                              fill=MODULE_COLOURS[module.key], is_animation_active=False)
              for module in DBT_MODULES],
            rx.recharts.legend(icon_size=12, wrapper_style={"fontSize": 13}),
            data=P.skills_points,
            margin={"top": 8, "right": 8, "left": 0, "bottom": 0},
            # Hidden from screen readers (the line above says it): no keyboard stop.
            custom_attrs=NOT_FOCUSABLE,
        ),
        width="100%", height=CHART_HEIGHT + 60,
    )


def _minutes_chart(with_mindfulness: bool) -> rx.Component:
    bars = [rx.recharts.bar(data_key="practice", name=_("Practice (min)"),
                            fill="var(--teal-9)", is_animation_active=False)]
    if with_mindfulness:
        bars.append(rx.recharts.bar(data_key="mindful", name=_("Mindfulness (min)"),
                                    fill="var(--blue-9)", is_animation_active=False))
    return rx.recharts.responsive_container(
        rx.recharts.bar_chart(
            *_axes(None), *bars,
            rx.recharts.legend(icon_size=12, wrapper_style={"fontSize": 13}),
            data=P.minutes_points,
            margin={"top": 8, "right": 8, "left": 0, "bottom": 0},
            # Hidden from screen readers (the line above says it): no keyboard stop.
            custom_attrs=NOT_FOCUSABLE,
        ),
        width="100%", height=CHART_HEIGHT,
    )


def _range_switch() -> rx.Component:
    return rx.el.div(
        *[rx.el.button(_(label), type="button", class_name="range-button",
                       aria_pressed=rx.cond(P.range_days == days, "true", "false"),
                       on_click=P.set_range(str(days)),
                       custom_attrs={"data-range": str(days)})
          for days, label in RANGE_CHOICES.items()],
        role="group",
        aria_label=_("Show the last"),
        class_name="range-switch",
    )


def _summary() -> rx.Component:
    return rx.el.section(
        rx.heading(P.summary_title, as_="h2", size="4", id="weekly-summary-heading"),
        rx.foreach(P.summary_lines, lambda line: rx.el.p(line)),
        class_name="card stack-tight weekly-summary",
        id="weekly-summary",
        aria_labelledby="weekly-summary-heading",
    )


def _sections() -> rx.Component:
    return rx.fragment(
        rx.cond(P.mood_shown, _section(
            "mood", _("Mood"), P.mood_line, _mood_chart(),
            _table(_("Mood, 0 to 10"), P.mood_headers, P.mood_rows))),
        rx.cond(P.urges.length() > 0, rx.el.section(
            rx.heading(_("Urges"), as_="h2", size="4", id="urges-heading"),
            rx.el.p(_("A triangle marks a day you acted on the urge."), class_name="muted"),
            rx.foreach(P.urges, _urge_section),
            class_name="card stack progress-section",
            id="urges-section",
            aria_labelledby="urges-heading",
        )),
        rx.cond(P.craving_shown, _section(
            "craving", _("Cravings"), P.craving_line,
            _marked_chart(P.craving_points, "craving", _("Craving"), "used", _("Used"), 10),
            _table(_("Craving, 0 to 10"), P.craving_headers, P.craving_rows))),
        rx.cond(P.skills_shown, _section(
            "skills", _("Skills by week"), P.skills_line, _skills_chart(),
            _table(_("Skills used by module, by week"), P.skills_headers, P.skills_rows))),
        rx.cond(P.minutes_shown, _section(
            "minutes", rx.cond(P.has_mindfulness, _("Practice and mindfulness"), _("Practice")),
            P.minutes_line,
            rx.cond(P.has_mindfulness, _minutes_chart(True), _minutes_chart(False)),
            _table(_("Minutes by week"), P.minutes_headers, P.minutes_rows))),
    )


def _empty() -> rx.Component:
    return rx.el.section(
        rx.heading(_("Nothing to chart yet"), as_="h2", size="4"),
        rx.text(_("Your charts fill in as you check in and practise. A quick check-in on "
                  "Today takes about 20 seconds.")),
        rx.el.a(_("Check in now"), href=text.href("/today/"), class_name="inline-link"),
        class_name="card stack-tight",
        id="progress-empty",
    )


def progress_page() -> rx.Component:
    return patient_shell(
        rx.cond(
            P.loaded,
            rx.fragment(
                _summary(),
                _range_switch(),
                rx.el.p(P.message, role="alert", class_name="form-status",
                        id="range-message"),
                rx.cond(P.has_entries | P.skills_shown | P.minutes_shown, _sections(),
                        _empty()),
                rx.el.a(_("See this week's diary card"), href=text.href("/journal/") + "#week-grid",
                        class_name="list-link", id="diary-card-link"),
            ),
            rx.el.p(_("Loading your progress…"), class_name="muted", id="progress-loading"),
        ),
        title=_("Progress"), active="progress")


def register(app: rx.App) -> None:
    localized.add_page(app, progress_page, "/progress", title=N_("Progress"),
                       on_load=ProgressState.load_progress)
