"""The patient's group schedule: Today's "Next group" line and the /groups/ page.

Thin: each handler resolves the patient from the session on every call and asks
`views.groups` (core/schedule.py underneath) off the event loop, for the
patient's own id only: no argument names a patient or a track.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from skills_app.core import schedule
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.state.session import SessionState
from skills_app.views import groups as views


def _next_line(identity: Identity) -> str:
    return views.next_group_line(schedule.next_group(identity.user_id), identity.time_zone)


def _screen(identity: Identity) -> views.GroupsScreen | None:
    # Resolved with any role so the page guard can send others home.
    if identity.role != Role.PATIENT:
        return None
    return views.groups_screen(identity.user_id, identity.time_zone)


class NextGroupState(SessionState):
    """Today's one line; "" (and nothing on the page) when on no track.

    The page guard is CheckInState.load_today's; this only fills the line.
    """

    next_group: str = ""
    next_group_loaded: bool = False

    @rx.event
    async def load_next_group(self) -> rx.event.EventSpec | None:
        identity, line = await self._as_user(Role.PATIENT, _next_line)
        if identity is None:
            return None
        self.next_group, self.next_group_loaded = line, True
        # Remembered on the phone (pages/groups.py): the next load holds the line's
        # place only when there is one.
        shown = "true" if line else "false"
        return rx.call_script(
            f"try {{ localStorage.setItem('skills-next-group', {shown} ? '1' : '0'); }} "
            f"catch (e) {{}} document.documentElement.classList.toggle('has-next-group', "
            f"{shown});")


class GroupsState(SessionState):
    """This week's and next week's groups (/groups/)."""

    loaded: bool = False
    screen: dict[str, Any] = {}

    @rx.event
    async def load_groups(self) -> rx.event.EventSpec | None:
        identity, screen = await self._as_user(None, _screen)
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None or screen is None:
            return refusal
        self.screen, self.loaded = screen.as_dict(), True
        return None
