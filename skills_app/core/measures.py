"""PHQ-9 and GAD-7: scoring, bands, checking what a phone sends, storing a result
once per idempotency key, the schedule (when each is due) and the history.

The instruments' words live in `content/measures.py`, copied exactly. A result
is sent whole from the phone when the patient taps Finish (a device draft until
the server confirms, like a finished exercise): every answer must be 0-3, every
item answered, and the questionnaire one we know; otherwise nothing is stored.

PHQ-9 item 9 above 0, whatever the total, calls for same-day safety follow-up:
the result says so (`needs_safety_follow_up`), the page shows the safety plan
and crisis lines at once, and a risk event is written in the same transaction
as the result (`core/risk.py`'s table decides, as for the diary card).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from skills_app.content.measures import (
    ANSWER_OPTIONS,
    PHQ9,
    PHQ9_SAFETY_ITEM,
    QUESTIONNAIRES,
    Band,
    Questionnaire,
)
from skills_app.core import db, risk
from skills_app.core.clock import PHONE_CLOCK_AHEAD, ensure_utc, utcnow
from skills_app.core.dates import local_date_of, local_today
from skills_app.core.models import MeasureResult
from skills_app.core.problems import Problem, ProblemError
from skills_app.core.schemas import FieldErrors, check_time_zone, idempotency_key

# How often each questionnaire is offered: the one setting for the schedule.
DUE_EVERY_DAYS = 14
ANSWER_MAX = len(ANSWER_OPTIONS) - 1
# A result finished offline may arrive days later.
BACKDATE_LIMIT = timedelta(days=7)
HISTORY_MAX = 400

# What went wrong with a questionnaire as a phone sent it (words: text/words/mind.py).
BAD_FORM = Problem("measure_bad_form")
UNKNOWN_QUESTIONNAIRE = Problem("measure_unknown")
NOT_FOUND = Problem("measure_not_found")
KEY_IN_USE = BAD_FORM
DIFFICULTY_MESSAGE = Problem("measure_difficulty")


def answer_message(number: int) -> Problem:
    """An answer that is not one of the four (question `number`, 1-based)."""
    return Problem("measure_answer", number=number)


def missing_message(number: int) -> Problem:
    return Problem("measure_missing", number=number)


def questionnaire(value: object) -> Questionnaire | None:
    """The questionnaire with this id, or None for anything else (a forged id)."""
    return QUESTIONNAIRES.get(value) if isinstance(value, str) else None


def score(answers: Sequence[int]) -> int:
    """The total: the sum of the item answers (each 0-3)."""
    return sum(answers)


def band_for(found: Questionnaire, total: int) -> Band:
    """The published band that holds `total`."""
    for band in found.bands:
        if band.low <= total <= band.high:
            return band
    raise ValueError(f"{found.id}: {total} > {found.max_total}")


def risk_route(found: Questionnaire, answers: Sequence[int]) -> risk.RiskRoute:
    """What the risk table (core/risk.py) shows after these answers: PHQ-9 item 9
    above 0 is a crisis case, whatever the total; a GAD-7 is never one."""
    if found.id != PHQ9.id:
        return risk.route({})
    return risk.route({risk.PHQ9_ITEM9: answers[PHQ9_SAFETY_ITEM - 1]})


def safety_follow_up(found: Questionnaire, answers: Sequence[int]) -> bool:
    """The safety plan and crisis lines at once (PHQ-9 item 9 above 0)."""
    return risk.Prompt.CRISIS in risk_route(found, answers).prompts


@dataclass(frozen=True)
class ResultView:
    """A stored result as the screens and the export read it."""

    id: int
    questionnaire_id: str
    idempotency_key: str
    answers: tuple[int, ...]
    difficulty: int | None
    total: int
    band: str
    item9: int | None
    completed_at: datetime
    time_zone: str
    local_date: date

    @property
    def questionnaire(self) -> Questionnaire:
        return QUESTIONNAIRES[self.questionnaire_id]

    @property
    def needs_safety_follow_up(self) -> bool:
        return self.item9 is not None and self.item9 > 0


@dataclass(frozen=True)
class MeasureOutcome:
    result: ResultView | None = None
    created: bool = False
    errors: FieldErrors = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.errors


# --- checking what a phone sends ---

def _answer(value: object, message: Problem) -> int | None:
    """0..3 from a number or its text; blank is None. Bools, 1.5, "01", NaN are refused."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value) == 1 and value in "0123":
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= ANSWER_MAX:
        return value
    raise ProblemError(message.code, **message.params)


def _moment(value: object) -> datetime | None:
    """When the phone says Finish was tapped; None when missing, unreadable or unlikely."""
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


@dataclass(frozen=True)
class MeasureForm:
    idempotency_key: str
    questionnaire: Questionnaire
    answers: tuple[int, ...]
    difficulty: int | None
    completed_at: datetime | None


def parse_submission(raw: object) -> tuple[MeasureForm | None, FieldErrors]:
    """A finished questionnaire as a phone sends it, checked whole: nothing half-saved.

    `raw` holds `questionnaire` (its id), `idempotency_key`, `answers` (one per
    item, in order), `difficulty` (PHQ-9's unscored last question, optional)
    and `completed_at` (the phone's time).
    """
    if not isinstance(raw, Mapping):
        return None, {"form": BAD_FORM}
    found = questionnaire(raw.get("questionnaire"))
    if found is None:
        return None, {"form": UNKNOWN_QUESTIONNAIRE}
    try:
        key = idempotency_key(raw.get("idempotency_key"), BAD_FORM.code)
    except ValueError:
        return None, {"form": BAD_FORM}
    given = raw.get("answers")
    if not isinstance(given, Sequence) or isinstance(given, str) \
            or len(given) != len(found.items):
        return None, {"form": BAD_FORM}
    answers: list[int] = []
    errors: FieldErrors = {}
    for number, value in enumerate(given, 1):
        try:
            answer = _answer(value, answer_message(number))
        except ProblemError as error:
            errors[f"item_{number}"] = error.problem
            continue
        if answer is None:
            errors[f"item_{number}"] = missing_message(number)
            continue
        answers.append(answer)
    difficulty = None
    try:
        difficulty = _answer(raw.get("difficulty"), DIFFICULTY_MESSAGE)
    except ProblemError as error:
        errors["difficulty"] = error.problem
    if difficulty is not None and not found.follow_up:
        errors["difficulty"] = BAD_FORM
    if errors:
        return None, errors
    return MeasureForm(key, found, tuple(answers), difficulty,
                       _moment(raw.get("completed_at"))), {}


# --- storing and reading ---

def _view(row: MeasureResult) -> ResultView:
    return ResultView(
        id=row.id, questionnaire_id=row.questionnaire, idempotency_key=row.idempotency_key,
        answers=tuple(row.answers), difficulty=row.difficulty, total=row.total, band=row.band,
        item9=row.item9, completed_at=row.completed_at, time_zone=row.time_zone,
        local_date=row.local_date)


def save_result(user_id: int, time_zone: str, raw: object) -> MeasureOutcome:
    """Score and store a finished questionnaire once per idempotency key.

    A resend with a key this patient already used returns the stored result
    (created=False): the first arrival is the result. A key used by anyone else
    is refused without saying more. PHQ-9 item 9 above 0 writes a risk event in
    the same transaction, so there is never a result without its event.
    """
    try:
        time_zone = check_time_zone(time_zone)
    except ProblemError as error:
        return MeasureOutcome(errors={"time_zone": error.problem})
    form, errors = parse_submission(raw)
    if form is None:
        return MeasureOutcome(errors=errors)
    completed_at = form.completed_at or utcnow()
    total = score(form.answers)
    is_phq9 = form.questionnaire.id == PHQ9.id
    row = MeasureResult(
        user_id=user_id, idempotency_key=form.idempotency_key,
        questionnaire=form.questionnaire.id, answers=list(form.answers),
        difficulty=form.difficulty, total=total,
        band=band_for(form.questionnaire, total).name,
        item9=form.answers[PHQ9_SAFETY_ITEM - 1] if is_phq9 else None,
        completed_at=completed_at, time_zone=time_zone,
        local_date=local_date_of(completed_at, time_zone))
    for attempt in range(2):
        try:
            with db.transaction() as session:
                existing = session.execute(select(MeasureResult).where(
                    MeasureResult.idempotency_key == form.idempotency_key)).scalars().first()
                if existing is not None:
                    if existing.user_id != user_id:
                        return MeasureOutcome(errors={"form": KEY_IN_USE})
                    return MeasureOutcome(result=_view(existing))
                session.add(row)
                session.flush()
                risk.record_route(session, user_id=user_id, source=risk.Source.PHQ9,
                                  risk=risk_route(form.questionnaire, form.answers),
                                  at=completed_at, source_id=row.id)
                return MeasureOutcome(result=_view(row), created=True)
        except IntegrityError:
            # Two arrivals of the same key at once (PostgreSQL): the second try
            # finds the first.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 18:
        value = int(value.strip())
    return value if isinstance(value, int) and 0 < value < 2**63 else None


def get_result(user_id: int, result_id: object) -> ResultView | None:
    """One of this patient's results, or None for anything else (another's, a forged id)."""
    pk = _id(result_id)
    if pk is None:
        return None
    with db.read() as session:
        row = session.execute(select(MeasureResult).where(
            MeasureResult.user_id == user_id, MeasureResult.id == pk)).scalars().first()
        return _view(row) if row else None


def history(user_id: int, questionnaire_id: str | None = None) -> list[ResultView]:
    """The patient's results, oldest first (at most HISTORY_MAX of the latest)."""
    query = select(MeasureResult).where(MeasureResult.user_id == user_id)
    if questionnaire_id is not None:
        query = query.where(MeasureResult.questionnaire == questionnaire_id)
    with db.read() as session:
        rows = session.execute(query.order_by(
            col(MeasureResult.completed_at).desc(), col(MeasureResult.id).desc()
        ).limit(HISTORY_MAX)).scalars().all()
        return [_view(row) for row in reversed(rows)]


def latest(user_id: int, questionnaire_id: str) -> ResultView | None:
    """The patient's newest result of one questionnaire (None: never done)."""
    return latest_of([user_id], questionnaire_id).get(user_id)


def latest_of(user_ids: Sequence[int], questionnaire_id: str) -> dict[int, ResultView]:
    """Each patient's newest result of one questionnaire (those never done left out),
    in one query for all of them (a therapist's caseload)."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return {}
    newest = func.row_number().over(
        partition_by=MeasureResult.user_id,
        order_by=(col(MeasureResult.completed_at).desc(), col(MeasureResult.id).desc()))
    ranked = select(MeasureResult.id, newest.label("n")).where(
        col(MeasureResult.user_id).in_(ids),
        MeasureResult.questionnaire == questionnaire_id).subquery()
    with db.read() as session:
        rows = session.execute(select(MeasureResult).join(
            ranked, ranked.c.id == MeasureResult.id).where(ranked.c.n == 1)).scalars().all()
        return {row.user_id: _view(row) for row in rows}


@dataclass(frozen=True)
class Due:
    questionnaire: Questionnaire
    last_done: date | None
    next_due: date
    is_due: bool


def due_from(last_done: Mapping[str, date], today: date,
             every_days: int = DUE_EVERY_DAYS) -> list[Due]:
    """Each questionnaire's place in the schedule: due when never done, or when
    `every_days` have passed since the last one (on the patient's calendar)."""
    found: list[Due] = []
    for q in QUESTIONNAIRES.values():
        last = last_done.get(q.id)
        next_due = today if last is None else last + timedelta(days=every_days)
        found.append(Due(q, last, next_due, next_due <= today))
    return found


def last_done(user_id: int) -> dict[str, date]:
    """The last local day each questionnaire was done, by id."""
    return last_done_of([user_id])[user_id]


def last_done_of(user_ids: Sequence[int]) -> dict[int, dict[str, date]]:
    """`last_done` for several patients (a therapist's caseload), in one query."""
    ids = list(dict.fromkeys(user_ids))
    found: dict[int, dict[str, date]] = {user_id: {} for user_id in ids}
    if not ids:
        return found
    with db.read() as session:
        for user_id, questionnaire_id, day in session.execute(
                select(MeasureResult.user_id, MeasureResult.questionnaire,
                       func.max(MeasureResult.local_date))
                .where(col(MeasureResult.user_id).in_(ids))
                .group_by(MeasureResult.user_id, MeasureResult.questionnaire)).all():
            found[user_id][questionnaire_id] = day
    return found


def schedule(user_id: int, time_zone: str) -> list[Due]:
    return due_from(last_done(user_id), local_today(time_zone))


def all_results(user_id: int) -> list[ResultView]:
    """Every result of the patient, oldest first (for the export)."""
    with db.read() as session:
        rows = session.execute(select(MeasureResult).where(
            MeasureResult.user_id == user_id).order_by(
            col(MeasureResult.completed_at), col(MeasureResult.id))).scalars().all()
        return [_view(row) for row in rows]

