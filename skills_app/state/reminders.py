"""Reminders: the Account -> Reminders page (/account/reminders/), and Today's two
small cards (the one question after the first check-in, and what came due today).

Thin: every handler resolves the patient from the session on each call and asks
`core.reminder_settings` off the event loop in the same trip. Nothing the
browser sends names a patient; a form is only ever checked by core.
The calendar link is shown once, right after it is made: only its hash is kept.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from skills_app import text
from skills_app.core import reminder_settings
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.core.settings import own_origin
from skills_app.state.session import SessionState, off_loop
from skills_app.text import N_, _
from skills_app.text.problems import say_all
from skills_app.views import reminders as views

SAVED = N_("Saved. Your reminders are set.")
NOT_SAVED = N_("Nothing was saved. Please fix what is marked above.")
LINK_MADE = N_("Your new link is ready. Any old link stopped working.")
LINK_OFF = N_("The calendar link is off. Calendars that used it get nothing new.")
PAGE = "/account/reminders/"
# Where each refused field is on the page (the first is scrolled to); a kind's fields
# are in its card, "reminder-<kind>".
FIELD_CARDS = {"quiet_start": "quiet-hours", "quiet_end": "quiet-hours",
               "daily_cap": "cap-and-wording", "wording": "cap-and-wording",
               "by_email": "channels", "form": "reminders-status"}


def _card_of(field: str) -> str:
    if field in FIELD_CARDS:
        return FIELD_CARDS[field]
    return "reminder-" + field.rsplit("_", 1)[0]


def _page(identity: Identity) -> tuple[reminder_settings.ReminderChoices,
                                       list[reminder_settings.LogLine]]:
    user_id = identity.user_id
    return reminder_settings.load(user_id), reminder_settings.sent_log(user_id)


def _save(identity: Identity, form: object) -> tuple[
        reminder_settings.ReminderChoices | None, dict, list[reminder_settings.LogLine]]:
    choices, errors = reminder_settings.save(identity.user_id, form)
    return choices, errors, reminder_settings.sent_log(identity.user_id)


def _new_link(identity: Identity) -> tuple[str, reminder_settings.ReminderChoices]:
    token = reminder_settings.new_calendar_token(identity.user_id)
    return token, reminder_settings.load(identity.user_id)


def _link_off(identity: Identity) -> reminder_settings.ReminderChoices:
    reminder_settings.turn_off_calendar(identity.user_id)
    return reminder_settings.load(identity.user_id)


class RemindersState(SessionState):
    """The reminders page: every kind offered, quiet hours, cap, wording, channels,
    the calendar link and the sent log."""

    loaded: bool = False
    kinds: list[dict[str, Any]] = []
    # Each field's starting value ("on" for a ticked box); see views.form_values.
    values: dict[str, str] = {}
    # Changes whenever the stored values change, so the form is drawn again with them.
    form_version: int = 0
    email_possible: bool = False
    email: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    calendar_on: bool = False
    calendar_link: str = ""
    # The same link for a phone's calendar to subscribe to (webcal://).
    calendar_subscribe: str = ""
    calendar_message: str = ""
    log: list[dict[str, str]] = []

    def _show(self, choices: reminder_settings.ReminderChoices, identity: Identity) -> None:
        self.kinds = views.kind_cards(choices)
        self.values = views.form_values(choices)
        self.form_version += 1
        self.email_possible = choices.email_possible
        self.email = choices.address
        self.calendar_on = choices.calendar_on
        self.loaded = True

    @rx.event
    async def load_reminders(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return refusal
        choices, lines = await off_loop(_page, identity)
        self._show(choices, identity)
        self.log = views.log_rows(lines, identity.time_zone)
        if not await self._same_page_again():
            self.errors, self.message = {}, ""
            self.calendar_link, self.calendar_subscribe, self.calendar_message = "", "", ""
        return None

    @rx.event
    async def save_reminders(self, form_data: dict) -> rx.event.EventSpec | None:
        identity, result = await self._as_user(Role.PATIENT, _save, form_data)
        if identity is None:
            return await self._send_to_sign_in()
        choices, errors, lines = result
        self.log = views.log_rows(lines, identity.time_zone)
        if choices is None:
            self.errors, self.message = say_all(errors), _(NOT_SAVED)
            # The first card to fix, in the page's order.
            fields = [f"{card['kind']}_{part}" for card in self.kinds
                      for part in ("time", "days")] + list(FIELD_CARDS)
            first = next((field for field in fields if field in errors), "form")
            return rx.scroll_to(_card_of(first))
        self.errors, self.message = {}, _(SAVED)
        self._show(choices, identity)
        return None

    @rx.event
    async def make_calendar_link(self) -> rx.event.EventSpec | None:
        identity, result = await self._as_user(Role.PATIENT, _new_link)
        if identity is None:
            return await self._send_to_sign_in()
        token, choices = result
        self.calendar_on = choices.calendar_on
        self.calendar_link = f"{own_origin(self.router.headers.origin)}/calendar/feed/{token}.ics"
        self.calendar_subscribe = "webcal://" + self.calendar_link.split("://", 1)[1]
        self.calendar_message = _(LINK_MADE)
        return None

    @rx.event
    async def turn_off_calendar(self) -> rx.event.EventSpec | None:
        identity, choices = await self._as_user(Role.PATIENT, _link_off)
        if identity is None:
            return await self._send_to_sign_in()
        self.calendar_on = choices.calendar_on
        self.calendar_link, self.calendar_subscribe = "", ""
        self.calendar_message = _(LINK_OFF)
        return None


def _today(identity: Identity) -> tuple[bool, list[reminder_settings.LogLine], str]:
    user_id = identity.user_id
    return (reminder_settings.should_ask(user_id),
            reminder_settings.due_today(user_id, identity.time_zone),
            reminder_settings.wording_of(user_id))


def _answer(identity: Identity) -> None:
    reminder_settings.answer_ask(identity.user_id)


class TodayRemindersState(SessionState):
    """Today's reminder cards. The page guard is CheckInState.load_today's."""

    ask: bool = False
    due: list[dict[str, str]] = []

    @rx.event
    async def load_today_reminders(self) -> None:
        identity, result = await self._as_user(Role.PATIENT, _today)
        if identity is None:
            return
        ask, lines, wording = result
        self.ask = ask
        self.due = views.due_rows(lines, wording, identity.time_zone)

    @rx.event
    async def answer(self, set_one: bool) -> rx.event.EventSpec | None:
        """"Set a reminder" (`set_one` true: to the page) or "Not now": never asked again."""
        identity, _ = await self._as_user(Role.PATIENT, _answer)
        if identity is None:
            return await self._send_to_sign_in()
        self.ask = False
        if set_one is True:
            return rx.redirect(text.href(PAGE))
        return None
