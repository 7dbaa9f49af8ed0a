"""Mindfulness in core: the pacing rule, the timer's numbers, the log of finished
sessions (stored once, forged ones refused whole) and what it sums per day.

The clock is frozen at T0 (Tuesday 10 March 2026, noon in Chicago, two days
after the clocks went forward) unless a test moves it.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from skills_app.content.mindfulness import BreathPhase
from skills_app.core import db, journal, mindfulness
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.core.models import MindfulnessSession
from skills_app.core.problems import Problem, ProblemError
from skills_app.text.problems import say
from tests.conftest import Account, make_account

T0 = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"


@pytest.fixture(autouse=True)
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(T0) as frozen:
        yield frozen


# --- pacing ---

def test_4_7_8_over_two_cycles_gives_its_phases_and_durations() -> None:
    sequence = mindfulness.pace(mindfulness.PATTERNS["4-7-8"].phases, cycles=2)
    assert [(p.cycle, p.kind, p.word, p.start, p.seconds) for p in sequence] == [
        (1, "in", "Breathe in", 0, 4), (1, "hold", "Hold", 4, 7),
        (1, "out", "Breathe out", 11, 8),
        (2, "in", "Breathe in", 19, 4), (2, "hold", "Hold", 23, 7),
        (2, "out", "Breathe out", 30, 8),
    ]


def test_a_custom_pattern_with_a_zero_length_hold_skips_that_phase() -> None:
    phases = mindfulness.custom_pattern("4", "0", "6", "2")
    sequence = mindfulness.pace(phases, cycles=2)
    assert [(p.kind, p.start, p.seconds) for p in sequence] == [
        ("in", 0, 4), ("out", 4, 6), ("hold", 10, 2),
        ("in", 12, 4), ("out", 16, 6), ("hold", 22, 2)]
    # A blank hold is a hold of 0 seconds too.
    assert mindfulness.custom_pattern(4, "", 6, None) == (
        BreathPhase("in", 4), BreathPhase("hold", 0), BreathPhase("out", 6),
        BreathPhase("hold", 0))


def test_minutes_run_whole_cycles_finishing_the_breath_under_way() -> None:
    box = mindfulness.PATTERNS["box"].phases  # 16 s a cycle
    sequence = mindfulness.pace(box, minutes=1)
    assert len(sequence) == 4 * 4  # 64 s: the fourth breath started before 60 s
    coherent = mindfulness.pace(mindfulness.PATTERNS["coherent"].phases, minutes=1)
    assert [p.seconds for p in coherent[:2]] == [5.5, 5.5]
    assert coherent[-1].start + coherent[-1].seconds == 66  # 6 cycles of 11 s
    sigh = mindfulness.pace(mindfulness.PATTERNS["sigh"].phases, cycles=1)
    assert [(p.kind, p.seconds) for p in sigh] == [("in", 2), ("more", 1), ("out", 6)]


@pytest.mark.parametrize("value", [0, -5, 10_000, "abc", math.nan, math.inf, "", None, True,
                                   5.5, "1e3", [3], "9" * 40])
def test_bad_durations_are_refused_with_a_kind_message(value: object) -> None:
    with pytest.raises(ProblemError) as refused:
        mindfulness.check_minutes(value, *mindfulness.TIMER_MINUTES)
    assert refused.value.problem == Problem("mind_whole_number", what="minutes", low=1, high=120)
    # Said in English as before.
    assert say(refused.value.problem) == "Please enter a whole number of minutes from 1 to 120."
    box = mindfulness.PATTERNS["box"].phases
    with pytest.raises(ProblemError) as refused:
        mindfulness.pace(box, minutes=value)
    assert refused.value.problem.code in ("mind_whole_number", "mind_how_long")  # None: no length


def test_good_durations_are_read_from_text_too() -> None:
    assert mindfulness.check_minutes(" 10 ", 1, 120) == 10
    assert mindfulness.check_minutes(120.0, 1, 120) == 120
    assert mindfulness.check_whole_number("7", *mindfulness.PACER_CYCLES, "breaths") == 7


@pytest.mark.parametrize("phase", [-1, 20.5, 21, "abc", math.nan, 2.3, True])
def test_custom_phases_take_0_to_20_seconds_in_halves(phase: object) -> None:
    with pytest.raises(ProblemError) as refused:
        mindfulness.custom_pattern(4, phase, 4, 0)
    assert refused.value.problem == Problem("mind_phase_seconds", high=20)
    assert say(refused.value.problem) == ("Please enter 0 to 20 seconds for each part "
                                          "(half seconds are fine).")
    assert mindfulness.custom_pattern(20, 0.5, "5.5", 0)[2].seconds == 5.5
    with pytest.raises(ProblemError) as refused:
        mindfulness.custom_pattern(0, 4, 4, 4)
    assert refused.value.problem == Problem("mind_breath_too_short")


def test_interval_bells_every_n_minutes_or_at_listed_times() -> None:
    assert mindfulness.interval_bells(20, every=5) == (300, 600, 900)
    assert mindfulness.interval_bells("10", every="3") == (180, 360, 540)
    assert mindfulness.interval_bells(10, at=["7", 3, 3]) == (180, 420)
    assert mindfulness.interval_bells(10) == ()
    for bad in ({"every": 0}, {"every": "abc"}, {"at": [10]}, {"at": [0]}, {"at": ["x"]},
                {"at": list(range(1, 30))}):
        with pytest.raises(ValueError):
            mindfulness.interval_bells(10, **bad)
    with pytest.raises(ProblemError) as refused:
        mindfulness.interval_bells(1, at=[1])
    assert refused.value.problem == Problem("mind_no_room_for_bells")


# --- the log ---

def session(practice: str = "timer", *, ended: datetime = T0, minutes: float = 10,
            **fields: object) -> dict:
    started = ended - timedelta(minutes=minutes)
    raw = {"idempotency_key": str(uuid.uuid4()), "practice": practice,
           "started_at": started.isoformat(), "ended_at": ended.isoformat(),
           "seconds": minutes * 60, "ended_early": False}
    raw.update(fields)
    return raw


def rows() -> list[MindfulnessSession]:
    with db.read() as s:
        return list(s.exec(select(MindfulnessSession)).all())


def logged(account: Account, raw: dict, time_zone: str = CHICAGO) -> mindfulness.SessionView:
    result = mindfulness.log_session(account.identity.user_id, time_zone, raw)
    assert result.ok, result.errors
    return result.session


def test_a_finished_session_is_stored_once_with_its_real_times(alice: Account) -> None:
    raw = session("breathe.box", ended=T0 - timedelta(hours=3), minutes=5,
                  started_at=(T0 - timedelta(hours=3, minutes=7)).isoformat(), seconds=300.4)
    first = mindfulness.log_session(alice.identity.user_id, CHICAGO, raw)
    second = mindfulness.log_session(alice.identity.user_id, CHICAGO, raw)
    assert first.ok and first.created and second.ok and not second.created
    [row] = rows()
    assert (row.practice, row.seconds, row.ended_early, row.local_date) == (
        "breathe.box", 300, False, date(2026, 3, 10))
    assert row.started_at == T0 - timedelta(hours=3, minutes=7)  # a pause left out of seconds
    assert second.session == first.session
    # "Z" as JavaScript's toISOString() writes it.
    z = session(ended_at=T0.strftime("%Y-%m-%dT%H:%M:%S.000Z"), ended_early=True)
    assert logged(alice, z).ended_early


def test_a_key_of_another_patient_is_refused_and_changes_nothing(alice: Account,
                                                                 bob: Account) -> None:
    raw = session()
    logged(alice, raw)
    result = mindfulness.log_session(bob.identity.user_id, CHICAGO, {**raw, "seconds": 60})
    assert result.errors == {"form": mindfulness.KEY_IN_USE}
    [row] = rows()
    assert (row.user_id, row.seconds) == (alice.identity.user_id, 600)


NOW = T0.isoformat()


@pytest.mark.parametrize(("change", "message"), [
    ({"ended_at": (T0 - timedelta(minutes=20)).isoformat()}, mindfulness.END_BEFORE_START),
    ({"started_at": (T0 - timedelta(hours=25)).isoformat(), "seconds": 600},
     mindfulness.TOO_LONG),
    ({"started_at": (T0 + timedelta(hours=1)).isoformat(),
      "ended_at": (T0 + timedelta(hours=1, minutes=10)).isoformat()}, mindfulness.IN_THE_FUTURE),
    ({"ended_at": (T0 + timedelta(minutes=30)).isoformat()}, mindfulness.IN_THE_FUTURE),
    ({"started_at": (T0 - timedelta(days=40)).isoformat(),
      "ended_at": (T0 - timedelta(days=40) + timedelta(minutes=10)).isoformat()},
     mindfulness.TOO_OLD),
    ({"seconds": 25 * 3600}, mindfulness.BAD_SECONDS),
    ({"seconds": 601 + mindfulness.LENGTH_TOLERANCE_SECONDS}, mindfulness.BAD_SECONDS),
    ({"seconds": 0}, mindfulness.BAD_SECONDS),
    ({"seconds": -5}, mindfulness.BAD_SECONDS),
    ({"seconds": math.nan}, mindfulness.BAD_SECONDS),
    ({"seconds": math.inf}, mindfulness.BAD_SECONDS),
    ({"seconds": "600"}, mindfulness.BAD_SECONDS),
    ({"seconds": "abc"}, mindfulness.BAD_SECONDS),
    ({"seconds": True}, mindfulness.BAD_SECONDS),
    ({"seconds": None}, mindfulness.BAD_SECONDS),
    ({"started_at": "abc"}, mindfulness.BAD_TIME),
    ({"started_at": "2026-03-10T10:00:00"}, mindfulness.BAD_TIME),  # no offset
    ({"started_at": 1773158400000}, mindfulness.BAD_TIME),
    ({"ended_at": "x" * 100_000}, mindfulness.BAD_TIME),
    ({"ended_at": None}, mindfulness.BAD_TIME),
    ({"practice": "guided.nope"}, mindfulness.UNKNOWN_PRACTICE),
    ({"practice": ["timer"]}, mindfulness.UNKNOWN_PRACTICE),
    ({"ended_early": "false"}, mindfulness.BAD_LOG),
    ({"ended_early": 0}, mindfulness.BAD_LOG),
    ({"idempotency_key": "not-a-key"}, mindfulness.BAD_LOG),
    ({"idempotency_key": 12}, mindfulness.BAD_LOG),
    ({"user_id": 2}, mindfulness.BAD_LOG),  # another patient's id: refused, not ignored
])
def test_forged_logs_are_refused_with_a_message_and_nothing_stored(
        alice: Account, bob: Account, change: dict, message: Problem) -> None:
    result = mindfulness.log_session(alice.identity.user_id, CHICAGO, session(**change))
    assert result.errors == {"form": message} and result.session is None
    assert rows() == []


@pytest.mark.parametrize("raw", [None, "timer", [], 7, {"practice": "timer"}])
def test_a_log_that_is_not_a_record_is_refused(alice: Account, raw: object) -> None:
    assert mindfulness.log_session(alice.identity.user_id, CHICAGO, raw).errors == {
        "form": mindfulness.BAD_LOG}
    assert rows() == []


def test_the_log_sums_minutes_per_local_day_across_a_dst_change(alice: Account) -> None:
    """Chicago went from UTC-6 to UTC-5 at 2 am on Sunday 8 March 2026. A session
    ending 00:30 on Monday 9 March (05:30 UTC) belongs to Monday, not to Sunday as a
    fixed UTC-6 offset would say, nor to the 9th's UTC date for an 18:30 one."""
    cst, cdt = timedelta(hours=-6), timedelta(hours=-5)

    def at(day: int, hour: int, minute: int, offset: timedelta) -> datetime:
        return datetime(2026, 3, day, hour, minute, tzinfo=UTC) - offset

    ends = [
        (at(7, 23, 50, cst), 10),  # Saturday, 05:50 UTC on Sunday
        (at(8, 1, 30, cst), 20),  # Sunday, before the change
        (at(8, 3, 30, cdt), 5),  # Sunday, after it (02:xx never happened)
        (at(8, 18, 30, cdt), 15),  # Sunday evening: 23:30 UTC
        (at(8, 23, 59, cdt), 2.5),  # Sunday's last minute: 04:59 UTC on Monday
        (at(9, 0, 30, cdt), 8),  # Monday: 05:30 UTC; 23:30 on Sunday at UTC-6
    ]
    for ended, minutes in ends:
        logged(alice, session("timer" if minutes != 5 else "breathe.box", ended=ended,
                              minutes=minutes))
    by_day = mindfulness.minutes_by_day(alice.identity.user_id, date(2026, 3, 7),
                                        date(2026, 3, 9))
    assert by_day == {date(2026, 3, 7): 10, date(2026, 3, 8): 42.5, date(2026, 3, 9): 8}
    assert mindfulness.minutes_by_day(alice.identity.user_id, date(2026, 3, 8),
                                      date(2026, 3, 8)) == {date(2026, 3, 8): 42.5}
    assert mindfulness.minutes_by_practice(alice.identity.user_id, date(2026, 3, 7),
                                           date(2026, 3, 9)) == {"timer": 55.5, "breathe.box": 5}


def test_the_log_is_each_patients_own(alice: Account, bob: Account) -> None:
    logged(alice, session("guided.urge-surfing"))
    logged(bob, session("timer", minutes=3))
    today = date(2026, 3, 10)
    assert mindfulness.minutes_by_day(bob.identity.user_id, today, today) == {today: 3}
    assert mindfulness.minutes_by_practice(alice.identity.user_id, today, today) == {
        "guided.urge-surfing": 10}
    assert mindfulness.mindful_skills_by_day(bob.identity.user_id, today, today) == {
        today: frozenset({"mindfulness.observe"})}
    with pytest.raises(ValueError):
        mindfulness.minutes_by_day(bob.identity.user_id, today, today - timedelta(days=1))


def test_a_session_counts_its_skills_on_the_diary_card_of_that_day(alice: Account) -> None:
    """One answer to "which skills did this patient use": the journal's summaries."""
    user = alice.identity.user_id
    monday, tuesday = date(2026, 3, 9), date(2026, 3, 10)
    logged(alice, session("breathe.4-7-8", ended=T0 - timedelta(days=1), minutes=2))
    logged(alice, session("guided.urge-surfing"))
    logged(alice, session("guided.leaves-on-a-stream", minutes=5))
    assert mindfulness.mindful_skills_by_day(user, monday, tuesday) == {
        monday: frozenset({"distress_tolerance.paced_breathing"}),
        tuesday: frozenset({"distress_tolerance.urge_surfing", "mindfulness.observe",
                            "mindfulness.non_judgmentally"})}
    used = journal.skills_used_by_day(user, monday, tuesday)
    assert used[monday] == {"distress_tolerance.paced_breathing"}
    assert "distress_tolerance.urge_surfing" in used[tuesday]
    assert journal.practised_skills_by_day(user, tuesday, tuesday)[tuesday] == used[tuesday]
    grid = journal.diary_card_week(user, monday)
    assert grid.row("skills_used").cells[:2] == (1, 3)


@pytest.fixture(params=["database", "postgres_database"])
def any_database(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(request.param)


def test_the_same_on_postgresql_and_sqlite(any_database: str) -> None:
    account = make_account("alice", "patient")
    user = account.identity.user_id
    raw = session("breathe.coherent", minutes=4.5)
    assert logged(account, raw).id == logged(account, raw).id
    logged(account, session("timer", ended=T0 - timedelta(days=1), minutes=20))
    monday, tuesday = date(2026, 3, 9), date(2026, 3, 10)
    assert mindfulness.minutes_by_day(user, monday, tuesday) == {monday: 20, tuesday: 4.5}
    assert mindfulness.minutes_by_practice(user, monday, tuesday) == {
        "timer": 20, "breathe.coherent": 4.5}
    assert journal.skills_used_by_day(user, monday, tuesday) == {
        monday: {"mindfulness.observe"}, tuesday: {"distress_tolerance.paced_breathing"}}
