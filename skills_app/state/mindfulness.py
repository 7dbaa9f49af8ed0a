"""The mindfulness timers' server side: the log of finished sessions, and the log page.

The timers run in the browser (assets/timer.js); all the server does is take a
finished session once, when the page is online, and show the minutes. Thin,
like the other states: every handler resolves the patient from the session,
and what the page sends goes to `core.mindfulness`, which checks it whole.
"""

from __future__ import annotations

import json

import reflex as rx

from skills_app.core import mindfulness
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.state.session import SessionState
from skills_app.text.problems import say
from skills_app.views import mindfulness as views


def _log(identity: Identity, raw: object) -> mindfulness.LogResult:
    return mindfulness.log_session(identity.user_id, identity.time_zone, raw)


def _answer(name: str, key: str) -> rx.event.EventSpec:
    return rx.call_script(
        f"window.skillsMindful && window.skillsMindful.{name}({json.dumps(key)})")


class MindfulnessState(SessionState):
    """A refused session's message (the page says it; nothing was stored)."""

    message: str = ""

    @rx.event
    async def log_session(self, form_data: dict) -> rx.event.EventSpec | None:
        raw = views.log_input(form_data)
        identity, result = await self._as_user(Role.PATIENT, _log, raw)
        if identity is None:
            return await self._send_to_sign_in()
        key = views.sent_key(raw)
        if not result.ok:
            self.message = say(next(iter(result.errors.values()), mindfulness.BAD_LOG))
            return _answer("refused", key)
        if self.message:
            self.message = ""
        return _answer("logged", result.session.idempotency_key)


def _log_page(identity: Identity) -> views.LogData | None:
    if identity.role != Role.PATIENT:
        return None
    return views.log_data(identity.user_id, identity.time_zone)


class MindfulnessLogState(SessionState):
    """The log page: minutes per day and per practice."""

    days: list[dict[str, str]] = []
    practices: list[dict[str, str]] = []
    week_line: str = ""
    loaded: bool = False

    @rx.event
    async def load_log(self) -> rx.event.EventSpec | None:
        identity, data = await self._as_user(None, _log_page)
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None or data is None:
            return refusal
        self.days, self.practices, self.week_line = data.days, data.practices, data.week_line
        self.loaded = True
        return None
