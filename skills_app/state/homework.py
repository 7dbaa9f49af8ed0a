"""The patient's homework: Today's "From your therapist" card and the week view
(/homework/).

Thin: every handler resolves the patient from the session on each call and asks
`core.homework` off the event loop in the same trip. An assignment id from the
browser is only ever a question to core, which answers for the patient's own
assignments alone: another patient's id changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import reflex as rx

from skills_app.core import homework
from skills_app.core.auth import Identity
from skills_app.core.dates import local_today
from skills_app.core.models import Role
from skills_app.core.problems import Problem
from skills_app.state.session import SessionState
from skills_app.text import N_, _
from skills_app.text.problems import say
from skills_app.views import homework as views

SKIPPED = N_("Noted: not for you this week. Your therapist will see that.")
UNSKIPPED = N_("It is back on your week.")


def _today(identity: Identity) -> tuple[date, list[homework.AssignmentWeek]]:
    return local_today(identity.time_zone), homework.patient_week(identity.user_id)


def _week(identity: Identity, raw_week: object) -> tuple[date, date, list]:
    today = local_today(identity.time_zone)
    monday = views.week_asked(raw_week, today)
    return today, monday, homework.patient_week(identity.user_id, monday)


def _skip(identity: Identity, raw_id: object, reason: object,
          raw_week: object) -> tuple[Problem | None, tuple[date, date, list]]:
    problem = homework.skip_week(identity.user_id, raw_id, reason)
    return problem, _week(identity, raw_week)


def _unskip(identity: Identity, raw_id: object,
            raw_week: object) -> tuple[Problem | None, tuple[date, date, list]]:
    problem = homework.unskip_week(identity.user_id, raw_id)
    return problem, _week(identity, raw_week)


class TodayHomeworkState(SessionState):
    """Today's "From your therapist" card: what is due today (done today or not).

    The page guard is CheckInState.load_today's; this only fills the card.
    """

    items: list[dict[str, Any]] = []
    # Something is asked this week, even if nothing today: the card shows, to say so.
    this_week: bool = False
    loaded: bool = False

    @rx.event
    async def load_today_homework(self) -> None:
        identity, result = await self._as_user(Role.PATIENT, _today)
        if identity is None:
            return
        today, week = result
        self.items = views.today_rows([item for item in week if item.due_today], today)
        self.this_week = views.asked_this_week(week)
        self.loaded = True


class HomeworkWeekState(SessionState):
    """The week view: each assignment with Monday to Sunday, the therapist's note,
    and "Not for me this week" (this week only) with an optional reason."""

    rows: list[dict[str, Any]] = []
    loaded: bool = False
    week: str = ""
    week_label: str = ""
    previous_week: str = ""
    next_week: str = ""
    message: str = ""
    error: str = ""
    # Which assignment's "not for me this week" form is open ("" none).
    asking: str = ""

    def _show(self, result: tuple[date, date, list]) -> None:
        today, monday, items = result
        self.rows = views.week_rows(items, today)
        self.week = monday.isoformat()
        self.week_label = views.week_label(monday, today)
        back = views.week_asked((monday - timedelta(days=7)).isoformat(), today)
        ahead = views.week_asked((monday + timedelta(days=7)).isoformat(), today)
        self.previous_week = back.isoformat() if back < monday else ""
        self.next_week = ahead.isoformat() if ahead > monday else ""
        self.loaded = True

    @rx.event
    async def load_week(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return refusal
        return await self.show_week(self.router.url.query_parameters.get("week", ""))

    @rx.event
    async def show_week(self, raw_week: str) -> rx.event.EventSpec | None:
        identity, result = await self._as_user(Role.PATIENT, _week, raw_week)
        if identity is None:
            return await self._send_to_sign_in()
        self.message, self.error, self.asking = "", "", ""
        self._show(result)
        return None

    @rx.event
    def ask_skip(self, raw_id: str) -> None:
        """Open the "not for me this week" form of one card (only what is on screen)."""
        ids = {row["id"] for row in self.rows}
        self.asking = raw_id if isinstance(raw_id, str) and raw_id in ids else ""
        self.error = ""

    @rx.event
    def cancel_skip(self) -> None:
        self.asking, self.error = "", ""

    @rx.event
    async def skip(self, form_data: dict) -> rx.event.EventSpec | None:
        form = form_data if isinstance(form_data, dict) else {}
        identity, outcome = await self._as_user(
            Role.PATIENT, _skip, form.get("assignment_id"), form.get("reason"), self.week)
        if identity is None:
            return await self._send_to_sign_in()
        problem, result = outcome
        if problem is not None:
            self.error, self.message = say(problem), ""
            return None
        self.error, self.asking, self.message = "", "", _(SKIPPED)
        self._show(result)
        return None

    @rx.event
    async def unskip(self, raw_id: str) -> rx.event.EventSpec | None:
        identity, outcome = await self._as_user(Role.PATIENT, _unskip, raw_id, self.week)
        if identity is None:
            return await self._send_to_sign_in()
        problem, result = outcome
        self.error = say(problem) if problem is not None else ""
        self.message = "" if problem is not None else _(UNSKIPPED)
        self._show(result)
        return None
