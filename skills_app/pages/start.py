"""The start page (manifest start_url): sends a signed-in person home, and
offers everyone else sign-in or a new account (it never redirects them: that
would race their tap)."""

from __future__ import annotations

import reflex as rx

from skills_app.components.layout import public_shell
from skills_app.pages import localized
from skills_app.state.session import SessionState


def start_page() -> rx.Component:
    return public_shell(
        rx.text("Practise your skills and keep your journal between sessions.",
                class_name="lead"),
        rx.el.p(rx.el.a("Sign in", href="/signin/"), " or ",
                rx.el.a("create an account", href="/signup/"), "."),
        title="Skills Practice",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, start_page, "/", title="",
                       on_load=SessionState.route_signed_in_home)
