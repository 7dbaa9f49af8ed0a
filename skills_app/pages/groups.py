"""The patient's group schedule: Today's "Next group" line and /groups/ (this week and
next, holidays said plainly, "Add to my calendar")."""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.layout import patient_shell
from skills_app.components.own_attendance import own_attendance_section
from skills_app.pages import localized
from skills_app.state.groups import GroupsState, NextGroupState
from skills_app.text import N_, _
from skills_app.views.groups import CALENDAR_FILE, CALENDAR_HREF

G = GroupsState

# Whether this phone showed a "Next group" line last time (state/groups.py keeps it):
# read before the body is laid out, so Today holds the line's place only then.
NEXT_GROUP_MEMORY = (
    "try { if (localStorage.getItem('skills-next-group') === '1') "
    "document.documentElement.classList.add('has-next-group'); } catch (e) {}")


def next_group_memory_script() -> rx.Component:
    """For the app's <head>: see NEXT_GROUP_MEMORY."""
    return rx.el.script(NEXT_GROUP_MEMORY)


def next_group_line() -> rx.Component:
    """One line under Today's greeting, linking to /groups/; nothing at all for a
    patient on no track. While it loads, its place is held only on a phone that
    showed the line last time, so nothing under it moves in either case."""
    return rx.cond(
        NextGroupState.next_group != "",
        rx.el.a(rx.icon("calendar-days", size=18, aria_hidden="true"),
                rx.el.span(NextGroupState.next_group),
                href=text.href("/groups/"), class_name="next-group", id="next-group"),
        rx.cond(NextGroupState.next_group_loaded, rx.fragment(),
                rx.el.span(class_name="next-group next-group-waiting", aria_hidden="true")),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(row["day"].to(str)),
        rx.el.span(row["text"].to(str)),
        class_name="group-row group-" + row["kind"].to(str),
    )


def _week(week: rx.Var) -> rx.Component:
    return rx.el.section(
        ty.heading(week["title"].to(str), as_="h2", size="4"),
        rx.cond(week["rows"].to(list).length() > 0,
                rx.el.ul(rx.foreach(week["rows"].to(list[dict[str, str]]), _row),
                         class_name="group-list"),
                rx.el.p(week["empty"].to(str), class_name="muted")),
        class_name="card stack-tight",
    )


def groups_page() -> rx.Component:
    screen = G.screen
    return patient_shell(
        rx.cond(
            G.loaded,
            rx.cond(
                screen["on_track"].to(bool),
                rx.fragment(
                    rx.el.p(screen["track_line"].to(str), class_name="lead"),
                    rx.el.p(screen["zone_line"].to(str), class_name="muted"),
                    rx.foreach(screen["weeks"].to(list[dict]), _week),
                    rx.el.section(
                        rx.el.a(rx.icon("calendar-plus", size=20, aria_hidden="true"),
                                _("Add to my calendar"), href=CALENDAR_HREF,
                                class_name="secondary-button calendar-button", id="groups-calendar",
                                # A file from the server: the browser's own download.
                                custom_attrs={"download": CALENDAR_FILE,
                                              "reloadDocument": True}),
                        rx.el.p(_("Your calendar gets the groups of the next months. They "
                                  "are called \"Group\" and your program's name, nothing "
                                  "more. If the schedule changes, add it again."),
                                class_name="muted small"),
                        class_name="card stack-tight",
                    ),
                    own_attendance_section(),
                ),
                rx.el.p(_("You are not on a group schedule yet. Your therapist can add you "
                          "to one."), class_name="plain-notice", id="groups-none"),
            ),
            rx.el.p(_("Loading your groups..."), class_name="muted"),
        ),
        title=_("Groups"),
        active="more",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, groups_page, "/groups", title=N_("Groups"),
                       on_load=G.load_groups)
