"""Account: name, time zone, language, password, sign out (here and everywhere)."""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.forms import (
    field_error,
    form_status,
    password_field,
    submit_button,
)
from skills_app.components.layout import patient_shell, therapist_shell
from skills_app.components.time_zone import time_zone_field
from skills_app.core.schemas import NAME_MAX, PASSWORD_MAX
from skills_app.pages import localized
from skills_app.pages.auth import language_select
from skills_app.state.account import AccountState
from skills_app.text import N_, _


def _profile_form() -> rx.Component:
    return rx.el.form(
        ty.heading(_("Your details"), as_="h2", size="5"),
        rx.el.p(localized.sentence(_("Email: {email}"), email=AccountState.email),
                class_name="muted"),
        rx.el.div(
            rx.el.label(_("Your name"), html_for="profile_name", class_name="field-label"),
            rx.el.input(id="profile_name", name="display_name", max_length=NAME_MAX,
                        default_value=AccountState.display_name, key=AccountState.display_name,
                        auto_complete="name", class_name="field-input",
                        aria_describedby="display_name-error"),
            field_error("display_name", AccountState.errors.get("display_name", "")),
            class_name="field",
        ),
        time_zone_field("profile_time_zone", label=_("Time zone"),
                        default_value=AccountState.time_zone, error_id="time_zone-error",
                        error=field_error("time_zone", AccountState.errors.get("time_zone", ""))),
        # Drawn unless a therapist is signed in, so it is in the first paint (nothing
        # under it moves when the state arrives); chosen once the account's is known.
        rx.cond(AccountState.role != "therapist", language_select(
            "profile_language", AccountState.language, key=AccountState.language,
            disabled=AccountState.language == "")),
        rx.el.button(_("Save details"), type="submit", class_name="primary-button"),
        rx.el.p(AccountState.saved_message, class_name="saved", aria_live="polite"),
        on_submit=AccountState.save_profile,
        class_name="card stack",
        id="profile",
    )


def _password_form() -> rx.Component:
    return rx.el.form(
        ty.heading(_("Change password"), as_="h2", size="5"),
        form_status("password-change"),
        password_field("current_password", _("Current password"),
                       autocomplete="current-password"),
        password_field("new_password", _("New password"), autocomplete="new-password",
                       hint=_("At least 15 characters, up to {high}. You'll stay signed in "
                              "here; other devices are signed out.", high=PASSWORD_MAX)),
        submit_button(_("Change password"), _("Changing…")),
        id="password-change",
        custom_attrs={"data-auth": "password"},
        no_validate=True,
        class_name="card stack",
    )


def _sign_out_card() -> rx.Component:
    return rx.el.section(
        ty.heading(_("Sign out"), as_="h2", size="5"),
        ty.text(_("Lost a phone, or used a shared computer? Sign out everywhere ends every "
                  "session, including this one.")),
        rx.el.div(
            rx.el.button(_("Sign out"), type="button", class_name="secondary-button",
                         custom_attrs={"data-auth-action": "logout"}, id="sign-out"),
            rx.el.button(_("Sign out everywhere"), type="button", class_name="secondary-button",
                         custom_attrs={"data-auth-action": "logout-everywhere"},
                         id="sign-out-everywhere"),
            class_name="button-row",
        ),
        rx.el.div(id="sign-out-status", class_name="form-status", role="alert"),
        class_name="card stack",
    )


def _reminders_link() -> rx.Component:
    return rx.el.a(
        rx.icon("bell", size=22, aria_hidden="true"),
        rx.el.span(rx.el.strong(_("Reminders")),
                   rx.el.span(_("When to remind you, quiet hours, calendar, what was sent"),
                              class_name="muted")),
        href=text.href("/account/reminders/"),
        class_name="list-link card",
        id="reminders-link",
    )


def _content() -> list[rx.Component]:
    return [
        rx.cond(AccountState.password_changed,
                rx.el.p(_("Your password was changed. Other devices were signed out."),
                        class_name="notice", role="status")),
        _profile_form(),
        rx.cond(AccountState.role != "therapist", _reminders_link()),
        _password_form(), _sign_out_card(),
    ]


def account_page() -> rx.Component:
    return rx.cond(
        AccountState.role == "therapist",
        therapist_shell(*_content(), title=_("Account"), active="account"),
        patient_shell(*_content(), title=_("Account"), active="more"),
    )


def register(app: rx.App) -> None:
    localized.add_page(app, account_page, "/account", title=N_("Account"),
                       on_load=AccountState.load_account)
