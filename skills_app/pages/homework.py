"""The patient's homework: Today's "From your therapist" card (`today_card`, first on
Today) and the week view (/homework/).

No streaks, no red: a day asked for and not done is just a day without a tick.
A done day says so with an icon and a word, never by colour alone.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.layout import held_slot, patient_shell
from skills_app.core.homework import REASON_MAX
from skills_app.pages import localized
from skills_app.state.homework import HomeworkWeekState as W
from skills_app.state.homework import TodayHomeworkState as T
from skills_app.text import N_, _

FROM_THERAPIST = N_("From your therapist")


def _tick(label: str) -> rx.Component:
    return rx.el.span(rx.icon("circle-check", size=18, aria_hidden="true"), label,
                      class_name="homework-tick")


def _today_row(row: rx.Var) -> rx.Component:
    return rx.el.li(rx.el.a(
        rx.el.span(
            rx.el.span(row["title"], class_name="plan-title"),
            rx.el.span(row["when"], class_name="muted small"),
            class_name="homework-what"),
        rx.cond(row["done"].to(bool), _tick(_("Done today")),
                rx.el.span(_("Start"), class_name="homework-start", aria_hidden="true")),
        href=row["href"].to(str),
        class_name="homework-link",
    ))


def today_card() -> rx.Component:
    """First on Today, only when the therapist asked for something this week.

    Its slot keeps the height the card had the last time Today was shown on this
    phone until the card arrives (layout.held_slot), so nothing under it jumps.
    """
    return held_slot(
        rx.cond(
            T.loaded & ((T.items.length() > 0) | T.this_week),
            rx.el.section(
                ty.heading(_(FROM_THERAPIST), as_="h2", size="4", id="today-homework-heading"),
                rx.cond(
                    T.items.length() > 0,
                    rx.el.ul(rx.foreach(T.items, _today_row), class_name="homework-list"),
                    rx.el.p(_("Nothing for today."), class_name="muted"),
                ),
                rx.el.a(_("See your week"), href=text.href("/homework/"),
                        class_name="inline-link"),
                id="today-homework",
                aria_labelledby="today-homework-heading",
                class_name="card stack-tight homework-card",
            ),
        ),
        name="homework", loaded=T.loaded, id="homework-slot",
    )


# --- the week view -------------------------------------------------------------------

def _day(cell: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(cell["letter"], class_name="homework-day-name", aria_hidden="true"),
        rx.el.span(
            rx.cond(cell["done"].to(bool),
                    rx.icon("check", size=18, aria_hidden="true"),
                    rx.cond(cell["due"].to(bool), rx.el.span("•", aria_hidden="true"), "")),
            class_name="homework-day-mark",
            custom_attrs={"data-done": rx.cond(cell["done"].to(bool), "true", ""),
                          "data-due": rx.cond(cell["due"].to(bool), "true", "")}),
        rx.el.span(cell["said"], class_name="sr-only"),
        class_name=rx.cond(cell["today"].to(bool), "homework-day today", "homework-day"),
    )


def _skip_form(row: rx.Var) -> rx.Component:
    reason_id = "skip-reason-" + row["id"].to(str)
    return rx.el.form(
        rx.el.input(type="hidden", name="assignment_id", value=row["id"].to(str),
                    read_only=True),
        rx.el.label(_("Why not this week? (optional)"), html_for=reason_id,
                    class_name="field-label"),
        rx.el.p(_("Your therapist will see this."), class_name="field-hint",
                id=reason_id + "-hint"),
        rx.el.input(id=reason_id, name="reason", max_length=REASON_MAX, auto_complete="off",
                    class_name="field-input", aria_describedby=reason_id + "-hint"),
        rx.el.p(W.error, class_name="field-error", role="alert"),
        rx.el.div(
            rx.el.button(_("Not for me this week"), type="submit",
                         class_name="secondary-button"),
            rx.el.button(_("Cancel"), type="button", class_name="secondary-button",
                         on_click=W.cancel_skip),
            class_name="button-row",
        ),
        on_submit=W.skip,
        reset_on_submit=True,
        class_name="stack-tight homework-skip-form",
    )


def _week_card(row: rx.Var) -> rx.Component:
    return rx.el.article(
        ty.heading(row["title"], as_="h2", size="4"),
        rx.el.p(row["when"], class_name="muted"),
        rx.cond(row["note"] != "",
                rx.el.blockquote(row["note"], class_name="homework-note")),
        rx.cond(row["by"] != "", rx.el.p(row["by"], class_name="muted small")),
        rx.el.ol(rx.foreach(row["days"].to(list[dict]), _day), class_name="homework-days"),
        rx.el.p(row["summary"], class_name="homework-summary"),
        rx.cond(
            row["skipped"].to(bool),
            rx.el.div(
                rx.cond(row["reason"] != "",
                        rx.el.p(localized.sentence(_("Your reason: {reason}"),
                                                   reason=row["reason"].to(str)),
                                class_name="muted")),
                rx.cond(row["this_week"].to(bool),
                        rx.el.button(_("Undo: put it back on my week"), type="button",
                                     class_name="secondary-button",
                                     on_click=W.unskip(row["id"].to(str)))),
                class_name="stack-tight",
            ),
            rx.cond(
                row["this_week"].to(bool),
                rx.el.div(
                    rx.el.a(_("Start"), href=row["href"].to(str), class_name="primary-button"),
                    rx.cond(W.asking == row["id"].to(str), _skip_form(row),
                            rx.el.button(_("Not for me this week"), type="button",
                                         class_name="secondary-button",
                                         on_click=W.ask_skip(row["id"].to(str)))),
                    class_name="stack-tight",
                ),
            ),
        ),
        class_name="card stack-tight homework-week-card",
    )


def homework_page() -> rx.Component:
    return patient_shell(
        rx.el.a(_("← Today"), href=text.href("/today/"), class_name="back-link"),
        ty.text(_("What your therapist asked you to practise. Do what you can; a day "
                  "without a tick is fine."), class_name="lead"),
        rx.el.nav(
            rx.el.button(_("← Earlier"), type="button", class_name="secondary-button",
                         aria_label=_("Earlier week"), disabled=W.previous_week == "",
                         on_click=W.show_week(W.previous_week)),
            ty.heading(W.week_label, as_="h2", size="4", id="homework-week-label",
                       class_name="homework-week-label"),
            rx.el.button(_("Later →"), type="button", class_name="secondary-button",
                         aria_label=_("Later week"), disabled=W.next_week == "",
                         on_click=W.show_week(W.next_week)),
            class_name="homework-week-nav",
            aria_label=_("Weeks"),
        ),
        rx.el.p(W.message, class_name="saved", role="status"),
        rx.cond(
            W.rows.length() > 0,
            rx.el.div(rx.foreach(W.rows, _week_card), class_name="stack"),
            rx.el.p(rx.cond(W.loaded, _("Nothing from your therapist this week."), ""),
                    class_name="muted"),
        ),
        title=_("Homework"),
        active="more",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, homework_page, "/homework", title=N_("Homework"),
                       on_load=W.load_week)

