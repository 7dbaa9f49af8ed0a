"""What a patient chose about reminders, read and written safely; their sent log;
what is due on Today; the one kind question after the first check-in; and the
secret links (calendar feed) they may make and revoke.

- Everything is off until the patient turns it on: no rows means off, and a
  preference row is only written when they save or answer the question.
- A save is all or nothing: every field is checked first and each wrong one
  gets its own problem; nothing is written unless all are right.
- Any change to a kind's setting, and any change of the preferences (quiet
  hours, cap, wording, channels), sets that patient's `next_due_at` cursors to
  NULL: the scheduler (`core/reminders.py`) recomputes NULL cursors itself, so
  this module never decides when a reminder is due.
- The group kinds are offered only to a patient on a track (`core/schedule.py`),
  homework only while they have homework this week (`core/homework.py`); a kind
  already on stays listed so it can be turned off.
- Email can be chosen only when the server has SMTP set up
  (`core/reminder_email.py`) and the account has an address.
- The calendar feed's and the email link's tokens are secrets of which only the
  SHA-256 is stored (`reminder_preference.calendar_token_hash`,
  `email_token_hash`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, exists, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from skills_app.core import db, homework, notify, reminders, schedule
from skills_app.core.clock import utcnow
from skills_app.core.dates import local_date_of
from skills_app.core.models import (
    DeliveryStatus,
    EntryKind,
    JournalEntry,
    ReminderDelivery,
    ReminderKind,
    ReminderPreference,
    ReminderSetting,
    User,
)
from skills_app.core.problems import FieldProblems, Problem, ProblemError

# The order the page lists the kinds in.
KINDS: tuple[str, ...] = (ReminderKind.CHECKIN, ReminderKind.PRACTICE, ReminderKind.MINDFULNESS,
                          ReminderKind.CHECKUP, ReminderKind.HOMEWORK,
                          ReminderKind.GROUP_EVENING, ReminderKind.GROUP_HOUR)
GROUP_KINDS = frozenset({ReminderKind.GROUP_EVENING, ReminderKind.GROUP_HOUR})
# Kinds with a time of day and days of the week. The group kinds follow the track:
# "the evening before" has a time only, "an hour before" neither.
TIMED_KINDS = frozenset(KINDS) - GROUP_KINDS
HAS_TIME = TIMED_KINDS | {ReminderKind.GROUP_EVENING}
ALL_DAYS: tuple[int, ...] = tuple(range(7))
DEFAULT_MINUTE = 19 * 60
CAP_RANGE = (1, 10)
DEFAULT_CAP = 3
# The sent log shows this many of the latest reminders.
LOG_MAX = 50

# What can be wrong, as facts (their sentences: skills_app/text/words/reminders.py).
BAD_FORM = Problem("reminder_bad_form")
BAD_TIME = Problem("reminder_bad_time")
NO_DAYS = Problem("reminder_no_days")
QUIET_SAME = Problem("reminder_quiet_same")
CAP_OUT = Problem("reminder_cap_range", low=CAP_RANGE[0], high=CAP_RANGE[1])
BAD_WORDING = Problem("reminder_bad_wording")
NO_EMAIL = Problem("reminder_email_unavailable")


@dataclass(frozen=True)
class KindSetting:
    kind: str
    enabled: bool
    minute: int
    weekdays: tuple[int, ...]


@dataclass(frozen=True)
class Preferences:
    quiet_start: int | None
    quiet_end: int | None
    daily_cap: int
    wording: str
    by_push: bool
    by_email: bool


DEFAULT_PREFERENCES = Preferences(None, None, DEFAULT_CAP, notify.DEFAULT_WORDING, True, False)


@dataclass(frozen=True)
class ReminderChoices:
    """What the reminders page shows: the kinds offered to this patient (in order),
    the preferences, whether email can be chosen, and whether a feed link exists."""

    kinds: tuple[KindSetting, ...]
    preferences: Preferences
    email_possible: bool
    calendar_on: bool
    address: str = ""


@dataclass(frozen=True)
class _Form:
    kinds: tuple[KindSetting, ...]
    preferences: Preferences


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token_hash(token: object) -> str | None:
    """The hash to look a secret link's token up by; None for anything that cannot be
    one of ours (not text, too short or too long), without a query."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return token_hash(token)


def _email_ready() -> bool:
    # Imported here: the email module registers its sender at import, and reading
    # settings must not depend on it.
    from skills_app.core import reminder_email

    return reminder_email.configured()


# --- reading ---------------------------------------------------------------------------

def _offered(user_id: int, enabled: set[str]) -> tuple[str, ...]:
    on_track = schedule.patient_track_now(user_id) is not None
    has_homework = bool(homework.patient_week(user_id))
    return tuple(kind for kind in KINDS if kind in enabled
                 or (kind not in GROUP_KINDS and kind != ReminderKind.HOMEWORK)
                 or (kind in GROUP_KINDS and on_track)
                 or (kind == ReminderKind.HOMEWORK and has_homework))


def _rows(session: db.Session, user_id: int) -> tuple[dict[str, ReminderSetting],
                                                       ReminderPreference | None]:
    settings = {row.kind: row for row in session.exec(
        select(ReminderSetting).where(ReminderSetting.user_id == user_id)).all()}
    return settings, session.get(ReminderPreference, user_id)


def _kind_setting(kind: str, row: ReminderSetting | None) -> KindSetting:
    if row is None:
        return KindSetting(kind, False, DEFAULT_MINUTE, ALL_DAYS)
    return KindSetting(kind, row.enabled, row.minute, tuple(sorted(row.weekdays)))


def _preferences(row: ReminderPreference | None) -> Preferences:
    if row is None:
        return DEFAULT_PREFERENCES
    wording = row.wording if row.wording in notify.WORDINGS else notify.DEFAULT_WORDING
    return Preferences(row.quiet_start, row.quiet_end, row.daily_cap, wording, row.by_push,
                       row.by_email)


def load(user_id: int) -> ReminderChoices:
    """The patient's reminder choices (everything off for someone who never chose)."""
    with db.read() as session:
        settings, preference = _rows(session, user_id)
        address = session.exec(select(User.email).where(User.id == user_id)).first() or ""
    offered = _offered(user_id, {kind for kind, row in settings.items() if row.enabled})
    return ReminderChoices(
        kinds=tuple(_kind_setting(kind, settings.get(kind)) for kind in offered),
        preferences=_preferences(preference),
        email_possible=bool(address) and _email_ready(),
        calendar_on=bool(preference and preference.calendar_token_hash),
        address=address)


# --- checking a form -----------------------------------------------------------------

def _ticked(form: Mapping[str, object], name: str) -> bool:
    return form.get(name) in ("on", "true", True, "1")


def _minute(raw: object) -> int:
    try:
        return schedule.minute_of(raw)
    except ProblemError:
        raise ProblemError(BAD_TIME.code) from None


def _kind_from_form(current: KindSetting, form: Mapping[str, object],
                    errors: FieldProblems) -> KindSetting:
    """One kind's card. A kind left off keeps its stored time when the time field is
    empty or wrong: only a reminder that is on needs a time that can be used."""
    kind = current.kind
    enabled = _ticked(form, f"{kind}_on")
    minute, weekdays = current.minute, ALL_DAYS
    if kind in HAS_TIME:
        try:
            minute = _minute(form.get(f"{kind}_time"))
        except ProblemError as error:
            if enabled:
                errors[f"{kind}_time"] = error.problem
    if kind in TIMED_KINDS:
        weekdays = tuple(day for day in ALL_DAYS if _ticked(form, f"{kind}_day_{day}"))
        if enabled and not weekdays:
            errors[f"{kind}_days"] = NO_DAYS
        weekdays = weekdays or current.weekdays
    return KindSetting(kind, enabled, minute, weekdays)


def _quiet_hours(form: Mapping[str, object], errors: FieldProblems) -> tuple[int | None,
                                                                              int | None]:
    if not _ticked(form, "quiet_on"):
        return None, None
    found: dict[str, int] = {}
    for name in ("quiet_start", "quiet_end"):
        try:
            found[name] = _minute(form.get(name))
        except ProblemError as error:
            errors[name] = error.problem
    if len(found) == 2 and found["quiet_start"] == found["quiet_end"]:
        errors["quiet_end"] = QUIET_SAME
    return found.get("quiet_start"), found.get("quiet_end")


def _cap(raw: object, errors: FieldProblems) -> int:
    value = raw.strip() if isinstance(raw, str) else raw
    if isinstance(value, str) and value.isdigit() and len(value) <= 3:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) \
            and CAP_RANGE[0] <= value <= CAP_RANGE[1]:
        return value
    errors["daily_cap"] = CAP_OUT
    return DEFAULT_CAP


def parse_form(raw: object, current: tuple[KindSetting, ...],
               email_possible: bool) -> tuple[_Form | None, FieldProblems]:
    """The page's form as settings for the kinds offered (`current`: as stored) and the
    preferences, or every problem found (field name -> problem)."""
    if not isinstance(raw, Mapping) or any(not isinstance(key, str) for key in raw):
        return None, {"form": BAD_FORM}
    errors: FieldProblems = {}
    kinds = tuple(_kind_from_form(setting, raw, errors) for setting in current)
    quiet_start, quiet_end = _quiet_hours(raw, errors)
    daily_cap = _cap(raw.get("daily_cap"), errors)
    wording = raw.get("wording")
    if not isinstance(wording, str) or wording not in notify.WORDINGS:
        errors["wording"] = BAD_WORDING
        wording = notify.DEFAULT_WORDING
    by_email = _ticked(raw, "by_email")
    if by_email and not email_possible:
        errors["by_email"] = NO_EMAIL
    if errors:
        return None, errors
    return _Form(kinds, Preferences(quiet_start, quiet_end, daily_cap, wording,
                                    _ticked(raw, "by_push"), by_email)), {}


# --- writing ---------------------------------------------------------------------------

def _preference_row(session: db.Session, user_id: int) -> ReminderPreference:
    """The patient's preference row, made with the defaults when missing (one upsert, so
    two tabs saving at once make one row)."""
    session.execute(db.upsert(session, ReminderPreference).values(
        user_id=user_id, daily_cap=DEFAULT_CAP, wording=notify.DEFAULT_WORDING, by_push=True,
        by_email=False, updated_at=utcnow()).on_conflict_do_nothing())
    return session.get(ReminderPreference, user_id, populate_existing=True)


def save(user_id: int, raw: object) -> tuple[ReminderChoices | None, FieldProblems]:
    """Check the whole form and store it, or store nothing and say what is wrong."""
    current = load(user_id)
    form, errors = parse_form(raw, current.kinds, current.email_possible)
    if form is None:
        return None, errors
    now = utcnow()
    with db.transaction() as session:
        settings, _ = _rows(session, user_id)
        for wanted in form.kinds:
            row = settings.get(wanted.kind)
            if row is None:
                if not wanted.enabled and (wanted.minute, wanted.weekdays) == (DEFAULT_MINUTE,
                                                                               ALL_DAYS):
                    continue  # never chosen and still off: no row, as before
                row = ReminderSetting(user_id=user_id, kind=wanted.kind)
            elif _kind_setting(wanted.kind, row) == wanted:
                continue
            row.enabled, row.minute, row.weekdays = (wanted.enabled, wanted.minute,
                                                     list(wanted.weekdays))
            row.next_due_at, row.updated_at = None, now
            session.add(row)
        preference = _preference_row(session, user_id)
        if _preferences(preference) != form.preferences:
            wanted = form.preferences
            (preference.quiet_start, preference.quiet_end, preference.daily_cap,
             preference.wording, preference.by_push, preference.by_email) = (
                wanted.quiet_start, wanted.quiet_end, wanted.daily_cap, wanted.wording,
                wanted.by_push, wanted.by_email)
            preference.updated_at = now
            session.add(preference)
            session.flush()
            reminders.forget_cursors(session, user_id)
        if any(kind.enabled for kind in form.kinds) and preference.asked_at is None:
            preference.asked_at = now  # they found the page themselves: no need to ask
    return load(user_id), {}


# --- the one kind question after the first check-in -----------------------------------

_ASK_FACTS = sa_select(
    sa_select(ReminderPreference.asked_at)
    .where(ReminderPreference.user_id == bindparam("user_id")).scalar_subquery(),
    exists().where(ReminderSetting.user_id == bindparam("user_id"),
                   col(ReminderSetting.enabled)),
    exists().where(JournalEntry.user_id == bindparam("user_id"),
                   JournalEntry.kind == EntryKind.CHECKIN,
                   col(JournalEntry.deleted_at).is_(None)),
)


def should_ask(user_id: int) -> bool:
    """Whether Today asks "Want a gentle reminder to check in each day?": only after a
    first saved check-in, never once answered, never with a reminder already on.

    One plain statement, no ORM objects: it runs after every check-in saved."""
    with db.one_statement(writes=False) as connection:
        asked_at, reminding, checked_in = connection.execute(
            _ASK_FACTS, {"user_id": user_id}).one()
    return asked_at is None and not reminding and bool(checked_in)


def answer_ask(user_id: int) -> None:
    """The question was answered ("Set a reminder" or "Not now"): never ask again."""
    with db.transaction() as session:
        preference = _preference_row(session, user_id)
        if preference.asked_at is None:
            preference.asked_at = utcnow()
            session.add(preference)


# --- the sent log and Today ------------------------------------------------------------

@dataclass(frozen=True)
class LogLine:
    """One reminder as the patient's log shows it: facts only (words in the view).

    `status` is a `DeliveryStatus`; `channel` "push", "email" or "app" once sent;
    `reason` why a dropped one was not sent ("quiet", "cap", "stale", ...)."""

    id: int
    kind: str
    due_at: datetime
    sent_at: datetime | None
    status: str
    channel: str
    reason: str
    snoozed: bool


def _line(row: ReminderDelivery) -> LogLine:
    return LogLine(row.id or 0, row.kind, row.due_at, row.sent_at, row.status, row.channel,
                   row.reason, row.snoozed)


def sent_log(user_id: int, limit: int = LOG_MAX) -> list[LogLine]:
    """The patient's own reminders that came due, newest first (none still to come)."""
    with db.read() as session:
        rows = session.exec(select(ReminderDelivery).where(
            ReminderDelivery.user_id == user_id, ReminderDelivery.due_at <= utcnow())
            .order_by(col(ReminderDelivery.due_at).desc(), col(ReminderDelivery.id).desc())
            .limit(limit)).all()
    return [_line(row) for row in rows]


def due_today(user_id: int, time_zone: str) -> list[LogLine]:
    """What Today shows: today's reminders (the patient's day) that were sent, or are
    due now and not sent yet; not the dropped ones. Oldest first."""
    now = utcnow()
    with db.read() as session:
        rows = session.exec(select(ReminderDelivery).where(
            ReminderDelivery.user_id == user_id,
            ReminderDelivery.due_at <= now, ReminderDelivery.due_at > now - timedelta(days=1),
            col(ReminderDelivery.status).in_([DeliveryStatus.SENT, DeliveryStatus.PENDING,
                                              DeliveryStatus.SENDING]))
            .order_by(ReminderDelivery.due_at, ReminderDelivery.id)).all()
    today = local_date_of(now, time_zone)
    return [_line(row) for row in rows if local_date_of(row.due_at, time_zone) == today]


def wording_of(user_id: int) -> str:
    """The key of the patient's neutral wording (the default when they never chose)."""
    with db.read() as session:
        return _preferences(session.get(ReminderPreference, user_id)).wording


# --- the calendar feed's secret link ---------------------------------------------------

def new_calendar_token(user_id: int) -> str:
    """A new secret for the patient's calendar feed; the old link stops working."""
    token = secrets.token_urlsafe(32)
    with db.transaction() as session:
        preference = _preference_row(session, user_id)
        preference.calendar_token_hash = token_hash(token)
        preference.updated_at = utcnow()
        session.add(preference)
    return token


def turn_off_calendar(user_id: int) -> None:
    with db.transaction() as session:
        session.execute(update(ReminderPreference).where(
            ReminderPreference.user_id == user_id).values(calendar_token_hash=None,
                                                          updated_at=utcnow()))


def calendar_owner(token: object) -> int | None:
    """Whose feed a link's token opens (None: no such link, or revoked)."""
    hashed = link_token_hash(token)
    if hashed is None:
        return None
    with db.read() as session:
        return session.exec(select(ReminderPreference.user_id).where(
            ReminderPreference.calendar_token_hash == hashed)).first()


def enabled_settings(user_id: int) -> list[KindSetting]:
    """The kinds the patient turned on, in the page's order."""
    with db.read() as session:
        settings, _ = _rows(session, user_id)
    return [_kind_setting(kind, settings[kind]) for kind in KINDS
            if kind in settings and settings[kind].enabled]

