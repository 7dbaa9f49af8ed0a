"""Sign-in and sign-up screens. The forms are posted by assets/auth.js."""

from __future__ import annotations

import reflex as rx

from skills_app.components.forms import (
    form_status,
    password_field,
    submit_button,
    text_field,
)
from skills_app.components.layout import public_shell
from skills_app.core.schemas import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, known_time_zones
from skills_app.pages import localized
from skills_app.state.session import SessionState


def sign_in_page() -> rx.Component:
    return public_shell(
        rx.text("Sign in to practise your skills and keep your journal.", class_name="lead"),
        rx.el.form(
            form_status("signin"),
            text_field("email", "Email", type_="email", autocomplete="email",
                       max_length=EMAIL_MAX),
            password_field("password", "Password", autocomplete="current-password"),
            submit_button("Sign in", "Signing in…"),
            id="signin",
            custom_attrs={"data-auth": "login"},
            no_validate=True,
            class_name="stack",
        ),
        rx.el.p("New here? ", rx.el.a("Create an account", href="/signup/"), class_name="switch"),
        title="Welcome back",
    )


def time_zone_select() -> rx.Component:
    return rx.el.div(
        rx.el.label("Time zone", html_for="time_zone", class_name="field-label"),
        rx.el.p("We use it to know when your day starts. We filled it in from this phone.",
                id="time_zone-hint", class_name="field-hint"),
        rx.el.select(
            rx.el.option("Choose your time zone", value=""),
            *[rx.el.option(zone, value=zone) for zone in sorted(known_time_zones())],
            id="time_zone", name="time_zone", required=True, class_name="field-input",
            aria_describedby="time_zone-error time_zone-hint",
            custom_attrs={"data-detect-time-zone": "true"},
        ),
        rx.el.p(id="time_zone-error", class_name="field-error", aria_live="polite"),
        class_name="field",
    )


def sign_up_page() -> rx.Component:
    return public_shell(
        rx.text("It takes a minute. Your journal stays private unless you choose to share.",
                class_name="lead"),
        rx.el.form(
            form_status("signup"),
            text_field("display_name", "Your name", autocomplete="name",
                       hint="First name or a nickname is fine.", max_length=NAME_MAX),
            text_field("email", "Email", type_="email", autocomplete="email",
                       max_length=EMAIL_MAX),
            password_field(
                "password", "Password", autocomplete="new-password",
                hint="At least 15 characters. A short sentence or a few unrelated words "
                     f"work well. Up to {PASSWORD_MAX}."),
            # Public sign-up makes patients; therapists join from an invitation (/join/).
            rx.el.input(type="hidden", name="role", value="patient"),
            time_zone_select(),
            submit_button("Create account", "Creating your account…"),
            id="signup",
            custom_attrs={"data-auth": "signup"},
            no_validate=True,
            class_name="stack",
        ),
        rx.el.p("Already have an account? ", rx.el.a("Sign in", href="/signin/"),
                class_name="switch"),
        rx.el.p("Therapists join from the invitation link their program's admin sends.",
                class_name="switch muted"),
        title="Create your account",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, sign_in_page, "/signin", title="Sign in",
                       on_load=SessionState.route_signed_in_home)
    localized.add_page(app, sign_up_page, "/signup", title="Create account",
                       on_load=SessionState.route_signed_in_home)
