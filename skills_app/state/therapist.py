"""The therapist's screens: the caseload, the connect code, a patient's detail with
the diary-card review, and the printable session summary.

Every handler that reads a patient goes through `_as_user(Role.THERAPIST, ...)`
(session, role and an active program membership) and then, off the loop,
`sharing.therapist_reads`, which asks `allowed_categories` again and writes
the audit row. So a revoked grant, an expired one or a deactivated therapist
shows nothing from the next event on. The patient id comes from the page's
address (a browser can send anything): it is only ever a question to
`therapist_reads`. Vars hold only what the screen shows, built from the shared
categories alone.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
import segno

from skills_app.core import programs, review, schedule, sharing
from skills_app.core.auth import Identity
from skills_app.core.dates import local_today
from skills_app.core.models import ProgramRole, Role
from skills_app.core.settings import allowed_origins
from skills_app.state.session import SessionState
from skills_app.text import _
from skills_app.text.problems import say
from skills_app.views import schedule as schedule_words
from skills_app.views import therapist as views


def _caseload(identity: Identity) -> tuple[list[review.CaseloadRow], programs.Membership | None]:
    rows = review.caseload_rows([
        (patient_id, name, categories, local_today(zone))
        for patient_id, name, zone, categories in sharing.caseload(identity.user_id)])
    return rows, programs.membership_of(identity.user_id)


def _new_code(identity: Identity) -> tuple[str | None, Any]:
    return sharing.new_connect_code(identity.user_id)


def qr_data_uri(url: str) -> str:
    """The QR code of a link, drawn here as SVG (no image from anywhere else)."""
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2, dark="#000000",
                                                  light="#ffffff")


class CaseloadState(SessionState):
    rows: list[dict[str, Any]] = []
    loaded: bool = False
    sort: str = "flags"
    is_admin: bool = False
    program_name: str = ""
    code: str = ""
    code_until: str = ""
    code_qr: str = ""
    code_error: str = ""
    # The desk table's optional columns: only when a row has something for them.
    homework_column: bool = False
    groups_column: bool = False
    _rows: list[review.CaseloadRow] = []
    # The reader's zone: the next group's time.
    _time_zone: str = "UTC"

    def _show(self) -> None:
        self.rows = views.caseload_rows(review.sort_caseload(self._rows, self.sort),
                                        self._time_zone)
        self.homework_column, self.groups_column = views.optional_columns(self.rows)

    @rx.event
    async def load_caseload(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.THERAPIST)
        if refusal is not None:
            return refusal
        identity, result = await self._as_user(Role.THERAPIST, _caseload)
        if identity is None:
            return await self._send_to_sign_in()
        self._rows, membership = result
        self._time_zone = identity.time_zone
        self.is_admin = bool(membership and membership.role == ProgramRole.ADMIN)
        self.program_name = membership.program_name if membership else ""
        self._show()
        self.loaded = True
        return None

    @rx.event
    async def sort_by(self, by: str) -> rx.event.EventSpec | None:
        # Sorting reads again: a patient who stopped sharing leaves the list now.
        identity, result = await self._as_user(Role.THERAPIST, _caseload)
        if identity is None:
            return await self._send_to_sign_in()
        self._rows = result[0]
        self.sort = by if by in review.SORTS else "flags"
        self._show()
        return None

    @rx.event
    async def show_code(self) -> rx.event.EventSpec | None:
        identity, result = await self._as_user(Role.THERAPIST, _new_code)
        if identity is None:
            return await self._send_to_sign_in()
        code, until = result
        if code is None:
            self.code_error = _("Your account is not active, so it cannot make codes.")
            return None
        origin = (self.router.headers.origin or "").rstrip("/")
        base = origin if origin in allowed_origins() else allowed_origins()[0]
        self.code = sharing.show_code(code)
        self.code_until = _("Works once, until {moment}",
                            moment=views.moment(until, identity.time_zone))
        self.code_qr = qr_data_uri(f"{base}/sharing/?code={code}")
        self.code_error = ""
        return None

    @rx.event
    def hide_code(self) -> None:
        self.code, self.code_until, self.code_qr = "", "", ""


def _detail(identity: Identity, raw_patient_id: object, raw_week: object,
            action: str) -> views.DetailScreen | None:
    access = sharing.therapist_reads(identity.user_id, raw_patient_id, action)
    if not access.allowed:
        return None
    return views.detail_screen(access.patient_id, access.categories, raw_week,
                               identity.user_id)


class PatientDetailState(SessionState):
    """A patient's shared progress and diary-card review (/patients/view/?id=N), and
    the printable session summary of a week (/patients/report/?id=N&week=...)."""

    found: bool = False
    loaded: bool = False
    screen: dict[str, Any] = {}

    async def _load(self, raw_week: object) -> rx.event.EventSpec | None:
        raw_id = self.router.url.query_parameters.get("id", "")
        # The printable summary is a disclosure of its own in the patient's log.
        action = ("report_view" if self.router.url.path.rstrip("/").endswith("/report")
                  else "detail")
        session = await self.get_state(SessionState)
        # A refusal's audit row names the patient asked for.
        session._refused_patient = sharing.patient_id_or_zero(raw_id)
        identity, screen = await self._as_user(Role.THERAPIST, _detail, raw_id, raw_week,
                                               action)
        session._refused_patient = 0
        if identity is None:
            return await self._send_to_sign_in()
        self.loaded, self.found = True, screen is not None
        self.screen = screen.as_dict() if screen else {}
        return None

    @rx.event
    async def load_detail(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        # A refusal's audit row names the patient asked for.
        (await self.get_state(SessionState))._refused_patient = sharing.patient_id_or_zero(
            self.router.url.query_parameters.get("id", ""))
        refusal = await self._admit(identity, Role.THERAPIST)
        if refusal is not None:
            return refusal
        return await self._load(self.router.url.query_parameters.get("week", ""))

    @rx.event
    async def show_week(self, week: str) -> rx.event.EventSpec | None:
        return await self._load(week)


def _group_track(identity: Identity, raw_patient_id: object) -> schedule.PlacingScreen | None:
    return schedule.placing_screen(identity.user_id, raw_patient_id)


def _place(identity: Identity, raw_patient_id: object,
           raw_track_id: object) -> tuple[object, schedule.PlacingScreen | None]:
    problem = schedule.place_patient(identity.user_id, raw_patient_id, raw_track_id)
    return problem, schedule.placing_screen(identity.user_id, raw_patient_id)


class GroupTrackState(SessionState):
    """The "Group track" section of a patient's detail: which track they are on, and
    putting them on one or moving them (core/schedule.py: an active therapist with the
    patient's grant, tracks of their own program only; audited). The patient id comes
    from the page's address, like the rest of the page."""

    shown: bool = False
    current: str = ""
    current_id: str = ""
    _current_name: str = ""
    choices: list[dict[str, str]] = []
    message: str = ""
    error: str = ""

    def _show(self, screen: schedule.PlacingScreen | None) -> None:
        self.shown = screen is not None
        current = screen.current if screen else None
        self.current = schedule_words.track_choice_label(current) if current else ""
        self.current_id = str(current.id) if current else ""
        self._current_name = current.name if current else ""
        self.choices = [{"id": str(choice.id),
                         "label": schedule_words.track_choice_label(choice)}
                        for choice in (screen.choices if screen else ())]

    def _patient_id(self) -> str:
        return self.router.url.query_parameters.get("id", "")

    @rx.event
    async def load_group_track(self) -> rx.event.EventSpec | None:
        raw_id = self._patient_id()
        (await self.get_state(SessionState))._refused_patient = sharing.patient_id_or_zero(
            raw_id)
        identity, screen = await self._as_user(Role.THERAPIST, _group_track, raw_id)
        (await self.get_state(SessionState))._refused_patient = 0
        if identity is None:
            self._show(None)
            return None
        self.message, self.error = "", ""
        self._show(screen)
        return None

    @rx.event
    async def place(self, form_data: dict) -> rx.event.EventSpec | None:
        raw_track = form_data.get("track_id") if isinstance(form_data, dict) else None
        raw_id = self._patient_id()
        (await self.get_state(SessionState))._refused_patient = sharing.patient_id_or_zero(
            raw_id)
        identity, result = await self._as_user(Role.THERAPIST, _place, raw_id, raw_track)
        (await self.get_state(SessionState))._refused_patient = 0
        if identity is None:
            self._show(None)
            return await self._send_to_sign_in()
        problem, screen = result
        self._show(screen)
        self.error = say(problem) if problem else ""
        self.message = "" if problem else (
            _("Saved: on {track} from today.", track=self._current_name) if self.current
            else _("Saved: not on a group track."))
        return None
