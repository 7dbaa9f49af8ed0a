"""The mood journal: quick check-ins and DBT diary-card entries.

Owns the journal's rules and data access: checking what a patient sends,
saving each entry exactly once per client-made idempotency key, edits guarded
by a version number, soft delete with a short undo, reusable trigger tags,
search, and the per-day aggregates ("highest of the day") behind the diary-card
week grid and the progress views.

Every function takes the patient's user id as its first argument; callers pass
the id of the server-side session, never one found in form data.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import db
from skills_app.core.clock import utcnow
from skills_app.core.dates import local_date_of, week_days
from skills_app.core.models import EntryKind, JournalEntry, JournalEntryTrigger, TriggerTag
from skills_app.core.schemas import FieldErrors, check_time_zone, clean_text, parse_form

MOOD_MAX = 10
EMOTION_MAX = 5
URGE_MAX = 5
CRAVING_MAX = 10
SLEEP_HOURS_MAX = 24
CHECKIN_NOTE_MAX = 200
NOTE_MAX = 20_000
SUBSTANCE_TEXT_MAX = 200
CUSTOM_ITEMS_MAX = 5
CUSTOM_NAME_MAX = 40
TRIGGER_MAX = 40
TRIGGERS_PER_ENTRY_MAX = 10
SEARCH_TEXT_MAX = 200
SEARCH_LIMIT = 50
SUMMARY_DAYS_MAX = 1_100
RISK_URGE_LEVEL = 4
RISK_URGES = ("suicide", "self_harm")
UNDO_WINDOW = timedelta(seconds=10)
PURGE_AFTER = timedelta(minutes=1)
# Phones' clocks drift; a few minutes ahead is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=5)
BACKDATE_LIMIT = timedelta(days=366)

EMOTIONS: dict[str, str] = {
    "joy": "Joy", "anger": "Anger", "sadness": "Sadness",
    "fear": "Fear", "shame": "Shame", "guilt": "Guilt",
}
URGES: dict[str, str] = {
    "suicide": "Suicide", "self_harm": "Self-harm",
    "substance_use": "Substance use", "quit_therapy": "Quit therapy",
}
# How each urge is named inside a sentence of an error message.
_URGE_PHRASES = {
    "suicide": "suicidal urges", "self_harm": "self-harm urges",
    "substance_use": "urges to use", "quit_therapy": "urges to quit therapy",
}

EMOTION_FIELDS = tuple(f"emotion_{key}" for key in EMOTIONS)
URGE_FIELDS = tuple(f"urge_{key}" for key in URGES)
ACTED_FIELDS = tuple(f"acted_{key}" for key in URGES)
# Diary fields stored one-to-one in JournalEntry columns of the same name.
_DIARY_COLUMNS = ("mood", "note", *EMOTION_FIELDS, *URGE_FIELDS, *ACTED_FIELDS, "craving",
                  "substance_what", "substance_amount", "medications_taken", "sleep_hours")

NOT_FOUND = "We couldn't find that entry. It may have been deleted."
TOO_LATE_TO_UNDO = "It's too late to undo that delete."
KEY_IN_USE = "This entry couldn't be saved. Please try again."
BAD_FORM = "Something went wrong with this form. Please try again."

_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3})?")
_ID = re.compile(r"[0-9]{1,19}")
_ID_MAX = 2**63 - 1


# --- checking what the browser sent -----------------------------------------

def check_rating(value: object, *, label: str, high: int, required: bool = False) -> int | None:
    """A whole number from 0 to `high`; None when blank and not required.

    Digit strings are accepted because HTML inputs send text; floats (5.5,
    NaN), booleans and anything else are refused.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"Please rate {label} from 0 to {high}.")
        return None
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"Please rate {label} with a whole number from 0 to {high}.")
    if not 0 <= value <= high:
        raise ValueError(f"Please rate {label} from 0 to {high}.")
    return value


def _check_yes_no(value: object, *, message: str, blank: bool | None) -> bool | None:
    if value is None:
        return blank
    if not isinstance(value, bool):
        raise ValueError(message)
    return value


def _check_sleep_hours(value: object) -> float | None:
    message = (f"Please enter hours of sleep from 0 to {SLEEP_HOURS_MAX}, "
               "in steps of half an hour (like 7.5).")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        value = float(value.strip())
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(message)
    # NaN fails every comparison, so it is refused here too.
    if not 0 <= value <= SLEEP_HOURS_MAX or (value * 2) % 1:
        raise ValueError(message)
    return float(value)


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def _clean_name(value: object, *, label: str, max_length: int) -> str:
    """A short single-line name: trimmed, inner spaces collapsed, NFC."""
    name = clean_text(value, label=label, max_length=max_length)
    return unicodedata.normalize("NFC", " ".join(name.split()))


def trigger_key(name: str) -> str:
    """What makes two trigger tags the same tag ("Work" == " work")."""
    return _name_key(" ".join(name.split()))


def _check_long_text(value: object, *, label: str, max_length: int) -> str:
    # Refuse oversized text before clean_text inspects every character of it.
    if isinstance(value, str) and len(value) > max_length and len(value.strip()) > max_length:
        raise ValueError(f"Your {label} is too long: please keep it to {max_length:,} characters "
                         f"(it has {len(value.strip()):,}).")
    return clean_text(value, label=label, max_length=max_length, required=False, multiline=True)


class _JournalForm(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class CustomEmotion(_JournalForm):
    name: str
    rating: int


class CustomUrge(_JournalForm):
    name: str
    rating: int
    acted_on: bool = False


def _reserved_names(items: Mapping[str, str]) -> set[str]:
    return {_name_key(word) for key, label in items.items()
            for word in (key, key.replace("_", " "), label)}


def _check_custom_items(value: object, *, noun: str, standard: Mapping[str, str],
                        with_acted_on: bool) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValueError(f"Please add your own {noun}s one at a time.")
    if len(value) > CUSTOM_ITEMS_MAX:
        raise ValueError(f"You can add up to {CUSTOM_ITEMS_MAX} of your own {noun}s.")
    taken = _reserved_names(standard)
    items = []
    for item in value:
        if not isinstance(item, Mapping):
            raise ValueError(f"Please add your own {noun}s one at a time.")
        name = _clean_name(item.get("name"), label=f"{noun} name", max_length=CUSTOM_NAME_MAX)
        if _name_key(name) in taken:
            raise ValueError(f'"{name}" is already on your card. Please use it only once.')
        taken.add(_name_key(name))
        high = URGE_MAX if with_acted_on else EMOTION_MAX
        checked: dict[str, Any] = {
            "name": name,
            "rating": check_rating(item.get("rating"), label=f'"{name}"', high=high,
                                   required=True),
        }
        if with_acted_on:
            checked["acted_on"] = _check_yes_no(
                item.get("acted_on"), blank=False,
                message=f'Please answer yes or no: did you act on "{name}"?')
        items.append(checked)
    return items


class CheckInForm(_JournalForm):
    """A quick check-in: overall mood and an optional one-line note."""

    mood: int
    note: str = ""

    @field_validator("mood", mode="before")
    @classmethod
    def _mood(cls, value: object) -> int | None:
        return check_rating(value, label="your mood", high=MOOD_MAX, required=True)

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: object) -> str:
        return clean_text(value, label="note", max_length=CHECKIN_NOTE_MAX, required=False)


class DiaryForm(_JournalForm):
    """A full diary-card entry. Blank ratings stay None: "not rated" is not 0."""

    mood: int | None = None
    note: str = ""
    emotion_joy: int | None = None
    emotion_anger: int | None = None
    emotion_sadness: int | None = None
    emotion_fear: int | None = None
    emotion_shame: int | None = None
    emotion_guilt: int | None = None
    urge_suicide: int | None = None
    acted_suicide: bool = False
    urge_self_harm: int | None = None
    acted_self_harm: bool = False
    urge_substance_use: int | None = None
    acted_substance_use: bool = False
    urge_quit_therapy: int | None = None
    acted_quit_therapy: bool = False
    custom_emotions: tuple[CustomEmotion, ...] = ()
    custom_urges: tuple[CustomUrge, ...] = ()
    craving: int | None = None
    substance_what: str = ""
    substance_amount: str = ""
    medications_taken: bool | None = None
    sleep_hours: float | None = None
    skills: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()

    @field_validator("mood", mode="before")
    @classmethod
    def _mood(cls, value: object) -> int | None:
        return check_rating(value, label="your mood", high=MOOD_MAX)

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: object) -> str:
        return _check_long_text(value, label="note", max_length=NOTE_MAX)

    @field_validator(*EMOTION_FIELDS, mode="before")
    @classmethod
    def _emotion(cls, value: object, info: ValidationInfo) -> int | None:
        label = EMOTIONS[info.field_name.removeprefix("emotion_")].lower()
        return check_rating(value, label=label, high=EMOTION_MAX)

    @field_validator(*URGE_FIELDS, mode="before")
    @classmethod
    def _urge(cls, value: object, info: ValidationInfo) -> int | None:
        return check_rating(value, label=_URGE_PHRASES[info.field_name.removeprefix("urge_")],
                            high=URGE_MAX)

    @field_validator(*ACTED_FIELDS, mode="before")
    @classmethod
    def _acted(cls, value: object, info: ValidationInfo) -> bool | None:
        phrase = _URGE_PHRASES[info.field_name.removeprefix("acted_")]
        return _check_yes_no(value, blank=False,
                             message=f"Please answer yes or no: did you act on {phrase}?")

    @field_validator("custom_emotions", mode="before")
    @classmethod
    def _custom_emotions(cls, value: object) -> list[dict[str, Any]]:
        return _check_custom_items(value, noun="emotion", standard=EMOTIONS, with_acted_on=False)

    @field_validator("custom_urges", mode="before")
    @classmethod
    def _custom_urges(cls, value: object) -> list[dict[str, Any]]:
        return _check_custom_items(value, noun="urge", standard=URGES, with_acted_on=True)

    @field_validator("craving", mode="before")
    @classmethod
    def _craving(cls, value: object) -> int | None:
        return check_rating(value, label="your craving", high=CRAVING_MAX)

    @field_validator("substance_what", mode="before")
    @classmethod
    def _substance_what(cls, value: object) -> str:
        return clean_text(value, label="substance", max_length=SUBSTANCE_TEXT_MAX,
                          required=False)

    @field_validator("substance_amount", mode="before")
    @classmethod
    def _substance_amount(cls, value: object) -> str:
        return clean_text(value, label="amount", max_length=SUBSTANCE_TEXT_MAX, required=False)

    @field_validator("medications_taken", mode="before")
    @classmethod
    def _medications(cls, value: object) -> bool | None:
        return _check_yes_no(value, blank=None, message=(
            "Please answer yes or no about your medications, or leave it blank."))

    @field_validator("sleep_hours", mode="before")
    @classmethod
    def _sleep(cls, value: object) -> float | None:
        return _check_sleep_hours(value)

    @field_validator("skills", mode="before")
    @classmethod
    def _skills(cls, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        message = "Please pick the skills you used from the list."
        if not isinstance(value, list | tuple) or len(value) > len(SKILLS_BY_KEY):
            raise ValueError(message)
        if not all(isinstance(key, str) and key in SKILLS_BY_KEY for key in value):
            raise ValueError(message)
        return tuple(dict.fromkeys(value))

    @field_validator("triggers", mode="before")
    @classmethod
    def _triggers(cls, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list | tuple):
            raise ValueError("Please add triggers one at a time.")
        if len(value) > TRIGGERS_PER_ENTRY_MAX:
            raise ValueError(f"Please use up to {TRIGGERS_PER_ENTRY_MAX} triggers for one entry.")
        names: dict[str, str] = {}
        for item in value:
            name = _clean_name(item, label="trigger", max_length=TRIGGER_MAX)
            names.setdefault(trigger_key(name), name)
        return tuple(names.values())


EntryContent = CheckInForm | DiaryForm
CONTENT_FORMS: dict[str, type[CheckInForm] | type[DiaryForm]] = {
    EntryKind.CHECKIN: CheckInForm,
    EntryKind.DIARY: DiaryForm,
}


def _check_moment(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value) <= 40:
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    if not isinstance(value, datetime):
        raise ValueError("Please pick a valid date and time.")
    if value.utcoffset() is None:
        raise ValueError("Please pick a valid date and time (with its time zone).")
    moment = value.astimezone(UTC)
    now = utcnow()
    if moment > now + FUTURE_TOLERANCE:
        raise ValueError("That time is in the future. Please pick a time up to now.")
    if moment < now - BACKDATE_LIMIT:
        raise ValueError("Entries can go back up to a year. Please pick a later date.")
    return moment


class NewEntryForm(_JournalForm):
    """What every new entry carries besides its content."""

    idempotency_key: str
    kind: EntryKind
    occurred_at: datetime | None = None

    @field_validator("idempotency_key", mode="before")
    @classmethod
    def _key(cls, value: object) -> str:
        try:
            if not isinstance(value, str) or len(value) > 45:
                raise ValueError
            return str(uuid.UUID(value.strip()))
        except ValueError:
            raise ValueError(BAD_FORM) from None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> EntryKind:
        if value not in CONTENT_FORMS:
            raise ValueError("Please choose a quick check-in or a diary card.")
        return EntryKind(value)

    @field_validator("occurred_at", mode="before")
    @classmethod
    def _occurred_at(cls, value: object) -> datetime | None:
        return _check_moment(value)


def risk_flag(content: EntryContent) -> bool:
    """True when suicidal or self-harm urges reach 4+ or either was acted on."""
    if not isinstance(content, DiaryForm):
        return False
    return any((getattr(content, f"urge_{key}") or 0) >= RISK_URGE_LEVEL
               or getattr(content, f"acted_{key}") for key in RISK_URGES)


def _parse_id(value: object) -> int | None:
    if isinstance(value, str) and _ID.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _ID_MAX:
        return None
    return value


# --- results ----------------------------------------------------------------

@dataclass(frozen=True)
class EntryView:
    """A saved entry as the patient's screens show it."""

    id: int
    kind: EntryKind
    idempotency_key: str
    occurred_at: datetime
    time_zone: str
    local_date: date
    version: int
    risk_flag: bool
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    content: EntryContent


@dataclass(frozen=True)
class Conflict:
    """An edit made from an old version: both sides, so the patient can choose."""

    stored: EntryView
    attempted: EntryContent


@dataclass(frozen=True)
class SaveResult:
    entry: EntryView | None = None
    created: bool = False
    errors: FieldErrors | None = None
    conflict: Conflict | None = None

    @property
    def ok(self) -> bool:
        return self.entry is not None and not self.errors and self.conflict is None


def _not_found() -> SaveResult:
    return SaveResult(errors={"form": NOT_FOUND})


# --- storage ----------------------------------------------------------------

def _apply_content(entry: JournalEntry, content: EntryContent) -> None:
    if isinstance(content, CheckInForm):
        entry.mood, entry.note = content.mood, content.note
    else:
        for name in _DIARY_COLUMNS:
            setattr(entry, name, getattr(content, name))
        entry.custom_emotions = [item.model_dump() for item in content.custom_emotions]
        entry.custom_urges = [item.model_dump() for item in content.custom_urges]
        entry.skills = list(content.skills)
    entry.risk_flag = risk_flag(content)


def _content_of(entry: JournalEntry, triggers: Sequence[str]) -> EntryContent:
    # model_construct: stored rows are trusted, and a later, stricter rule
    # must not make old entries unreadable.
    if entry.kind == EntryKind.CHECKIN:
        return CheckInForm.model_construct(mood=entry.mood, note=entry.note)
    return DiaryForm.model_construct(
        **{name: getattr(entry, name) for name in _DIARY_COLUMNS},
        custom_emotions=tuple(CustomEmotion.model_construct(**item)
                              for item in entry.custom_emotions),
        custom_urges=tuple(CustomUrge.model_construct(**item) for item in entry.custom_urges),
        skills=tuple(entry.skills),
        triggers=tuple(triggers),
    )


def _views(session: Session, entries: Sequence[JournalEntry]) -> list[EntryView]:
    triggers: dict[int, list[str]] = {entry.id: [] for entry in entries}
    if triggers:
        rows = session.exec(
            select(JournalEntryTrigger.entry_id, TriggerTag.name)
            .join(TriggerTag, TriggerTag.id == JournalEntryTrigger.tag_id)
            .where(col(JournalEntryTrigger.entry_id).in_(list(triggers)))
            .order_by(TriggerTag.name_key)
        ).all()
        for entry_id, name in rows:
            triggers[entry_id].append(name)
    return [
        EntryView(
            id=entry.id, kind=EntryKind(entry.kind), idempotency_key=entry.idempotency_key,
            occurred_at=entry.occurred_at, time_zone=entry.time_zone, local_date=entry.local_date,
            version=entry.version, risk_flag=entry.risk_flag, created_at=entry.created_at,
            updated_at=entry.updated_at, deleted_at=entry.deleted_at,
            content=_content_of(entry, triggers[entry.id]),
        )
        for entry in entries
    ]


def _view(session: Session, entry: JournalEntry) -> EntryView:
    return _views(session, [entry])[0]


def _set_triggers(session: Session, user_id: int, entry_id: int, names: Iterable[str]) -> None:
    wanted = {trigger_key(name): name for name in names}
    tags = {tag.name_key: tag for tag in session.exec(
        select(TriggerTag).where(TriggerTag.user_id == user_id,
                                 col(TriggerTag.name_key).in_(list(wanted)))
    ).all()} if wanted else {}
    for key, name in wanted.items():
        if key not in tags:
            tags[key] = TriggerTag(user_id=user_id, name=name, name_key=key)
            session.add(tags[key])
    session.flush()
    session.execute(delete(JournalEntryTrigger).where(
        col(JournalEntryTrigger.entry_id) == entry_id))
    session.add_all(JournalEntryTrigger(entry_id=entry_id, tag_id=tag.id) for tag in tags.values())


def _live_entry(session: Session, user_id: int, entry_id: int) -> JournalEntry | None:
    return session.exec(
        select(JournalEntry).where(JournalEntry.id == entry_id, JournalEntry.user_id == user_id,
                                   col(JournalEntry.deleted_at).is_(None))
        .with_for_update()
    ).first()


def _parse_new_entry(raw: object) -> tuple[NewEntryForm | None, EntryContent | None, FieldErrors]:
    meta, errors = parse_form(NewEntryForm, raw)
    kind = raw.get("kind") if isinstance(raw, Mapping) else None
    model = CONTENT_FORMS.get(kind) if isinstance(kind, str) else None
    content, content_errors = parse_form(model, raw) if model else (None, {})
    return meta, content, {**content_errors, **errors}


def _insert_entry(user_id: int, time_zone: str, meta: NewEntryForm,
                  content: EntryContent) -> SaveResult:
    with db.transaction() as session:
        existing = session.exec(select(JournalEntry).where(
            JournalEntry.idempotency_key == meta.idempotency_key)).first()
        if existing is not None:
            if existing.user_id != user_id:
                return SaveResult(errors={"form": KEY_IN_USE})
            return SaveResult(entry=_view(session, existing), created=False)
        now = utcnow()
        occurred_at = meta.occurred_at or now
        entry = JournalEntry(
            user_id=user_id, idempotency_key=meta.idempotency_key, kind=meta.kind.value,
            occurred_at=occurred_at, time_zone=time_zone,
            local_date=local_date_of(occurred_at, time_zone), created_at=now, updated_at=now,
        )
        _apply_content(entry, content)
        session.add(entry)
        session.flush()
        if isinstance(content, DiaryForm):
            _set_triggers(session, user_id, entry.id, content.triggers)
        return SaveResult(entry=_view(session, entry), created=True)


def save_entry(user_id: int, time_zone: str, raw: object) -> SaveResult:
    """Save a new check-in or diary entry, once per idempotency key.

    A resend with a key this patient already used returns the stored entry
    (created=False) instead of a second row; a key used by anyone else is
    refused without saying more. `time_zone` is the patient's zone now, which
    fixes the entry's local date. Nothing is saved unless every field is valid.
    """
    try:
        time_zone = check_time_zone(time_zone)
    except ValueError as exc:
        return SaveResult(errors={"time_zone": str(exc)})
    meta, content, errors = _parse_new_entry(raw)
    if meta is None or content is None:
        return SaveResult(errors=errors)
    try:
        return _insert_entry(user_id, time_zone, meta, content)
    except IntegrityError:
        # SQLite queues writers, but on PostgreSQL a simultaneous resend (or a
        # new tag) can lose the unique-key race; a second try finds the winner.
        return _insert_entry(user_id, time_zone, meta, content)


def update_entry(user_id: int, entry_id: object, expected_version: object,
                 raw: object) -> SaveResult:
    """Replace the content of one of the patient's own entries.

    Its kind, moment and local date stay as they were. When `expected_version`
    is not the stored version (another device saved first), nothing is saved
    and the result carries a Conflict with both versions, unless the content
    is exactly what is stored (the same edit sent twice).
    """
    entry_pk = _parse_id(entry_id)
    if entry_pk is None:
        return _not_found()
    with db.transaction() as session:
        entry = _live_entry(session, user_id, entry_pk)
        if entry is None:
            return _not_found()
        content, errors = parse_form(CONTENT_FORMS[entry.kind], raw)
        if content is None:
            return SaveResult(errors=errors)
        if _parse_id(expected_version) != entry.version:
            stored = _view(session, entry)
            if stored.content == content:
                # A resend of an edit that already landed (double tap, reconnect).
                return SaveResult(entry=stored)
            return SaveResult(conflict=Conflict(stored=stored, attempted=content))
        _apply_content(entry, content)
        entry.version += 1
        entry.updated_at = utcnow()
        session.add(entry)
        session.flush()
        if isinstance(content, DiaryForm):
            _set_triggers(session, user_id, entry.id, content.triggers)
        return SaveResult(entry=_view(session, entry))


def _purge(session: Session, before: datetime, user_id: int | None = None) -> int:
    statement = delete(JournalEntry).where(col(JournalEntry.deleted_at) < before)
    if user_id is not None:
        statement = statement.where(col(JournalEntry.user_id) == user_id)
    return session.execute(statement).rowcount


def delete_entry(user_id: int, entry_id: object) -> SaveResult:
    """Hide one of the patient's entries; `restore_entry` can undo it for 10 seconds."""
    entry_pk = _parse_id(entry_id)
    if entry_pk is None:
        return _not_found()
    now = utcnow()
    with db.transaction() as session:
        # No scheduler runs purge_deleted_entries yet, so each delete also
        # clears this patient's own expired deletes.
        _purge(session, now - PURGE_AFTER, user_id)
        entry = _live_entry(session, user_id, entry_pk)
        if entry is None:
            return _not_found()
        entry.deleted_at = now
        session.add(entry)
        return SaveResult(entry=_view(session, entry))


def restore_entry(user_id: int, entry_id: object) -> SaveResult:
    """Undo a delete made in the last 10 seconds."""
    entry_pk = _parse_id(entry_id)
    if entry_pk is None:
        return _not_found()
    with db.transaction() as session:
        entry = session.exec(
            select(JournalEntry).where(JournalEntry.id == entry_pk,
                                       JournalEntry.user_id == user_id,
                                       col(JournalEntry.deleted_at).is_not(None))
            .with_for_update()
        ).first()
        if entry is None:
            return _not_found()
        if utcnow() - entry.deleted_at > UNDO_WINDOW:
            return SaveResult(errors={"form": TOO_LATE_TO_UNDO})
        entry.deleted_at = None
        session.add(entry)
        return SaveResult(entry=_view(session, entry))


def purge_deleted_entries() -> int:
    """Erase every entry deleted more than a minute ago; returns how many."""
    with db.transaction() as session:
        return _purge(session, utcnow() - PURGE_AFTER)


# --- reading ----------------------------------------------------------------

def _live_entries(user_id: int) -> SelectOfScalar[JournalEntry]:
    return select(JournalEntry).where(JournalEntry.user_id == user_id,
                                      col(JournalEntry.deleted_at).is_(None))


def _newest_first(statement: SelectOfScalar[JournalEntry]) -> SelectOfScalar[JournalEntry]:
    return statement.order_by(col(JournalEntry.occurred_at).desc(), col(JournalEntry.id).desc())


def get_entry(user_id: int, entry_id: object) -> EntryView | None:
    """One of the patient's own entries, or None (for anyone else's id too)."""
    entry_pk = _parse_id(entry_id)
    if entry_pk is None:
        return None
    with db.transaction() as session:
        entry = session.exec(_live_entries(user_id).where(JournalEntry.id == entry_pk)).first()
        return _view(session, entry) if entry else None


def entries_for_week(user_id: int, week_start: date) -> list[EntryView]:
    """The patient's entries in the local Monday-Sunday week holding `week_start`, newest first."""
    days = week_days(week_start)
    with db.transaction() as session:
        entries = session.exec(_newest_first(_live_entries(user_id).where(
            col(JournalEntry.local_date) >= days[0], col(JournalEntry.local_date) <= days[-1]))
        ).all()
        return _views(session, entries)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search_term(value: object, *, label: str, max_length: int) -> str | None:
    """The cleaned term, "" when blank, None when it can't match anything."""
    try:
        return clean_text(value, label=label, max_length=max_length, required=False)
    except ValueError:
        return None


def search_entries(user_id: int, text: object = "", *, trigger: object = None,
                   limit: int = SEARCH_LIMIT) -> list[EntryView]:
    """The patient's entries whose note contains `text` (any case) and/or that
    carry the trigger tag `trigger`, newest first."""
    term = _search_term(text, label="search", max_length=SEARCH_TEXT_MAX)
    tag = _search_term(trigger, label="trigger", max_length=TRIGGER_MAX)
    if term is None or tag is None or not (term or tag):
        return []
    statement = _live_entries(user_id)
    if term:
        statement = statement.where(
            col(JournalEntry.note).ilike(f"%{_escape_like(term)}%", escape="\\"))
    if tag:
        statement = (statement
                     .join(JournalEntryTrigger, JournalEntryTrigger.entry_id == JournalEntry.id)
                     .join(TriggerTag, TriggerTag.id == JournalEntryTrigger.tag_id)
                     .where(TriggerTag.user_id == user_id,
                            TriggerTag.name_key == trigger_key(tag)))
    with db.transaction() as session:
        entries = session.exec(_newest_first(statement).limit(limit)).all()
        return _views(session, entries)


def trigger_tags(user_id: int) -> list[str]:
    """The patient's trigger tags, for picking one again, in alphabetical order."""
    with db.transaction() as session:
        return list(session.exec(
            select(TriggerTag.name).where(TriggerTag.user_id == user_id)
            .order_by(TriggerTag.name_key)
        ).all())


# --- per-day aggregates -----------------------------------------------------

@dataclass(frozen=True)
class DailySummary:
    """One local day of a patient's journal; ratings are the day's highest.

    Patient-named items are keyed by their name as first written that day.
    """

    local_date: date
    entry_count: int
    diary_count: int
    mood_average: float | None
    mood_min: int | None
    mood_max: int | None
    emotions: dict[str, int]
    urges: dict[str, int]
    acted_on: frozenset[str]
    custom_emotions: dict[str, int]
    custom_urges: dict[str, int]
    custom_acted_on: frozenset[str]
    craving: int | None
    sleep_hours: float | None
    medications_taken: bool | None
    skills_used: frozenset[str]
    risk_flag: bool

    @property
    def any_acted_on(self) -> bool:
        return bool(self.acted_on or self.custom_acted_on)


_SUMMARY_COLUMNS = tuple(
    getattr(JournalEntry, name) for name in (
        "local_date", "kind", "mood", *EMOTION_FIELDS, *URGE_FIELDS, *ACTED_FIELDS,
        "custom_emotions", "custom_urges", "craving", "sleep_hours", "medications_taken",
        "skills", "risk_flag",
    )
)


def _highest(pairs: Iterable[tuple[str, int | None]]) -> dict[str, int]:
    """Highest rating per name; names that differ only in case are one item."""
    labels: dict[str, str] = {}
    best: dict[str, int] = {}
    for name, rating in pairs:
        if rating is None:
            continue
        key = _name_key(name)
        labels.setdefault(key, name)
        best[key] = max(best.get(key, rating), rating)
    return {labels[key]: rating for key, rating in best.items()}


def _first_spellings(names: Iterable[str]) -> dict[str, str]:
    """Name key -> the first spelling seen, so "Numb" and "numb" are one item."""
    spellings: dict[str, str] = {}
    for name in names:
        spellings.setdefault(_name_key(name), name)
    return spellings


def _max_or_none(values: Iterable[Any]) -> Any:
    present = [value for value in values if value is not None]
    return max(present) if present else None


def _summarise(day: date, rows: Sequence[Mapping[str, Any]]) -> DailySummary:
    diary = [row for row in rows if row["kind"] == EntryKind.DIARY]
    moods = [row["mood"] for row in rows if row["mood"] is not None]
    medications = {row["medications_taken"] for row in diary} - {None}
    return DailySummary(
        local_date=day,
        entry_count=len(rows),
        diary_count=len(diary),
        mood_average=sum(moods) / len(moods) if moods else None,
        mood_min=min(moods) if moods else None,
        mood_max=max(moods) if moods else None,
        emotions=_highest((key, row[f"emotion_{key}"]) for row in diary for key in EMOTIONS),
        urges=_highest((key, row[f"urge_{key}"]) for row in diary for key in URGES),
        acted_on=frozenset(key for row in diary for key in URGES if row[f"acted_{key}"]),
        custom_emotions=_highest((item["name"], item["rating"])
                                 for row in diary for item in row["custom_emotions"]),
        custom_urges=_highest((item["name"], item["rating"])
                              for row in diary for item in row["custom_urges"]),
        custom_acted_on=frozenset(_first_spellings(
            item["name"] for row in diary for item in row["custom_urges"] if item["acted_on"]
        ).values()),
        craving=_max_or_none(row["craving"] for row in diary),
        sleep_hours=_max_or_none(row["sleep_hours"] for row in diary),
        medications_taken=(True in medications) if medications else None,
        skills_used=frozenset(key for row in diary for key in row["skills"]),
        risk_flag=any(row["risk_flag"] for row in rows),
    )


def daily_summaries(user_id: int, start_date: date, end_date: date) -> list[DailySummary]:
    """One summary per local day from `start_date` to `end_date` inclusive.

    Days without entries are included (entry_count 0, ratings None/empty), so
    charts show gaps as gaps. Raises ValueError for a reversed range or one
    longer than SUMMARY_DAYS_MAX days.
    """
    day_count = (end_date - start_date).days + 1
    if not 1 <= day_count <= SUMMARY_DAYS_MAX:
        raise ValueError(f"A summary covers 1 to {SUMMARY_DAYS_MAX} days, not {day_count}.")
    by_day: dict[date, list[Mapping[str, Any]]] = {
        start_date + timedelta(days=offset): [] for offset in range(day_count)}
    with db.transaction() as session:
        rows = session.execute(
            select(*_SUMMARY_COLUMNS).where(
                JournalEntry.user_id == user_id,
                col(JournalEntry.local_date) >= start_date,
                col(JournalEntry.local_date) <= end_date,
                col(JournalEntry.deleted_at).is_(None),
            )
        ).mappings().all()
    for row in rows:
        by_day[row["local_date"]].append(row)
    return [_summarise(day, day_rows) for day, day_rows in by_day.items()]


Cell = int | float | bool | None


@dataclass(frozen=True)
class GridRow:
    """One line of the diary card; `cells` runs Monday to Sunday.

    kind: "rating" (0..scale_max, highest of the day), "acted_on" (any that
    day), "average" (mood), "hours", "yes_no" or "count" (skills used).
    """

    key: str
    label: str
    kind: Literal["rating", "acted_on", "average", "hours", "yes_no", "count"]
    scale_max: int | None
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class WeekGrid:
    week_start: date
    days: tuple[date, ...]
    rows: tuple[GridRow, ...]

    def row(self, key: str) -> GridRow:
        return next(row for row in self.rows if row.key == key)


def _keyed(names: Mapping[str, int] | frozenset[str]) -> dict[str, Any]:
    return {_name_key(name): names[name] if isinstance(names, Mapping) else True
            for name in names}


def diary_card_week(user_id: int, week_start: date) -> WeekGrid:
    """The classic diary-card grid for the local Monday-Sunday week holding `week_start`.

    Ratings are the day's highest and "acted on" is whether any entry said yes;
    mood is the day's average, because its highest would hide a low moment.
    A cell is None when the day has nothing for that item (acted-on and
    skills rows need a diary entry that day).
    """
    days = week_days(week_start)
    summaries = daily_summaries(user_id, days[0], days[-1])
    has_diary = [summary.diary_count > 0 for summary in summaries]
    rows: list[GridRow] = []

    def add_urge(key: str, label: str, ratings: Sequence[Cell], acted: Sequence[bool]) -> None:
        rows.append(GridRow(f"urge.{key}", f"Urge: {label}", "rating", URGE_MAX, tuple(ratings)))
        rows.append(GridRow(f"acted.{key}", f"Acted on: {label}", "acted_on", None, tuple(
            yes if diary else None for yes, diary in zip(acted, has_diary, strict=True))))

    for key, label in URGES.items():
        add_urge(key, label, [s.urges.get(key) for s in summaries],
                 [key in s.acted_on for s in summaries])
    custom_urges = [_keyed(s.custom_urges) for s in summaries]
    custom_acted = [_keyed(s.custom_acted_on) for s in summaries]
    for key, label in _first_spellings(n for s in summaries for n in s.custom_urges).items():
        add_urge(f"custom.{key}", label, [day.get(key) for day in custom_urges],
                 [key in day for day in custom_acted])
    for key, label in EMOTIONS.items():
        rows.append(GridRow(f"emotion.{key}", label, "rating", EMOTION_MAX,
                            tuple(s.emotions.get(key) for s in summaries)))
    custom_emotions = [_keyed(s.custom_emotions) for s in summaries]
    for key, label in _first_spellings(n for s in summaries for n in s.custom_emotions).items():
        rows.append(GridRow(f"emotion.custom.{key}", label, "rating", EMOTION_MAX,
                            tuple(day.get(key) for day in custom_emotions)))
    rows += [
        GridRow("craving", "Craving", "rating", CRAVING_MAX, tuple(s.craving for s in summaries)),
        GridRow("mood", "Mood (average)", "average", MOOD_MAX, tuple(
            None if s.mood_average is None else round(s.mood_average, 1) for s in summaries)),
        GridRow("sleep_hours", "Sleep (hours)", "hours", SLEEP_HOURS_MAX,
                tuple(s.sleep_hours for s in summaries)),
        GridRow("medications_taken", "Medications taken", "yes_no", None,
                tuple(s.medications_taken for s in summaries)),
        GridRow("skills_used", "Skills used", "count", len(SKILLS_BY_KEY), tuple(
            len(s.skills_used) if diary else None
            for s, diary in zip(summaries, has_diary, strict=True))),
    ]
    return WeekGrid(week_start=days[0], days=days, rows=tuple(rows))
