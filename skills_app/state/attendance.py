"""The therapist's attendance page (/groups/attendance/): choose a group and a meeting,
then one tap per patient.

Thin: `core.attendance` decides who may take which group's attendance (any active
therapist or admin of the track's program) and checks every mark again. The
page never holds a patient id: each line is addressed by its place in the list,
and the ids stay in a backend var (`_patient_ids`) filled from the roster the
server read. The chosen track and day are the server's too (`_track_id`,
`_day`); what a browser sends is only ever a question to core.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import reflex as rx

from skills_app.core import attendance, schedule
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.state.session import SessionState
from skills_app.text import _, ngettext
from skills_app.text.problems import say
from skills_app.views import attendance as views


def _load(identity: Identity, raw_track: object, raw_day: object) -> views.AttendanceScreen:
    choices = attendance.choices(identity.user_id, raw_track, raw_day)
    if choices is None:
        return views.screen(None, None, None)
    roster = None
    if choices.day is not None:
        roster, _problem = attendance.roster(identity.user_id, choices.track_id, choices.day)
    counts = None
    if choices.is_admin and choices.track_id is not None:
        today = schedule.program_today(choices.time_zone)
        counts, _problem = attendance.meeting_counts(
            identity.user_id, choices.track_id, today - timedelta(days=views.COUNT_DAYS - 1),
            today)
    return views.screen(choices, roster, counts)


def _mark(identity: Identity, track_id: int, patient_id: int, day: str,
          status: object) -> Any:
    return attendance.mark(identity.user_id, track_id, patient_id, day, status)


def _mark_rest(identity: Identity, track_id: int, day: str
               ) -> tuple[int, Any, views.AttendanceScreen | None]:
    """Mark the rest present, then read the list again (someone else may have marked
    meanwhile)."""
    count, problem = attendance.mark_rest_present(identity.user_id, track_id, day)
    return count, problem, None if problem else _load(identity, track_id, day)


class AttendanceState(SessionState):
    loaded: bool = False
    allowed: bool = False
    is_admin: bool = False
    tracks: list[dict[str, str]] = []
    track_id: str = ""
    meetings: list[dict[str, str]] = []
    day: str = ""
    heading: str = ""
    lines: list[dict[str, Any]] = []
    note: str = ""
    counts: list[dict[str, str]] = []
    # Lines without a mark yet ("Mark everyone not yet marked present" shows while any).
    unmarked: int = 0
    # The quiet confirmation after each tap, and a problem in words.
    saved: str = ""
    error: str = ""
    _patient_ids: list[int] = []
    _track_id: int = 0

    def _show(self, found: views.AttendanceScreen) -> None:
        self.loaded, self.allowed, self.is_admin = True, found.allowed, found.is_admin
        self.tracks, self.track_id = found.tracks, found.track_id
        self.meetings, self.day = found.meetings, found.day
        self.heading, self.lines, self.note = found.heading, found.lines, found.note
        self.counts = found.counts
        self.unmarked = sum(1 for line in found.lines if not line["status"])
        self._patient_ids = found.patient_ids
        self._track_id = int(found.track_id or 0)

    async def _open(self, raw_track: object, raw_day: object) -> rx.event.EventSpec | None:
        identity, found = await self._as_user(Role.THERAPIST, _load, raw_track, raw_day)
        if identity is None:
            return await self._send_to_sign_in()
        self._show(found)
        self.saved, self.error = "", ""
        return None

    @rx.event
    async def load_attendance(self) -> rx.event.EventSpec | None:
        refusal = await self._admit(await self._identity(), Role.THERAPIST)
        if refusal is not None:
            return refusal
        query = self.router.url.query_parameters
        return await self._open(query.get("track", ""), query.get("day", ""))

    @rx.event
    async def choose_track(self, track_id: str) -> rx.event.EventSpec | None:
        return await self._open(track_id, "")

    @rx.event
    async def choose_meeting(self, day: str) -> rx.event.EventSpec | None:
        return await self._open(self._track_id, day)

    @rx.event
    async def mark(self, index: int, status: str) -> rx.event.EventSpec | None:
        if (not isinstance(index, int) or isinstance(index, bool)
                or not 0 <= index < len(self._patient_ids)):
            self.error, self.saved = say(attendance.NOT_ON_TRACK), ""
            return None
        # A refusal before core (signed out, not a therapist, deactivated) names the patient
        # on their trail too.
        session = await self.get_state(SessionState)
        session._refused_patient = self._patient_ids[index]
        identity, problem = await self._as_user(Role.THERAPIST, _mark, self._track_id,
                                                self._patient_ids[index], self.day, status)
        session._refused_patient = 0
        if identity is None:
            return await self._send_to_sign_in()
        if problem is not None:
            self.error, self.saved = say(problem), ""
            return None
        line = self.lines[index]
        self.lines[index] = {**line, "status": status, "status_text": views.status_text(status)}
        self.unmarked = sum(1 for shown in self.lines if not shown["status"])
        self.error = ""
        self.saved = _("Saved: {name}, {status}.", name=line["name"],
                       status=views.status_text(status))
        return None

    @rx.event
    async def mark_rest_present(self) -> rx.event.EventSpec | None:
        identity, result = await self._as_user(Role.THERAPIST, _mark_rest, self._track_id,
                                               self.day)
        if identity is None:
            return await self._send_to_sign_in()
        count, problem, found = result
        if problem is not None or found is None:
            self.error, self.saved = say(problem or attendance.NO_MEETING), ""
            return None
        self._show(found)
        self.error = ""
        self.saved = ngettext("Saved: {n} patient marked present.",
                              "Saved: {n} patients marked present.", count)
        return None
