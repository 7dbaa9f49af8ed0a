"""Mindfulness timers: the pacing rule, the practice catalogue, and the log of
finished sessions.

The timers themselves run in the browser (assets/timer.js) from a fixed
deadline, so they keep going offline and with the screen off. This module owns
the rules they follow, as plain functions a test can call:

- `pace`: a breathing pattern's phase sequence and durations, zero-length
  phases skipped, for a number of cycles or of minutes;
- `interval_bells` and the duration checks the timer screens apply;
- `log_session`: a finished session as the phone sends it, checked whole and
  stored once per idempotency key (the first arrival wins; a key of someone
  else's is refused);
- the per-day and per-practice minutes, and the skills a day's sessions count,
  summed by the database, for the log, the journal's "skills used", and the
  progress and therapist views.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from skills_app.content import mindfulness as content
from skills_app.content.mindfulness import BreathPhase
from skills_app.core import db
from skills_app.core.clock import PHONE_CLOCK_AHEAD, ensure_utc, utcnow
from skills_app.core.dates import local_date_of
from skills_app.core.models import MindfulnessSession
from skills_app.core.problems import Problem, ProblemError
from skills_app.core.schemas import FieldErrors, check_time_zone, idempotency_key
from skills_app.text import N_

PACER_MINUTES = (1, 20)
PACER_CYCLES = (1, 100)
TIMER_MINUTES = (1, 120)
PHASE_SECONDS_MAX = 20
INTERVAL_TIMES_MAX = 20
SESSION_MAX = timedelta(hours=24)
# A session kept on an offline phone is still taken this long after it ended.
BACKDATE_LIMIT = timedelta(days=30)
# Active seconds may exceed end - start by rounding on the phone.
LENGTH_TOLERANCE_SECONDS = 2
LOG_DAYS_MAX = 1_100
LOG_FIELDS = frozenset({"idempotency_key", "practice", "started_at", "ended_at", "seconds",
                        "ended_early"})

# What went wrong with a finished session's record (words: text/words/mind.py).
BAD_LOG = Problem("mind_bad_log")
KEY_IN_USE = BAD_LOG
UNKNOWN_PRACTICE = Problem("mind_unknown_practice")
BAD_TIME = Problem("mind_bad_time")
END_BEFORE_START = Problem("mind_end_before_start")
TOO_LONG = Problem("mind_too_long")
IN_THE_FUTURE = Problem("mind_in_the_future")
TOO_OLD = Problem("mind_too_old")
BAD_SECONDS = Problem("mind_bad_seconds")
BAD_ENDED_EARLY = BAD_LOG


def _refuse(problem: Problem) -> ProblemError:
    return ProblemError(problem.code, **problem.params)


# --- the practice catalogue ---

@dataclass(frozen=True)
class Practice:
    """Anything that can be logged: a breathing pattern, the timer, a guided practice.

    `title` is a catalogue message (English): a screen shows it through `_()`."""

    key: str
    title: str
    skills: tuple[str, ...]


def _catalogue() -> dict[str, Practice]:
    found = [Practice(f"breathe.{p.key}", p.name, (content.PACED_BREATHING,))
             for p in content.BREATHING_PATTERNS]
    found.append(Practice(f"breathe.{content.CUSTOM_PATTERN}", N_("Your own breathing pattern"),
                          (content.PACED_BREATHING,)))
    found.append(Practice("timer", N_("Meditation timer"), (content.OBSERVE,)))
    found += [Practice(f"guided.{g.key}", g.title, g.skills) for g in content.GUIDED_PRACTICES]
    return {practice.key: practice for practice in found}


PRACTICES: dict[str, Practice] = _catalogue()
PATTERNS: dict[str, content.BreathingPattern] = {
    pattern.key: pattern for pattern in content.BREATHING_PATTERNS}
GUIDED: dict[str, content.GuidedPractice] = {g.key: g for g in content.GUIDED_PRACTICES}


def practice(key: object) -> Practice | None:
    """The practice stored under `key`, or None for anything else."""
    return PRACTICES.get(key) if isinstance(key, str) else None


# --- numbers typed on the timer screens ---

def _number(value: object) -> float | None:
    """A finite number from a number or its text; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 12:
            return None
        try:
            value = float(text)
        except ValueError:
            return None
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float) and math.isfinite(value):
        return value
    return None


def check_whole_number(value: object, low: int, high: int, what: str) -> int:
    """A whole number from `low` to `high`; `ProblemError` otherwise (`what` is a
    catalogue message: "minutes", "breaths")."""
    number = _number(value)
    if number is None or not number.is_integer() or not low <= number <= high:
        raise ProblemError("mind_whole_number", what=what, low=low, high=high)
    return int(number)


def check_minutes(value: object, low: int, high: int) -> int:
    return check_whole_number(value, low, high, "minutes")


def check_phase_seconds(value: object) -> float:
    """0 to 20 seconds in half seconds; blank is 0 (a phase left out)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    number = _number(value)
    if number is None or not 0 <= number <= PHASE_SECONDS_MAX or (number * 2) % 1:
        raise ProblemError("mind_phase_seconds", high=PHASE_SECONDS_MAX)
    return number


def custom_pattern(breathe_in: object, hold_in: object, breathe_out: object,
                   hold_out: object) -> tuple[BreathPhase, ...]:
    """A patient's own pattern; a phase of 0 seconds is left out when pacing."""
    seconds = [check_phase_seconds(v) for v in (breathe_in, hold_in, breathe_out, hold_out)]
    if not seconds[0] or not seconds[2]:
        raise ProblemError("mind_breath_too_short")
    return tuple(BreathPhase(kind, s) for (kind, _), s in zip(content.CUSTOM_PHASES, seconds,
                                                              strict=True))


# --- pacing ---

@dataclass(frozen=True)
class PacedPhase:
    """One phase of a paced session: what to do, from when, for how long (seconds)."""

    cycle: int
    kind: str
    word: str
    start: float
    seconds: float


def cycle_seconds(phases: Sequence[BreathPhase]) -> float:
    return sum(phase.seconds for phase in phases)


def cycles_for(phases: Sequence[BreathPhase], minutes: int) -> int:
    """Whole cycles to fill `minutes`: the breath under way when time is up is finished."""
    return max(1, math.ceil(minutes * 60 / cycle_seconds(phases) - 1e-9))


def pace(phases: Sequence[BreathPhase], *, cycles: int | None = None,
         minutes: int | None = None) -> tuple[PacedPhase, ...]:
    """The phase sequence of a paced session, zero-length phases skipped.

    Exactly one of `cycles` (1-100) or `minutes` (1-20) says how long it runs.
    assets/timer.js follows the same rule in the browser.
    """
    if (cycles is None) == (minutes is None):
        raise ProblemError("mind_how_long")
    if cycle_seconds(phases) <= 0 or any(p.seconds < 0 for p in phases):
        raise ProblemError("mind_no_time")
    if cycles is not None:
        cycles = check_whole_number(cycles, *PACER_CYCLES, "breaths")
    else:
        cycles = cycles_for(phases, check_minutes(minutes, *PACER_MINUTES))
    sequence: list[PacedPhase] = []
    start = 0.0
    for cycle in range(1, cycles + 1):
        for phase in phases:
            if phase.seconds <= 0:
                continue
            sequence.append(PacedPhase(cycle, phase.kind, content.PHASE_WORDS[phase.kind],
                                       start, phase.seconds))
            start += phase.seconds
    return tuple(sequence)


def interval_bells(minutes: object, *, every: object = None,
                   at: Sequence[object] = ()) -> tuple[int, ...]:
    """The seconds after the start when an interval bell rings, before the end bell.

    Either every N minutes, or at a list of minutes (each before the end).
    """
    total = check_minutes(minutes, *TIMER_MINUTES)
    if every not in (None, ""):
        step = check_whole_number(every, 1, total, N_("minutes between bells"))
        return tuple(m * 60 for m in range(step, total, step))
    if len(at) > INTERVAL_TIMES_MAX:
        raise ProblemError("mind_too_many_bells", high=INTERVAL_TIMES_MAX)
    if not at:
        return ()
    if total == 1:
        raise ProblemError("mind_no_room_for_bells")
    times = {check_whole_number(m, 1, total - 1, N_("minutes for each bell")) for m in at}
    return tuple(m * 60 for m in sorted(times))


# --- the log of finished sessions ---

@dataclass(frozen=True)
class SessionLog:
    idempotency_key: str
    practice: Practice
    started_at: datetime
    ended_at: datetime
    seconds: int
    ended_early: bool


@dataclass(frozen=True)
class SessionView:
    id: int
    idempotency_key: str
    practice: str
    started_at: datetime
    ended_at: datetime
    seconds: int
    ended_early: bool
    local_date: date


@dataclass(frozen=True)
class LogResult:
    session: SessionView | None = None
    created: bool = False
    errors: FieldErrors = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.session is not None and not self.errors


def _moment(value: object) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise _refuse(BAD_TIME)
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise _refuse(BAD_TIME) from None
    if moment.utcoffset() is None:
        raise _refuse(BAD_TIME)
    return ensure_utc(moment)


def _seconds(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or not 1 <= value <= SESSION_MAX.total_seconds():
        raise _refuse(BAD_SECONDS)
    return round(value)


def parse_log(raw: object) -> tuple[SessionLog | None, FieldErrors]:
    """A finished session as a phone sends it, checked whole: nothing half-saved.

    Its start and end are the phone's (a session finished offline keeps its
    real times), so they must be plausible: the end not before the start, at
    most 24 hours apart, nothing in the future, not over 30 days old; the
    active seconds (pauses left out) fit between them.
    """
    if not isinstance(raw, Mapping) or set(raw) != LOG_FIELDS:
        return None, {"form": BAD_LOG}
    try:
        try:
            key = idempotency_key(raw["idempotency_key"], BAD_LOG.code)
        except ValueError:
            raise _refuse(BAD_LOG) from None
        found = practice(raw["practice"])
        if found is None:
            raise _refuse(UNKNOWN_PRACTICE)
        started, ended = _moment(raw["started_at"]), _moment(raw["ended_at"])
        if ended < started:
            raise _refuse(END_BEFORE_START)
        if ended - started > SESSION_MAX:
            raise _refuse(TOO_LONG)
        now = utcnow()
        if ended > now + PHONE_CLOCK_AHEAD:
            raise _refuse(IN_THE_FUTURE)
        if ended < now - BACKDATE_LIMIT:
            raise _refuse(TOO_OLD)
        seconds = _seconds(raw["seconds"])
        if seconds > (ended - started).total_seconds() + LENGTH_TOLERANCE_SECONDS:
            raise _refuse(BAD_SECONDS)
        ended_early = raw["ended_early"]
        if not isinstance(ended_early, bool):
            raise _refuse(BAD_ENDED_EARLY)
    except ProblemError as error:
        return None, {"form": error.problem}
    return SessionLog(key, found, started, ended, seconds, ended_early), {}


def _view(row: MindfulnessSession) -> SessionView:
    return SessionView(id=row.id, idempotency_key=row.idempotency_key, practice=row.practice,
                       started_at=row.started_at, ended_at=row.ended_at, seconds=row.seconds,
                       ended_early=row.ended_early, local_date=row.local_date)


def log_session(user_id: int, time_zone: str, raw: object) -> LogResult:
    """Store a finished session once per idempotency key.

    A resend with a key this patient already used returns the stored session
    (created=False): the first arrival is the session. A key used by anyone
    else is refused without saying more. The session counts on the patient's
    local day when it ended.
    """
    try:
        time_zone = check_time_zone(time_zone)
    except ProblemError as error:
        return LogResult(errors={"time_zone": error.problem})
    form, errors = parse_log(raw)
    if form is None:
        return LogResult(errors=errors)
    row = MindfulnessSession(
        user_id=user_id, idempotency_key=form.idempotency_key, practice=form.practice.key,
        started_at=form.started_at, ended_at=form.ended_at, seconds=form.seconds,
        ended_early=form.ended_early, local_date=local_date_of(form.ended_at, time_zone))
    for attempt in range(2):
        try:
            with db.transaction() as session:
                existing = session.execute(select(MindfulnessSession).where(
                    MindfulnessSession.idempotency_key == form.idempotency_key)
                ).scalars().first()
                if existing is not None:
                    if existing.user_id != user_id:
                        return LogResult(errors={"form": KEY_IN_USE})
                    return LogResult(session=_view(existing))
                session.add(row)
                session.flush()
                return LogResult(session=_view(row), created=True)
        except IntegrityError:
            # Two arrivals of the same key at once (PostgreSQL): the second try finds the first.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _check_range(start_date: date, end_date: date) -> None:
    if not 0 <= (end_date - start_date).days < LOG_DAYS_MAX:
        raise ProblemError("mind_log_days", high=LOG_DAYS_MAX)


def _in_range(user_id: int, start_date: date, end_date: date) -> tuple:
    return (MindfulnessSession.user_id == user_id,
            col(MindfulnessSession.local_date) >= start_date,
            col(MindfulnessSession.local_date) <= end_date)


def minutes_by_day(user_id: int, start_date: date, end_date: date) -> dict[date, float]:
    """Minutes of mindfulness on each local day from `start_date` to `end_date`
    inclusive (days without any left out)."""
    _check_range(start_date, end_date)
    with db.read() as session:
        rows = session.execute(
            select(MindfulnessSession.local_date, func.sum(MindfulnessSession.seconds))
            .where(*_in_range(user_id, start_date, end_date))
            .group_by(MindfulnessSession.local_date)).all()
    return {day: total / 60 for day, total in rows}


def minutes_by_practice(user_id: int, start_date: date, end_date: date) -> dict[str, float]:
    """Minutes of each practice (by key) over the local days from `start_date` to
    `end_date` inclusive (practices never done left out)."""
    _check_range(start_date, end_date)
    with db.read() as session:
        rows = session.execute(
            select(MindfulnessSession.practice, func.sum(MindfulnessSession.seconds))
            .where(*_in_range(user_id, start_date, end_date))
            .group_by(MindfulnessSession.practice)).all()
    return {key: total / 60 for key, total in rows}


def mindful_skills_by_day(user_id: int, start_date: date, end_date: date
                          ) -> dict[date, frozenset[str]]:
    """The skills of the sessions finished on each local day (days with none left out).

    `journal.daily_summaries` adds them to the diary card's "skills used".
    """
    _check_range(start_date, end_date)
    with db.read() as session:
        rows = session.execute(
            select(MindfulnessSession.local_date, MindfulnessSession.practice)
            .where(*_in_range(user_id, start_date, end_date))
            .group_by(MindfulnessSession.local_date, MindfulnessSession.practice)).all()
    by_day: dict[date, set[str]] = {}
    for day, key in rows:
        found = PRACTICES.get(key)
        if found is not None:
            by_day.setdefault(day, set()).update(found.skills)
    return {day: frozenset(skills) for day, skills in by_day.items()}
