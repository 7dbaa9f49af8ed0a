"""The practice history: finished exercises by day, with their answers; delete.

Thin, like the journal: every handler resolves the patient from the session,
reads through `views.practice_history` off the event loop, and keeps only what
the screen shows. A delete is accepted only for an entry on the screen, and
core deletes only the patient's own.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from skills_app.core import practice
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.state.session import SessionState, off_loop
from skills_app.text import _
from skills_app.text.problems import say
from skills_app.views import practice_history as views


def _screen(identity: Identity, days: int) -> views.HistoryScreen:
    return views.history_screen(identity.user_id, identity.time_zone, days)


def _delete_then_screen(identity: Identity, finished_id: str,
                        days: int) -> tuple[practice.PracticeResult, views.HistoryScreen]:
    result = practice.delete_finished(identity.user_id, finished_id)
    return result, _screen(identity, days)


class PracticeHistoryState(SessionState):
    cards: list[dict[str, Any]] = []
    # False until the history has been read: the page shows a neutral "Loading"
    # and nothing under it, so no false "nothing here yet" shows.
    loaded: bool = False
    range_line: str = ""
    can_show_earlier: bool = False
    confirm_delete_id: str = ""
    confirm_delete_named: str = ""
    message: str = ""
    _days: int = views.HISTORY_DAYS

    def _show(self, screen: views.HistoryScreen) -> None:
        self.cards, self._days = screen.cards, screen.days
        self.range_line, self.can_show_earlier = screen.range_line, screen.can_show_earlier
        self.loaded = True

    @rx.event
    async def load_history(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return refusal
        self.confirm_delete_id, self.confirm_delete_named, self.message = "", "", ""
        self._show(await off_loop(_screen, identity, views.HISTORY_DAYS))
        return None

    @rx.event
    async def show_earlier(self) -> rx.event.EventSpec | None:
        identity, screen = await self._as_user(Role.PATIENT, _screen,
                                               views.next_days(self._days))
        if identity is None:
            return await self._send_to_sign_in()
        self._show(screen)
        return None

    @rx.event
    def ask_delete(self, finished_id: str) -> None:
        # Only a practice on the screen can be asked about; the dialog names it.
        shown = next((card for card in self.cards
                      if isinstance(finished_id, str) and card["id"] == finished_id), None)
        self.confirm_delete_id = shown["id"] if shown else ""
        self.confirm_delete_named = shown["named"] if shown else ""

    @rx.event
    def cancel_delete(self) -> None:
        self.confirm_delete_id, self.confirm_delete_named = "", ""

    @rx.event
    async def delete_finished(self) -> rx.event.EventSpec | None:
        finished_id = self.confirm_delete_id
        self.confirm_delete_id, self.confirm_delete_named = "", ""
        if not finished_id:
            return None
        identity, done = await self._as_user(Role.PATIENT, _delete_then_screen, finished_id,
                                             self._days)
        if identity is None:
            return await self._send_to_sign_in()
        result, screen = done
        self.message = (_("Deleted.") if result.ok
                        else say((result.errors or {}).get("form", practice.NOT_FOUND)))
        self._show(screen)
        return None
