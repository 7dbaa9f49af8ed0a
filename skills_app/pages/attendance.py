"""The therapist's attendance page (/groups/attendance/): a group, a meeting, and one tap
per patient (Present, Late, Excused, Absent), saved at each tap. An admin also sees how
many of each mark every recent meeting had (counts only)."""

from __future__ import annotations

import reflex as rx

from skills_app.components import typography as ty
from skills_app.components.layout import therapist_shell
from skills_app.pages import localized
from skills_app.pages.localized import sentence
from skills_app.state.attendance import AttendanceState
from skills_app.text import N_, _
from skills_app.views.attendance import MARKS

A = AttendanceState
TITLE = N_("Attendance")


def _mark_button(line: rx.Var, status: str, word: str, icon: str) -> rx.Component:
    pressed = line["status"].to(str) == status
    return rx.el.button(
        rx.icon(icon, size=20, aria_hidden="true"),
        rx.el.span(_(word)),
        type="button",
        aria_pressed=rx.cond(pressed, "true", "false"),
        class_name="mark-button mark-" + status,
        on_click=A.mark(line["index"].to(int), status),
    )


def _line(line: rx.Var) -> rx.Component:
    name = line["name"].to(str)
    return rx.el.li(
        rx.el.div(
            rx.el.strong(name, class_name="roster-name"),
            rx.el.span(line["status_text"].to(str), class_name="roster-status muted"),
            class_name="roster-who",
        ),
        rx.el.div(
            *[_mark_button(line, status, word, icon) for status, word, icon in MARKS],
            role="group",
            aria_label=sentence(_("Attendance for {name}"), name=name),
            class_name="mark-buttons",
        ),
        class_name="roster-line",
    )


def _choosers() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.label(_("Group"), html_for="attendance-track", class_name="field-label"),
            rx.el.select(
                rx.foreach(A.tracks, lambda t: rx.el.option(t["name"], value=t["id"])),
                id="attendance-track", value=A.track_id, on_change=A.choose_track,
                class_name="field-input",
            ),
            class_name="stack tight",
        ),
        rx.el.div(
            rx.el.label(_("Meeting"), html_for="attendance-meeting", class_name="field-label"),
            rx.el.select(
                rx.foreach(A.meetings, lambda m: rx.el.option(m["label"], value=m["day"])),
                id="attendance-meeting", value=A.day, on_change=A.choose_meeting,
                class_name="field-input",
            ),
            class_name="stack tight",
        ),
        class_name="attendance-choosers",
    )


def _roster() -> rx.Component:
    return rx.el.section(
        ty.heading(A.heading, as_="h2", size="5", id="attendance-heading"),
        rx.cond(A.unmarked > 0, rx.el.button(
            rx.icon("check-check", size=20, aria_hidden="true"),
            rx.el.span(_("Mark everyone not yet marked present")),
            type="button", class_name="secondary-button mark-rest", id="mark-rest",
            on_click=A.mark_rest_present,
        )),
        rx.el.ul(rx.foreach(A.lines, _line), class_name="roster-list", id="roster"),
        class_name="card stack",
    )


def _counts_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row["meeting"], scope="row"),
        *[rx.el.td(row[key]) for key in ("members", "present", "late", "excused", "absent",
                                          "unmarked")],
    )


def _counts() -> rx.Component:
    headers = (N_("Meeting"), N_("On the group"), N_("Present"), N_("Late"), N_("Excused"),
               N_("Absent"), N_("Not marked"))
    return rx.cond(
        A.is_admin & (A.counts.length() > 0),
        rx.el.section(
            ty.heading(_("Attendance by meeting, last four weeks"), as_="h2", size="5"),
            rx.el.p(_("How many patients had each mark. Counts only."), class_name="muted"),
            rx.el.div(
                rx.el.table(
                    rx.el.thead(rx.el.tr(*[rx.el.th(_(h), scope="col") for h in headers])),
                    rx.el.tbody(rx.foreach(A.counts, _counts_row)),
                    class_name="review-table counts-table",
                ),
                class_name="grid-scroll", tab_index=0, role="region",
                aria_label=_("Attendance by meeting"),
            ),
            class_name="card stack", id="attendance-counts",
        ),
    )


def attendance_page() -> rx.Component:
    return therapist_shell(
        rx.el.p(_("Choose a group and a meeting, then tap one mark for each patient. Each "
                  "tap is saved."), class_name="lead"),
        rx.cond(
            A.loaded,
            rx.cond(
                A.allowed,
                rx.fragment(
                    rx.cond(A.tracks.length() > 0, _choosers()),
                    rx.el.p(A.saved, role="status", aria_live="polite",
                            class_name="quiet-saved", id="attendance-saved"),
                    rx.el.p(A.error, role="alert", class_name="field-error",
                            id="attendance-error"),
                    rx.cond(A.note != "", rx.el.p(A.note, class_name="plain-notice",
                                                  id="attendance-note")),
                    rx.cond(A.lines.length() > 0, _roster()),
                    _counts(),
                ),
                rx.el.p(_("Your account is not active in a program."),
                        class_name="plain-notice"),
            ),
            ty.text(_("Loading…"), class_name="muted"),
        ),
        title=_(TITLE),
        active="attendance",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, attendance_page, "/groups/attendance",
                       languages=localized.ENGLISH_ONLY, title=TITLE,
                       on_load=AttendanceState.load_attendance)
