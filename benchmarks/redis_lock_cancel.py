"""The smallest reproduction of the 10-second hydrate on the scale profile.

`reconnects.py` saw a reconnecting phone wait ~10 s for its hydrate on
PostgreSQL + Redis (never on SQLite): Redis showed the tab's state lock still
held, long after the page's on-load handler that took it (load_today,
load_due, ...) was cancelled when the old socket went away. This script shows
the cause without the app or a server: it cancels tasks inside Reflex's
`StateManagerRedis.modify_state` at random moments and counts the locks left
in Redis afterwards. A lock left behind blocks every later event of that tab
until it expires (`redis_lock_expiration`, 10 s by default).

Usage (from the repository root):
    .venv/bin/python benchmarks/redis_lock_cancel.py [--tasks 400] [--redis-url URL]

Exits 1 when a cancelled task left its lock behind, 0 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import uuid

import reflex as rx
from redis.asyncio import Redis
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import BaseStateToken


async def count_left_locks(redis_url: str, tasks: int) -> tuple[int, int]:
    """(locks left behind, the lock expiration in ms) after `tasks` cancelled holders."""
    redis = Redis.from_url(redis_url)
    manager = StateManagerRedis(redis=redis)
    left = 0
    rng = random.Random(2026)
    try:
        for _ in range(tasks):
            token = BaseStateToken(ident=str(uuid.uuid4()), cls=rx.State)

            async def handle_event(token: BaseStateToken = token) -> None:
                async with manager.modify_state(token):
                    await asyncio.sleep(0.01)

            task = asyncio.create_task(handle_event())
            await asyncio.sleep(rng.random() * 0.02)
            task.cancel()  # as Reflex does to a page's on-load chain when its socket goes
            await asyncio.gather(task, return_exceptions=True)
            await asyncio.sleep(0.01)
            if await redis.delete(manager._lock_key(token)):
                left += 1
    finally:
        await manager.close()
    return left, manager.lock_expiration


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=400)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    args = parser.parse_args(argv)
    left, expiration = asyncio.run(count_left_locks(args.redis_url, args.tasks))
    print(f"{left} of {args.tasks} cancelled event handlers left the state lock behind "
          f"(held until it expires: {expiration} ms)")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
