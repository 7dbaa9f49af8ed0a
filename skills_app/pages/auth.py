"""Sign-in and sign-up screens. The forms are posted by assets/app.js.

Before sign-in the pages follow the browser: each is built once per language
(/signin/, /es/signin/), links lead to the others, and when the browser asks
for a language other than the page's (Accept-Language) the page offers it and
sign-up pre-selects it as the account's language.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.forms import (
    form_status,
    password_field,
    submit_button,
    text_field,
)
from skills_app.components.layout import public_shell
from skills_app.components.time_zone import time_zone_field
from skills_app.core.schemas import EMAIL_MAX, NAME_MAX, PASSWORD_MAX
from skills_app.pages import localized
from skills_app.state.account import CHOSEN, BrowserLanguageState
from skills_app.state.session import SessionState
from skills_app.text import N_, _

LANGUAGE = N_("Language")
# Translators: "English" here is the language of your catalogue ("Ver esta página en español").
IN_MY_LANGUAGE = N_("See this page in English")
# Said in every language at once, so anyone finds their language on the label.
LANGUAGE_LABEL = " / ".join(dict.fromkeys(
    text.translations(lang.code).gettext(LANGUAGE) for lang in text.LANGUAGES))


def language_select(select_id: str, value: rx.Var | str, *,
                    key: rx.Var | str | None = None,
                    disabled: rx.Var | bool = False) -> rx.Component:
    """The account's language: each language named in itself. `disabled` until the
    page knows the account's (a choice made before would be drawn over)."""
    return rx.el.div(
        rx.el.label(LANGUAGE_LABEL, html_for=select_id, class_name="field-label"),
        rx.el.select(
            *[rx.el.option(lang.name, value=lang.code, lang=lang.code)
              for lang in text.LANGUAGES],
            id=select_id, name="language", class_name="field-input",
            default_value=value, key=key if key is not None else value,
            aria_describedby="language-error", disabled=disabled,
        ),
        rx.el.p(id="language-error", class_name="field-error", aria_live="polite"),
        class_name="field",
    )


def other_languages(route: str) -> rx.Component:
    """Links to this page in the other languages, each named in its own language."""
    here = text.current()
    return rx.el.p(
        *[rx.el.a(lang.name, href=f"{text.href(route, lang.code)}?{CHOSEN}=1", lang=lang.code,
                  hreflang=lang.code, class_name="inline-link language-link")
          for lang in text.LANGUAGES if lang.code != here],
        class_name="switch languages",
    )


def browser_language_offer(route: str) -> rx.Component:
    """When the visitor chose a language other than the one their browser asks for:
    a way back to the browser's, in that language's own words."""
    offers = [
        rx.cond(
            BrowserLanguageState.browser_language == lang.code,
            rx.el.p(rx.el.a(text.translations(lang.code).gettext(IN_MY_LANGUAGE),
                            href=f"{text.href(route, lang.code)}?{CHOSEN}=1",
                            hreflang=lang.code,
                            lang=lang.code, id="browser-language-offer"),
                    class_name="notice", lang=lang.code),
        )
        for lang in text.LANGUAGES if lang.code != text.current()
    ]
    return rx.fragment(*offers)


def sign_in_page() -> rx.Component:
    return public_shell(
        browser_language_offer("/signin/"),
        ty.text(_("Sign in to practise your skills and keep your journal."), class_name="lead"),
        rx.el.form(
            form_status("signin"),
            text_field("email", _("Email"), type_="email", autocomplete="email",
                       max_length=EMAIL_MAX),
            password_field("password", _("Password"), autocomplete="current-password"),
            submit_button(_("Sign in"), _("Signing in…")),
            id="signin",
            custom_attrs={"data-auth": "login"},
            no_validate=True,
            class_name="stack",
        ),
        rx.el.p(_("New here?"), " ", rx.el.a(_("Create an account"), href=text.href("/signup/")),
                class_name="switch"),
        other_languages("/signin/"),
        title=_("Welcome back"),
    )


def time_zone_select() -> rx.Component:
    """Sign-up's picker (patients and therapists): the phone's zone chosen already."""
    return time_zone_field(
        "time_zone", label=_("Time zone"),
        hint=_("We use it to know when your day starts. We filled it in from this phone."),
        placeholder=_("Choose your time zone"), detect=True, error_id="time_zone-error",
        error=rx.el.p(id="time_zone-error", class_name="field-error", aria_live="polite"))


def sign_up_page() -> rx.Component:
    return public_shell(
        browser_language_offer("/signup/"),
        ty.text(_("It takes a minute. Your journal stays private unless you choose to share."),
                class_name="lead"),
        rx.el.form(
            form_status("signup"),
            text_field("display_name", _("Your name"), autocomplete="name",
                       hint=_("First name or a nickname is fine."), max_length=NAME_MAX),
            text_field("email", _("Email"), type_="email", autocomplete="email",
                       max_length=EMAIL_MAX),
            password_field(
                "password", _("Password"), autocomplete="new-password",
                hint=_("At least 15 characters. A short sentence or a few unrelated words "
                       "work well. Up to {high}.", high=PASSWORD_MAX)),
            # Public sign-up makes patients; therapists join from an invitation (/join/).
            rx.el.input(type="hidden", name="role", value="patient"),
            time_zone_select(),
            # The page's language; on the source language's page, the browser's.
            language_select("language", rx.cond(BrowserLanguageState.sign_up_language != "",
                                                BrowserLanguageState.sign_up_language,
                                                text.current())),
            submit_button(_("Create account"), _("Creating your account…")),
            id="signup",
            custom_attrs={"data-auth": "signup"},
            no_validate=True,
            class_name="stack",
        ),
        rx.el.p(_("Already have an account?"), " ",
                rx.el.a(_("Sign in"), href=text.href("/signin/")), class_name="switch"),
        rx.el.p(_("Therapists join from the invitation link their program's admin sends."),
                class_name="switch muted"),
        other_languages("/signup/"),
        title=_("Create your account"),
    )


def register(app: rx.App) -> None:
    public_load = [SessionState.route_signed_in_home, BrowserLanguageState.notice_browser]
    localized.add_page(app, sign_in_page, "/signin", title=N_("Sign in"), on_load=public_load)
    localized.add_page(app, sign_up_page, "/signup", title=N_("Create account"),
                       on_load=public_load)
