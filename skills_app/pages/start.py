"""The start page (manifest start_url): sends a signed-in person home, and
offers everyone else sign-in or a new account (it never redirects them: that
would race their tap), in the browser's language when the app speaks it."""

from __future__ import annotations

import re

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.layout import public_shell
from skills_app.pages import localized
from skills_app.pages.auth import browser_language_offer, other_languages
from skills_app.state.account import BrowserLanguageState
from skills_app.state.session import SessionState
from skills_app.text import _


def _with_links(sentence: str, links: dict[str, rx.Component]) -> list[rx.Component | str]:
    """A translated sentence whose `{placeholders}` are links, in the translation's order."""
    pieces: list[rx.Component | str] = []
    for part in re.split(r"(\{[a-z_]+\})", sentence):
        name = part[1:-1] if part.startswith("{") and part.endswith("}") else ""
        if name in links:
            pieces.append(links[name])
        elif part:
            pieces.append(part)
    return pieces


def start_page() -> rx.Component:
    return public_shell(
        browser_language_offer("/"),
        ty.text(_("Practise your skills and keep your journal between sessions."),
                class_name="lead"),
        rx.el.p(*_with_links(_("{sign_in} or {sign_up}."), {
            "sign_in": rx.el.a(_("Sign in"), href=text.href("/signin/")),
            "sign_up": rx.el.a(_("create an account"), href=text.href("/signup/"))})),
        other_languages("/"),
        title=_("Skills Practice"),
    )


def register(app: rx.App) -> None:
    localized.add_page(app, start_page, "/", title="",
                       on_load=[SessionState.route_signed_in_home,
                                BrowserLanguageState.notice_browser])
