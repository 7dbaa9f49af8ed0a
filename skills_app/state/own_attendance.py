"""A patient's own group attendance (a section of /groups/).

Thin: the patient comes from the session on every call; no argument names anyone.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.state.session import SessionState
from skills_app.views import own_attendance as views


def _own(identity: Identity) -> dict[str, Any]:
    return views.own_attendance(identity.user_id, identity.time_zone)


class OwnAttendanceState(SessionState):
    loaded: bool = False
    rows: list[dict[str, str]] = []
    empty: str = ""

    @rx.event
    async def load_own_attendance(self) -> None:
        identity, found = await self._as_user(Role.PATIENT, _own)
        if identity is None:
            return
        self.rows, self.empty, self.loaded = found["rows"], found["empty"], True
