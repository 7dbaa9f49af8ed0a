"""Patient screens: Today, Practice, Journal, Progress, More.

Practice, Journal and Progress are built by later work; until then they say so
kindly instead of showing an empty screen.
"""

from __future__ import annotations

import reflex as rx

from skills_app.components.layout import patient_shell, placeholder_card
from skills_app.state.session import SessionState


def today_page() -> rx.Component:
    return patient_shell(
        rx.text(rx.cond(SessionState.display_name != "",
                        "Hi " + SessionState.display_name + ". ", ""),
                "One small step counts. Here is what you can do today.", class_name="lead"),
        placeholder_card("Check in", "A quick mood check-in will live here: three taps, "
                         "about 20 seconds.", "smile"),
        placeholder_card("Today's practice", "Guided skills like STOP, TIPP and DEAR MAN "
                         "are on their way.", "dumbbell"),
        placeholder_card("Breathe", "Breathing pacers and a meditation timer are coming soon.",
                         "wind"),
        title="Today",
        active="today",
    )


def practice_page() -> rx.Component:
    return patient_shell(
        placeholder_card("Skills practice is coming", "Step-by-step exercises for emotion "
                         "regulation, distress tolerance and communication will be here.",
                         "dumbbell"),
        title="Practice", active="practice")


def journal_page() -> rx.Component:
    return patient_shell(
        placeholder_card("Your journal is coming", "Quick check-ins and a full diary card will "
                         "be here, saved safely even on a weak connection.", "notebook-pen"),
        title="Journal", active="journal")


def progress_page() -> rx.Component:
    return patient_shell(
        placeholder_card("Progress views are coming", "See your week at a glance and choose "
                         "what to share with your therapist.", "chart-line"),
        title="Progress", active="progress")


def _more_link(label: str, href: str, icon: str, description: str) -> rx.Component:
    return rx.el.a(
        rx.icon(icon, size=22, aria_hidden="true"),
        rx.el.span(rx.el.strong(label), rx.el.span(description, class_name="muted")),
        href=href,
        class_name="list-link",
    )


def more_page() -> rx.Component:
    return patient_shell(
        rx.el.nav(
            _more_link("Account and security", "/account/", "user-cog",
                       "Name, time zone, password, sign out"),
            _more_link("Get help now", "/help/", "life-buoy", "Crisis lines, day and night"),
            class_name="link-list",
            aria_label="More",
        ),
        title="More", active="more")


def register(app: rx.App) -> None:
    guard = SessionState.guard_patient_page
    for route, page, title in (
        ("/today", today_page, "Today"),
        ("/practice", practice_page, "Practice"),
        ("/journal", journal_page, "Journal"),
        ("/progress", progress_page, "Progress"),
        ("/more", more_page, "More"),
    ):
        app.add_page(page, route=route, title=f"{title} - Skills Practice", on_load=guard)
