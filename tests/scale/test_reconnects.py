"""Phones that reconnect all the time, on the scale profile (PostgreSQL + Redis, 4 workers).

The scenario is benchmarks/reconnects.py's (the benchmark runs it longer and on
SQLite too): patients with two tabs each drop and restore their connections
hundreds of times, the new socket often racing the old one's close, sometimes
with a copy of the tab, or another patient's phone, connecting with the same
token at the same moment.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from redis.asyncio import Redis
from reflex.state import StateUpdate
from reflex_base.constants import RouteVar
from reflex_base.event.context import EventContext

from benchmarks import reconnects
from skills_app import socket_tokens
from skills_app.socket_tokens import AtomicTokenManager
from tests.conftest import require_redis
from tests.scale.test_workers import scale_profile


async def test_two_workers_claiming_one_token_at_once_give_it_to_one_socket() -> None:
    """Two workers (two managers on one Redis) link the same new token at the same
    moment: one keeps it, the other socket gets a fresh token. Reflex's own manager
    linked both (reflex-dev/reflex #6879): one state, two sockets."""
    url = require_redis()
    workers = [AtomicTokenManager(Redis.from_url(url)) for _ in range(2)]
    token = str(uuid.uuid4())
    try:
        answers = await asyncio.gather(*(worker.link_token_to_sid(token, f"sid-{n}")
                                         for n, worker in enumerate(workers)))
        assert sorted(answer is None for answer in answers) == [False, True]
        fresh = next(answer for answer in answers if answer is not None)
        assert fresh != token
        assert sum(token in worker.token_to_socket for worker in workers) == 1
    finally:
        for worker in workers:
            await worker.redis.delete(worker._get_redis_key(token))
            await worker.close()


def test_reconnecting_phones_lose_no_save_or_draft_and_see_nothing_foreign(
        tmp_path: Path) -> None:
    with scale_profile(tmp_path / "server.log") as (url, database_url):
        counts = asyncio.run(reconnects.drive(url, database_url, patients=4,
                                              tabs_per_patient=2, cycles=30))
    print("\n".join(counts.lines()))
    assert counts.problems == []
    # Hundreds of drops, most of them racing, and every check had something to check.
    assert counts.connections_dropped == 4 * 2 * 30
    assert counts.races >= 60 and counts.duplicates >= 10 and counts.intruders >= 10
    assert counts.hydrates_checked >= counts.connections_dropped
    assert counts.drafts_checked >= 10 and counts.saves_acknowledged >= 60
    assert counts.saves_stored == counts.saves_acknowledged
    assert counts.frames_checked >= 1000


@pytest.mark.parametrize("leak", ["another patient's name", "another tab's save key"])
def test_the_check_counts_a_frame_carrying_someone_elses_marker(leak: str) -> None:
    counts = reconnects.Counts()
    alice = reconnects.Person("Alice Reconnect", "cookie-a", 1, "owner-a")
    bob = reconnects.Person("Bob Reconnect", "cookie-b", 2, "owner-b")
    alices_tab = reconnects.Tab("http://x", alice, "alice tab", counts)
    bobs_tab = reconnects.Tab("http://x", bob, "bob tab", counts)
    bobs_tab.keys.append(str(uuid.uuid4()))
    marker = bob.name if leak == "another patient's name" else bobs_tab.keys[0]
    alices_tab.frames += ['{"delta": {}}', f'{{"delta": {{"x": "{marker}"}}}}']
    reconnects.check_frames(counts, [alices_tab, bobs_tab], [alice, bob])
    assert (counts.frames_checked, counts.foreign_frames) == (2, 1)
    assert counts.problems == [f"alice tab: a frame carried [{marker!r}]"]


def test_the_check_counts_an_acknowledged_save_that_is_not_stored() -> None:
    counts = reconnects.Counts()
    alice = reconnects.Person("Alice Reconnect", "cookie-a", 1, "owner-a")
    tab = reconnects.Tab("http://x", alice, "alice tab", counts)
    kept, lost = tab.new_draft(1), tab.new_draft(2)
    kept.acknowledged = lost.acknowledged = True
    stored = reconnects.Stored({kept.key: (1, kept.note)}, Counter({kept.note: 1}), {})
    reconnects.check_saves(counts, [tab], stored)
    assert (counts.saves_acknowledged, counts.saves_stored, counts.saves_missing,
            counts.drafts_lost) == (2, 1, 1, 1)


@pytest.mark.parametrize(("linked_now", "sent"), [
    ("sid-alice", True),   # the socket that asked still holds the token
    (None, False),         # it closed: the next socket to claim the token must not get it
    ("sid-bob", False),    # another phone claimed the token meanwhile
])
async def test_an_answer_goes_only_to_the_socket_that_asked(linked_now: str | None,
                                                            sent: bool) -> None:
    """The leak `intruder` found: Alice's save, handled after her connection dropped,
    was answered to Bob's phone, which had connected with her client token."""
    emitted: list[str] = []

    async def emit_update(update: StateUpdate, token: str) -> None:
        emitted.append(token)

    namespace = SimpleNamespace(sid_to_token={linked_now: "alice-token"} if linked_now else {})
    emit = socket_tokens._answers_only_to_the_asking_socket(
        SimpleNamespace(event_namespace=namespace), emit_update)
    with EventContext(token="alice-token", state_manager=None, enqueue_impl=None,
                      router_data={RouteVar.SESSION_ID: "sid-alice"}):
        await emit(update=StateUpdate(), token="alice-token")
    assert emitted == (["alice-token"] if sent else [])
    # An update that answers no event here (forwarded from another worker) goes out.
    await emit(update=StateUpdate(), token="alice-token")
    assert emitted[-1:] == ["alice-token"]
