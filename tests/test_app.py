"""The app's background upkeep."""

from __future__ import annotations

import asyncio

import pytest

from skills_app.core import db, journal
from skills_app.core.clock import frozen_clock
from skills_app.core.models import JournalEntry
from tests.conftest import Account


async def test_deleted_entries_are_erased_at_start_and_every_minute(
        alice: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    from skills_app import skills_app as app_module

    assert app_module._purge_deleted_entries in [
        getattr(task, "func", task) for task in app_module.app._lifespan_tasks]
    with frozen_clock() as clock:
        entries = [journal.save_entry(alice.identity.user_id, "UTC", {
            "idempotency_key": key, "kind": "checkin", "mood": 5}).entry
            for key in ("1c7d7f0e-1d1a-4a3e-9d55-1f2a3b4c5d6e",
                        "2c7d7f0e-1d1a-4a3e-9d55-1f2a3b4c5d6e")]
        journal.delete_entry(alice.identity.user_id, entries[0].id)
        clock.advance(seconds=journal.PURGE_AFTER.total_seconds() + 1)
        journal.delete_entry(alice.identity.user_id, entries[1].id)  # still in its window
        monkeypatch.setattr(app_module, "PURGE_EVERY_SECONDS", 0.01)
        task = asyncio.create_task(app_module._purge_deleted_entries())
        await asyncio.sleep(0.3)
        task.cancel()
        with db.read() as session:
            assert session.get(JournalEntry, entries[0].id) is None
            assert session.get(JournalEntry, entries[1].id) is not None
        clock.advance(minutes=2)
        task = asyncio.create_task(app_module._purge_deleted_entries())
        await asyncio.sleep(0.3)
        task.cancel()
        with db.read() as session:
            assert session.get(JournalEntry, entries[1].id) is None


def test_what_the_app_built_at_start_is_kept_out_of_full_collections() -> None:
    import gc

    from skills_app import skills_app as app_module

    assert app_module.app is not None and gc.get_freeze_count() > 10_000


def test_engine_io_drops_only_frames_above_the_apps_own_limit() -> None:
    """A frame between the two limits reaches the app, which answers it kindly."""
    from skills_app import skills_app as app_module
    from skills_app.core.event_size import EVENT_PAYLOAD_MAX_BYTES, TRANSPORT_MAX_CHARS

    assert app_module.app.sio.eio.max_http_buffer_size == TRANSPORT_MAX_CHARS
    assert TRANSPORT_MAX_CHARS > EVENT_PAYLOAD_MAX_BYTES
