"""Account screen: the caller's own name, time zone and language."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import reflex as rx

from skills_app import text
from skills_app.core import accounts, time_zones
from skills_app.core.models import Role
from skills_app.state.session import SessionState, leave_for, off_loop
from skills_app.text import _
from skills_app.text.problems import say_all


class AccountState(SessionState):
    email: str = ""
    time_zone: str = ""
    language: str = ""
    errors: dict[str, str] = {}
    saved_message: str = ""
    password_changed: bool = False

    @rx.event
    async def load_account(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        # A patient's Account page is in their language (a therapist's pages are English;
        # a deactivated therapist may still open Account).
        patient = identity is not None and identity.role == Role.PATIENT
        refusal = await self._admit(identity, Role.PATIENT if patient else None)
        if refusal is not None:
            return refusal
        profile = await off_loop(accounts.load_profile, identity)
        if profile is None:
            return await self._send_to_sign_in()
        # An alias stored before the picker listed places reads as its place.
        self.display_name, self.email, self.time_zone, self.language = (
            profile.display_name, profile.email, time_zones.listed_for(profile.time_zone),
            profile.language)
        self.errors, self.saved_message = {}, ""
        query = self.router.url.query_parameters
        self.password_changed = query.get("changed") == "1"
        if query.get("language") == "1":
            self.saved_message = _("Saved.")
        return None

    @rx.event
    async def save_profile(self, form_data: dict) -> rx.event.EventSpec | None:
        identity = await self._identity()
        if identity is None:
            return await self._send_to_sign_in()
        profile, errors = await off_loop(accounts.update_profile, identity, form_data)
        self.errors = say_all(errors)
        if profile is None:
            self.saved_message = ""
            return None
        self.display_name, self.time_zone, self.language = (
            profile.display_name, time_zones.listed_for(profile.time_zone), profile.language)
        if profile.language != text.current():
            # Every page of the new language is another page: load it fully, so the
            # shell, the tabs and this form are in the language just chosen.
            return leave_for(text.href("/account/?language=1", profile.language))
        self.saved_message = _("Saved.")
        return None


# The query a language link adds: the visitor chose this page's language themselves.
CHOSEN = "chosen"


class BrowserLanguageState(SessionState):
    """Before sign-in, the start, sign-in and sign-up pages follow the browser's
    language (Accept-Language), unless the visitor chose one: by a language link
    (`?chosen=1`) or by opening a page in a language of its own ("/es/signup/",
    say a link from their program). A choice holds for this tab."""

    # The language to offer, when the browser prefers one other than the page's ("": none).
    browser_language: str = ""
    # What sign-up pre-selects: the page's language.
    sign_up_language: str = ""
    # The language this tab chose by a tap, over the browser's ("": none yet).
    _chosen_language: str = ""

    @rx.event
    def notice_browser(self) -> rx.event.EventSpec | None:
        wanted = text.from_accept_language(self.router.headers.accept_language)
        path = self.router.url.path or "/"
        page = text.language_of_path(path)
        query = dict(parse_qsl(self.router.url.query or "", keep_blank_values=True))
        if query.pop(CHOSEN, None) is not None or page != text.SOURCE.code:
            self._chosen_language = page
        preferred = self._chosen_language or wanted
        if preferred != page:
            there = text.href(text.without_language(path), preferred)
            return rx.redirect(f"{there}?{urlencode(query)}" if query else there)
        self.browser_language = wanted if wanted != page else ""
        self.sign_up_language = page
        return None
