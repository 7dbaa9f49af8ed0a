"""Therapist screens. The patient list fills in once patients can share."""

from __future__ import annotations

import reflex as rx

from skills_app.components.layout import placeholder_card, therapist_shell
from skills_app.state.session import SessionState


def patients_page() -> rx.Component:
    return therapist_shell(
        rx.text(rx.cond(SessionState.display_name != "",
                        "Welcome, " + SessionState.display_name + ".", "Welcome."),
                class_name="lead"),
        placeholder_card("No shared data yet", "When patients choose to share their check-ins, "
                         "diary cards or practice with you, they will appear here, with who "
                         "may need attention first.", "users"),
        title="Patients",
        active="patients",
    )


def register(app: rx.App) -> None:
    app.add_page(patients_page, route="/patients", title="Patients - Skills Practice",
                 on_load=SessionState.guard_therapist_page)
