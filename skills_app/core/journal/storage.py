"""Saving and reading journal entries.

Owns the journal's data access: saving each entry exactly once per
client-made idempotency key, edits guarded by a version number (a stale one
comes back as a conflict with both versions), soft delete with a short undo,
trigger tags, and reading entries back by id, week or search.

Every function takes the patient's user id as its first argument; callers pass
the id of the server-side session, never one found in form data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Connection, Executable, delete, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from skills_app.core import db, risk
from skills_app.core.clock import utcnow
from skills_app.core.dates import local_date_of, week_days
from skills_app.core.journal.validation import (
    EMPTY_CARD,
    TRIGGER_MAX,
    CheckInForm,
    CustomEmotion,
    CustomUrge,
    DiaryForm,
    EntryContent,
    NewEntryForm,
    content_form,
    diary_form_model,
    parse_id,
    risk_flag,
    risk_route,
    trigger_key,
)
from skills_app.core.models import EntryKind, JournalEntry, JournalEntryTrigger, TriggerTag
from skills_app.core.problems import Problem, ProblemError
from skills_app.core.schemas import (
    FieldErrors,
    check_time_zone,
    clean_text,
    fold_case,
    parse_form,
)

SEARCH_TEXT_MAX = 200
SEARCH_LIMIT = 50
UNDO_WINDOW = timedelta(seconds=10)
PURGE_AFTER = timedelta(minutes=1)

# What can go wrong with a save, as facts (sentences: text/words/journal.py).
NOT_FOUND = Problem("entry_not_found")
TOO_LATE_TO_UNDO = Problem("too_late_to_undo")
KEY_IN_USE = Problem("entry_key_in_use")
DELETED_ELSEWHERE = Problem("deleted_elsewhere")


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

def _content_values(content: EntryContent) -> dict[str, object]:
    """The columns an entry's content fills (a check-in leaves the diary items blank)."""
    if isinstance(content, CheckInForm):
        values: dict[str, object] = {"mood": content.mood, "custom_emotions": [],
                                     "custom_urges": [], "skills": []}
    else:
        values = {name: getattr(content, name) for name in content.diary_card.fields()}
        values.update(
            custom_emotions=[item.model_dump() for item in content.custom_emotions],
            custom_urges=[item.model_dump() for item in content.custom_urges],
            skills=list(content.skills))
    values.update(note=content.note, risk_flag=risk_flag(content))
    return values


def _apply_content(entry: JournalEntry, content: EntryContent) -> None:
    for name, value in _content_values(content).items():
        setattr(entry, name, value)


def _content_of(entry: JournalEntry, triggers: Sequence[str]) -> EntryContent:
    # model_construct: stored rows are trusted, and a later, stricter rule
    # must not make old entries unreadable.
    if entry.kind == EntryKind.CHECKIN:
        return CheckInForm.model_construct(mood=entry.mood, note=entry.note)
    model = diary_form_model()
    return model.model_construct(
        **{name: getattr(entry, name) for name in model.diary_card.fields()},
        note=entry.note,
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
    model = content_form(raw.get("kind")) if isinstance(raw, Mapping) else None
    content, content_errors = parse_form(model, raw) if model else (None, {})
    return meta, content, {**content_errors, **errors}


@lru_cache(maxsize=4)
def _insert_statement(dialect: str) -> Executable:
    """INSERT ... ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, compiled once."""
    table = JournalEntry.__table__
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    return (statement.on_conflict_do_nothing(index_elements=[table.c.idempotency_key])
            .returning(table.c.id))


def _insert_row(connection: Connection, row: dict[str, object]) -> int | None:
    """The new entry's id, or None when its idempotency key is already stored."""
    # all(): the statement runs to its end, so a one-statement write has committed.
    found = connection.execute(_insert_statement(connection.dialect.name), row).all()
    return found[0][0] if found else None


def _stated_today(raw: object) -> object:
    """The day the page decided the risk prompts on (the diary form's `today`)."""
    return raw.get(risk.TODAY) if isinstance(raw, Mapping) else None


def _insert_entry(user_id: int, time_zone: str, meta: NewEntryForm,
                  content: EntryContent, stated_today: object) -> SaveResult:
    now = utcnow()
    occurred_at = meta.occurred_at or now
    row = {
        "user_id": user_id, "idempotency_key": meta.idempotency_key, "kind": meta.kind.value,
        "occurred_at": occurred_at, "time_zone": time_zone,
        "local_date": local_date_of(occurred_at, time_zone), "version": 1,
        "created_at": now, "updated_at": now, **_content_values(content),
    }
    if isinstance(content, CheckInForm):
        # The hottest write of the app: a new check-in is one INSERT, its own
        # transaction, with no ORM object built and nothing read back.
        with db.one_statement(writes=True) as connection:
            entry_id = _insert_row(connection, row)
        if entry_id is not None:
            return SaveResult(created=True, entry=EntryView(
                id=entry_id, kind=meta.kind, idempotency_key=meta.idempotency_key,
                occurred_at=occurred_at, time_zone=time_zone, local_date=row["local_date"],
                version=1, risk_flag=bool(row["risk_flag"]), created_at=now, updated_at=now,
                deleted_at=None, content=content))
    with db.transaction() as session:
        entry_id = _insert_row(session.connection(), row)
        if entry_id is None:
            existing = session.exec(select(JournalEntry).where(
                JournalEntry.idempotency_key == meta.idempotency_key).with_for_update()).one()
            if existing.user_id != user_id or existing.kind != meta.kind.value:
                return SaveResult(errors={"form": KEY_IN_USE})
            return _resend(session, existing, content, stated_today)
        if isinstance(content, DiaryForm):
            _set_triggers(session, user_id, entry_id, content.triggers)
        _log_risk(session, user_id, entry_id, content, now,
                  risk.days_of_entry(row["local_date"], stated_today, time_zone))
        # Read back: trigger tags keep the spelling they were first saved with.
        return SaveResult(entry=_view(session, session.get(JournalEntry, entry_id)),
                          created=True)


def _resend(session: Session, entry: JournalEntry, content: EntryContent,
            stated_today: object) -> SaveResult:
    """The same entry sent again (its answer was lost, or a double tap).

    The same content returns the stored entry. Changed content is this device
    going on editing an entry it believes unsaved, so it is stored as an edit;
    but if another device edited the entry meanwhile, both versions come back
    as a conflict. Nothing sent is ever silently dropped.
    """
    stored = _view(session, entry)
    if stored.content == content:
        return SaveResult(entry=stored, created=False)
    if entry.deleted_at is not None:
        return SaveResult(errors={"form": DELETED_ELSEWHERE})
    if entry.version != 1:
        return SaveResult(conflict=Conflict(stored=stored, attempted=content))
    _store_edit(session, entry, content, stated_today)
    return SaveResult(entry=_view(session, entry), created=False)


def _log_risk(session: Session, user_id: int, entry_id: int, content: EntryContent,
              at: datetime, days: Mapping[str, str]) -> None:
    """Log the risk prompts this save showed (`days`: the entry's day and the day
    the page decided on, `risk.days_of_entry`). Add-only: an edit that lowers an
    urge adds nothing and removes nothing."""
    risk.record_route(session, user_id=user_id, source=risk.Source.DIARY_CARD,
                      risk=risk_route(content, days), at=at, source_id=entry_id)


def _store_edit(session: Session, entry: JournalEntry, content: EntryContent,
                stated_today: object) -> None:
    _apply_content(entry, content)
    entry.version += 1
    entry.updated_at = utcnow()
    session.add(entry)
    session.flush()
    if isinstance(content, DiaryForm):
        _set_triggers(session, entry.user_id, entry.id, content.triggers)
    _log_risk(session, entry.user_id, entry.id, content, entry.updated_at,
              risk.days_of_entry(entry.local_date, stated_today, entry.time_zone))


def save_entry(user_id: int, time_zone: str, raw: object) -> SaveResult:
    """Save a new check-in or diary entry, once per idempotency key.

    A resend with a key this patient already used never makes a second row:
    the same content returns the stored entry (created=False), changed content
    is stored as an edit of it (or a conflict, see `_resend`). A key used by
    anyone else is refused without saying more. `time_zone` is the patient's zone now, which
    fixes the entry's local date. Nothing is saved unless every field is valid.
    """
    try:
        time_zone = check_time_zone(time_zone)
    except ProblemError as exc:
        return SaveResult(errors={"time_zone": exc.problem})
    meta, content, errors = _parse_new_entry(raw)
    if meta is None or content is None:
        return SaveResult(errors=errors)
    if isinstance(content, DiaryForm) and content.is_empty():
        return SaveResult(errors={"form": EMPTY_CARD})
    try:
        return _insert_entry(user_id, time_zone, meta, content, _stated_today(raw))
    except IntegrityError:
        # SQLite queues writers, but on PostgreSQL a simultaneous resend (or a
        # new tag) can lose the unique-key race; a second try finds the winner.
        return _insert_entry(user_id, time_zone, meta, content, _stated_today(raw))


def update_entry(user_id: int, entry_id: object, expected_version: object,
                 raw: object) -> SaveResult:
    """Replace the content of one of the patient's own entries.

    Its kind, moment and local date stay as they were. When `expected_version`
    is not the stored version (another device saved first), nothing is saved
    and the result carries a Conflict with both versions, unless the content
    is exactly what is stored (the same edit sent twice).
    """
    entry_pk = parse_id(entry_id)
    if entry_pk is None:
        return _not_found()
    with db.transaction() as session:
        entry = _live_entry(session, user_id, entry_pk)
        if entry is None:
            return _not_found()
        content, errors = parse_form(content_form(entry.kind), raw)
        if content is None:
            return SaveResult(errors=errors)
        if isinstance(content, DiaryForm) and content.is_empty():
            return SaveResult(errors={"form": EMPTY_CARD})
        if parse_id(expected_version) != entry.version:
            stored = _view(session, entry)
            if stored.content == content:
                # A resend of an edit that already landed (double tap, reconnect).
                return SaveResult(entry=stored)
            return SaveResult(conflict=Conflict(stored=stored, attempted=content))
        _store_edit(session, entry, content, _stated_today(raw))
        return SaveResult(entry=_view(session, entry))


def _purge(session: Session, before: datetime) -> int:
    return session.execute(
        delete(JournalEntry).where(col(JournalEntry.deleted_at) < before)).rowcount


def delete_entry(user_id: int, entry_id: object) -> SaveResult:
    """Hide one of the patient's entries; `restore_entry` can undo it for 10 seconds."""
    entry_pk = parse_id(entry_id)
    if entry_pk is None:
        return _not_found()
    now = utcnow()
    with db.transaction() as session:
        entry = _live_entry(session, user_id, entry_pk)
        if entry is None:
            return _not_found()
        entry.deleted_at = now
        session.add(entry)
        return SaveResult(entry=_view(session, entry))


def restore_entry(user_id: int, entry_id: object) -> SaveResult:
    """Undo a delete made in the last 10 seconds."""
    entry_pk = parse_id(entry_id)
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
    """Erase every entry deleted more than a minute ago; returns how many.

    The app runs this at start and every minute (skills_app.py).
    """
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
    entry_pk = parse_id(entry_id)
    if entry_pk is None:
        return None
    with db.read() as session:
        entry = session.exec(_live_entries(user_id).where(JournalEntry.id == entry_pk)).first()
        return _view(session, entry) if entry else None


def entries_for_week(user_id: int, week_start: date) -> list[EntryView]:
    """The patient's entries in the local Monday-Sunday week holding `week_start`, newest first."""
    days = week_days(week_start)
    with db.read() as session:
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
    """The patient's entries whose note contains `text` and/or that carry the
    trigger tag `trigger`, newest first.

    Case is ignored in every script ("ÉTÉ" finds "été", "STRASSE" finds
    "Straße"), on SQLite and PostgreSQL alike.
    """
    term = _search_term(text, label="search", max_length=SEARCH_TEXT_MAX)
    tag = _search_term(trigger, label="trigger", max_length=TRIGGER_MAX)
    if term is None or tag is None or not (term or tag):
        return []
    statement = _live_entries(user_id)
    if term:
        # Escaped after folding: folding can make a "%" (from a full-width "％").
        statement = statement.where(db.folded(col(JournalEntry.note)).like(
            f"%{_escape_like(fold_case(term))}%", escape="\\"))
    if tag:
        statement = (statement
                     .join(JournalEntryTrigger, JournalEntryTrigger.entry_id == JournalEntry.id)
                     .join(TriggerTag, TriggerTag.id == JournalEntryTrigger.tag_id)
                     .where(TriggerTag.user_id == user_id,
                            TriggerTag.name_key == trigger_key(tag)))
    with db.read() as session:
        entries = session.exec(_newest_first(statement).limit(limit)).all()
        return _views(session, entries)


def first_entry_day(user_id: int) -> date | None:
    """The local day of the patient's earliest live entry (None without entries)."""
    with db.read() as session:
        return session.exec(
            select(func.min(JournalEntry.local_date)).where(
                JournalEntry.user_id == user_id, col(JournalEntry.deleted_at).is_(None))
        ).one()


def trigger_tags(user_id: int) -> list[str]:
    """The patient's trigger tags, for picking one again, in alphabetical order."""
    with db.read() as session:
        return list(session.exec(
            select(TriggerTag.name).where(TriggerTag.user_id == user_id)
            .order_by(TriggerTag.name_key)
        ).all())
