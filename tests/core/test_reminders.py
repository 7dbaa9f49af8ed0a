"""The reminder scheduler: the schedule across DST and zones, quiet hours, the daily
cap, snooze, downtime, retries, and one slow patient never holding up another."""

from __future__ import annotations

import asyncio
import threading
import time as wall_clock
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from skills_app.core import accounts, db, homework, measures, notify, reminders
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.core.models import (
    DeliveryStatus,
    ExerciseSession,
    ReminderDelivery,
    ReminderKind,
    ReminderPreference,
    ReminderSetting,
)
from tests.conftest import Account, make_account
from tests.sharing_helpers import share

NEW_YORK = "America/New_York"


class FakeChannel:
    """A channel that records every notice; `answers` decides each result in turn."""

    def __init__(self, *answers: notify.SendResult) -> None:
        self.answers = list(answers)
        self.notices: list[notify.Notice] = []
        self.lock = threading.Lock()

    def __call__(self, notice: notify.Notice) -> notify.SendResult:
        with self.lock:
            self.notices.append(notice)
            return self.answers.pop(0) if self.answers else notify.SendResult.SENT


@pytest.fixture
def push(monkeypatch: pytest.MonkeyPatch) -> FakeChannel:
    channel = FakeChannel()
    monkeypatch.setitem(notify.SENDERS, "push", channel)
    return channel


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def both_databases(request: pytest.FixtureRequest) -> str:
    """SQLite, then PostgreSQL (where claims use FOR UPDATE SKIP LOCKED)."""
    return request.getfixturevalue("database" if request.param == "sqlite"
                                   else "postgres_database")


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(utc(2026, 12, 7, 12, 0)) as frozen:
        yield frozen


def move_to(clock: FrozenClock, moment: datetime) -> None:
    clock.advance(seconds=(moment - clock.now).total_seconds())


def turn_on(account: Account, kind: str, minute: int, weekdays: tuple[int, ...] = tuple(
        range(7))) -> None:
    with db.transaction() as session:
        session.merge(ReminderSetting(user_id=account.identity.user_id, kind=kind,
                                      enabled=True, minute=minute, weekdays=list(weekdays)))


def prefer(account: Account, **fields: object) -> None:
    with db.transaction() as session:
        session.merge(ReminderPreference(user_id=account.identity.user_id, **fields))


def cursor(account: Account, kind: str) -> datetime | None:
    with db.read() as session:
        return session.get(ReminderSetting, (account.identity.user_id, kind)).next_due_at


def run_round(worker: str = "w1") -> list[reminders.Claimed]:
    """Plan, claim, send and finish once, synchronously, at the frozen clock's now."""
    reminders.plan_all()
    claimed = reminders.claim(worker)
    reminders.finish(worker, [(item, reminders.send_one(item)) for item in claimed])
    return claimed


def rows(account: Account) -> list[ReminderDelivery]:
    return sorted(reminders.deliveries_of(account.identity.user_id), key=lambda r: r.due_at)


def sent(account: Account) -> list[ReminderDelivery]:
    return [row for row in rows(account) if row.status == DeliveryStatus.SENT]


# --- the pure rules ----------------------------------------------------------------------

def test_a_reminder_in_the_spring_forward_gap_fires_once_at_three() -> None:
    # 8 March 2026, New York: 2:00 EST jumps to 3:00 EDT (07:00 UTC).
    assert reminders.wall_instant(date(2026, 3, 8), 150, NEW_YORK) == utc(2026, 3, 8, 7, 0)
    assert reminders.wall_instant(date(2026, 3, 7), 150, NEW_YORK) == utc(2026, 3, 7, 7, 30)
    assert reminders.wall_instant(date(2026, 3, 9), 150, NEW_YORK) == utc(2026, 3, 9, 6, 30)
    daily = [utc(2026, 3, 7, 0)]
    for _ in range(3):
        daily.append(reminders.next_daily(daily[-1], 150, range(7), NEW_YORK))
    assert daily[1:] == [utc(2026, 3, 7, 7, 30), utc(2026, 3, 8, 7, 0), utc(2026, 3, 9, 6, 30)]


def test_a_reminder_in_the_repeated_fall_back_hour_fires_once() -> None:
    # 1 November 2026, New York: 1:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST).
    first = reminders.next_daily(utc(2026, 11, 1, 0), 90, range(7), NEW_YORK)
    assert first == utc(2026, 11, 1, 5, 30)
    assert reminders.next_daily(first, 90, range(7), NEW_YORK) == utc(2026, 11, 2, 6, 30)


def test_only_the_chosen_weekdays() -> None:
    # Monday 7 December 2026 at 12:00 UTC; Wednesday and Saturday at 19:00 New York.
    found = reminders.next_daily(utc(2026, 12, 7, 12), 19 * 60, (2, 5), NEW_YORK)
    assert found == utc(2026, 12, 10, 0)  # Wednesday 19:00 EST
    assert reminders.next_daily(found, 19 * 60, (2, 5), NEW_YORK) == utc(2026, 12, 13, 0)
    assert reminders.next_daily(found, 19 * 60, (), NEW_YORK) is None


def test_quiet_hours_across_midnight_end_in_the_morning() -> None:
    quiet = (22 * 60, 7 * 60)  # 22:00 to 07:00
    seven_next_day = utc(2026, 12, 8, 12)  # 07:00 EST on the 8th
    assert reminders.quiet_until(utc(2026, 12, 8, 4), *quiet, NEW_YORK) == seven_next_day
    assert reminders.quiet_until(utc(2026, 12, 8, 11), *quiet, NEW_YORK) == seven_next_day
    assert reminders.quiet_until(utc(2026, 12, 8, 12), *quiet, NEW_YORK) is None  # 07:00
    assert reminders.quiet_until(utc(2026, 12, 8, 2, 59), *quiet, NEW_YORK) is None  # 21:59
    assert reminders.quiet_until(utc(2026, 12, 8, 4), None, None, NEW_YORK) is None
    # Quiet hours inside one day (13:00-14:00).
    assert reminders.quiet_until(utc(2026, 12, 8, 18, 30), 13 * 60, 14 * 60,
                                 NEW_YORK) == utc(2026, 12, 8, 19)


def test_backoff_doubles_up_to_its_cap() -> None:
    assert [reminders.backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert reminders.backoff(20) == reminders.BACKOFF_MAX


# --- planning and sending ------------------------------------------------------------------

def test_everything_is_off_until_the_patient_turns_it_on(database: str, clock: FrozenClock,
                                                         push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    with db.transaction() as session:
        session.add(ReminderSetting(user_id=alice.identity.user_id, kind="practice",
                                    minute=12 * 60 + 5))
    move_to(clock, utc(2026, 12, 7, 17, 10))
    assert run_round() == [] and rows(alice) == [] and push.notices == []


def test_a_daily_reminder_is_sent_once_in_the_patients_words_and_language(
        both_databases: str, clock: FrozenClock, push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    accounts.update_profile(alice.identity, {"display_name": "Alice", "time_zone": NEW_YORK,
                                             "language": "es"})
    turn_on(alice, ReminderKind.PRACTICE, 19 * 60)
    prefer(alice, wording="moment")
    run_round()
    assert cursor(alice, "practice") == utc(2026, 12, 8, 0)  # 19:00 EST
    move_to(clock, utc(2026, 12, 7, 23, 59))
    assert run_round() == []
    move_to(clock, utc(2026, 12, 8, 0, 0, 20))
    [claimed] = run_round()
    run_round()
    [notice] = push.notices
    assert notice.tag == f"reminder-{claimed.delivery_id}"
    assert notice.url == "/es/practice/" and notice.language == "es"
    assert notice.title == "Un momento para ti"
    [row] = rows(alice)
    assert (row.status, row.channel, row.due_at) == ("sent", "push", utc(2026, 12, 8, 0))
    assert cursor(alice, "practice") == utc(2026, 12, 9, 0)


@pytest.mark.parametrize(("night", "minute", "fires"), [
    # Fall back, 1 November 2026: 1:30 happens twice; it comes once, the first time.
    (utc(2026, 10, 31, 12), 90, utc(2026, 11, 1, 5, 30)),
    # Spring forward, 8 March 2026: 2:30 never happens; it comes once, at 3:00.
    (utc(2026, 3, 7, 12), 150, utc(2026, 3, 8, 7, 0)),
])
def test_across_a_dst_night_a_reminder_in_the_changed_hour_comes_once(
        database: str, push: FakeChannel, night: datetime, minute: int,
        fires: datetime) -> None:
    with frozen_clock(night) as clock:
        alice = make_account("alice", "patient", NEW_YORK)
        turn_on(alice, ReminderKind.CHECKIN, minute)
        while clock.now < night + timedelta(hours=21):
            run_round()
            clock.advance(minutes=10)
    assert [row.due_at for row in sent(alice)] == [fires]
    assert len(push.notices) == 1


def test_a_patient_who_changes_zone_is_reminded_at_their_new_seven(
        database: str, clock: FrozenClock, push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    turn_on(alice, ReminderKind.PRACTICE, 19 * 60)
    run_round()
    assert cursor(alice, "practice") == utc(2026, 12, 8, 0)
    _profile, errors = accounts.update_profile(
        alice.identity, {"display_name": "Alice", "time_zone": "America/Los_Angeles"})
    assert not errors
    assert cursor(alice, "practice") is None
    move_to(clock, utc(2026, 12, 8, 0, 1))  # 19:01 in New York: nothing now
    assert run_round() == []
    assert cursor(alice, "practice") == utc(2026, 12, 8, 3)  # 19:00 in Los Angeles
    move_to(clock, utc(2026, 12, 8, 3, 0, 30))
    assert len(run_round()) == 1
    assert [row.due_at for row in sent(alice)] == [utc(2026, 12, 8, 3)]


def test_saving_the_same_zone_keeps_the_cursor(database: str, clock: FrozenClock) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    turn_on(alice, ReminderKind.PRACTICE, 19 * 60)
    run_round()
    accounts.update_profile(alice.identity, {"display_name": "Alicia", "time_zone": NEW_YORK})
    assert cursor(alice, "practice") == utc(2026, 12, 8, 0)


def test_quiet_hours_move_a_reminder_to_their_end_or_drop_it(
        database: str, clock: FrozenClock, push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    prefer(alice, quiet_start=22 * 60, quiet_end=7 * 60)
    turn_on(alice, ReminderKind.CHECKIN, 6 * 60 + 30)  # 06:30: half an hour before the end
    turn_on(alice, ReminderKind.PRACTICE, 23 * 60)  # 23:00: 8 hours before the end
    run_round()
    while clock.now < utc(2026, 12, 8, 13):
        clock.advance(minutes=5)
        run_round()
    by_kind = {row.kind: row for row in rows(alice)}
    assert by_kind["practice"].status == "dropped" and by_kind["practice"].reason == "quiet"
    checkin = by_kind["checkin"]
    assert checkin.status == "sent" and checkin.due_at == utc(2026, 12, 8, 11, 30)
    assert checkin.sent_at >= utc(2026, 12, 8, 12) > checkin.due_at  # at 07:00, not 06:30
    assert len(push.notices) == 1


def test_at_most_the_daily_cap_the_rest_dropped_as_cap(
        both_databases: str, clock: FrozenClock, push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    bob = make_account("bob", "patient", NEW_YORK)
    for kind in ("checkin", "practice", "mindfulness", "homework", "checkup"):
        turn_on(alice, kind, 19 * 60)
    turn_on(bob, "practice", 19 * 60)
    prefer(alice, daily_cap=3)
    run_round()
    move_to(clock, utc(2026, 12, 8, 0, 0, 30))
    run_round()
    statuses = sorted((row.status, row.reason) for row in rows(alice))
    # Homework: none assigned, so no reminder; the check-up is due (never done).
    assert statuses == [("dropped", "cap"), ("sent", ""), ("sent", ""), ("sent", "")]
    assert [row.status for row in rows(bob)] == ["sent"]  # her cap is hers
    assert len(push.notices) == 4


def test_the_cap_counts_the_patients_local_day(database: str, clock: FrozenClock,
                                               push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    prefer(alice, daily_cap=1)
    turn_on(alice, "checkin", 23 * 60 + 30)
    turn_on(alice, "practice", 30)  # 00:30: the next local day
    run_round()
    while clock.now < utc(2026, 12, 8, 6):
        clock.advance(minutes=5)
        run_round()
    assert [(row.kind, row.status) for row in rows(alice)] == [
        ("checkin", "sent"), ("practice", "sent")]


def test_a_snoozed_reminder_comes_back_in_thirty_minutes_only_for_its_owner(
        both_databases: str, clock: FrozenClock, push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    bob = make_account("bob", "patient", NEW_YORK)
    prefer(alice, daily_cap=1)
    turn_on(alice, "practice", 19 * 60)
    run_round()
    move_to(clock, utc(2026, 12, 8, 0, 0, 10))
    [claimed] = run_round()
    assert reminders.snooze(bob.identity.user_id, claimed.delivery_id, 30) == (
        None, reminders.REMINDER_NOT_FOUND)
    for minutes in (45, "30", True, None, 30.0):
        assert reminders.snooze(alice.identity.user_id, claimed.delivery_id, minutes) == (
            None, reminders.SNOOZE_MINUTES_PROBLEM)
    for bad_id in ("1", -1, 2**40, None, claimed.delivery_id + 99):
        assert reminders.snooze(alice.identity.user_id, bad_id, 30)[1] == (
            reminders.REMINDER_NOT_FOUND)
    at, problem = reminders.snooze(alice.identity.user_id, claimed.delivery_id, 30)
    again, _ = reminders.snooze(alice.identity.user_id, claimed.delivery_id, 30)  # double tap
    assert problem is None and at == again == utc(2026, 12, 8, 0, 30)
    assert [row.snoozed for row in rows(alice)] == [False, True]
    move_to(clock, utc(2026, 12, 8, 0, 29))
    assert run_round() == []
    move_to(clock, utc(2026, 12, 8, 0, 30, 5))
    assert len(run_round()) == 1  # past her cap of 1: she asked for it
    assert [row.status for row in rows(alice)] == ["sent", "sent"]
    assert [row.snoozed for row in rows(bob)] == []
    assert len(push.notices) == 2


def test_a_snooze_into_quiet_hours_waits_for_their_end(database: str, clock: FrozenClock,
                                                       push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    prefer(alice, quiet_start=22 * 60, quiet_end=22 * 60 + 45)
    turn_on(alice, "practice", 21 * 60 + 50)
    run_round()
    move_to(clock, utc(2026, 12, 8, 2, 50, 30))
    [claimed] = run_round()
    at, _ = reminders.snooze(alice.identity.user_id, claimed.delivery_id, 30)
    assert at == utc(2026, 12, 8, 3, 45)  # 22:45, the end of her quiet hours


def test_after_downtime_the_stale_are_dropped_and_the_fresh_sent_once(
        both_databases: str, clock: FrozenClock, push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    turn_on(alice, "practice", 18 * 60)  # 18:00 EST = 23:00 UTC
    turn_on(alice, "checkin", 21 * 60)  # 21:00 EST = 02:00 UTC
    turn_on(alice, "mindfulness", 17 * 60 + 50)
    run_round()
    move_to(clock, utc(2026, 12, 7, 22, 50, 10))  # 17:50: mindfulness is planned ...
    reminders.plan_all()  # ... and the server stops before sending it
    move_to(clock, utc(2026, 12, 9, 2, 30))  # back a day and a half later, at 21:30
    run_round()
    run_round()
    found = {(row.kind, row.due_at.day): (row.status, row.reason) for row in rows(alice)}
    assert found == {
        ("mindfulness", 7): ("dropped", "stale"),  # planned before the stop, never sent
        ("practice", 7): ("dropped", "stale"),  # each cursor's oldest missed one, logged
        ("checkin", 8): ("dropped", "stale"),
        ("mindfulness", 8): ("dropped", "stale"),
        ("checkin", 9): ("sent", ""),  # 21:00 today: half an hour late, still useful
    }  # (practice yesterday at 18:00, 3.5 hours late, is skipped, not logged twice)
    assert len(push.notices) == 1


def test_a_retry_waits_longer_each_time_then_fails(both_databases: str, clock: FrozenClock,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    channel = FakeChannel(*[notify.SendResult.RETRY] * 3)
    monkeypatch.setitem(notify.SENDERS, "push", channel)
    alice = make_account("alice", "patient", NEW_YORK)
    turn_on(alice, "practice", 19 * 60)
    run_round()
    due = utc(2026, 12, 8, 0)
    move_to(clock, due)
    run_round()
    [row] = rows(alice)
    assert (row.status, row.attempts, row.next_attempt_at) == (
        "pending", 1, due + timedelta(minutes=1))
    move_to(clock, due + timedelta(seconds=59))
    assert run_round() == []  # not before its time
    move_to(clock, due + timedelta(minutes=1))
    run_round()
    [row] = rows(alice)
    assert (row.attempts, row.next_attempt_at) == (2, due + timedelta(minutes=3))
    move_to(clock, due + timedelta(minutes=3))
    run_round()
    move_to(clock, due + timedelta(minutes=7))
    run_round()
    [row] = rows(alice)
    assert (row.status, row.channel, row.attempts) == ("sent", "push", 4)
    assert len({notice.tag for notice in channel.notices}) == 1  # one notification on the phone

    monkeypatch.setitem(notify.SENDERS, "push", FakeChannel(*[notify.SendResult.RETRY] * 9))
    move_to(clock, due + timedelta(days=1))
    for _ in range(reminders.MAX_ATTEMPTS):
        run_round()
        clock.advance(minutes=30)
    assert [(row.status, row.reason, row.attempts) for row in rows(alice)][-1] == (
        "failed", "attempts", reminders.MAX_ATTEMPTS)


def test_push_then_email_then_the_app(database: str, clock: FrozenClock,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = FakeChannel(*[notify.SendResult.NOWHERE] * 9)
    email = FakeChannel()
    monkeypatch.setitem(notify.SENDERS, "push", nowhere)
    monkeypatch.setitem(notify.SENDERS, "email", email)
    alice = make_account("alice", "patient", NEW_YORK)
    bob = make_account("bob", "patient", NEW_YORK)
    prefer(alice, by_push=True, by_email=True)
    prefer(bob, by_push=True, by_email=False)
    for account in (alice, bob):
        turn_on(account, "practice", 19 * 60)
    run_round()
    move_to(clock, utc(2026, 12, 8, 0))
    run_round()
    assert [row.channel for row in sent(alice)] == ["email"]
    assert [row.channel for row in sent(bob)] == ["app"]  # shows on Today


def test_homework_reminders_only_on_days_with_homework_not_done(
        database: str, push: FakeChannel) -> None:
    # Monday 7 December 2026 in Chicago; alice's homework is an exercise on weekdays.
    with frozen_clock(utc(2026, 12, 7, 15)) as clock:
        alice = make_account("alice", "patient")
        carol = make_account("carol", "therapist")
        share(alice, carol, ("exercises",))
        ids, errors = homework.assign(carol.identity.user_id, alice.identity.user_id, {
            "idempotency_key": str(uuid.uuid4()), "kind": "exercise",
            "exercises": ["dear-man"], "repeat": "weekdays", "weekdays": ["0", "2"],
            "start_day": "2026-12-07", "note": ""})
        assert ids and not errors, errors
        turn_on(alice, "homework", 18 * 60)
        run_round()
        with db.transaction() as session:  # Wednesday's done before 18:00
            session.add(ExerciseSession(
                user_id=alice.identity.user_id, idempotency_key=str(uuid.uuid4()),
                exercise_id="dear-man", finished_at=utc(2026, 12, 9, 15),
                time_zone="America/Chicago", local_date=date(2026, 12, 9)))
        while clock.now < utc(2026, 12, 10, 12):
            clock.advance(minutes=15)
            run_round()
    # Monday: due, not done -> reminded. Tuesday: not asked. Wednesday: done already.
    assert [row.due_at for row in sent(alice)] == [utc(2026, 12, 8, 0)]


def test_checkup_reminders_only_when_a_check_up_is_due(database: str, clock: FrozenClock,
                                                       push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    turn_on(alice, "checkup", 19 * 60)
    run_round()
    move_to(clock, utc(2026, 12, 8, 0, 1))
    run_round()
    assert len(sent(alice)) == 1  # never done: due
    for questionnaire, n in (("phq9", 9), ("gad7", 7)):
        outcome = measures.save_result(alice.identity.user_id, NEW_YORK, {
            "questionnaire": questionnaire, "idempotency_key": str(uuid.uuid4()),
            "answers": ["0"] * n, "difficulty": "", "completed_at": ""})
        assert outcome.ok, outcome
    move_to(clock, utc(2026, 12, 9, 0, 1))
    run_round()
    assert len(sent(alice)) == 1  # both done yesterday: nothing due


def test_one_slow_patient_does_not_hold_up_another(database: str, clock: FrozenClock,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    bob = make_account("bob", "patient", NEW_YORK)
    delivered: list[int] = []

    def push_service(notice: notify.Notice) -> notify.SendResult:
        if notice.user_id == alice.identity.user_id:
            wall_clock.sleep(3)  # her push service hangs
            raise OSError("connection reset")
        delivered.append(notice.user_id)
        return notify.SendResult.SENT

    monkeypatch.setitem(notify.SENDERS, "push", push_service)
    for account in (alice, bob):
        turn_on(account, "practice", 19 * 60)
    run_round()
    move_to(clock, utc(2026, 12, 8, 0))
    reminders.plan_all()
    claimed = reminders.claim("w1")

    async def send() -> tuple[list[reminders.Outcome], float]:
        started = wall_clock.perf_counter()
        outcomes = await reminders.send_all(claimed, timeout=0.5)
        return outcomes, wall_clock.perf_counter() - started

    outcomes, took = asyncio.run(send())
    reminders.finish("w1", list(zip(claimed, outcomes, strict=True)))
    assert took < 2
    assert delivered == [bob.identity.user_id]
    assert [row.status for row in rows(bob)] == ["sent"]
    assert [(row.status, row.attempts) for row in rows(alice)] == [("pending", 1)]


def test_a_channel_that_raises_is_retried_and_the_loop_keeps_going(
        database: str, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(notice: notify.Notice) -> notify.SendResult:
        raise RuntimeError("bug")

    monkeypatch.setitem(notify.SENDERS, "push", broken)
    alice = make_account("alice", "patient", NEW_YORK)
    turn_on(alice, "practice", 19 * 60)
    asyncio.run(reminders.run_once("w1"))
    move_to(clock, utc(2026, 12, 8, 0))
    done = asyncio.run(reminders.run_once("w1"))
    assert (done.claimed, done.sent, done.retry) == (1, 0, 1)
    assert [row.status for row in rows(alice)] == ["pending"]


def test_a_finished_send_whose_lease_was_taken_over_is_left_to_the_new_owner(
        both_databases: str, clock: FrozenClock, push: FakeChannel) -> None:
    alice = make_account("alice", "patient", NEW_YORK)
    turn_on(alice, "practice", 19 * 60)
    run_round()
    move_to(clock, utc(2026, 12, 8, 0))
    reminders.plan_all()
    [slow] = reminders.claim("w1")
    clock.advance(seconds=reminders.LEASE.total_seconds() + 1)
    [again] = reminders.claim("w2")  # w1's lease ran out
    assert again.delivery_id == slow.delivery_id and again.attempts == 2
    reminders.finish("w1", [(slow, reminders.Outcome(notify.SendResult.RETRY))])
    [row] = rows(alice)
    assert (row.status, row.claimed_by) == ("sending", "w2")
    reminders.finish("w2", [(again, reminders.Outcome(notify.SendResult.SENT, "push"))])
    assert [row.status for row in rows(alice)] == ["sent"]


def test_group_reminders_follow_the_patients_track(database: str, push: FakeChannel,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from skills_app.core import schedule

    # A Tuesday meeting at 10:00 New York time (15:00 UTC), 8 December 2026.
    meeting = schedule.Meeting(1, "Morning", date(2026, 12, 8), utc(2026, 12, 8, 15),
                               utc(2026, 12, 8, 18))
    monkeypatch.setattr(schedule, "patient_meetings",
                        lambda patient_id, first, last: [
                            m for m in [meeting] if first <= m.day <= last])
    with frozen_clock(utc(2026, 12, 7, 12)) as clock:
        alice = make_account("alice", "patient", NEW_YORK)
        turn_on(alice, "group_evening", 19 * 60)
        turn_on(alice, "group_hour", 0)
        while clock.now < utc(2026, 12, 8, 20):
            run_round()
            clock.advance(minutes=10)
        # Nothing ahead: look again in RECHECK (from the round that sent the last one).
        assert cursor(alice, "group_hour") == utc(2026, 12, 8, 14) + reminders.RECHECK
    assert [(row.kind, row.due_at) for row in sent(alice)] == [
        ("group_evening", utc(2026, 12, 8, 0)),  # Monday 19:00
        ("group_hour", utc(2026, 12, 8, 14)),  # 09:00 Tuesday
    ]
    assert {notice.url for notice in push.notices} == {"/groups/"}


def test_a_cancelled_meeting_sends_no_reminder(database: str, push: FakeChannel,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from skills_app.core import schedule

    meetings = [schedule.Meeting(1, "Morning", date(2026, 12, 8), utc(2026, 12, 8, 15),
                                 utc(2026, 12, 8, 18))]
    monkeypatch.setattr(schedule, "patient_meetings", lambda *_args: list(meetings))
    with frozen_clock(utc(2026, 12, 7, 12)) as clock:
        alice = make_account("alice", "patient", NEW_YORK)
        turn_on(alice, "group_hour", 0)
        run_round()
        meetings.clear()  # a holiday added after the cursor was set
        move_to(clock, utc(2026, 12, 8, 14, 1))
        run_round()
    assert rows(alice) == []


def test_a_setting_that_cannot_be_read_holds_up_no_one_else(
        database: str, clock: FrozenClock, push: FakeChannel) -> None:
    from skills_app.core.models import User

    alice = make_account("alice", "patient", NEW_YORK)
    bob = make_account("bob", "patient", NEW_YORK)
    turn_on(alice, "practice", 19 * 60)
    turn_on(bob, "practice", 19 * 60)
    with db.transaction() as session:  # a zone the tz database no longer has
        session.get(User, bob.identity.user_id).time_zone = "Nowhere/Atlantis"
    run_round()
    assert cursor(bob, "practice") == clock.now + reminders.RECHECK
    move_to(clock, utc(2026, 12, 8, 0))
    run_round()
    assert [row.status for row in rows(alice)] == ["sent"] and rows(bob) == []


def test_a_quiet_round_never_takes_the_sqlite_writer_lock(database: str, clock: FrozenClock,
                                                           push: FakeChannel) -> None:
    from sqlalchemy import event

    alice = make_account("alice", "patient", NEW_YORK)
    turn_on(alice, "practice", 19 * 60)
    run_round()  # the cursor is set: nothing more until 19:00
    writes: list[str] = []
    engine = db.get_engine()

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith(("BEGIN IMMEDIATE", "UPDATE", "INSERT")):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        clock.advance(minutes=30)
        run_round()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert writes == []


def test_a_send_that_could_outlast_its_lease_is_handed_back_unsent(
        database: str, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_push(notice: notify.Notice) -> notify.SendResult:
        wall_clock.sleep(0.3)
        return notify.SendResult.SENT

    monkeypatch.setitem(notify.SENDERS, "push", slow_push)
    patients = [make_account(name, "patient", NEW_YORK)
                for name in ("alice", "bob", "dave", "erin", "frank")]
    for account in patients:
        turn_on(account, "practice", 19 * 60)
    run_round()
    move_to(clock, utc(2026, 12, 8, 0))
    reminders.plan_all()
    monkeypatch.setattr(reminders, "LEASE", timedelta(seconds=1))
    claimed = reminders.claim("w1")
    # One at a time, 0.3 s each, 0.5 s allowed: the third would start 0.6 s into a
    # 1 s lease and could end after it, when another worker may have claimed it.
    outcomes = asyncio.run(reminders.send_all(claimed, timeout=0.5, concurrency=1))
    reminders.finish("w1", list(zip(claimed, outcomes, strict=True)))
    assert [outcome.released for outcome in outcomes] == [False, False, True, True, True]
    found = sorted((row.status, row.attempts) for account in patients for row in rows(account))
    assert found == [("pending", 0)] * 3 + [("sent", 1)] * 2
    assert len(reminders.claim("w2")) == 3  # due again at once
