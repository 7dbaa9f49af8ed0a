"""Guided practice: finished exercises, once per idempotency key; history, favourites,
the skills each day's practice counts, and today's plan.

A finished exercise is sent whole from the phone (the flow keeps it as a device
draft until the server confirms, like a diary card): its answers are checked
against the exercise's own steps, so nothing a browser invents is stored. It
counts its skills as used on the patient's local day when it was finished;
`journal.daily_summaries` adds those to the diary card's ticks, which is the one
answer to "which skills did this patient use on day D".
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from skills_app.core import db, exercises, risk
from skills_app.core.clock import PHONE_CLOCK_AHEAD, ensure_utc, utcnow
from skills_app.core.dates import local_date_of, week_start
from skills_app.core.exercises import TEXT_MAX, Exercise, Step
from skills_app.core.models import ExerciseFavourite, ExerciseSession
from skills_app.core.problems import Problem, ProblemError
from skills_app.core.schemas import (
    FieldErrors,
    check_time_zone,
    clean_text,
    idempotency_key,
)
from skills_app.text import N_

DISTRESS_MAX = 10
# "Did this help?": the stored value and its English words (shown through `_()`).
HELPED = {"yes": N_("Yes"), "some": N_("A little"), "no": N_("No")}
PLAN_SIZE = 3
# How far back the plan looks for what was practised.
PLAN_LOOKBACK = timedelta(days=28)
BACKDATE_LIMIT = timedelta(days=7)
HISTORY_DAYS_MAX = 366

# What went wrong, as facts (their sentences: skills_app/text/words/practice.py).
BAD_FORM = Problem("exercise_bad_form")
UNKNOWN_EXERCISE = Problem("unknown_exercise")
NOT_FOUND = Problem("practice_not_found")
KEY_IN_USE = BAD_FORM
DISTRESS_MESSAGE = Problem("distress_number", high=DISTRESS_MAX)
SCALE_MESSAGE = Problem("scale_number", high=DISTRESS_MAX)


@dataclass(frozen=True)
class FinishedView:
    """A finished exercise as the history shows it."""

    id: int
    exercise_id: str
    idempotency_key: str
    started_at: datetime | None
    finished_at: datetime
    time_zone: str
    local_date: date
    answers: dict[str, Any]
    distress_before: int | None
    distress_after: int | None
    helped: str | None

    @property
    def exercise(self) -> Exercise | None:
        return exercises.exercise(self.exercise_id)

    @property
    def minutes(self) -> int | None:
        if self.started_at is None:
            return None
        return max(1, round((self.finished_at - self.started_at).total_seconds() / 60))

    @property
    def message(self) -> str:
        """The message built from the answers (the DEAR MAN script), if it has one."""
        found = self.exercise
        return exercises.compose_message(found, self.answers) if found else ""


@dataclass(frozen=True)
class PracticeResult:
    finished: FinishedView | None = None
    created: bool = False
    errors: FieldErrors = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.finished is not None and not self.errors


# --- checking what a phone sends ---

def _refused(problem: Problem) -> ProblemError:
    return ProblemError(problem.code, **problem.params)


def _rating(value: object, problem: Problem) -> int | None:
    """0..10 from a number or its text; blank is None. Bools, NaN, 7.5 are refused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _refused(problem)
    if isinstance(value, str):
        text = value.strip()
        if not text.isdigit() or len(text) > 2:
            raise _refused(problem)
        value = int(text)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise _refused(problem)
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= DISTRESS_MAX:
        raise _refused(problem)
    return value


def _moment(value: object) -> datetime | None:
    """A time the phone sent, or None when it is missing, unreadable or unlikely."""
    if isinstance(value, str) and len(value) <= 40:
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return None
    moment = ensure_utc(value)
    now = utcnow()
    if moment > now + PHONE_CLOCK_AHEAD or moment < now - BACKDATE_LIMIT:
        return None
    return min(moment, now)


def _options(step: Step, value: object) -> list[str]:
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list) or len(value) > len(step.options) \
            or not all(isinstance(v, str) and v in step.options for v in value) \
            or len(set(value)) != len(value):
        raise ProblemError("pick_from_choices")
    return [option for option in step.options if option in value]  # in the step's order


def _answer(step: Step, value: object) -> object:
    """One answer checked against its step; None when left blank."""
    if step.input in TEXT_MAX:
        text = clean_text(value, label="answer", max_length=TEXT_MAX[step.input],
                          required=False, multiline=step.input == "long_text")
        return text or None
    if step.input == "choice":
        if value is None or value == "":
            return None
        if not isinstance(value, str) or value not in step.options:
            raise ProblemError("pick_one_choice")
        return value
    if step.input in ("multi_choice", "checklist"):
        picked = _options(step, value if value is not None else [])
        return picked or None
    if step.input == "scale":
        return _rating(value, SCALE_MESSAGE)
    return None


def check_answers(exercise: Exercise, raw: object) -> tuple[dict[str, Any], FieldErrors]:
    """The answers to `exercise`'s steps, keyed as its steps are. Unknown keys are
    refused; a step that is not optional must be answered (checklists excepted:
    ticking none is an answer)."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        return {}, {"answers": BAD_FORM}
    steps = {step.key: step for step in exercise.steps if step.asks}
    if set(raw) - set(steps):
        return {}, {"answers": BAD_FORM}
    answers: dict[str, Any] = {}
    errors: FieldErrors = {}
    for number, step in enumerate(exercise.steps, 1):
        if not step.asks:
            continue
        try:
            value = _answer(step, raw.get(step.key))
        except ProblemError as error:
            errors[f"answer_{step.key}"] = error.problem
            continue
        if value is None and not step.optional and step.input != "checklist":
            errors[f"answer_{step.key}"] = Problem("answer_step", step=number)
            continue
        if value is not None:
            answers[step.key] = value
    return answers, errors


@dataclass(frozen=True)
class FinishForm:
    idempotency_key: str
    exercise: Exercise
    answers: dict[str, Any]
    started_at: datetime | None
    finished_at: datetime | None
    distress_before: int | None
    distress_after: int | None
    helped: str | None


def parse_finish(raw: object) -> tuple[FinishForm | None, FieldErrors]:
    """A finished exercise as a phone sends it, checked whole: nothing half-saved."""
    if not isinstance(raw, Mapping):
        return None, {"form": BAD_FORM}
    errors: FieldErrors = {}
    try:
        key = idempotency_key(raw.get("idempotency_key"), BAD_FORM.code)
    except ValueError:
        return None, {"form": BAD_FORM}
    found = exercises.exercise(raw.get("exercise_id"))
    if found is None:
        return None, {"form": UNKNOWN_EXERCISE}
    answers, errors = check_answers(found, raw.get("answers"))
    ratings: dict[str, int | None] = {}
    for name in ("distress_before", "distress_after"):
        try:
            ratings[name] = _rating(raw.get(name), DISTRESS_MESSAGE)
        except ProblemError as error:
            errors[name] = error.problem
    helped = raw.get("helped")
    if helped in (None, ""):
        helped = None
    elif helped not in HELPED:
        errors["helped"] = Problem("pick_helped")
    if errors:
        return None, errors
    finished = _moment(raw.get("finished_at"))
    started = _moment(raw.get("started_at"))
    if started is not None and finished is not None and started > finished:
        started = None
    return FinishForm(key, found, answers, started, finished, ratings["distress_before"],
                      ratings["distress_after"], helped), {}


# --- storing and reading ---

def _view(row: ExerciseSession) -> FinishedView:
    return FinishedView(
        id=row.id, exercise_id=row.exercise_id, idempotency_key=row.idempotency_key,
        started_at=row.started_at, finished_at=row.finished_at, time_zone=row.time_zone,
        local_date=row.local_date, answers=dict(row.answers),
        distress_before=row.distress_before, distress_after=row.distress_after,
        helped=row.helped)


def finish_exercise(user_id: int, time_zone: str, raw: object) -> PracticeResult:
    """Store a finished exercise once per idempotency key.

    A resend with a key this patient already used returns the stored one
    (created=False), whatever it carries: the first arrival is the practice.
    A key used by anyone else is refused without saying more.
    """
    try:
        time_zone = check_time_zone(time_zone)
    except ProblemError as error:
        return PracticeResult(errors={"time_zone": error.problem})
    form, errors = parse_finish(raw)
    if form is None:
        return PracticeResult(errors=errors)
    finished_at = form.finished_at or utcnow()
    row = ExerciseSession(
        user_id=user_id, idempotency_key=form.idempotency_key, exercise_id=form.exercise.id,
        started_at=form.started_at, finished_at=finished_at, time_zone=time_zone,
        local_date=local_date_of(finished_at, time_zone), answers=form.answers,
        distress_before=form.distress_before, distress_after=form.distress_after,
        helped=form.helped)
    for attempt in range(2):
        try:
            with db.transaction() as session:
                existing = session.execute(select(ExerciseSession).where(
                    ExerciseSession.idempotency_key == form.idempotency_key)).scalars().first()
                if existing is not None:
                    if existing.user_id != user_id:
                        return PracticeResult(errors={"form": KEY_IN_USE})
                    return PracticeResult(finished=_view(existing))
                session.add(row)
                session.flush()
                return PracticeResult(finished=_view(row), created=True)
        except IntegrityError:
            # Two arrivals of the same key at once (PostgreSQL): the second
            # try finds the first.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _sessions(user_id: int) -> Any:
    return select(ExerciseSession).where(ExerciseSession.user_id == user_id)


def get_finished(user_id: int, finished_id: object) -> FinishedView | None:
    """One of this patient's finished exercises, or None for anything else."""
    pk = _id(finished_id)
    if pk is None:
        return None
    with db.read() as session:
        row = session.execute(_sessions(user_id).where(ExerciseSession.id == pk)).scalars().first()
        return _view(row) if row else None


def _id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 18:
        value = int(value.strip())
    return value if isinstance(value, int) and 0 < value < 2**63 else None


def delete_finished(user_id: int, finished_id: object) -> PracticeResult:
    """Delete one of the patient's own finished exercises (nobody else's)."""
    pk = _id(finished_id)
    if pk is None:
        return PracticeResult(errors={"form": NOT_FOUND})
    with db.transaction() as session:
        row = session.execute(_sessions(user_id).where(ExerciseSession.id == pk)).scalars().first()
        if row is None:
            return PracticeResult(errors={"form": NOT_FOUND})
        view = _view(row)
        session.delete(row)
    return PracticeResult(finished=view)


def history(user_id: int, first: date, last: date) -> list[FinishedView]:
    """Finished exercises from `first` to `last` (local days), newest first."""
    if not 0 <= (last - first).days < HISTORY_DAYS_MAX:
        raise ValueError(first, last)  # a caller's mistake: 1 to HISTORY_DAYS_MAX days
    with db.read() as session:
        rows = session.execute(_sessions(user_id).where(
            col(ExerciseSession.local_date) >= first, col(ExerciseSession.local_date) <= last,
        ).order_by(col(ExerciseSession.finished_at).desc(),
                   col(ExerciseSession.id).desc())).scalars().all()
        return [_view(row) for row in rows]


def _finished_by_day(user_id: int, first: date, last: date) -> list[tuple[date, str]]:
    """(local day, exercise id) once per pair, from SQL."""
    with db.read() as session:
        return [(row[0], row[1]) for row in session.execute(
            select(ExerciseSession.local_date, ExerciseSession.exercise_id).where(
                ExerciseSession.user_id == user_id,
                col(ExerciseSession.local_date) >= first,
                col(ExerciseSession.local_date) <= last,
            ).distinct()).all()]


def practised_skills_by_day(user_id: int, first: date, last: date) -> dict[date, frozenset[str]]:
    """The skills of the exercises finished on each local day (days with none left out).

    An exercise whose file has gone (content is never renamed, but a file may
    be retired) still counts nothing rather than failing.
    """
    by_day: dict[date, set[str]] = {}
    for day, exercise_id in _finished_by_day(user_id, first, last):
        found = exercises.exercise(exercise_id)
        if found is not None:
            by_day.setdefault(day, set()).update(found.skills)
    return {day: frozenset(skills) for day, skills in by_day.items()}


@dataclass(frozen=True)
class DayPractice:
    """Exercises finished on one local day, and their minutes (those with a known start)."""

    count: int
    minutes: int


def practice_by_day(user_id: int, first: date, last: date) -> dict[date, DayPractice]:
    """Finished exercises per local day from `first` to `last` (days with none left
    out), counted and timed in SQL."""
    seconds = db.seconds_between(ExerciseSession.started_at, ExerciseSession.finished_at)
    with db.read() as session:
        rows = session.execute(
            select(ExerciseSession.local_date, func.count(),
                   func.coalesce(func.sum(seconds), 0)).where(
                ExerciseSession.user_id == user_id,
                col(ExerciseSession.local_date) >= first,
                col(ExerciseSession.local_date) <= last,
            ).group_by(ExerciseSession.local_date)).all()
    return {day: DayPractice(count, round(float(total) / 60)) for day, count, total in rows}


def last_finished(user_id: int) -> dict[str, date]:
    """The last local day each exercise was finished, by exercise id."""
    with db.read() as session:
        return {row[0]: row[1] for row in session.execute(
            select(ExerciseSession.exercise_id, func.max(ExerciseSession.local_date)).where(
                ExerciseSession.user_id == user_id).group_by(ExerciseSession.exercise_id)
        ).all()}


def days_practised(user_id: int, first: date, last: date) -> int:
    """On how many local days from `first` to `last` the patient finished an exercise."""
    with db.read() as session:
        return session.execute(
            select(func.count(func.distinct(ExerciseSession.local_date))).where(
                ExerciseSession.user_id == user_id,
                col(ExerciseSession.local_date) >= first,
                col(ExerciseSession.local_date) <= last)).scalar_one()


# --- favourites ---

def favourites(user_id: int) -> frozenset[str]:
    with db.read() as session:
        return frozenset(session.execute(select(ExerciseFavourite.exercise_id).where(
            ExerciseFavourite.user_id == user_id)).scalars().all())


def set_favourite(user_id: int, exercise_id: object, starred: object) -> bool:
    """Star or unstar an exercise; False (nothing done) for an unknown one."""
    found = exercises.exercise(exercise_id)
    if found is None or not isinstance(starred, bool):
        return False
    with db.transaction() as session:
        session.execute(delete(ExerciseFavourite).where(
            ExerciseFavourite.user_id == user_id, ExerciseFavourite.exercise_id == found.id))
        if starred:
            session.add(ExerciseFavourite(user_id=user_id, exercise_id=found.id))
    return True


# --- today's plan ---

def _stable(*parts: object) -> int:
    """A number that depends only on its parts (not on the process, unlike hash())."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


# The day's strongest signal (`core/day_signal.py`: the first risk prompt of
# today's entries) puts these exercises first, in this order. Cravings and a
# slip: the relapse-prevention skills the craving card links. A suicide or
# self-harm prompt: crisis-survival skills with no caution about drinking or
# using (TIP's cold water is left out). Other signals keep the usual plan.
_RECOVERY_SKILLS = ("urge-surfing", "halt-check", "play-the-tape-through")
_CRISIS_SURVIVAL = ("stop", "paced-breathing", "self-soothe")
SIGNAL_EXERCISES: dict[risk.Prompt, tuple[str, ...]] = {
    risk.Prompt.ACTED: _CRISIS_SURVIVAL,
    risk.Prompt.CRISIS: _CRISIS_SURVIVAL,
    risk.Prompt.ACTED_EARLIER: _CRISIS_SURVIVAL,
    risk.Prompt.SLIP: _RECOVERY_SKILLS,
    risk.Prompt.CRAVING: _RECOVERY_SKILLS,
}


def plan_for(user_id: int, day: date, last_practised: Mapping[str, date],
             finished_today: Iterable[str],
             choices: Sequence[Exercise] | None = None, *,
             signal: risk.Prompt | None = None) -> tuple[Exercise, ...]:
    """Today's 1-3 exercises: one rule for every screen.

    - The day's strongest signal comes first: after a craving, urge surfing,
      HALT and play the tape through lead the plan (`SIGNAL_EXERCISES`).
    - An exercise finished today leaves the plan (the next one moves up).
    - Skills not practised recently come first: an exercise ranks by the most
      recent day any of its skills was practised (never practised = oldest).
    - Modules mix across the week: each day starts from a different module,
      and the plan takes at most one exercise per module while it can.
    - Ties break by a number fixed for this patient, day and exercise, so the
      plan is the same all day, and differs from day to day.
    (What a therapist assigned comes first on Today, in its own card above this plan:
    core/homework.py, pages/homework.py.)
    """
    pool = list(choices if choices is not None else exercises.all_exercises())
    done = set(finished_today)
    pool = [e for e in pool if e.id not in done]
    modules = sorted({e.module for e in pool})
    if not pool:
        return ()
    offset = day.toordinal() % len(modules)
    module_rank = {m: (i - offset) % len(modules) for i, m in enumerate(modules)}
    never = date.min

    def recency(exercise: Exercise) -> date:
        return max((last_practised.get(skill, never) for skill in exercise.skills),
                   default=never)

    ranked = sorted(pool, key=lambda e: (recency(e), module_rank[e.module],
                                         _stable(user_id, day.isoformat(), e.id)))
    by_id = {e.id: e for e in pool}
    plan = [by_id[exercise_id] for exercise_id in SIGNAL_EXERCISES.get(signal, ())
            if exercise_id in by_id][:PLAN_SIZE]
    for exercise in ranked:  # one per module first
        if len(plan) < PLAN_SIZE and all(p.module != exercise.module for p in plan):
            plan.append(exercise)
    for exercise in ranked:  # then fill up if there are fewer modules than places
        if len(plan) < PLAN_SIZE and exercise not in plan:
            plan.append(exercise)
    return tuple(plan)


def todays_plan(user_id: int, time_zone: str,
                signal: risk.Prompt | None = None) -> tuple[Exercise, ...]:
    """`plan_for` this patient's local today and the day's strongest signal. What
    was practised before today ranks the plan; what is finished today only leaves
    it, so the plan holds all day (until a diary card changes the signal)."""
    today = local_date_of(utcnow(), time_zone)
    last_practised: dict[str, date] = {}
    for day, skills in practised_skills_by_day(
            user_id, today - PLAN_LOOKBACK, today - timedelta(days=1)).items():
        for skill in skills:
            last_practised[skill] = max(day, last_practised.get(skill, date.min))
    finished_today = {exercise_id for _, exercise_id in _finished_by_day(user_id, today, today)}
    return plan_for(user_id, today, last_practised, finished_today, signal=signal)


def this_week_count(user_id: int, time_zone: str) -> int:
    today = local_date_of(utcnow(), time_zone)
    return days_practised(user_id, week_start(today), today)
