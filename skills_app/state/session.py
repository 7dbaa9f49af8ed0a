"""The one authorization helper every protected handler uses.

The identity comes from the HttpOnly session cookie that the websocket carried
at connect, resolved against the database on every call. Nothing a browser
sends as an argument (ids, roles) and no backend var is trusted as proof of
who is asking.
"""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx

from skills_app.core import auth
from skills_app.core.cookies import session_token_from_cookie_header
from skills_app.core.models import Role
from skills_app.core.navigation import home_path


class SessionState(rx.State):
    """Who is signed in, as far as the page needs to know (never proof of it)."""

    display_name: str = ""
    role: str = ""

    def _identity(self, role: Role | None = None) -> auth.Identity | None:
        """Resolve the caller from the server-side session; None means refuse."""
        identity = auth.resolve_session(
            session_token_from_cookie_header(self.router.headers.cookie))
        if identity is None or (role is not None and identity.role != role):
            return None
        return identity

    def _send_to_sign_in(self) -> rx.event.EventSpec:
        """Send the browser to sign in (full page load), coming back here afterwards.

        A full load makes the next websocket carry the new cookie, and the page
        keeps any draft in localStorage meanwhile.
        """
        self.display_name = ""
        self.role = ""
        path = self.router.url.path or "/"
        target = "/signin/" if path.startswith(("/signin", "/signup")) else (
            f"/signin/?next={quote(path, safe='/')}")
        return rx.call_script(f"window.location.assign({target!r})")

    def _guard(self, role: Role | None) -> rx.event.EventSpec | None:
        return self._admit(self._identity(), role)

    def _admit(self, identity: auth.Identity | None,
               role: Role | None) -> rx.event.EventSpec | None:
        """Let an already resolved identity onto a page of `role`, or say where to go."""
        if identity is None:
            return self._send_to_sign_in()
        self.display_name = identity.display_name
        self.role = identity.role.value
        if role is not None and identity.role != role:
            return rx.redirect(home_path(identity.role))
        return None

    @rx.event
    def guard_patient_page(self) -> rx.event.EventSpec | None:
        return self._guard(Role.PATIENT)

    @rx.event
    def guard_therapist_page(self) -> rx.event.EventSpec | None:
        return self._guard(Role.THERAPIST)

    @rx.event
    def guard_any_page(self) -> rx.event.EventSpec | None:
        return self._guard(None)

    @rx.event
    def route_signed_in_home(self) -> rx.event.EventSpec | None:
        """On the start and sign-in pages: go straight home when already signed in."""
        identity = self._identity()
        if identity is None:
            if self.router.url.path in ("", "/"):
                return rx.redirect("/signin/")
            return None
        return rx.redirect(home_path(identity.role))
