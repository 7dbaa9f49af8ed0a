"""Events too large or malformed: refused with a kind message, the connection kept.

The size rule is `core.event_size`; docs/architecture.md ("How large an event
may be") explains the two limits. An event over the app's limit reaches
`RefuseOversizedEvents` (Engine.IO lets it through up to its own, higher
limit) and is answered with a message in the page's language; nothing runs.
An event Reflex cannot read (not an object, no handler name, a handler that
does not exist, arguments that are not an object) would be dropped silently by
Reflex: `answer_malformed_events` answers it with a message instead. In both
cases the page keeps every draft waiting for the answer (assets/app.js
`skillsDrafts.refused`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import StateUpdate
from reflex_base.event import Event
from reflex_base.registry import RegistrationContext

from skills_app import text
from skills_app.core import event_size
from skills_app.text import N_, _
from skills_app.text.words.account import TOO_LARGE_TO_SEND

logger = logging.getLogger("skills_app")

UNREADABLE = N_("That could not be read, so nothing was saved. Your text is still here; "
                "please try again.")
# Every form waiting for an answer keeps its draft, marked "not saved".
_KEEP_DRAFTS = "window.skillsDrafts && window.skillsDrafts.refused()"


def _refusal(message: str) -> list[Event]:
    """The answer to a refused event: the message (in the language in use) and the drafts kept."""
    return Event.from_event_type([rx.toast.error(_(message), position="top-center"),
                                  rx.call_script(_KEEP_DRAFTS)])


class RefuseOversizedEvents(Middleware):
    """An event whose arguments are over the app's size limit runs nothing."""

    async def preprocess(self, app: rx.App, state: rx.State, event: Event) -> StateUpdate | None:
        size = event_size.payload_bytes(event.payload)
        if size <= event_size.EVENT_PAYLOAD_MAX_BYTES:
            return None
        # The handler's name and the size only: the text may be anything a patient wrote.
        logger.warning("event refused as too large: %s (%s bytes)",
                       event.name.rsplit(".", 1)[-1][:32], size)
        return StateUpdate(events=_refusal(TOO_LARGE_TO_SEND))


def _known_handler(name: str) -> bool:
    try:
        return name in RegistrationContext.get().event_handlers
    except LookupError:  # no registry here: let Reflex decide
        return True


def _what_is_wrong(data: object) -> str:
    """Why Reflex could not handle this event ("" when it can)."""
    if not isinstance(data, dict):
        return "not_an_object"
    name = data.get("name")
    if not isinstance(name, str) or not name:
        return "no_handler_name"
    if not isinstance(data.get("payload", {}), dict):
        return "payload_not_an_object"
    if not isinstance(data.get("router_data", {}), dict):
        return "router_data_not_an_object"
    if not _known_handler(name):
        return "unknown_handler"
    return ""


def _page_path(data: object) -> object:
    router_data = data.get("router_data") if isinstance(data, dict) else None
    return router_data.get("pathname") if isinstance(router_data, dict) else None


def answer_malformed_events(app: rx.App) -> None:
    """Answer every event Reflex cannot handle with a message, instead of silence.

    Reflex's own `on_event` raises or drops such an event without a word to the
    page; this wraps it on the app's event namespace (the installed package is
    not changed).
    """
    namespace = app.event_namespace
    if namespace is None:  # an app without state receives no events
        return
    handle: Callable[[str, object], Awaitable[None]] = namespace.on_event

    # `data` is missing altogether when a client emits the event with nothing.
    async def on_event(sid: str, data: object = None) -> None:
        wrong = _what_is_wrong(data)
        if not wrong:
            await handle(sid, data)
            return
        logger.warning("event refused as unreadable: %s", wrong)
        if sid not in namespace.sid_to_token:
            return
        with text.language(text.language_of_path(_page_path(data))):
            answer = StateUpdate(events=_refusal(UNREADABLE))
        await namespace.emit("event", answer, to=sid)

    namespace.on_event = on_event  # type: ignore[method-assign]
