"""The Progress tab: the weekly summary, then a chart per part of the diary card
(mood, each urge, cravings, skills by module, practice and mindfulness minutes).

Each chart has, above it, the one line a screen reader reads (the chart itself
is hidden from it), and under it the same numbers as a table. A section shows
once its data exists. The charts are SVG drawn on the server (views/charts.py):
no chart library runs on the phone.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.layout import patient_shell
from skills_app.core.progress import RANGE_CHOICES
from skills_app.pages import localized
from skills_app.state.progress import ProgressState
from skills_app.text import N_, _

P = ProgressState


def _picture(picture: rx.Var, key: rx.Var | str) -> rx.Component:
    """A chart drawn on the server (views/charts.py: SVG escaped there, no script).

    Hidden from screen readers: the line above it says what it shows, the table
    under it has the numbers."""
    return rx.html(picture, class_name="chart-box", aria_hidden="true",
                   custom_attrs={"data-chart": key})


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


def _section(key: str, title: rx.Var | str, line: rx.Var, picture: rx.Var,
             table: rx.Component) -> rx.Component:
    heading_id = f"{key}-heading"
    return rx.el.section(
        ty.heading(title, as_="h2", size="4", id=heading_id),
        rx.el.p(line, class_name="chart-line", id=f"{key}-line"),
        _picture(picture, key),
        table,
        class_name="card stack-tight progress-section",
        id=f"{key}-section",
        aria_labelledby=heading_id,
    )


def _urge_section(urge: rx.Var) -> rx.Component:
    key = "urge-" + urge["key"].to(str)
    return rx.el.section(
        ty.heading(localized.sentence(_("Urge: {label}"), label=urge["label"].to(str)),
                   as_="h3", size="3"),
        rx.el.p(urge["line"].to(str), class_name="chart-line"),
        _picture(urge["picture"].to(str), key),
        _table(localized.sentence(_("Urge: {label}"), label=urge["label"].to(str)),
               urge["headers"].to(list[str]),
               urge["rows"].to(list[list[str]])),
        class_name="stack-tight urge-chart",
        custom_attrs={"data-urge": urge["key"].to(str)},
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
        ty.heading(P.summary_title, as_="h2", size="4", id="weekly-summary-heading"),
        rx.foreach(P.summary_lines, lambda line: rx.el.p(line)),
        class_name="card stack-tight weekly-summary",
        id="weekly-summary",
        aria_labelledby="weekly-summary-heading",
    )


def _sections() -> rx.Component:
    return rx.fragment(
        rx.cond(P.mood_shown, _section(
            "mood", _("Mood"), P.mood_line, P.mood_picture,
            _table(_("Mood, 0 to 10"), P.mood_headers, P.mood_rows))),
        rx.cond(P.urges.length() > 0, rx.el.section(
            ty.heading(_("Urges"), as_="h2", size="4", id="urges-heading"),
            rx.el.p(_("A triangle marks a day you acted on the urge."), class_name="muted"),
            rx.foreach(P.urges, _urge_section),
            class_name="card stack progress-section",
            id="urges-section",
            aria_labelledby="urges-heading",
        )),
        rx.cond(P.craving_shown, _section(
            "craving", _("Cravings"), P.craving_line,
            P.craving_picture,
            _table(_("Craving, 0 to 10"), P.craving_headers, P.craving_rows))),
        rx.cond(P.skills_shown, _section(
            "skills", _("Skills by week"), P.skills_line, P.skills_picture,
            _table(_("Skills used by module, by week"), P.skills_headers, P.skills_rows))),
        rx.cond(P.minutes_shown, _section(
            "minutes", rx.cond(P.has_mindfulness, _("Practice and mindfulness"), _("Practice")),
            P.minutes_line,
            P.minutes_picture,
            _table(_("Minutes by week"), P.minutes_headers, P.minutes_rows))),
    )


def _empty() -> rx.Component:
    return rx.el.section(
        ty.heading(_("Nothing to chart yet"), as_="h2", size="4"),
        ty.text(_("Your charts fill in as you check in and practise. A quick check-in on "
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
