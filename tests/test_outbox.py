"""POST /auth/outbox in-process: a draft the phone queued offline is saved once by
its idempotency key, only for the patient whose drafts they are."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import select
from starlette.applications import Starlette

from skills_app import api
from skills_app.core import db, drafts
from skills_app.core.models import (
    ExerciseSession,
    JournalEntry,
    MeasureResult,
    MindfulnessSession,
)
from skills_app.core.settings import SESSION_COOKIE, allowed_origins
from tests.conftest import Account


async def send(account: Account | None, body: dict) -> httpx.Response:
    transport = httpx.ASGITransport(app=Starlette(routes=api.routes))
    cookie = {"Cookie": f"{SESSION_COOKIE}={account.token}"} if account else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        return await client.post("/auth/outbox", json=body,
                                 headers={"Origin": allowed_origins()[0], **cookie})


def owner(account: Account) -> str:
    return drafts.draft_owner(account.identity.user_id)


def check_in(key: str) -> dict:
    return {"idempotency_key": key, "mood": "6", "note": "Sent from the bus",
            "written_at": "2026-12-07T14:10:00Z"}


def entries(account: Account) -> list[JournalEntry]:
    with db.transaction() as session:
        return list(session.execute(select(JournalEntry).where(
            JournalEntry.user_id == account.identity.user_id)).scalars())


async def test_a_queued_check_in_is_stored_once_however_often_it_arrives(
        alice: Account) -> None:
    key = str(uuid.uuid4())
    body = {"owner": owner(alice), "name": "checkin", "values": check_in(key)}
    first, again = await send(alice, body), await send(alice, body)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"saved": key}
    [entry] = entries(alice)
    assert (entry.note, entry.kind, entry.idempotency_key) == ("Sent from the bus", "checkin", key)


async def test_a_queued_exercise_is_stored_once(alice: Account) -> None:
    key = str(uuid.uuid4())
    body = {"owner": owner(alice), "name": "practice-urge-surfing", "values": {
        "idempotency_key": key, "exercise_id": "urge-surfing", "written_at":
        "2026-12-07T14:10:00Z", "answer__urge": "A drink",
        "answer__strength_before": "8", "answer__strength_after": "5"}}
    assert (await send(alice, body)).json() == {"saved": key}
    assert (await send(alice, body)).json() == {"saved": key}
    with db.transaction() as session:
        rows = session.execute(select(ExerciseSession.idempotency_key)).scalars().all()
    assert rows == [key]


async def test_someone_elses_draft_or_no_session_saves_nothing(
        alice: Account, bob: Account, carol: Account) -> None:
    body = {"owner": owner(bob), "name": "checkin", "values": check_in(str(uuid.uuid4()))}
    assert (await send(alice, body)).status_code == 409
    assert (await send(None, body)).status_code == 401
    # A therapist has no drafts to send.
    assert (await send(carol, {**body, "owner": owner(carol)})).status_code == 403
    assert entries(alice) == [] and entries(bob) == []


async def test_what_is_not_a_queued_save_is_answered_not_raised(alice: Account) -> None:
    for name, values in (("safety-plan", {}), ("checkin", ["x"]), ("checkin", {"mood": "99"}),
                         (None, {}), ("practice-nope", {"exercise_id": "nope"})):
        answer = await send(alice, {"owner": owner(alice), "name": name, "values": values})
        assert answer.status_code == 400, (name, values)
        assert answer.json()["errors"]
    assert entries(alice) == []


async def test_a_queued_check_up_is_stored_once(alice: Account) -> None:
    key = str(uuid.uuid4())
    values = {"questionnaire": "gad7", "idempotency_key": key, "difficulty": "",
              "written_at": "2026-12-07T14:10:00Z",
              **{f"item_{n}": "1" for n in range(1, 8)}}
    body = {"owner": owner(alice), "name": "measure-gad7", "values": values}
    first, again = await send(alice, body), await send(alice, body)
    assert first.json() == again.json() == {"saved": key}, first.json()
    with db.transaction() as session:
        rows = session.execute(select(MeasureResult.idempotency_key)).scalars().all()
    assert rows == [key]


async def test_a_timer_session_from_its_outbox_is_stored_once(alice: Account) -> None:
    ended = datetime.now(UTC) - timedelta(minutes=1)
    record = {"idempotency_key": str(uuid.uuid4()), "practice": "timer",
              "started_at": (ended - timedelta(minutes=10)).isoformat(),
              "ended_at": ended.isoformat(), "seconds": 600, "ended_early": False}
    body = {"owner": owner(alice), "name": "mindful", "values": {"session": json.dumps(record)}}
    first, again = await send(alice, body), await send(alice, body)
    assert first.json() == again.json() == {"saved": record["idempotency_key"]}, first.json()
    with db.transaction() as session:
        rows = session.execute(select(MindfulnessSession.idempotency_key)).scalars().all()
    assert rows == [record["idempotency_key"]]
    refused = await send(alice, {**body, "values": {"session": "not json"}})
    assert refused.status_code == 400
