"""Program admin (/program/), therapist sign-up from an invitation (/join/).

Thin: `core.programs` decides who is an admin of which program; a therapist id
sent by a browser only ever reaches a therapist of the caller's own program.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from skills_app.core import programs
from skills_app.core.auth import Identity
from skills_app.core.models import ProgramRole, Role
from skills_app.core.settings import allowed_origins
from skills_app.state.session import SessionState, off_loop
from skills_app.text import _, formats
from skills_app.text.problems import say


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
        origin = (self.router.headers.origin or "").rstrip("/")
        return origin if origin in allowed_origins() else allowed_origins()[0]

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
