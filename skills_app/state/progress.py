"""The Progress tab: charts, their tables and the weekly summary.

Thin: each handler resolves the patient from the session on every call and
asks `views.progress` (core underneath) off the event loop, for the patient's
own id only: no argument names a patient. The range a browser asks for goes
to core unchecked by type: core accepts 7, 30, 90 or 365 and refuses anything
else with a kind message (in the page's language), leaving what the screen showed
as it was.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from skills_app.core import progress
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.state.session import SessionState
from skills_app.text.problems import say
from skills_app.views import progress as views


def _view(identity: Identity, days: object) -> views.ProgressView | str | None:
    # Resolved with any role so the page guard can send others home; only a
    # patient's progress is read.
    if identity.role != Role.PATIENT:
        return None
    try:
        return views.progress_view(identity.user_id, identity.time_zone, days)
    except progress.RangeRefused as refused:
        return say(refused.problem)


class ProgressState(SessionState):
    range_days: int = progress.DEFAULT_RANGE_DAYS
    # False until the patient's progress has been read: a neutral "Loading".
    loaded: bool = False
    message: str = ""
    has_entries: bool = False
    by_week: bool = False
    summary_title: str = ""
    summary_lines: list[str] = []
    mood_picture: str = ""
    mood_headers: list[str] = []
    mood_rows: list[list[str]] = []
    mood_line: str = ""
    mood_shown: bool = False
    urges: list[dict[str, Any]] = []
    craving_picture: str = ""
    craving_headers: list[str] = []
    craving_rows: list[list[str]] = []
    craving_line: str = ""
    craving_shown: bool = False
    skills_picture: str = ""
    skills_headers: list[str] = []
    skills_rows: list[list[str]] = []
    skills_line: str = ""
    skills_shown: bool = False
    minutes_picture: str = ""
    minutes_headers: list[str] = []
    minutes_rows: list[list[str]] = []
    minutes_line: str = ""
    minutes_shown: bool = False
    has_mindfulness: bool = False

    def _show(self, view: views.ProgressView) -> None:
        self.range_days, self.by_week = view.range_days, view.by_week
        self.has_entries, self.message = view.has_entries, ""
        self.summary_title, self.summary_lines = view.summary_title, view.summary_lines
        for name in ("mood", "craving", "skills", "minutes"):
            chart: views.Chart = getattr(view, name)
            setattr(self, f"{name}_picture", chart.picture)
            setattr(self, f"{name}_headers", chart.headers)
            setattr(self, f"{name}_rows", chart.rows)
            setattr(self, f"{name}_line", chart.line)
            setattr(self, f"{name}_shown", chart.shown)
        self.urges = views.urge_values(view.urges)
        self.has_mindfulness = view.has_mindfulness
        self.loaded = True

    @rx.event
    async def load_progress(self) -> rx.event.EventSpec | None:
        identity, view = await self._as_user(None, _view, self.range_days)
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None or view is None:
            return refusal
        if isinstance(view, str):  # a range forged into this tab's state
            identity, view = await self._as_user(Role.PATIENT, _view,
                                                 progress.DEFAULT_RANGE_DAYS)
            if not isinstance(view, views.ProgressView):
                return await self._send_to_sign_in()
        self._show(view)
        return None

    @rx.event
    async def set_range(self, days: str) -> rx.event.EventSpec | None:
        identity, view = await self._as_user(Role.PATIENT, _view, days)
        if identity is None:
            return await self._send_to_sign_in()
        if isinstance(view, str):
            self.message = view
            return None
        self._show(view)
        return None
