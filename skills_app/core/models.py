"""Database tables.

SQLModel tables do not validate on construction: everything that comes from
a user is validated by the non-table schemas in `core/schemas.py` first.
Times are stored as UTC; `UTCDateTime` gives them back timezone-aware on every
database (SQLite drops the offset).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import create_model
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from skills_app.core.clock import ensure_utc, utcnow
from skills_app.core.diary import DIARY_CARD, DiaryCard, DiaryItem, Scale


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on the way in and out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        if value is None:
            return None
        value = ensure_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        return None if value is None else ensure_utc(value)


def _utc_column(*, nullable: bool = False, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Role(StrEnum):
    PATIENT = "patient"
    THERAPIST = "therapist"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), unique=True, index=True, nullable=False))
    display_name: str = Field(sa_column=Column(String(80), nullable=False))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    time_zone: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of its token is stored."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, index=True, nullable=False))
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class LoginThrottle(SQLModel, table=True):
    """Consecutive failed sign-ins per email address, known or not.

    Keyed by the typed email rather than the account, so an unknown email is
    throttled exactly like a real one and the lock gives nothing away.
    """

    __tablename__ = "login_throttle"

    email: str = Field(sa_column=Column(String(254), primary_key=True))
    failures: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    locked_until: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class AttemptKind(StrEnum):
    SIGN_IN_FAILURE = "sign_in_failure"
    SIGN_UP = "sign_up"


class AddressAttempt(SQLModel, table=True):
    """One counted attempt from a network address, for the per-address caps.

    Failed sign-ins and sign-ups are capped per address in a time window by
    counting these rows; rows older than a day are pruned.
    """

    __tablename__ = "address_attempt"
    __table_args__ = (Index("ix_address_attempt_kind_address_at", "kind", "address", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    address: str = Field(sa_column=Column(String(64), nullable=False))
    # Indexed on its own for pruning.
    at: datetime = Field(default_factory=utcnow, sa_column=_utc_column(index=True))


# --- journal ---------------------------------------------------------------

class EntryKind(StrEnum):
    CHECKIN = "checkin"
    DIARY = "diary"


_ITEM_COLUMNS: dict[Scale, tuple[Any, Any, Callable[[DiaryItem], Column]]] = {
    # scale: (Python type, default, column); a blank answer is NULL, not 0.
    Scale.RATING: (int | None, None, lambda item: Column(SmallInteger, nullable=True)),
    Scale.HOURS: (float | None, None, lambda item: Column(Float, nullable=True)),
    Scale.YES_NO: (bool | None, None, lambda item: Column(Boolean, nullable=True)),
    Scale.TEXT: (str, "", lambda item: Column(String(item.top), nullable=False, default="")),
}


def _diary_item_columns(card: DiaryCard) -> type[SQLModel]:
    """A non-table base holding one column per diary-card item (and per acted-on flag)."""
    fields: dict[str, Any] = {}
    for item in card.items:
        python_type, default, column = _ITEM_COLUMNS[item.scale]
        fields[item.key] = (python_type, Field(default=default, sa_column=column(item)))
        if item.acted_on:
            fields[item.acted_key] = (bool, Field(default=False, sa_column=Column(
                Boolean, nullable=False, default=False)))
    return create_model("DiaryItemColumns", __base__=SQLModel, __module__=__name__, **fields)


class JournalEntry(_diary_item_columns(DIARY_CARD), table=True):
    """One quick check-in or diary-card entry of a patient.

    The diary card's items (`core.diary`) are columns, inherited from a base
    built from the card at import, so per-day highs can be computed and
    queried directly; a rating left blank is NULL, not 0. Patient-named
    emotions and urges are JSON lists of {"name", "rating"[, "acted_on"]}.
    """

    __tablename__ = "journal_entry"
    __table_args__ = (Index("ix_journal_entry_user_day", "user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    # Indexed through ix_journal_entry_user_day, whose first column it is.
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    idempotency_key: str = Field(sa_column=Column(String(36), unique=True, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    occurred_at: datetime = Field(sa_column=_utc_column())
    time_zone: str = Field(sa_column=Column(String(64), nullable=False))
    local_date: date = Field(sa_column=Column(Date, nullable=False))

    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    custom_emotions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False))
    custom_urges: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False))
    skills: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))

    risk_flag: bool = Field(default=False, sa_column=Column(Boolean, nullable=False,
                                                            default=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    deleted_at: datetime | None = Field(default=None,
                                        sa_column=_utc_column(nullable=True, index=True))


class TriggerTag(SQLModel, table=True):
    """A patient's own trigger word, kept so it can be picked again next time.

    `name` is shown as first typed; `name_key` (NFKC, casefolded) makes
    "Work" and "work " the same tag.
    """

    __tablename__ = "trigger_tag"
    __table_args__ = (UniqueConstraint("user_id", "name_key", name="uq_trigger_tag_user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    name: str = Field(sa_column=Column(String(40), nullable=False))
    # Casefolding can lengthen text (e.g. "ß" -> "ss"), hence more room than `name`.
    name_key: str = Field(sa_column=Column(String(160), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class JournalEntryTrigger(SQLModel, table=True):
    """Which trigger tags an entry carries."""

    __tablename__ = "journal_entry_trigger"

    entry_id: int = Field(sa_column=Column(
        Integer, ForeignKey("journal_entry.id", ondelete="CASCADE"), primary_key=True))
    tag_id: int = Field(sa_column=Column(
        Integer, ForeignKey("trigger_tag.id", ondelete="CASCADE"), primary_key=True, index=True))


class DiaryCardChoice(SQLModel, table=True):
    """What a patient keeps on their diary card (see core/card_choice.py).

    Lists of item keys and names, as JSON: a row per patient, written whole.
    """

    __tablename__ = "diary_card_choice"

    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True))
    hidden_items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    own_emotions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    own_targets: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class ExerciseSession(SQLModel, table=True):
    """One guided exercise a patient finished (see core/practice.py).

    `exercise_id` names a file of skills_app/content/exercises/; `answers` maps
    its steps' keys to what the patient entered. `local_date` is the patient's
    day when they finished: it counts the exercise's skills as used that day.
    """

    __tablename__ = "exercise_session"
    __table_args__ = (Index("ix_exercise_session_user_day", "user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    idempotency_key: str = Field(sa_column=Column(String(36), unique=True, nullable=False))
    exercise_id: str = Field(sa_column=Column(String(64), nullable=False))
    started_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    finished_at: datetime = Field(sa_column=_utc_column())
    time_zone: str = Field(sa_column=Column(String(64), nullable=False))
    local_date: date = Field(sa_column=Column(Date, nullable=False))
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    distress_before: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    distress_after: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    helped: str | None = Field(default=None, sa_column=Column(String(8), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class ExerciseFavourite(SQLModel, table=True):
    """An exercise a patient starred on the Practice tab."""

    __tablename__ = "exercise_favourite"

    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True))
    exercise_id: str = Field(sa_column=Column(String(64), primary_key=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class MindfulnessSession(SQLModel, table=True):
    """One finished mindfulness session: a breathing pacer, the meditation timer or
    a guided practice (see core/mindfulness.py).

    `practice` is a key of `mindfulness.PRACTICES`. `started_at` and `ended_at` are
    the phone's (a session finished offline keeps its real times); `seconds` is
    the time practised, pauses left out. `local_date` is the patient's day when
    it ended: the day it counts for, in minutes and in skills used.
    """

    __tablename__ = "mindfulness_session"
    __table_args__ = (Index("ix_mindfulness_session_user_day", "user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    idempotency_key: str = Field(sa_column=Column(String(36), unique=True, nullable=False))
    practice: str = Field(sa_column=Column(String(64), nullable=False))
    started_at: datetime = Field(sa_column=_utc_column())
    ended_at: datetime = Field(sa_column=_utc_column())
    seconds: int = Field(sa_column=Column(Integer, nullable=False))
    ended_early: bool = Field(sa_column=Column(Boolean, nullable=False))
    local_date: date = Field(sa_column=Column(Date, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class RiskEvent(SQLModel, table=True):
    """A risk prompt the app showed (see core/risk.py). Add-only: rows are never
    updated, and editing an entry down later does not remove them.

    `source` is where it came from ("diary_card", "phq9") and `source_id` that
    entry's or result's id, as a plain number: the event outlives a deleted entry.
    """

    __tablename__ = "risk_event"
    __table_args__ = (Index("ix_risk_event_user_at", "user_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    at: datetime = Field(sa_column=_utc_column())
    source: str = Field(sa_column=Column(String(32), nullable=False))
    source_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    trigger: str = Field(sa_column=Column(String(64), nullable=False))
    prompt: str = Field(sa_column=Column(String(32), nullable=False))


class PersonalPlan(SQLModel, table=True):
    """A patient's safety plan or relapse-prevention plan (see core/plans.py).

    `kind` is "safety" or "relapse"; `content` maps the plan's section keys to
    what the patient wrote (lists of lines, or of name and phone), written whole.
    `version` guards against a stale edit from another device.
    """

    __tablename__ = "personal_plan"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_personal_plan_user_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class MeasureResult(SQLModel, table=True):
    """A PHQ-9 or GAD-7 a patient finished (see core/measures.py).

    `answers` holds the item answers (0-3) in item order; `total` and `band` are
    scored from them when stored; `item9` is PHQ-9's item 9 (NULL for GAD-7);
    `difficulty` the PHQ-9's unscored last question, if answered. `local_date`
    is the patient's day when they finished: the schedule counts from it.
    """

    __tablename__ = "measure_result"
    __table_args__ = (Index("ix_measure_result_user_done", "user_id", "questionnaire",
                            "completed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # Indexed through ix_measure_result_user_done, whose first column it is.
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    idempotency_key: str = Field(sa_column=Column(String(36), unique=True, nullable=False))
    questionnaire: str = Field(sa_column=Column(String(16), nullable=False))
    answers: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    difficulty: int | None = Field(default=None, sa_column=Column(SmallInteger, nullable=True))
    total: int = Field(sa_column=Column(SmallInteger, nullable=False))
    band: str = Field(sa_column=Column(String(32), nullable=False))
    item9: int | None = Field(default=None, sa_column=Column(SmallInteger, nullable=True))
    completed_at: datetime = Field(sa_column=_utc_column())
    time_zone: str = Field(sa_column=Column(String(64), nullable=False))
    local_date: date = Field(sa_column=Column(Date, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
