"""Program admin (/program/), therapist sign-up from an invitation (/join/).

Thin: `core.programs` decides who is an admin of which program; a therapist id
sent by a browser only ever reaches a therapist of the caller's own program.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from skills_app.core import programs, schedule
from skills_app.core.auth import Identity
from skills_app.core.models import ProgramRole, Role
from skills_app.core.settings import own_origin
from skills_app.state.session import SessionState, off_loop
from skills_app.text import _, formats
from skills_app.text.problems import say
from skills_app.views import schedule as schedule_words


def _screen(identity: Identity) -> tuple[Any, list, list]:
    return programs.program_screen(identity.user_id)


def _invite(identity: Identity, note: object) -> tuple[tuple[str | None, str], tuple]:
    return programs.invite_therapist(identity.user_id, note), _screen(identity)


def _set_active(identity: Identity, user_id: object, active: object) -> tuple[str, tuple]:
    return programs.set_therapist_active(identity.user_id, user_id, active), _screen(identity)


class ProgramState(SessionState):
    program_name: str = ""
    is_admin: bool = False
    loaded: bool = False
    members: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    # The admin's own time zone: when their invitations stop working.
    _time_zone: str = "UTC"
    new_link: str = ""
    message: str = ""
    error: str = ""

    def _show(self, screen: tuple) -> None:
        admin, members, pending = screen
        self.loaded, self.is_admin = True, admin is not None
        self.program_name = admin.program_name if admin else ""
        self.members = [{"id": m.user_id, "name": m.name, "email": m.email,
                         "is_therapist": m.role != ProgramRole.ADMIN,
                         "role": _("Admin") if m.role == ProgramRole.ADMIN else _("Therapist"),
                         "active": m.active,
                         "status": _("Active") if m.active else _("Deactivated")}
                        for m in members]
        self.pending = [{"id": p.id, "note": p.note or _("(no note)"),
                         "ends": _("Link works until {moment}", moment=formats.day_and_clock(
                             p.expires_at, self._time_zone))}
                        for p in pending]

    def _base_url(self) -> str:
        return own_origin(self.router.headers.origin)

    @rx.event
    async def load_program(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.THERAPIST)
        if refusal is not None:
            return refusal
        self.new_link, self.message, self.error = "", "", ""
        self._time_zone = identity.time_zone
        self._show(await off_loop(_screen, identity))
        if not self.is_admin:
            return rx.redirect("/patients/")
        return None

    @rx.event
    async def invite(self, form_data: dict) -> rx.event.EventSpec | None:
        note = form_data.get("note") if isinstance(form_data, dict) else None
        identity, result = await self._as_user(Role.THERAPIST, _invite, note)
        if identity is None:
            return await self._send_to_sign_in()
        (token, problem), screen = result
        self._time_zone = identity.time_zone
        self._show(screen)
        self.error = say(problem) if problem else ""
        self.new_link = f"{self._base_url()}/join/?invite={token}" if token else ""
        self.message = (_("Invitation made. Send this link to the therapist: it works once, "
                          "for 7 days. It is shown only now.") if token else "")
        return None

    @rx.event
    async def set_active(self, user_id: int, active: bool) -> rx.event.EventSpec | None:
        identity, result = await self._as_user(Role.THERAPIST, _set_active, user_id, active)
        if identity is None:
            return await self._send_to_sign_in()
        problem, screen = result
        self._time_zone = identity.time_zone
        self._show(screen)
        self.new_link = ""
        self.error = say(problem) if problem else ""
        self.message = "" if problem else (
            _("Deactivated: they can no longer see any patient.") if active is False
            else _("Active again."))
        return None


class JoinState(rx.State):
    """The invitation a /join/ link carries (public: no personal data)."""

    invitation: str = ""
    program_name: str = ""
    # "admin" or "therapist": which account the link makes.
    role: str = ""
    checked: bool = False

    @rx.event
    async def load_invitation(self) -> None:
        token = self.router.url.query_parameters.get("invite", "")
        info = await off_loop(programs.check_invitation, token)
        self.checked = True
        self.invitation = token if info else ""
        self.program_name = info.program_name if info else ""
        self.role = info.role.value if info else ""


# --- the program's group schedule (/program/schedule/) -------------------------------

NEW_TRACK_FORM: dict[str, Any] = {"track_id": "", "name": "", "weekdays": [], "start": "",
                                  "end": "", "first_day": "", "last_day": ""}


def _schedule(identity: Identity) -> schedule.ScheduleScreen | None:
    return schedule.admin_schedule(identity.user_id)


def _then_schedule(identity: Identity, problem: object) -> tuple[object, Any]:
    return problem, schedule.admin_schedule(identity.user_id)


def _save_zone(identity: Identity, zone: object) -> tuple[object, Any]:
    return _then_schedule(identity, schedule.set_time_zone(identity.user_id, zone))


def _save_track(identity: Identity, track_id: object, form: dict) -> tuple[object, Any]:
    return _then_schedule(identity, schedule.save_track(identity.user_id, track_id, form))


def _archive(identity: Identity, track_id: object) -> tuple[object, Any]:
    return _then_schedule(identity, schedule.archive_track(identity.user_id, track_id))


def _add_exception(identity: Identity, track_id: object, day: object,
                   note: object) -> tuple[object, Any]:
    return _then_schedule(identity, schedule.add_exception(identity.user_id, track_id, day,
                                                           note))


def _remove_exception(identity: Identity, exception_id: object) -> tuple[object, Any]:
    return _then_schedule(identity, schedule.remove_exception(identity.user_id, exception_id))


def _track_form(form_data: object) -> dict[str, object]:
    """The track form as core reads it: the seven weekday boxes become one list."""
    data = form_data if isinstance(form_data, dict) else {}
    return {"name": data.get("name"), "start": data.get("start"), "end": data.get("end"),
            "first_day": data.get("first_day"), "last_day": data.get("last_day"),
            "weekdays": [day for day in range(7) if data.get(f"weekday_{day}")]}


class ScheduleState(SessionState):
    """The admin's group schedule: the program's time zone, its tracks and days off.

    Only an active admin of the program changes anything (core/schedule.py checks
    on every call); a track or day-off id a browser sends reaches only tracks of
    the caller's own program.
    """

    loaded: bool = False
    program_name: str = ""
    program_zone: str = ""
    tracks: list[dict[str, Any]] = []
    archived: list[dict[str, Any]] = []
    # The track form: empty for a new track, a track's values while editing it.
    form: dict[str, Any] = NEW_TRACK_FORM
    # Changes when the form is filled again, so its fields start from `form`.
    form_key: int = 0
    track_errors: dict[str, str] = {}
    zone_error: str = ""
    exception_error: str = ""
    message: str = ""

    def _show(self, screen: schedule.ScheduleScreen | None) -> None:
        self.loaded = True
        if screen is None:
            self.program_name, self.program_zone, self.tracks, self.archived = "", "", [], []
            return
        rows = schedule_words.track_rows(screen)
        self.program_name, self.program_zone = screen.program_name, screen.time_zone or ""
        self.tracks = [row for row in rows if not row["archived"]]
        self.archived = [row for row in rows if row["archived"]]

    def _clear(self) -> None:
        self.track_errors, self.zone_error, self.exception_error, self.message = {}, "", "", ""

    @rx.event
    async def load_schedule(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.THERAPIST)
        if refusal is not None:
            return refusal
        screen = await off_loop(_schedule, identity)
        if screen is None:
            return rx.redirect("/patients/")
        self._clear()
        self.form, self.form_key = NEW_TRACK_FORM, self.form_key + 1
        self._show(screen)
        return None

    @rx.event
    async def save_zone(self, form_data: dict) -> rx.event.EventSpec | None:
        zone = form_data.get("time_zone") if isinstance(form_data, dict) else None
        identity, result = await self._as_user(Role.THERAPIST, _save_zone, zone)
        if identity is None:
            return await self._send_to_sign_in()
        problem, screen = result
        self._clear()
        self._show(screen)
        self.zone_error = say(problem) if problem else ""
        self.message = "" if problem else _("Time zone saved.")
        return None

    @rx.event
    async def save_track(self, form_data: dict) -> rx.event.EventSpec | None:
        track_id = form_data.get("track_id") if isinstance(form_data, dict) else None
        identity, result = await self._as_user(Role.THERAPIST, _save_track, track_id or None,
                                               _track_form(form_data))
        if identity is None:
            return await self._send_to_sign_in()
        (saved_id, errors), screen = result
        self._clear()
        self._show(screen)
        if saved_id is None:
            self.track_errors = {field: say(problem) for field, problem in errors.items()}
            return None
        self.message = _("Track saved.")
        self.form, self.form_key = NEW_TRACK_FORM, self.form_key + 1
        return None

    @rx.event
    def edit_track(self, track_id: int) -> None:
        """Fill the form with a listed track's values (what the screen already holds)."""
        for row in self.tracks:
            if row["id"] == track_id:
                self._clear()
                self.form, self.form_key = row["form"], self.form_key + 1

    @rx.event
    def new_track(self) -> None:
        self._clear()
        self.form, self.form_key = NEW_TRACK_FORM, self.form_key + 1

    @rx.event
    async def archive_track(self, track_id: int) -> rx.event.EventSpec | None:
        identity, result = await self._as_user(Role.THERAPIST, _archive, track_id)
        if identity is None:
            return await self._send_to_sign_in()
        problem, screen = result
        self._clear()
        self._show(screen)
        self.message = say(problem) if problem else _(
            "Track archived. Its past groups stay; its patients are off it from today.")
        self.form, self.form_key = NEW_TRACK_FORM, self.form_key + 1
        return None

    @rx.event
    async def add_exception(self, form_data: dict) -> rx.event.EventSpec | None:
        data = form_data if isinstance(form_data, dict) else {}
        identity, result = await self._as_user(
            Role.THERAPIST, _add_exception, data.get("exception_track"),
            data.get("exception_day"), data.get("exception_note"))
        if identity is None:
            return await self._send_to_sign_in()
        problem, screen = result
        self._clear()
        self._show(screen)
        self.exception_error = say(problem) if problem else ""
        self.message = "" if problem else _("Day off saved.")
        return None

    @rx.event
    async def remove_exception(self, exception_id: int) -> rx.event.EventSpec | None:
        identity, result = await self._as_user(Role.THERAPIST, _remove_exception,
                                               exception_id)
        if identity is None:
            return await self._send_to_sign_in()
        problem, screen = result
        self._clear()
        self._show(screen)
        self.message = say(problem) if problem else _("Day off removed: the group meets then.")
        return None
