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
    # The language the app speaks to this person (skills_app.text.CODES).
    language: str = Field(default="en", sa_column=Column(String(8), nullable=False,
                                                         server_default="en"))
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
    """Consecutive failed password checks per email address, known or not, from
    every network address together; a successful sign-in clears it.

    Keyed by the typed email rather than the account, so an unknown email is
    throttled exactly like a real one and the lock gives nothing away. At
    `auth.ACCOUNT_LOCK_FAILURES` (100, NIST SP 800-63B 5.2.2) the password is no
    longer checked until a server admin runs `unlock-sign-in`.
    """

    __tablename__ = "login_throttle"

    email: str = Field(sa_column=Column(String(254), primary_key=True))
    failures: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))


class SignInDelay(SQLModel, table=True):
    """Failed password checks for one email from one network address.

    After a few, that pair waits longer after each failure (see
    `auth.pair_delay`), so a stranger hammering an email slows down while the
    owner, on another network, signs in as usual. Forgotten a day after the
    pair's last failure.
    """

    __tablename__ = "sign_in_delay"

    email: str = Field(sa_column=Column(String(254), primary_key=True))
    address: str = Field(sa_column=Column(String(64), primary_key=True))
    failures: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    # Indexed on its own for pruning.
    last_failure_at: datetime = Field(default_factory=utcnow,
                                      sa_column=_utc_column(index=True))


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


# --- programs, sharing and audit (see core/programs.py, core/sharing.py, core/audit.py) ---

class ProgramRole(StrEnum):
    ADMIN = "admin"
    THERAPIST = "therapist"


class Program(SQLModel, table=True):
    """An IOP clinic. Its admins invite therapists; made from the server only."""

    __tablename__ = "program"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(120), nullable=False))
    # The zone its groups meet in (an IANA name); None until an admin sets it.
    time_zone: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class ProgramMember(SQLModel, table=True):
    """A therapist account's place in a program: admin or therapist, active or not.

    A therapist account with no active membership is refused on every event
    that reads patient data.
    """

    __tablename__ = "program_member"
    __table_args__ = (UniqueConstraint("program_id", "user_id", name="uq_program_member"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(sa_column=Column(
        Integer, ForeignKey("program.id", ondelete="CASCADE"), nullable=False))
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, default=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    deactivated_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class TherapistInvitation(SQLModel, table=True):
    """A single-use, expiring link an admin made for one therapist's sign-up.

    Only the SHA-256 of the link's token is stored.
    """

    __tablename__ = "therapist_invitation"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(sa_column=Column(
        Integer, ForeignKey("program.id", ondelete="CASCADE"), nullable=False))
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    # For the admin's list only; the person signing up types their own email.
    note: str = Field(default="", sa_column=Column(String(120), nullable=False, default=""))
    invited_by_user_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column())
    used_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    used_by_user_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True))


class ConnectCode(SQLModel, table=True):
    """A short code a therapist shows in session; a patient enters it once, within 24 h.

    Only its SHA-256 is stored.
    """

    __tablename__ = "connect_code"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    therapist_user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True))
    program_id: int = Field(sa_column=Column(
        Integer, ForeignKey("program.id", ondelete="CASCADE"), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column())
    used_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    used_by_user_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True))


class ShareGrant(SQLModel, table=True):
    """A patient's signed consent to share some categories with one therapist.

    Holds what 42 CFR Part 2 asks a consent to keep: the version and SHA-256
    of the exact text the patient read, the categories, the typed signature,
    when it was signed and when it ends. A change of categories is a new
    grant (signed again); the old one is revoked at that moment.
    """

    __tablename__ = "share_grant"
    __table_args__ = (Index("ix_share_grant_pair", "patient_id", "therapist_id"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    therapist_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True))
    program_id: int = Field(sa_column=Column(
        Integer, ForeignKey("program.id", ondelete="CASCADE"), nullable=False))
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    consent_version: str = Field(sa_column=Column(String(16), nullable=False))
    # The language of the text signed (its version names it too).
    consent_language: str = Field(default="en", sa_column=Column(
        String(8), nullable=False, server_default="en"))
    consent_sha256: str = Field(sa_column=Column(String(64), nullable=False))
    signature: str = Field(sa_column=Column(String(80), nullable=False))
    signed_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column())
    revoked_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class AuditEvent(SQLModel, table=True):
    """One therapist read or disclosure of a patient's data, allowed or denied.

    Append-only: rows are only ever inserted (the migration makes the database
    refuse UPDATE). The row is the patient's record (`patient_id`): erased
    with the patient's account. `actor_id` is deliberately neither a foreign
    key nor named like a person column (`core.personal_data`): the patient's
    accounting of disclosures outlives the therapist's account, and
    `actor_name` keeps who it was, in words.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_patient_at", "patient_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    actor_name: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    patient_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=True))
    action: str = Field(sa_column=Column(String(32), nullable=False))
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    report_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    allowed: bool = Field(sa_column=Column(Boolean, nullable=False))
    reason: str = Field(default="", sa_column=Column(String(32), nullable=False, default=""))
    at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
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


# --- homework (core/homework.py) -------------------------------------------------

class Assignment(SQLModel, table=True):
    """Something a therapist asked a patient to practise between sessions (see
    core/homework.py).

    `kind` is what to do: "exercise" (`target`: an exercise id), "mindfulness"
    (`target`: a practice key, "" for any; `minutes`), "diary_card", "checkup"
    (`target`: "phq9" or "gad7") or "plan_review" (`target`: "safety" or
    "relapse"). `repeat` is when: "once" (due by `end_day`), "daily",
    "weekdays" (`weekdays`: 0 = Monday ... 6 = Sunday) or "per_week"
    (`times_per_week`), from `start_day` until `end_day` (None: until ended).
    Days are the patient's own days. It is done by what the patient already
    records (a finished exercise, a timer, a diary card, a check-up, a plan
    review), never by a second way to finish.

    `assigned_by` is the therapist's account id as a plain number, like the
    audit's actor: the patient's homework outlives that account, and
    `assigned_by_name` keeps who it was. `ended_at`: a therapist or admin
    stopped it (the row stays, so the weeks before still count).
    """

    __tablename__ = "assignment"
    __table_args__ = (Index("ix_assignment_patient_start", "patient_id", "start_day"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    program_id: int = Field(sa_column=Column(
        Integer, ForeignKey("program.id", ondelete="CASCADE"), nullable=False))
    assigned_by: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    assigned_by_name: str = Field(default="", sa_column=Column(String(200), nullable=False,
                                                               default=""))
    idempotency_key: str = Field(sa_column=Column(String(36), unique=True, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    target: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    minutes: int | None = Field(default=None, sa_column=Column(SmallInteger, nullable=True))
    repeat: str = Field(sa_column=Column(String(16), nullable=False))
    weekdays: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    times_per_week: int | None = Field(default=None, sa_column=Column(SmallInteger,
                                                                      nullable=True))
    start_day: date = Field(sa_column=Column(Date, nullable=False))
    end_day: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    note: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    ended_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class AssignmentSkip(SQLModel, table=True):
    """A patient's "not for me this week" on one assignment, with an optional reason.
    `week_start` is the Monday of the patient's week."""

    __tablename__ = "assignment_skip"
    __table_args__ = (UniqueConstraint("assignment_id", "week_start",
                                       name="uq_assignment_skip_week"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(sa_column=Column(
        Integer, ForeignKey("assignment.id", ondelete="CASCADE"), nullable=False))
    patient_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False,
        index=True))
    week_start: date = Field(sa_column=Column(Date, nullable=False))
    reason: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class PlanReview(SQLModel, table=True):
    """A patient read their safety or relapse-prevention plan through and said so
    (or saved it): what a "review your plan" assignment counts. `local_date` is
    the patient's day."""

    __tablename__ = "plan_review"
    __table_args__ = (Index("ix_plan_review_user_day", "user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    idempotency_key: str = Field(sa_column=Column(String(36), unique=True, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    at: datetime = Field(sa_column=_utc_column())
    local_date: date = Field(sa_column=Column(Date, nullable=False))


# --- the program's schedule and attendance (core/schedule.py) ---------------------

class Track(SQLModel, table=True):
    """One of a program's group schedules ("Morning IOP"): the weekdays it meets
    (0 = Monday ... 6 = Sunday), from `start_minute` to `end_minute` after
    midnight in the program's time zone, from `first_day` to `last_day` (None:
    open-ended). `archived_at`: an admin retired it (its history stays)."""

    __tablename__ = "track"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(sa_column=Column(
        Integer, ForeignKey("program.id", ondelete="CASCADE"), nullable=False, index=True))
    name: str = Field(sa_column=Column(String(80), nullable=False))
    weekdays: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    start_minute: int = Field(sa_column=Column(SmallInteger, nullable=False))
    end_minute: int = Field(sa_column=Column(SmallInteger, nullable=False))
    first_day: date = Field(sa_column=Column(Date, nullable=False))
    last_day: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    archived_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class TrackException(SQLModel, table=True):
    """A day a track does not meet (a holiday), with a short note for the admin."""

    __tablename__ = "track_exception"
    __table_args__ = (UniqueConstraint("track_id", "day", name="uq_track_exception_day"),)

    id: int | None = Field(default=None, primary_key=True)
    track_id: int = Field(sa_column=Column(
        Integer, ForeignKey("track.id", ondelete="CASCADE"), nullable=False))
    day: date = Field(sa_column=Column(Date, nullable=False))
    note: str = Field(default="", sa_column=Column(String(80), nullable=False, default=""))


class TrackMember(SQLModel, table=True):
    """A patient's place on a track from `first_day` to `last_day` (None: still on
    it). Moving a patient closes one row and opens another, so the weeks before
    still count on the track they were on. `added_by`: the therapist's account id
    as a plain number (see Assignment.assigned_by)."""

    __tablename__ = "track_member"
    __table_args__ = (Index("ix_track_member_patient", "patient_id", "first_day"),)

    id: int | None = Field(default=None, primary_key=True)
    track_id: int = Field(sa_column=Column(
        Integer, ForeignKey("track.id", ondelete="CASCADE"), nullable=False, index=True))
    patient_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    first_day: date = Field(sa_column=Column(Date, nullable=False))
    last_day: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    added_by: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class Attendance(SQLModel, table=True):
    """Whether a patient came to one meeting of a track: "present", "late",
    "excused" or "absent". `day` is the meeting's day in the program's time
    zone. Marked again, the row is changed (`marked_at`, `marked_by`)."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("track_id", "patient_id", "day", name="uq_attendance_meeting"),
        Index("ix_attendance_patient_day", "patient_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    track_id: int = Field(sa_column=Column(
        Integer, ForeignKey("track.id", ondelete="CASCADE"), nullable=False))
    patient_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    day: date = Field(sa_column=Column(Date, nullable=False))
    status: str = Field(sa_column=Column(String(8), nullable=False))
    marked_by: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    marked_by_name: str = Field(default="", sa_column=Column(String(200), nullable=False,
                                                             default=""))
    marked_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


# --- reminders (core/reminders.py, core/push.py) ------------------------------------

class ReminderKind(StrEnum):
    """What a reminder is for. The lock screen never says which: every kind
    shows the patient's chosen neutral wording (see core/reminders.py)."""

    CHECKIN = "checkin"
    PRACTICE = "practice"
    MINDFULNESS = "mindfulness"
    CHECKUP = "checkup"
    HOMEWORK = "homework"
    GROUP_EVENING = "group_evening"  # the evening before a group meeting
    GROUP_HOUR = "group_hour"  # an hour before a group meeting


class ReminderSetting(SQLModel, table=True):
    """One kind of reminder for one patient: on or off, at `minute` after
    midnight in the patient's time zone, on `weekdays` (0 = Monday ... 6 =
    Sunday). The group kinds follow the patient's track and ignore `minute`
    and `weekdays`.

    `next_due_at` is the scheduler's cursor: the next moment (UTC) this
    reminder is due, None when off. It is recomputed when the setting or the
    patient's time zone changes, and advanced by the planner that turns it
    into a `reminder_delivery` row."""

    __tablename__ = "reminder_setting"

    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True))
    kind: str = Field(sa_column=Column(String(16), primary_key=True))
    enabled: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    minute: int = Field(default=19 * 60, sa_column=Column(SmallInteger, nullable=False))
    weekdays: list[int] = Field(default_factory=lambda: list(range(7)),
                                sa_column=Column(JSON, nullable=False))
    next_due_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True,
                                                                          index=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class ReminderPreference(SQLModel, table=True):
    """A patient's choices that cover every kind of reminder.

    Quiet hours run from `quiet_start` to `quiet_end` (minutes after local
    midnight; may cross midnight; None: no quiet hours). At most `daily_cap`
    reminders a local day. `wording` is the key of the neutral text the
    notification shows. `by_push` / `by_email`: the channels. `asked_at`: the
    one kind question after the first check-in was answered or put away.
    The calendar feed and the email's unsubscribe link are secret tokens of
    which only the SHA-256 is kept (None: no feed / no link)."""

    __tablename__ = "reminder_preference"

    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True))
    quiet_start: int | None = Field(default=None, sa_column=Column(SmallInteger, nullable=True))
    quiet_end: int | None = Field(default=None, sa_column=Column(SmallInteger, nullable=True))
    daily_cap: int = Field(default=3, sa_column=Column(SmallInteger, nullable=False, default=3))
    wording: str = Field(default="practice", sa_column=Column(String(16), nullable=False,
                                                              default="practice"))
    by_push: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, default=True))
    by_email: bool = Field(default=False, sa_column=Column(Boolean, nullable=False,
                                                           default=False))
    asked_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    calendar_token_hash: str | None = Field(default=None, sa_column=Column(
        String(64), unique=True, nullable=True))
    email_token_hash: str | None = Field(default=None, sa_column=Column(
        String(64), unique=True, nullable=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class PushSubscription(SQLModel, table=True):
    """One device's Web Push subscription (RFC 8030/8291). Tied to the signed-in
    browser that made it, so signing out there (the auth_session row goes)
    removes it; deleted too when the push service answers 404 or 410."""

    __tablename__ = "push_subscription"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True))
    auth_session_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("auth_session.id", ondelete="CASCADE"), nullable=True, index=True))
    endpoint: str = Field(sa_column=Column(String(1024), unique=True, nullable=False))
    p256dh: str = Field(sa_column=Column(String(128), nullable=False))
    auth: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    last_sent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for `next_attempt_at`
    SENDING = "sending"  # claimed by a worker until `next_attempt_at` (its lease)
    SENT = "sent"
    DROPPED = "dropped"  # never sent: `reason` says why (stale, cap, off, no channel)
    FAILED = "failed"  # every attempt failed


class ReminderDelivery(SQLModel, table=True):
    """The reminders' outbox and the patient's log of what was sent.

    One row per (patient, kind, due moment): the unique key is what makes
    planning idempotent when several workers plan the same minute. A sender
    claims a due row by moving it to "sending" with a lease in one atomic
    statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL), sends, and marks it
    "sent"; a row whose lease ran out (its worker died) is claimed again."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "due_at", name="uq_reminder_delivery_due"),
        Index("ix_reminder_delivery_status_next", "status", "next_attempt_at"),
        Index("ix_reminder_delivery_user_due", "user_id", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    due_at: datetime = Field(sa_column=_utc_column())
    status: str = Field(default=DeliveryStatus.PENDING, sa_column=Column(
        String(12), nullable=False, default=DeliveryStatus.PENDING))
    reason: str = Field(default="", sa_column=Column(String(32), nullable=False, default=""))
    # How it went out: "push", "email", "app" (shown on Today only), "" not yet.
    channel: str = Field(default="", sa_column=Column(String(16), nullable=False, default=""))
    snoozed: bool = Field(default=False, sa_column=Column(Boolean, nullable=False,
                                                          default=False))
    attempts: int = Field(default=0, sa_column=Column(SmallInteger, nullable=False, default=0))
    next_attempt_at: datetime = Field(sa_column=_utc_column())
    claimed_by: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class DeploymentKey(SQLModel, table=True):
    """A secret this deployment makes on first start and keeps with its data
    (the VAPID key pair for Web Push): never in the repository, the same for
    every worker. Made with INSERT ... ON CONFLICT DO NOTHING so two workers
    starting together agree on one."""

    __tablename__ = "deployment_key"

    name: str = Field(sa_column=Column(String(32), primary_key=True))
    value: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
