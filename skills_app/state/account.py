"""Account screen: the caller's own name and time zone."""

from __future__ import annotations

import reflex as rx

from skills_app.core import accounts
from skills_app.state.session import SessionState, off_loop


class AccountState(SessionState):
    email: str = ""
    time_zone: str = ""
    errors: dict[str, str] = {}
    saved_message: str = ""
    password_changed: bool = False

    @rx.event
    async def load_account(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, None)
        if refusal is not None:
            return refusal
        profile = await off_loop(accounts.load_profile, identity)
        if profile is None:
            return await self._send_to_sign_in()
        self.display_name, self.email, self.time_zone = (
            profile.display_name, profile.email, profile.time_zone)
        self.errors, self.saved_message = {}, ""
        self.password_changed = self.router.url.query_parameters.get("changed") == "1"
        return None

    @rx.event
    async def save_profile(self, form_data: dict) -> rx.event.EventSpec | None:
        identity = await self._identity()
        if identity is None:
            return await self._send_to_sign_in()
        profile, errors = await off_loop(accounts.update_profile, identity, form_data)
        self.errors = errors
        if profile is None:
            self.saved_message = ""
            return None
        self.display_name, self.time_zone = profile.display_name, profile.time_zone
        self.saved_message = "Saved."
        return None
