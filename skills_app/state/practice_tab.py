"""The Practice tab's and Today's practice card's per-patient parts.

Thin: each handler resolves the patient from the session on every call and
asks `views.practice_tab` (core underneath) off the event loop. The exercise
list is content, built into the page; these states hold only favourites, last
finished days, today's plan and the weekly line. Arguments from the browser
(an exercise id, a star's new value) go to core unchecked by type: core
refuses an unknown id or anything but a bool, and nothing is stored then.
"""

from __future__ import annotations

import reflex as rx

from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.state.session import SessionState
from skills_app.views import practice_tab as views


def _tab(identity: Identity) -> views.TabData | None:
    # Resolved with any role so the page guard can send others home; only a
    # patient's tab is read.
    if identity.role != Role.PATIENT:
        return None
    return views.tab_data(identity.user_id, identity.time_zone)


def _star(identity: Identity, exercise_id: object, starred: object) -> views.TabData:
    return views.star(identity.user_id, identity.time_zone, exercise_id, starred)


def _today(identity: Identity) -> views.TodayData:
    return views.today_data(identity.user_id, identity.time_zone)


class PracticeTabState(SessionState):
    """Favourites and "Last done" on the Practice tab."""

    favourite_ids: list[str] = []
    favourite_cards: list[dict[str, str]] = []
    last_done: dict[str, str] = {}

    def _show(self, data: views.TabData) -> None:
        self.favourite_ids = data.favourite_ids
        self.favourite_cards = data.favourite_cards
        self.last_done = data.last_done

    @rx.event
    async def load_tab(self) -> rx.event.EventSpec | None:
        identity, data = await self._as_user(None, _tab)
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None or data is None:
            return refusal
        self._show(data)
        return None

    @rx.event
    async def star(self, exercise_id: str, starred: bool) -> rx.event.EventSpec | None:
        identity, data = await self._as_user(Role.PATIENT, _star, exercise_id, starred)
        if identity is None:
            return await self._send_to_sign_in()
        self._show(data)
        return None


class TodayPracticeState(SessionState):
    """Today's practice card and the risk prompts of today's diary cards above it:
    the plan follows the day's strongest signal, so both come in one update.

    The page guard is CheckInState.load_today's; this only fills the cards.
    """

    plan: list[dict[str, str]] = []
    week_line: str = ""
    loaded: bool = False
    prompts: list[str] = []

    @rx.event
    async def load_plan(self) -> None:
        identity, data = await self._as_user(Role.PATIENT, _today)
        if identity is None:
            return
        self.plan, self.week_line, self.loaded = data.plan, data.week_line, True
        self.prompts = data.prompts
