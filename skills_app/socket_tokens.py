"""Which websocket owns a Reflex client token, claimed atomically on the scale profile.

With several workers sharing Redis, Reflex 0.10.1's `RedisTokenManager` links a
token to a new socket with a check (`EXISTS`) and then a separate `SET`
(upstream reflex-dev/reflex #6877, #6879, #6881). Two sockets that arrive with
the same token at the same moment on two workers (a phone reconnecting while a
copy of the tab connects, or a reconnect crossing the old socket's clean-up)
can both pass the check: both are linked to one state, and an answer meant for
one goes to the other. benchmarks/reconnects.py saw the second socket's hydrate
never arrive (the page stays unhydrated, its draft fields disabled) and one
tab's saves confirmed on the other tab.

`AtomicTokenManager` claims the token with one `SET NX`: exactly one socket
wins it, the other gets a fresh token (`new_token`), as Reflex already does for
a duplicated tab. It is installed per worker at start-up (`install`), replacing
the manager on the app's event namespace; the installed package is not
changed. Remove it once upstream claims tokens atomically (PR #6771).
"""

from __future__ import annotations

import logging
import pickle

import reflex as rx
from reflex.utils.token_manager import RedisTokenManager, SocketRecord, _get_new_token

logger = logging.getLogger(__name__)

CLAIM_ATTEMPTS = 3


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


def install(app: rx.App) -> None:
    """Use `AtomicTokenManager` on this worker when Reflex chose Redis (a lifespan task)."""
    namespace = app.event_namespace
    current = getattr(namespace, "_token_manager", None)
    if isinstance(current, RedisTokenManager) and not isinstance(current, AtomicTokenManager):
        namespace._token_manager = AtomicTokenManager(current.redis)
