"""The one authorization helper every protected handler uses, and the rule that
Reflex state is a cache of what the screen shows, never a store.

The identity comes from the HttpOnly session cookie that the websocket carried
at connect, resolved against the database on every call (off the event loop).
Nothing a browser sends as an argument (ids, roles) and no backend var is
trusted as proof of who is asking.

Every app state is a substate of `SessionState`. Whenever the cookie is refused,
or belongs to someone other than the person whose data this tab's states hold,
all of them are reset before anything else is sent: a shared phone never shows
one patient's words to the next, not even in the first frame after a reload.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from collections.abc import Callable
from typing import ParamSpec, TypeVar
from urllib.parse import quote

import reflex as rx
from reflex.middleware import Middleware
from reflex_base.event import Event

from skills_app import text
from skills_app.core import auth, drafts, programs, sharing
from skills_app.core.cookies import session_token_from_cookie_header
from skills_app.core.models import Role
from skills_app.core.navigation import home_path

P = ParamSpec("P")
R = TypeVar("R")


async def off_loop(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run blocking core work (database, argon2) in a thread.

    Reflex runs every handler of a worker on one event loop: a handler that
    waited on the database there would freeze every connected patient.
    """
    return await asyncio.to_thread(fn, *args, **kwargs)


# The event being handled (set by `RememberEventName`), named in refusal audit rows.
current_event: contextvars.ContextVar[str] = contextvars.ContextVar("current_event",
                                                                    default="event")


def _resolve_then(token: str | None, role: Role | None, work: Callable[..., R] | None,
                  args: tuple) -> tuple[auth.Identity | None, R | None, str]:
    """The identity, `work`'s result, and why it was refused ("" when admitted).

    A therapist event also needs an active program membership: a deactivated
    therapist is refused on every one.
    """
    identity = auth.resolve_session(token)
    if identity is None:
        return None, None, "not_signed_in"
    if role is not None and identity.role != role:
        return identity, None, "wrong_role"
    if role == Role.THERAPIST and programs.membership_of(identity.user_id) is None:
        return identity, None, "inactive"
    return identity, (work(identity, *args) if work is not None else None), ""


def _record_refusal(user_id: int, reason: str, action: str, patient_id: object = None,
                    address: str | None = None) -> None:
    sharing.record_refusal(user_id or None, patient_id, action, reason, address)


def draft_owner(identity: auth.Identity) -> str:
    """A stable, non-secret namespace for this user's drafts on a shared phone."""
    return drafts.draft_owner(identity.user_id)


def leave_for(target: str) -> rx.event.EventSpec:
    """A full page load to `target` with a new Reflex tab token.

    The new load opens a new websocket (which carries the current cookie), and
    dropping the token first means the next page starts from an empty state.
    """
    return rx.call_script(
        "try { window.sessionStorage.removeItem('token'); } catch (e) {} "
        f"window.location.assign({json.dumps(target)})")


class SessionState(rx.State):
    """Who is signed in, as far as the page needs to know (never proof of it)."""

    display_name: str = ""
    role: str = ""
    # Namespace of this person's drafts in localStorage; "" until the server knows them.
    draft_owner: str = ""
    # The account's time zone, so the page's scripts tell time as the server does.
    time_zone: str = ""
    # Whose data the states of this tab hold (0: nobody's).
    _holder_user_id: int = 0
    # The page (path and query) this tab loaded last, and whether the latest
    # load was that same page again.
    _page_url: str = ""
    _page_again: bool = False
    # Whether this event's refusal is already in the audit log.
    _refusal_logged: bool = False
    # The patient a refused therapist read asked for (0: none), so their log shows it.
    _refused_patient: int = 0

    async def _identity(self, role: Role | None = None) -> auth.Identity | None:
        """Resolve the caller from the server-side session; None means refuse.

        When the answer is not the person this tab's states were filled for,
        they are emptied first.
        """
        identity, _ = await self._as_user(role, None)
        return identity

    async def _as_user(self, role: Role | None, work: Callable[..., R] | None,
                       *args: object) -> tuple[auth.Identity | None, R | None]:
        """Resolve the caller and, when they are admitted as `role`, run
        `work(identity, *args)`: both in one trip off the event loop.

        Returns (None, None) when refused; `work` then never runs.
        """
        token = session_token_from_cookie_header(self.router.headers.cookie)
        identity, result, refused = await off_loop(_resolve_then, token, role, work, args)
        session = await self.get_state(SessionState)
        asked_for = session._refused_patient
        await self._hold_data_of(identity)
        session._refusal_logged = False
        if refused and (role is not None or identity is None):
            if role is not None:
                # Logged here: some handlers refuse quietly (Today's practice card).
                await off_loop(_record_refusal, identity.user_id if identity else 0, refused,
                               current_event.get(), asked_for, self.router.session.client_ip)
                session._refusal_logged = True
            return None, None
        return identity, result

    async def _hold_data_of(self, identity: auth.Identity | None) -> None:
        user_id = identity.user_id if identity else 0
        if user_id != self._holder_user_id:
            await self._forget_personal_data()
            self._holder_user_id = user_id
        if identity is None:
            return
        # Assigned only when changed: an assignment resends the var on every event.
        shown = (identity.display_name, identity.role.value, draft_owner(identity),
                 identity.time_zone)
        if (self.display_name, self.role, self.draft_owner, self.time_zone) != shown:
            self.display_name, self.role, self.draft_owner, self.time_zone = shown

    async def _forget_personal_data(self) -> None:
        """Reset every app state of this tab to its defaults."""
        for state_cls in _app_state_classes():
            (await self.get_state(state_cls)).reset()

    async def _send_to_sign_in(self) -> rx.event.EventSpec:
        """Empty this tab's states and send the browser to sign in, coming back here.

        A full load makes the next websocket carry the new cookie, and the page
        keeps any draft in localStorage meanwhile.
        """
        session = await self.get_state(SessionState)
        logged, asked_for = session._refusal_logged, session._refused_patient
        await self._forget_personal_data()
        # Every refusal is in the audit log (accounting of disclosures, denied too).
        if not logged:
            await off_loop(_record_refusal, 0, "not_signed_in", current_event.get(), asked_for,
                           self.router.session.client_ip)
        path = self.router.url.path or "/"
        # The query too: /practice/do/?id=dear-man must come back to that exercise.
        query = self.router.url.query
        here = f"{path}?{query}" if query else path
        sign_in = text.href("/signin/", text.language_of_path(path))
        target = sign_in if text.without_language(path).startswith(("/signin", "/signup")) else (
            f"{sign_in}?next={quote(here, safe='/')}")
        return leave_for(target)

    async def _admit(self, identity: auth.Identity | None,
                     role: Role | None) -> rx.event.EventSpec | None:
        """Let an already resolved identity onto a page of `role`, or say where to go."""
        if identity is None:
            return await self._send_to_sign_in()
        session = await self.get_state(SessionState)
        asked_for, session._refused_patient = session._refused_patient, 0
        if role is not None and identity.role != role:
            await off_loop(_record_refusal, identity.user_id, "wrong_role", current_event.get(),
                           asked_for, self.router.session.client_ip)
            return rx.redirect(home_path(identity.role, identity.language))
        if role == Role.THERAPIST and await off_loop(programs.membership_of,
                                                     identity.user_id) is None:
            await off_loop(_record_refusal, identity.user_id, "inactive", current_event.get(),
                           asked_for, self.router.session.client_ip)
            # The therapist side is English only.
            return rx.redirect("/inactive/")
        path = self.router.url.path or "/"
        if role == Role.PATIENT and text.language_of_path(path) != identity.language:
            # The same screen in the language this person chose.
            query = self.router.url.query
            there = text.href(text.without_language(path), identity.language)
            return rx.redirect(f"{there}?{query}" if query else there)
        url = str(self.router.url)
        session._page_again, session._page_url = session._page_url == url, url
        return None

    async def _same_page_again(self) -> bool:
        """Whether the page just admitted is the one this tab showed last, loaded again.

        That happens when the connection comes back: Reflex reconnects and
        loads the page once more, after handling a save that was queued while
        offline. Such a load must not wipe what that save just showed.
        """
        return (await self.get_state(SessionState))._page_again

    async def _guard(self, role: Role | None) -> rx.event.EventSpec | None:
        return await self._admit(await self._identity(), role)

    @rx.event
    async def guard_patient_page(self) -> rx.event.EventSpec | None:
        return await self._guard(Role.PATIENT)

    @rx.event
    async def guard_therapist_page(self) -> rx.event.EventSpec | None:
        return await self._guard(Role.THERAPIST)

    @rx.event
    async def guard_any_page(self) -> rx.event.EventSpec | None:
        return await self._guard(None)

    @rx.event
    async def route_signed_in_home(self) -> rx.event.EventSpec | None:
        """On the start, sign-in and sign-up pages: go straight home when already
        signed in.

        Someone signed out stays where they are: those pages offer sign-in and
        sign-up themselves, and a redirect answered after they tapped one of
        those links would take them somewhere they did not choose.
        """
        identity = await self._identity()
        if identity is None:
            return None
        return rx.redirect(home_path(identity.role, identity.language))


def _app_state_classes() -> list[type[SessionState]]:
    """SessionState and every state below it, parents first."""
    found: list[type[SessionState]] = []
    pending: list[type[rx.State]] = [SessionState]
    while pending:
        state_cls = pending.pop(0)
        found.append(state_cls)
        pending.extend(sorted(state_cls.get_substates(), key=lambda cls: cls.get_name()))
    return found


class ForgetOnNewConnection(Middleware):
    """On every (re)connect, before the first frame is built: if the cookie now
    belongs to someone else, or to nobody, empty the tab's states.

    The cookie can only change with a new websocket, and a new websocket always
    starts with this hydrate event, so this covers sign-out, expiry and another
    person signing in on the same tab token.
    """

    async def preprocess(self, app: rx.App, state: rx.State, event: Event) -> None:
        if not event.name.endswith(("hydrate_and_load", ".hydrate")):
            return None
        session = await state.get_state(SessionState)
        await session._identity()
        return None


class SpeakPageLanguage(Middleware):
    """Each event speaks the language of the page it came from ("/es/..." is Spanish).

    Every event runs in its own context, so this never leaks into another one.
    """

    async def preprocess(self, app: rx.App, state: rx.State, event: Event) -> None:
        text.use(text.language_of_path(state.router.url.path))
        return None


class RememberEventName(Middleware):
    """Keep the handler's name for this event's audit rows (no arguments, ever)."""

    async def preprocess(self, app: rx.App, state: rx.State, event: Event) -> None:
        current_event.set(event.name.rsplit(".", 1)[-1][:32])
        return None
