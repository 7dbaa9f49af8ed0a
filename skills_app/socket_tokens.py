"""Which websocket owns a Reflex client token, and which socket gets an event's answer.

Two workarounds for Reflex 0.10.1, installed per worker at start-up (`install`)
without changing the installed package:

- With several workers sharing Redis, `RedisTokenManager` links a token to a new
  socket with a check (`EXISTS`) and then a separate `SET` (upstream
  reflex-dev/reflex #6877, #6879, #6881). Two sockets arriving with one token
  at the same moment on two workers (a phone reconnecting while a copy of the
  tab connects, or a reconnect crossing the old socket's clean-up) could both
  pass: one state, two sockets, and benchmarks/reconnects.py saw the second
  socket's hydrate never arrive (the page stays unhydrated, its draft fields
  disabled). `AtomicTokenManager` claims the token with one `SET NX`: one
  socket wins it, the other gets a fresh token (`new_token`), as Reflex already
  does for a duplicated tab. Remove it once upstream claims atomically (#6771).
- On every profile, Reflex sends an event's answer to whichever socket holds
  the token when the answer is ready. `install` wraps the namespace's
  `emit_update` so that an answer never reaches a socket other than the one
  the event came from (see `_answers_only_to_the_asking_socket`).
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Awaitable, Callable

import reflex as rx
from reflex.state import StateUpdate
from reflex.utils.token_manager import RedisTokenManager, SocketRecord, _get_new_token
from reflex_base.constants import RouteVar
from reflex_base.event.context import EventContext

logger = logging.getLogger(__name__)

CLAIM_ATTEMPTS = 3

EmitUpdate = Callable[[StateUpdate, str], Awaitable[None]]


class AtomicTokenManager(RedisTokenManager):
    """`RedisTokenManager` whose link is one atomic claim in Redis."""

    async def link_token_to_sid(self, token: str, sid: str) -> str | None:
        """Link `token` to socket `sid`; returns the fresh token given instead, if any."""
        if (known := self.token_to_socket.get(token)) is not None and known.sid == sid:
            return None
        self._ensure_socket_record_task()
        record = SocketRecord(instance_id=self.instance_id, sid=sid)
        asked_for = token
        for _attempt in range(CLAIM_ATTEMPTS):
            try:
                claimed = await self.redis.set(self._get_redis_key(token), pickle.dumps(record),
                                               ex=self.token_expiration, nx=True)
            except Exception as error:  # Redis down: what Reflex does, a local link
                logger.error("Redis error claiming a socket token: %s", error)
                return await super(RedisTokenManager, self).link_token_to_sid(token, sid)
            if claimed:
                self.token_to_socket[token] = record
                self.sid_to_token[sid] = token
                return None if token == asked_for else token
            token = _get_new_token()
        msg = f"no free socket token in {CLAIM_ATTEMPTS} attempts"
        raise RuntimeError(msg)


def _answers_only_to_the_asking_socket(app: rx.App, emit_update: EmitUpdate) -> EmitUpdate:
    """`emit_update` that sends an event's answer only while the socket the event
    came from still holds the tab's client token.

    Reflex sends an event's answer to whichever socket holds the token when the
    answer is ready (on the scale profile through another worker, "lost and
    found"). A phone whose connection drops with an event in flight frees the
    token, and the next socket to claim it got the answer: the same tab
    reconnecting, a copy of the tab, or another person's phone holding the
    token, which received the first person's Today list before its own hydrate
    (benchmarks/reconnects.py, `intruder`; tokens move between sockets as in
    reflex-dev/reflex #6345). The event is still handled; only its answer is not
    sent. Unsaved text stays a draft on the phone and is sent again on the new
    socket (assets/app.js), and the new socket's hydrate and page load show the
    rest. An event is handled on the worker that holds its socket, so this
    worker's own links decide, without a Redis round trip.
    """

    async def emit(update: StateUpdate, token: str) -> None:
        try:
            asked_from = EventContext.get().router_data.get(RouteVar.SESSION_ID, "")
        except LookupError:  # not an event's answer (e.g. forwarded from another worker)
            asked_from = ""
        namespace = app.event_namespace
        if asked_from and namespace is not None and \
                namespace.sid_to_token.get(asked_from) != token:
            return
        await emit_update(update, token)

    return emit


def install(app: rx.App) -> None:
    """Per worker at start-up (a lifespan task): `AtomicTokenManager` when Reflex
    chose Redis, and answers only to the socket that asked."""
    namespace = app.event_namespace
    if namespace is None:
        return
    current = getattr(namespace, "_token_manager", None)
    if isinstance(current, RedisTokenManager) and not isinstance(current, AtomicTokenManager):
        namespace._token_manager = AtomicTokenManager(current.redis)
    namespace.emit_update = _answers_only_to_the_asking_socket(app, namespace.emit_update)
