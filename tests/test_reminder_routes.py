"""POST /reminders/snooze in-process: only the caller's own sent reminder is put off,
with the same CSRF checks as the auth routes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from starlette.applications import Starlette

from skills_app import reminder_routes
from skills_app.core import audit, db, reminders
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.core.models import AuditEvent, ReminderSetting
from skills_app.core.settings import SESSION_COOKIE, allowed_origins
from tests.conftest import Account, make_account

DUE = datetime(2026, 12, 8, 0, 0, tzinfo=UTC)  # 19:00 in New York


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(datetime(2026, 12, 7, 12, tzinfo=UTC)) as frozen:
        yield frozen


def sent_reminder(account: Account, clock: FrozenClock) -> int:
    with db.transaction() as session:
        session.merge(ReminderSetting(user_id=account.identity.user_id, kind="practice",
                                      enabled=True, minute=19 * 60, weekdays=list(range(7))))
    reminders.plan_all()
    clock.advance(seconds=(DUE - clock.now).total_seconds())
    reminders.plan_all()
    [claimed] = reminders.claim("w1")
    reminders.finish("w1", [(claimed, reminders.Outcome(reminders.notify.SendResult.SENT,
                                                        "app"))])
    return claimed.delivery_id


async def post(account: Account | None, body: object, origin: str | None = None,
               content_type: str = "application/json") -> httpx.Response:
    transport = httpx.ASGITransport(app=Starlette(routes=reminder_routes.routes))
    headers = {"Origin": origin or allowed_origins()[0], "Content-Type": content_type}
    if account:
        headers["Cookie"] = f"{SESSION_COOKIE}={account.token}"
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        return await client.post(reminder_routes.SNOOZE_PATH, content=httpx.Request(
            "POST", "/", json=body).content, headers=headers)


def snoozed(account: Account) -> list[datetime]:
    return [row.due_at for row in reminders.deliveries_of(account.identity.user_id)
            if row.snoozed]


async def test_the_owner_puts_her_reminder_off_for_an_hour(database: str,
                                                           clock: FrozenClock) -> None:
    alice = make_account("alice", "patient", "America/New_York")
    delivery = sent_reminder(alice, clock)
    answer = await post(alice, {"delivery": delivery, "minutes": 60})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"snoozed": True, "at": "2026-12-08T01:00:00+00:00"}
    assert snoozed(alice) == [datetime(2026, 12, 8, 1, tzinfo=UTC)]


async def test_nobody_else_can_put_it_off(database: str, clock: FrozenClock) -> None:
    alice = make_account("alice", "patient", "America/New_York")
    delivery = sent_reminder(alice, clock)
    bob = make_account("bob", "patient")
    carol = make_account("carol", "therapist")
    before = audit_count()
    assert (await post(None, {"delivery": delivery, "minutes": 30})).status_code == 401
    assert (await post(carol, {"delivery": delivery, "minutes": 30})).status_code == 403
    answer = await post(bob, {"delivery": delivery, "minutes": 30})
    assert answer.status_code == 404
    assert answer.json()["errors"]["form"] == (
        "We couldn't find that reminder, so it was not put off.")
    assert audit_count() == before + 1
    assert snoozed(alice) == [] and snoozed(bob) == []


@pytest.mark.parametrize("body", [{"delivery": 1, "minutes": 45}, {"delivery": 1},
                                  {"delivery": 1, "minutes": "30"}, [1, 30]])
async def test_bad_minutes_are_refused_kindly(database: str, clock: FrozenClock,
                                              body: object) -> None:
    alice = make_account("alice", "patient", "America/New_York")
    sent_reminder(alice, clock)
    answer = await post(alice, body)
    assert answer.status_code == 400
    assert answer.json()["errors"]["form"]
    assert snoozed(alice) == []


async def test_a_foreign_origin_or_a_form_post_is_refused(database: str,
                                                          clock: FrozenClock) -> None:
    alice = make_account("alice", "patient", "America/New_York")
    delivery = sent_reminder(alice, clock)
    body = {"delivery": delivery, "minutes": 30}
    assert (await post(alice, body, origin="https://evil.example")).status_code == 403
    assert (await post(alice, body, content_type="text/plain")).status_code == 415
    assert snoozed(alice) == []


def audit_count() -> int:
    audit.reset_security_limits()
    with db.read() as session:
        return len(session.exec(AuditEvent.__table__.select()).all())


async def test_the_scheduler_is_off_when_its_period_is_zero(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLS_REMINDERS_EVERY_SECONDS", "0")
    await reminders.run_forever()  # returns at once instead of looping
    monkeypatch.setenv("SKILLS_REMINDERS_EVERY_SECONDS", "soon")
    with pytest.raises(ValueError, match="SKILLS_REMINDERS_EVERY_SECONDS"):
        reminders.every_seconds()


def test_the_app_runs_the_scheduler_and_serves_the_snooze_route() -> None:
    from skills_app import skills_app as app_module

    assert reminders.run_forever in [
        getattr(task, "func", task) for task in app_module.app._lifespan_tasks]
    assert reminder_routes.SNOOZE_PATH in {route.path for route in app_module.ROUTES}


async def test_the_lifespan_task_sends_what_is_due(database: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    delivered: list[str] = []

    def push(notice: reminders.notify.Notice) -> reminders.notify.SendResult:
        delivered.append(notice.tag)
        return reminders.notify.SendResult.SENT

    monkeypatch.setitem(reminders.notify.SENDERS, "push", push)
    with frozen_clock(DUE) as clock:
        alice = make_account("alice", "patient", "America/New_York")
        with db.transaction() as session:
            session.merge(ReminderSetting(
                user_id=alice.identity.user_id, kind="practice", enabled=True,
                minute=19 * 60, weekdays=list(range(7)),
                next_due_at=DUE))
        clock.advance(seconds=5)
        task = asyncio.create_task(reminders.run_forever(every=0.05))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if delivered:
                break
        task.cancel()
    assert len(delivered) == 1 and delivered[0].startswith("reminder-")
