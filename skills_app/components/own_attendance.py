"""The patient's own attendance, as a section any patient page can show (the /groups/
page does): it loads itself when it appears."""

from __future__ import annotations

import reflex as rx

from skills_app.components import typography as ty
from skills_app.state.own_attendance import OwnAttendanceState
from skills_app.text import _

OWN = OwnAttendanceState
# An icon that repeats each mark's words (never colour alone, never red).
ICONS = {"present": "check", "late": "clock", "excused": "calendar-off", "absent": "circle"}


def _row(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(
            rx.match(row["status"].to(str),
                     *[(status, rx.icon(icon, size=18)) for status, icon in ICONS.items()],
                     rx.icon("circle-dashed", size=18)),
            class_name="own-mark-icon", aria_hidden="true"),
        rx.el.span(
            rx.el.strong(row["text"].to(str)),
            rx.el.span(row["when"].to(str) + " · " + row["group"].to(str),
                       class_name="muted small"),
            class_name="own-mark-text",
        ),
        class_name="own-mark",
    )


def own_attendance_section() -> rx.Component:
    return rx.el.section(
        ty.heading(_("Your attendance"), as_="h2", size="4"),
        rx.el.p(_("Your group's staff mark this. If something looks wrong, just tell them."),
                class_name="muted small"),
        rx.cond(
            OWN.loaded,
            rx.cond(OWN.rows.length() > 0,
                    rx.el.ul(rx.foreach(OWN.rows, _row), class_name="own-marks",
                             id="own-attendance"),
                    rx.el.p(OWN.empty, class_name="muted")),
            rx.el.p(_("Loading…"), class_name="muted"),
        ),
        class_name="card stack-tight",
        id="own-attendance-section",
        on_mount=OWN.load_own_attendance,
    )
