"""Homework: what a therapist asks a patient to practise between sessions, when it is
due, and whether it was done.

- A therapist assigns (`assign`) to a patient who shares with them: an
  exercise (one row per exercise when several are chosen), a mindfulness
  practice of some minutes, the diary card, a check-up, or reading the
  safety or relapse plan; once (by a due day), daily, on chosen weekdays or
  N times a week, from a start day until an end day (or until ended).
  Assigning needs an active program membership and an active grant from the
  patient; the assignment belongs to the grant's program.
- Days are always the patient's own (`User.time_zone`); weeks run Monday to
  Sunday in that zone.
- Done is what the patient already records, never a second way to finish: a
  finished exercise (`ExerciseSession`), mindfulness sessions that day adding
  up to the minutes, a diary card (`JournalEntry`, kind "diary", not deleted),
  a check-up (`MeasureResult`), a plan review (`PlanReview`).
- "Not for me this week" (`skip_week`) takes that week out of what is due.
- Only the assigning therapist (still sharing with, still active) or an admin
  of the assignment's program may end it; every refusal writes an audit row
  and changes nothing.

How a week is counted ("due so far", Monday through the patient's today):
once: 1 in the week of its due day once its start day has come; daily and
weekdays: each asked day through today; per_week N: N for the week (fewer
when the assignment covers fewer days of it). Done never exceeds due; a
skipped week counts as neither.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import col

from skills_app.core import audit, db, exercises, mindfulness
from skills_app.core.clock import utcnow
from skills_app.core.dates import local_date_of, local_today, week_days, week_start
from skills_app.core.models import (
    Assignment,
    AssignmentSkip,
    ExerciseSession,
    JournalEntry,
    MeasureResult,
    MindfulnessSession,
    PlanReview,
    ProgramMember,
    ProgramRole,
    Role,
    ShareGrant,
    User,
)
from skills_app.core.problems import FieldProblems, Problem, ProblemError
from skills_app.core.programs import active_membership
from skills_app.core.schemas import clean_text, idempotency_key
from skills_app.core.sharing import patient_id_or_zero, shared_parts
from skills_app.text import N_

KINDS = ("exercise", "mindfulness", "diary_card", "checkup", "plan_review")
REPEATS = ("once", "daily", "weekdays", "per_week")
CHECKUPS = ("phq9", "gad7")
PLAN_KINDS = ("safety", "relapse")
NOTE_MAX = 200
REASON_MAX = 200
MINUTES = (1, 120)
EXERCISES_MAX = 10
# How far ahead a start day may be, and how long an assignment may run.
START_AHEAD_MAX = timedelta(days=366)
LENGTH_MAX = timedelta(days=366)
HISTORY_DAYS_MAX = 400

# The category whose sharing shows a completion in full (with its answers,
# helped? and distress); "homework" alone shows done / not done.
FULL_CATEGORY = {"exercise": "exercises", "mindfulness": "mindfulness", "diary_card": "mood",
                 "checkup": "measures", "plan_review": "safety_plan"}
HOMEWORK_CATEGORY = "homework"

# What went wrong, as facts (their sentences: skills_app/text/words/homework.py).
BAD_FORM = Problem("homework_bad_form")
NOT_ALLOWED = Problem("homework_not_allowed")
NOT_FOUND = Problem("homework_not_found")
PICK_KIND = Problem("homework_pick_kind")
PICK_EXERCISE = Problem("homework_pick_exercise")
PICK_PRACTICE = Problem("homework_pick_practice")
PICK_CHECKUP = Problem("homework_pick_checkup")
PICK_PLAN = Problem("homework_pick_plan")
PICK_REPEAT = Problem("homework_pick_repeat")
PICK_WEEKDAYS = Problem("homework_pick_weekdays")
MINUTES_RANGE = Problem("homework_minutes", low=MINUTES[0], high=MINUTES[1])
TIMES_RANGE = Problem("homework_times_per_week", low=1, high=7)
BAD_DAY = Problem("homework_bad_day")
START_PAST = Problem("homework_start_past")
START_FAR = Problem("homework_start_far")
DUE_DAY_NEEDED = Problem("homework_due_day_needed")
END_BEFORE_START = Problem("homework_end_before_start")
TOO_LONG = Problem("homework_too_long")

# What the patient's week view and Today call each kind (English; shown with `_()`).
KIND_LABELS = {"exercise": N_("Exercise"), "mindfulness": N_("Mindfulness"),
               "diary_card": N_("Diary card"), "checkup": N_("Check-up"),
               "plan_review": N_("Read your plan")}


# --- what the screens get ---------------------------------------------------------

@dataclass(frozen=True)
class DayMark:
    """One day of an assignment's week: asked for that day, and done that day."""

    day: date
    due: bool
    done: bool


@dataclass(frozen=True)
class Asked:
    """What a therapist asked (an assignment's own fields)."""

    id: int
    kind: str
    target: str
    minutes: int | None
    repeat: str
    weekdays: tuple[int, ...]
    times_per_week: int | None
    note: str
    assigned_by_name: str
    start_day: date
    end_day: date | None


@dataclass(frozen=True)
class AssignmentWeek(Asked):
    """One assignment in one of the patient's weeks."""

    days: tuple[DayMark, ...]
    # Due so far this week (through today) and done of those; 0 and 0 when skipped.
    due: int
    done: int
    skipped: bool
    skip_reason: str
    due_today: bool
    done_today: bool
    # The last day it is asked for: its end day, or the day before it was ended.
    last_day: date | None = None
    week_start: date | None = None


@dataclass(frozen=True)
class WeekCount:
    done: int
    due: int
    skipped: int


@dataclass(frozen=True)
class ExerciseCompletion:
    """A finished exercise that counted for an assignment, with what the patient said."""

    day: date
    helped: str | None
    distress_before: int | None
    distress_after: int | None


@dataclass(frozen=True)
class AssignmentHistory(Asked):
    """One assignment over a period: what was asked and what was done."""

    ended_on: date | None
    # Asked days in the period (once: its due day; per_week: none, see `weeks`).
    due_days: tuple[date, ...]
    # Days in the period with a completion that counts for it.
    done_days: tuple[date, ...]
    # (Monday, reason) of each skipped week in the period.
    skipped_weeks: tuple[tuple[date, str], ...]
    # (Monday, count) of each week of the period (the whole week, not "so far").
    weeks: tuple[tuple[date, WeekCount], ...]
    completions: tuple[ExerciseCompletion, ...] = field(default=())


def completion_visibility(kind: str, categories: frozenset[str]) -> str:
    """How much of a completion of `kind` a therapist with these shared categories sees:
    "full" (the matching category: for an exercise its helped? and distress too),
    "done_only" (only "homework": done or not done), or "none"."""
    if FULL_CATEGORY.get(kind) in categories:
        return "full"
    if HOMEWORK_CATEGORY in categories:
        return "done_only"
    return "none"


# --- checking a form -------------------------------------------------------------

def _whole(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii() or not value.isdigit() or len(value) > 4:
            return None
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and low <= value <= high else None


def _day(value: object) -> date | None:
    """A day as a browser sends it (ISO text) or as Python passes it; None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        raise ProblemError(BAD_DAY.code)
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) <= 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ProblemError(BAD_DAY.code)


def _weekdays(value: object) -> tuple[int, ...] | None:
    if isinstance(value, str | int):
        value = [value]
    if not isinstance(value, list | tuple) or not value or len(value) > 7:
        return None
    days = [_whole(v, 0, 6) for v in value]
    if any(d is None for d in days) or len(set(days)) != len(days):
        return None
    return tuple(sorted(days))  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Plan:
    """A checked assignment form (before it is stored)."""

    key: str
    kind: str
    targets: tuple[str, ...]
    minutes: int | None
    repeat: str
    weekdays: tuple[int, ...]
    times_per_week: int | None
    start_day: date
    end_day: date | None
    note: str


def _targets(kind: str, form: Mapping[str, object], errors: FieldProblems) -> tuple[str, ...]:
    raw = form.get("target")
    if kind == "exercise":
        picked = form.get("exercises", raw)
        if isinstance(picked, str):
            picked = [picked] if picked else []
        if not isinstance(picked, list | tuple) or not picked or len(picked) > EXERCISES_MAX \
                or not all(exercises.exercise(e) is not None for e in picked):
            errors["target"] = PICK_EXERCISE
            return ()
        return tuple(dict.fromkeys(picked))  # type: ignore[arg-type]
    if kind == "mindfulness":
        if raw in (None, ""):
            return ("",)
        if mindfulness.practice(raw) is None:
            errors["target"] = PICK_PRACTICE
            return ()
        return (raw,)  # type: ignore[return-value]
    if kind == "checkup":
        if raw not in CHECKUPS:
            errors["target"] = PICK_CHECKUP
            return ()
        return (raw,)  # type: ignore[return-value]
    if kind == "plan_review":
        if raw not in PLAN_KINDS:
            errors["target"] = PICK_PLAN
            return ()
        return (raw,)  # type: ignore[return-value]
    return ("",)


def parse_assignment(form: object, today: date) -> tuple[_Plan | None, FieldProblems]:
    """An assignment form checked whole against the patient's `today`; never raises."""
    if not isinstance(form, Mapping):
        return None, {"form": BAD_FORM}
    try:
        key = idempotency_key(form.get("idempotency_key"), BAD_FORM.code)
    except ValueError:
        return None, {"form": BAD_FORM}
    errors: FieldProblems = {}
    kind = form.get("kind")
    if kind not in KINDS:
        return None, {"kind": PICK_KIND}
    targets = _targets(kind, form, errors)
    minutes = None
    if kind == "mindfulness":
        minutes = _whole(form.get("minutes"), *MINUTES)
        if minutes is None:
            errors["minutes"] = MINUTES_RANGE
    repeat = form.get("repeat")
    weekdays: tuple[int, ...] = ()
    times = None
    if repeat not in REPEATS:
        errors["repeat"] = PICK_REPEAT
    elif repeat == "weekdays":
        weekdays = _weekdays(form.get("weekdays")) or ()
        if not weekdays:
            errors["weekdays"] = PICK_WEEKDAYS
    elif repeat == "per_week":
        times = _whole(form.get("times_per_week"), 1, 7)
        if times is None:
            errors["times_per_week"] = TIMES_RANGE
    start = end = None
    try:
        start = _day(form.get("start_day")) or today
    except ProblemError as error:
        errors["start_day"] = error.problem
    try:
        end = _day(form.get("end_day"))
    except ProblemError as error:
        errors["end_day"] = error.problem
    if start is not None:
        if start < today:
            errors["start_day"] = START_PAST
        elif start > today + START_AHEAD_MAX:
            errors["start_day"] = START_FAR
    if "end_day" not in errors:
        if repeat == "once" and end is None:
            errors["end_day"] = DUE_DAY_NEEDED
        elif start is not None and end is not None:
            if end < start:
                errors["end_day"] = END_BEFORE_START
            elif end - start > LENGTH_MAX:
                errors["end_day"] = TOO_LONG
    try:
        note = clean_text(form.get("note"), label=N_("note"), max_length=NOTE_MAX,
                          required=False, multiline=True)
    except ProblemError as error:
        errors["note"] = error.problem
        note = ""
    if errors:
        return None, errors
    return _Plan(key, kind, targets, minutes, repeat, weekdays, times, start, end,  # type: ignore[arg-type]
                 note), {}


# --- who may do what ---------------------------------------------------------------

def _granting_program(session: db.Session, therapist_id: int, patient_id: int,
                      now: datetime) -> int | None:
    """The program of the patient's active grant to this (active) therapist, if any."""
    row = session.execute(
        select(ShareGrant.program_id, ShareGrant.categories, ShareGrant.consent_version)
        .join(ProgramMember, (ProgramMember.program_id == ShareGrant.program_id)
              & (ProgramMember.user_id == ShareGrant.therapist_id))
        .where(ShareGrant.therapist_id == therapist_id, ShareGrant.patient_id == patient_id,
               ShareGrant.revoked_at.is_(None), ShareGrant.expires_at > now,
               ProgramMember.active.is_(True))
        .order_by(ShareGrant.signed_at.desc())).first()
    if row is None or not shared_parts(row[1], row[2]):
        return None
    return row[0]


def _refuse(session: db.Session, actor_id: int, patient_id: int | None, action: str,
            reason: str, now: datetime) -> None:
    audit.record(session, actor_id=actor_id, patient_id=patient_id, action=action,
                 allowed=False, reason=reason, at=now)


def _row_keys(key: str, count: int) -> list[str]:
    """One idempotency key per stored row: the form's own, then keys made from it."""
    base = uuid.UUID(key)
    return [key] + [str(uuid.uuid5(base, str(n))) for n in range(1, count)]


def assign(therapist_id: int, raw_patient_id: object,
           form: Mapping[str, object]) -> tuple[list[int], dict[str, Problem]]:
    """Store an assignment (one row per chosen exercise); (their ids, {}) when stored or
    already stored with this form's key, else ([], what to fix). Audited "assign"."""
    now = utcnow()
    patient_id = patient_id_or_zero(raw_patient_id) or None
    with db.transaction() as session:
        patient = session.get(User, patient_id) if patient_id else None
        if patient is None or patient.role != Role.PATIENT:
            _refuse(session, therapist_id, None, "assign", "unknown_patient", now)
            return [], {"form": NOT_ALLOWED}
        if active_membership(session, therapist_id) is None:
            _refuse(session, therapist_id, patient.id, "assign", "inactive", now)
            return [], {"form": NOT_ALLOWED}
        program_id = _granting_program(session, therapist_id, patient.id, now)
        if program_id is None:
            _refuse(session, therapist_id, patient.id, "assign", "no_grant", now)
            return [], {"form": NOT_ALLOWED}
        plan, errors = parse_assignment(form, local_date_of(now, patient.time_zone))
        if plan is None:
            return [], errors
        keys = _row_keys(plan.key, len(plan.targets))
        existing = session.execute(select(Assignment).where(
            col(Assignment.idempotency_key).in_(keys))).scalars().all()
        if existing:
            if any(row.patient_id != patient.id or row.assigned_by != therapist_id
                   for row in existing):
                return [], {"form": BAD_FORM}
            return sorted(row.id for row in existing), {}
        therapist_name = session.get(User, therapist_id).display_name
        rows = [Assignment(
            patient_id=patient.id, program_id=program_id, assigned_by=therapist_id,
            assigned_by_name=therapist_name, idempotency_key=row_key, kind=plan.kind,
            target=target, minutes=plan.minutes, repeat=plan.repeat,
            weekdays=list(plan.weekdays), times_per_week=plan.times_per_week,
            start_day=plan.start_day, end_day=plan.end_day, note=plan.note,
            created_at=now, updated_at=now)
            for row_key, target in zip(keys, plan.targets, strict=True)]
        session.add_all(rows)
        session.flush()
        audit.record(session, actor_id=therapist_id, patient_id=patient.id, action="assign",
                     allowed=True, at=now)
        return [row.id for row in rows], {}


def _may_change(session: db.Session, actor_id: int, assignment: Assignment,
                now: datetime) -> str:
    """"" when this account may end or change the assignment, else the audit's reason."""
    membership = active_membership(session, actor_id)
    if membership is None:
        return "inactive"
    if membership.program_id != assignment.program_id:
        return "other_program"
    if membership.role == ProgramRole.ADMIN:
        return ""
    if actor_id != assignment.assigned_by:
        return "not_assigner"
    if _granting_program(session, actor_id, assignment.patient_id, now) is None:
        return "no_grant"
    return ""


def end_assignment(actor_id: int, raw_assignment_id: object) -> Problem | None:
    """Stop an assignment from today on (the assigning therapist, still shared with,
    or an admin of its program); None when done or already ended. Audited."""
    now = utcnow()
    assignment_id = patient_id_or_zero(raw_assignment_id)
    with db.transaction() as session:
        assignment = session.get(Assignment, assignment_id) if assignment_id else None
        if assignment is None:
            _refuse(session, actor_id, None, "homework_end", "unknown_assignment", now)
            return NOT_FOUND
        reason = _may_change(session, actor_id, assignment, now)
        if reason:
            _refuse(session, actor_id, assignment.patient_id, "homework_end", reason, now)
            return NOT_ALLOWED
        if assignment.ended_at is None:
            assignment.ended_at = now
            assignment.updated_at = now
            assignment.version += 1
            session.add(assignment)
        audit.record(session, actor_id=actor_id, patient_id=assignment.patient_id,
                     action="homework_end", allowed=True, at=now)
    return None


def change_note(actor_id: int, raw_assignment_id: object, raw_note: object) -> Problem | None:
    """A new note on an assignment (the same people as `end_assignment`). Audited."""
    now = utcnow()
    assignment_id = patient_id_or_zero(raw_assignment_id)
    try:
        note = clean_text(raw_note, label=N_("note"), max_length=NOTE_MAX, required=False,
                          multiline=True)
    except ProblemError as error:
        return error.problem
    with db.transaction() as session:
        assignment = session.get(Assignment, assignment_id) if assignment_id else None
        if assignment is None:
            _refuse(session, actor_id, None, "homework_change", "unknown_assignment", now)
            return NOT_FOUND
        reason = _may_change(session, actor_id, assignment, now)
        if reason:
            _refuse(session, actor_id, assignment.patient_id, "homework_change", reason, now)
            return NOT_ALLOWED
        assignment.note, assignment.updated_at = note, now
        assignment.version += 1
        session.add(assignment)
        audit.record(session, actor_id=actor_id, patient_id=assignment.patient_id,
                     action="homework_change", allowed=True, at=now)
    return None


# --- the patient's "not for me this week" ----------------------------------------

def _own(session: db.Session, patient_id: int, raw_assignment_id: object) -> Assignment | None:
    assignment_id = patient_id_or_zero(raw_assignment_id)
    assignment = session.get(Assignment, assignment_id) if assignment_id else None
    return assignment if assignment is not None and assignment.patient_id == patient_id \
        else None


def _patient_today(session: db.Session, patient_id: int) -> date:
    zone = session.execute(select(User.time_zone).where(User.id == patient_id)).scalar_one()
    return local_date_of(utcnow(), zone)


def skip_week(patient_id: int, raw_assignment_id: object, reason: object) -> Problem | None:
    """Mark one of the patient's own assignments "not for me this week" (their week),
    with an optional reason; again, the reason is replaced."""
    try:
        reason = clean_text(reason, label=N_("reason"), max_length=REASON_MAX,
                            required=False, multiline=True)
    except ProblemError as error:
        return error.problem
    with db.transaction() as session:
        assignment = _own(session, patient_id, raw_assignment_id)
        if assignment is None:
            return NOT_FOUND
        monday = week_start(_patient_today(session, patient_id))
        skip = session.execute(select(AssignmentSkip).where(
            AssignmentSkip.assignment_id == assignment.id,
            AssignmentSkip.week_start == monday)).scalars().first()
        if skip is None:
            skip = AssignmentSkip(assignment_id=assignment.id, patient_id=patient_id,
                                  week_start=monday)
        skip.reason = reason
        session.add(skip)
    return None


def unskip_week(patient_id: int, raw_assignment_id: object) -> Problem | None:
    """Undo this week's "not for me this week" on one of the patient's assignments."""
    with db.transaction() as session:
        assignment = _own(session, patient_id, raw_assignment_id)
        if assignment is None:
            return NOT_FOUND
        monday = week_start(_patient_today(session, patient_id))
        skip = session.execute(select(AssignmentSkip).where(
            AssignmentSkip.assignment_id == assignment.id,
            AssignmentSkip.week_start == monday)).scalars().first()
        if skip is not None:
            session.delete(skip)
    return None


# --- completions: what the patient already records ---------------------------------

@dataclass
class _Done:
    """Everything recorded by some patients over some days that homework counts."""

    exercises: dict[tuple[int, str], dict[date, list[ExerciseCompletion]]] = field(
        default_factory=dict)
    # (patient, practice) -> day -> seconds
    mindful: dict[tuple[int, str], dict[date, int]] = field(default_factory=dict)
    diary: dict[int, set[date]] = field(default_factory=dict)
    checkups: dict[tuple[int, str], set[date]] = field(default_factory=dict)
    reviews: dict[tuple[int, str], set[date]] = field(default_factory=dict)

    def days(self, row: Assignment) -> set[date]:
        """The days with a completion that counts for this assignment."""
        who = row.patient_id
        if row.kind == "exercise":
            return set(self.exercises.get((who, row.target), {}))
        if row.kind == "mindfulness":
            totals: dict[date, int] = {}
            for (patient, practice), by_day in self.mindful.items():
                if patient == who and (not row.target or practice == row.target):
                    for day, seconds in by_day.items():
                        totals[day] = totals.get(day, 0) + seconds
            needed = (row.minutes or 1) * 60 - mindfulness.LENGTH_TOLERANCE_SECONDS
            return {day for day, seconds in totals.items() if seconds >= needed}
        if row.kind == "diary_card":
            return set(self.diary.get(who, ()))
        if row.kind == "checkup":
            return set(self.checkups.get((who, row.target), ()))
        if row.kind == "plan_review":
            return set(self.reviews.get((who, row.target), ()))
        return set()


def _completions(session: db.Session, patient_ids: Collection[int], first: date,
                 last: date, kinds: Collection[str] = KINDS) -> _Done:
    """One query per kind, for every patient at once."""
    done = _Done()
    if not patient_ids:
        return done
    ids = list(patient_ids)
    if "exercise" in kinds:
        for who, exercise_id, day, helped, before, after in session.execute(
                select(ExerciseSession.user_id, ExerciseSession.exercise_id,
                       ExerciseSession.local_date, ExerciseSession.helped,
                       ExerciseSession.distress_before, ExerciseSession.distress_after)
                .where(col(ExerciseSession.user_id).in_(ids),
                       col(ExerciseSession.local_date) >= first,
                       col(ExerciseSession.local_date) <= last)
                .order_by(ExerciseSession.finished_at)):
            done.exercises.setdefault((who, exercise_id), {}).setdefault(day, []).append(
                ExerciseCompletion(day, helped, before, after))
    if "mindfulness" in kinds:
        for who, practice, day, seconds in session.execute(
                select(MindfulnessSession.user_id, MindfulnessSession.practice,
                       MindfulnessSession.local_date, func.sum(MindfulnessSession.seconds))
                .where(col(MindfulnessSession.user_id).in_(ids),
                       col(MindfulnessSession.local_date) >= first,
                       col(MindfulnessSession.local_date) <= last)
                .group_by(MindfulnessSession.user_id, MindfulnessSession.practice,
                          MindfulnessSession.local_date)):
            done.mindful.setdefault((who, practice), {})[day] = int(seconds or 0)
    if "diary_card" in kinds:
        for who, day in session.execute(
                select(JournalEntry.user_id, JournalEntry.local_date).distinct()
                .where(col(JournalEntry.user_id).in_(ids), JournalEntry.kind == "diary",
                       col(JournalEntry.deleted_at).is_(None),
                       col(JournalEntry.local_date) >= first,
                       col(JournalEntry.local_date) <= last)):
            done.diary.setdefault(who, set()).add(day)
    if "checkup" in kinds:
        for who, questionnaire, day in session.execute(
                select(MeasureResult.user_id, MeasureResult.questionnaire,
                       MeasureResult.local_date).distinct()
                .where(col(MeasureResult.user_id).in_(ids),
                       col(MeasureResult.local_date) >= first,
                       col(MeasureResult.local_date) <= last)):
            done.checkups.setdefault((who, questionnaire), set()).add(day)
    if "plan_review" in kinds:
        for who, kind, day in session.execute(
                select(PlanReview.user_id, PlanReview.kind, PlanReview.local_date).distinct()
                .where(col(PlanReview.user_id).in_(ids),
                       col(PlanReview.local_date) >= first,
                       col(PlanReview.local_date) <= last)):
            done.reviews.setdefault((who, kind), set()).add(day)
    return done


# --- the rules of a week -------------------------------------------------------------

def last_asked_day(row: Assignment, time_zone: str) -> date | None:
    """The last day the assignment is asked for: its end day, or the day before the
    therapist ended it (the patient's day); None while it runs on."""
    last = row.end_day
    if row.ended_at is not None:
        ended = local_date_of(row.ended_at, time_zone) - timedelta(days=1)
        last = ended if last is None else min(last, ended)
    return last


def _in_window(row: Assignment, day: date, last: date | None) -> bool:
    return row.start_day <= day and (last is None or day <= last)


def _asked_on(row: Assignment, day: date, last: date | None) -> bool:
    """Whether `day` is a day this assignment names (once: its due day)."""
    if not _in_window(row, day, last):
        return False
    if row.repeat == "once":
        return day == row.end_day
    if row.repeat == "daily":
        return True
    if row.repeat == "weekdays":
        return day.weekday() in row.weekdays
    return False


def _count_week(row: Assignment, monday: date, through: date, last: date | None,
                done_days: set[date]) -> tuple[int, int]:
    """(due, done) of one assignment in the week starting `monday`, days through
    `through` (the patient's today, or Sunday for a whole past week)."""
    if through < monday or row.start_day > through:
        return 0, 0  # a week to come, or one before it started
    days = [d for d in week_days(monday) if d <= through]
    if row.repeat == "once":
        due_day = row.end_day
        if due_day is None or week_start(due_day) != monday:
            return 0, 0
        done = any(_in_window(row, d, last) and d <= through for d in done_days)
        if last is not None and last < due_day and not done:
            return 0, 0  # ended before its day: no longer asked
        return 1, int(done)
    if row.repeat == "per_week":
        covered = sum(1 for d in week_days(monday) if _in_window(row, d, last))
        if not covered:
            return 0, 0
        due = min(row.times_per_week or 1, covered)
        done = sum(1 for d in days if d in done_days and _in_window(row, d, last))
        return due, min(done, due)
    asked = [d for d in days if _asked_on(row, d, last)]
    return len(asked), sum(1 for d in asked if d in done_days)


def _active_in(row: Assignment, first: date, last_day: date, last: date | None) -> bool:
    return row.start_day <= last_day and (last is None or last >= first) \
        and (last is None or last >= row.start_day)


def _asked(row: Assignment) -> dict[str, object]:
    return {"id": row.id, "kind": row.kind, "target": row.target, "minutes": row.minutes,
            "repeat": row.repeat, "weekdays": tuple(row.weekdays),
            "times_per_week": row.times_per_week, "note": row.note,
            "assigned_by_name": row.assigned_by_name, "start_day": row.start_day,
            "end_day": row.end_day}


def _week_of(row: Assignment, monday: date, today: date, time_zone: str,
             done_days: set[date], skip: AssignmentSkip | None) -> AssignmentWeek:
    last = last_asked_day(row, time_zone)
    through = min(today, monday + timedelta(days=6))
    skipped = skip is not None
    due, done = (0, 0) if skipped else _count_week(row, monday, through, last, done_days)
    marks = tuple(DayMark(d, _asked_on(row, d, last),
                          d in done_days and _in_window(row, d, last))
                  for d in week_days(monday))
    in_week = week_start(today) == monday
    due_today = False
    if in_week and not skipped and _in_window(row, today, last):
        before = {d for d in done_days if d < today and _in_window(row, d, last)}
        if row.repeat == "once":
            due_today = not before
        elif row.repeat == "per_week":
            due_today = len({d for d in before if d >= monday}) < (row.times_per_week or 1)
        else:
            due_today = _asked_on(row, today, last)
    return AssignmentWeek(
        **_asked(row), days=marks, due=due, done=done, skipped=skipped,
        skip_reason=skip.reason if skip else "", due_today=due_today,
        done_today=due_today and today in done_days, last_day=last, week_start=monday)


def _assignments(session: db.Session, patient_ids: Collection[int], first: date,
                 last: date) -> list[Assignment]:
    """Assignments of these patients that may touch [first, last] (ended ones included:
    the days before they ended still count)."""
    if not patient_ids:
        return []
    return list(session.execute(select(Assignment).where(
        col(Assignment.patient_id).in_(list(patient_ids)),
        col(Assignment.start_day) <= last,
        (col(Assignment.end_day).is_(None)) | (col(Assignment.end_day) >= first))
        .order_by(Assignment.start_day, Assignment.id)).scalars().all())


def _skips(session: db.Session, assignment_ids: Collection[int], first: date,
           last: date) -> dict[tuple[int, date], AssignmentSkip]:
    if not assignment_ids:
        return {}
    return {(s.assignment_id, s.week_start): s for s in session.execute(
        select(AssignmentSkip).where(
            col(AssignmentSkip.assignment_id).in_(list(assignment_ids)),
            col(AssignmentSkip.week_start) >= week_start(first),
            col(AssignmentSkip.week_start) <= last)).scalars().all()}


def _week_rows(session: db.Session, patient_id: int, monday: date,
               today: date, time_zone: str) -> list[AssignmentWeek]:
    sunday = monday + timedelta(days=6)
    rows = [row for row in _assignments(session, [patient_id], monday, sunday)
            if _active_in(row, monday, sunday, last_asked_day(row, time_zone))]
    kinds = {row.kind for row in rows}
    # A "once" can be done on any day of its window, which may begin before this week.
    first = min([monday] + [row.start_day for row in rows if row.repeat == "once"])
    done = _completions(session, [patient_id], first, sunday, kinds)
    skips = _skips(session, [row.id for row in rows], monday, monday)
    return [_week_of(row, monday, today, time_zone, done.days(row), skips.get((row.id, monday)))
            for row in rows]


def patient_week(patient_id: int, week_start_day: date | None = None) -> list[AssignmentWeek]:
    """The patient's assignments in one of their weeks (default: this week), in the
    order they were given."""
    with db.read() as session:
        zone = session.execute(select(User.time_zone).where(User.id == patient_id)
                            ).scalar_one_or_none()
        if zone is None:
            return []
        today = local_date_of(utcnow(), zone)
        monday = week_start(week_start_day or today)
        return _week_rows(session, patient_id, monday, today, zone)


def today_items(patient_id: int) -> list[AssignmentWeek]:
    """What the patient's Today shows: this week's assignments due today (done today
    or not)."""
    return [item for item in patient_week(patient_id) if item.due_today]


def week_counts(session: db.Session, patient_ids: Iterable[int],
                today_by_patient: Mapping[int, date]) -> dict[int, WeekCount]:
    """Each patient's homework this week so far (Monday through their today), in a fixed
    number of queries whatever the number of patients. Patients with no assignment
    this week get WeekCount(0, 0, 0)."""
    ids = [p for p in patient_ids if p in today_by_patient]
    result = {p: WeekCount(0, 0, 0) for p in ids}
    if not ids:
        return result
    firsts = {p: week_start(today_by_patient[p]) for p in ids}
    first, last = min(firsts.values()), max(today_by_patient[p] for p in ids)
    zones = dict(session.execute(select(User.id, User.time_zone).where(
        col(User.id).in_(ids))).all())
    rows = _assignments(session, ids, first, last)
    once_first = min([first] + [row.start_day for row in rows if row.repeat == "once"])
    done = _completions(session, ids, once_first, last, {row.kind for row in rows})
    skips = _skips(session, [row.id for row in rows], first, last)
    totals: dict[int, list[int]] = {p: [0, 0, 0] for p in ids}
    for row in rows:
        who = row.patient_id
        monday, today = firsts[who], today_by_patient[who]
        last_day = last_asked_day(row, zones.get(who, "UTC"))
        if not _active_in(row, monday, monday + timedelta(days=6), last_day):
            continue
        if (row.id, monday) in skips:
            totals[who][2] += 1
            continue
        due, finished = _count_week(row, monday, today, last_day, done.days(row))
        totals[who][0] += finished
        totals[who][1] += due
    return {p: WeekCount(*totals[p]) for p in ids}


def history(patient_id: int, first: date, last: date) -> list[AssignmentHistory]:
    """Each assignment active between `first` and `last` (the patient's days): the days
    asked, the days done, skipped weeks, whole-week counts, and for exercises each
    counted completion's helped? and distress. The caller decides what a reader may
    see of it (`completion_visibility`)."""
    if not 0 <= (last - first).days < HISTORY_DAYS_MAX:
        raise ValueError(first, last)  # a caller's mistake
    with db.read() as session:
        zone = session.execute(select(User.time_zone).where(User.id == patient_id)
                            ).scalar_one_or_none()
        if zone is None:
            return []
        today = local_date_of(utcnow(), zone)
        rows = [row for row in _assignments(session, [patient_id], first, last)
                if _active_in(row, first, last, last_asked_day(row, zone))]
        once_first = min([first] + [row.start_day for row in rows if row.repeat == "once"])
        done = _completions(session, [patient_id], once_first, last, {r.kind for r in rows})
        skips = _skips(session, [row.id for row in rows], first, last)
    mondays = []
    monday = week_start(first)
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(days=7)
    result = []
    for row in rows:
        last_day = last_asked_day(row, zone)
        done_days = {d for d in done.days(row) if _in_window(row, d, last_day)}
        period = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        weeks = []
        for monday in mondays:
            if not _active_in(row, monday, monday + timedelta(days=6), last_day):
                continue
            skipped = (row.id, monday) in skips
            due, finished = (0, 0) if skipped else _count_week(
                row, monday, min(today, monday + timedelta(days=6)), last_day, done_days)
            weeks.append((monday, WeekCount(finished, due, int(skipped))))
        completions = tuple(
            c for day in sorted(done_days) if first <= day <= last
            for c in done.exercises.get((patient_id, row.target), {}).get(day, ())
        ) if row.kind == "exercise" else ()
        result.append(AssignmentHistory(
            **_asked(row),
            ended_on=local_date_of(row.ended_at, zone) if row.ended_at else None,
            due_days=tuple(d for d in period if _asked_on(row, d, last_day)),
            done_days=tuple(sorted(d for d in done_days if first <= d <= last)),
            skipped_weeks=tuple((m, skips[(row.id, m)].reason) for m in mondays
                                if (row.id, m) in skips),
            weeks=tuple(weeks), completions=completions))
    return result


def patient_today(patient_id: int) -> date | None:
    """The patient's today, for a screen that pages weeks (None: no such account)."""
    with db.read() as session:
        zone = session.execute(select(User.time_zone).where(User.id == patient_id)
                            ).scalar_one_or_none()
    return local_today(zone) if zone else None


def kinds_this_week(session: db.Session, patient_ids: Iterable[int],
                    today_by_patient: Mapping[int, date]) -> dict[int, frozenset[str]]:
    """The kinds of each patient's assignments in their current week (patients with none
    are left out), in a fixed number of queries: the caseload asks
    `completion_visibility` about each before it shows a count, so that one kind's
    done or not done never shows through a total the patient did not share."""
    ids = [p for p in patient_ids if p in today_by_patient]
    if not ids:
        return {}
    firsts = {p: week_start(today_by_patient[p]) for p in ids}
    first, last = min(firsts.values()), max(firsts.values()) + timedelta(days=6)
    zones = dict(session.execute(select(User.id, User.time_zone).where(
        col(User.id).in_(ids))).all())
    found: dict[int, set[str]] = {}
    for row in _assignments(session, ids, first, last):
        monday = firsts[row.patient_id]
        if _active_in(row, monday, monday + timedelta(days=6),
                      last_asked_day(row, zones.get(row.patient_id, "UTC"))):
            found.setdefault(row.patient_id, set()).add(row.kind)
    return {patient_id: frozenset(kinds) for patient_id, kinds in found.items()}


def assigned_by_of(patient_id: int, assignment_ids: Collection[int]) -> dict[int, int | None]:
    """Who assigned each of these assignments of the patient (the therapist's account id,
    None when unknown): a therapist's detail lists their own assignments whatever is
    shared, and another therapist's only as far as the patient shares it."""
    if not assignment_ids:
        return {}
    with db.read() as session:
        return dict(session.execute(select(Assignment.id, Assignment.assigned_by).where(
            Assignment.patient_id == patient_id,
            col(Assignment.id).in_(list(assignment_ids)))).all())
