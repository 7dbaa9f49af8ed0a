"""The reminder scheduler: when each reminder is due, and sending it exactly once.

Two tables do the work (see their docstrings in `core/models.py`):
`reminder_setting.next_due_at` is a per-patient, per-kind cursor, and
`reminder_delivery` is the outbox and the patient's log. Every web worker runs
the same loop (`run_forever`, started with the app) every ~30 s:

1. **plan**: settings that are on with a NULL cursor (new, changed, or the
   patient changed time zone) get it computed; cursors that have come due
   become delivery rows (INSERT ... ON CONFLICT DO NOTHING on the unique
   (user, kind, due_at)) and advance, in one transaction that claims the
   setting rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL.
2. **claim**: due `pending` rows, and `sending` rows whose lease ran out (their
   worker died), move to `sending` with a lease in one atomic
   `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`.
   On SQLite the app is one process and its writer lock does the same.
3. **send**: each claimed row goes to `notify.SENDERS` ("push" first when the
   patient chose push, then "email"), in a thread pool of its own with a
   timeout per send, a few at a time, so a slow push service never blocks the
   event loop or another patient. No channel took it (no device, no address):
   it is "sent" on channel "app" and shows on Today.
4. **finish**: sent, or back to pending with exponential backoff (RETRY), or
   failed after MAX_ATTEMPTS; only by the worker that still holds the claim,
   stored as sends end (a few per transaction), not once per batch.

Why no scheduling library: APScheduler 3 keeps its jobs per process and has
no coordination between workers (two workers would each send), and its job
stores hold one job per trigger, not a row per patient. The rows themselves
are the coordination here: whoever claims a row sends it, and the unique key
makes planning the same minute twice harmless. Nothing else to install and no
cron: it starts with the app.

Exactly once, and what "once" can't promise: a worker killed after the push
service took a notice but before "sent" was stored leaves the row "sending";
when its lease runs out another worker sends it again. The notice's `tag`
("reminder-<delivery id>") is the same both times, so the phone shows it as
one notification (tests/scale/test_reminder_workers.py counts this case).

Rules, each documented where it lives:
- times are the patient's wall clock in their IANA zone, across DST
  (`wall_instant`);
- quiet hours move a reminder to their end, or drop it ("quiet") when their
  end is past STALE_WINDOW (`quiet_until`);
- at most `daily_cap` reminders a local day; the next ones are dropped "cap"
  (a snoozed one, which the patient asked for, is neither counted nor capped);
- after downtime, a reminder more than STALE_WINDOW late is dropped "stale",
  never sent in a burst; a fresh one still goes, once;
- homework reminders only on days with unfinished homework, check-up
  reminders only when a check-up is due (asked at the moment they come due).
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import threading
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from typing import Protocol

from sqlalchemy import Row, Select, and_, bindparam, func, or_, select, update
from sqlmodel import Session, col

from skills_app import text
from skills_app.core import db, homework, measures, notify, schedule
from skills_app.core.clock import utcnow
from skills_app.core.dates import local_date_of, local_day_bounds, zone
from skills_app.core.models import (
    DeliveryStatus,
    ReminderDelivery,
    ReminderKind,
    ReminderPreference,
    ReminderSetting,
    User,
)
from skills_app.core.problems import Problem

logger = logging.getLogger("skills_app.reminders")

# A reminder this late (the server was down, or quiet hours would hold it longer)
# is no longer useful: dropped, never sent late. Two hours keeps an evening
# reminder after a short restart and drops last night's after a long one.
STALE_WINDOW = timedelta(hours=2)
# How long a worker holds a claimed row before another may take it (its sends
# time out well before).
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 5
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(minutes=20)
SEND_TIMEOUT_SECONDS = 20.0
SEND_CONCURRENCY = 8
# Rows per planning transaction: on SQLite it holds the writer lock, so keep it short.
PLAN_BATCH = 200
CLAIM_BATCH = 200
GROUP_HOUR_BEFORE = timedelta(hours=1)
# A group kind with no meeting ahead (not on a track yet): look again this often.
RECHECK = timedelta(hours=6)
SNOOZE_MINUTES = (30, 60)
DEFAULT_EVERY_SECONDS = 30.0
# The cap counts sends of the patient's local day, which began at most this long ago.
_LONGEST_DAY = timedelta(hours=27)
_ONE_MICROSECOND = timedelta(microseconds=1)
_ACTIVE = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)

# Where a tap on each kind's notification opens (never shown: a neutral path).
SCREENS = {
    ReminderKind.CHECKIN: "/today/#checkin-form", ReminderKind.PRACTICE: "/practice/",
    ReminderKind.MINDFULNESS: "/mindfulness/", ReminderKind.CHECKUP: "/measures/",
    ReminderKind.HOMEWORK: "/homework/", ReminderKind.GROUP_EVENING: "/groups/",
    ReminderKind.GROUP_HOUR: "/groups/",
}
GROUP_KINDS = (ReminderKind.GROUP_EVENING, ReminderKind.GROUP_HOUR)

SNOOZE_MINUTES_PROBLEM = Problem("reminder_snooze_minutes")
REMINDER_NOT_FOUND = Problem("reminder_not_found")


def every_seconds() -> float:
    """How often each worker plans and sends (`SKILLS_REMINDERS_EVERY_SECONDS`, default
    30; 0 turns the scheduler off in this process, e.g. for a one-off script)."""
    raw = os.environ.get("SKILLS_REMINDERS_EVERY_SECONDS", "").strip()
    if not raw:
        return DEFAULT_EVERY_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"SKILLS_REMINDERS_EVERY_SECONDS must be a number of seconds, "
                         f"not {raw!r}") from None
    if seconds < 0:
        raise ValueError("SKILLS_REMINDERS_EVERY_SECONDS must be 0 (off) or more")
    return seconds


# --- pure rules --------------------------------------------------------------------------

def wall_instant(day: date, minute: int, time_zone: str) -> datetime:
    """The UTC instant of `minute` after midnight on the local `day`.

    DST: a wall time that happens twice (1:30 on a fall-back night) is the first
    one, so it fires once, not twice. A wall time that does not exist (2:30 on a
    spring-forward night) is the first instant after the jump: a 2:30 reminder
    fires once, at 3:00 (not at 3:30, where zoneinfo's fold=0 reading lands).
    """
    tz = zone(time_zone)
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    moment = wall.replace(tzinfo=tz).astimezone(UTC)
    if moment.astimezone(tz).replace(tzinfo=None) == wall:
        return moment
    # In the gap. Read with the offset after the jump, the wall time falls before
    # it; with the offset before, after it. The jump is between, on a whole minute.
    before, after = wall.replace(tzinfo=tz, fold=1).astimezone(UTC), moment
    while after - before > timedelta(minutes=1):
        middle = before + timedelta(minutes=(after - before) // timedelta(minutes=1) // 2)
        if middle.astimezone(tz).replace(tzinfo=None) >= wall:
            after = middle
        else:
            before = middle
    return after


def next_daily(after: datetime, minute: int, weekdays: Iterable[int],
               time_zone: str) -> datetime | None:
    """The first moment strictly after `after` that is `minute` on one of `weekdays`
    (0 = Monday) in the patient's zone; None when no weekday is chosen."""
    days = set(weekdays)
    if not days:
        return None
    first = local_date_of(after, time_zone)
    for offset in range(9):
        day = first + timedelta(days=offset)
        if day.weekday() in days:
            moment = wall_instant(day, minute, time_zone)
            if moment > after:
                return moment
    return None


def group_due_times(kind: str, meetings: Iterable[schedule.Meeting], minute: int,
                    time_zone: str) -> list[datetime]:
    """When each meeting's reminder of `kind` is due, sorted: an hour before it
    starts, or the evening before (at `minute`, the patient's local day before)."""
    found: set[datetime] = set()
    for meeting in meetings:
        if kind == ReminderKind.GROUP_HOUR:
            found.add(meeting.starts - GROUP_HOUR_BEFORE)
        else:
            day_before = local_date_of(meeting.starts, time_zone) - timedelta(days=1)
            found.add(wall_instant(day_before, minute, time_zone))
    return sorted(found)


def quiet_until(moment: datetime, start: int | None, end: int | None,
                time_zone: str) -> datetime | None:
    """The end of the quiet hours `moment` falls in (a UTC instant), or None when it
    falls outside them. Quiet hours run from `start` to `end` (minutes after local
    midnight, end excluded) and may cross midnight (22:00-07:00)."""
    if start is None or end is None or start == end:
        return None
    local = moment.astimezone(zone(time_zone))
    minute = local.hour * 60 + local.minute
    if start < end:
        inside, end_day = start <= minute < end, local.date()
    else:
        inside = minute >= start or minute < end
        end_day = local.date() + timedelta(days=1 if minute >= start else 0)
    return wall_instant(end_day, end, time_zone) if inside else None


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th try failed: 1, 2, 4, 8 ... minutes,
    at most BACKOFF_MAX."""
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


# --- the schedule of one setting ---------------------------------------------------------

def occurrence_after(setting: _SettingLike, time_zone: str,
                     after: datetime) -> datetime | None:
    """The setting's first due moment strictly after `after`; None when none is known
    (no weekday chosen, or a group kind with no meeting ahead)."""
    if setting.kind in GROUP_KINDS:
        first = local_date_of(after, time_zone) - timedelta(days=1)
        last = (after + schedule.NEXT_GROUP_HORIZON).date() + timedelta(days=2)
        found = schedule.patient_meetings(setting.user_id, first, last)
        return next((moment for moment in group_due_times(
            setting.kind, found, setting.minute, time_zone) if moment > after), None)
    return next_daily(after, setting.minute, setting.weekdays, time_zone)


def _is_occurrence(setting: _SettingLike, time_zone: str, moment: datetime) -> bool:
    # A cursor may be a "look again" time, or a meeting may have been cancelled
    # since it was set: only a moment the rule still gives is delivered.
    return occurrence_after(setting, time_zone, moment - _ONE_MICROSECOND) == moment


def _wanted(setting: _SettingLike, time_zone: str) -> bool:
    """Whether this kind has something to remind of today (asked when it comes due)."""
    if setting.kind == ReminderKind.HOMEWORK:
        return any(not item.done_today for item in homework.today_items(setting.user_id))
    if setting.kind == ReminderKind.CHECKUP:
        return any(due.is_due for due in measures.schedule(setting.user_id, time_zone))
    return True


# --- planning ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Preference:
    """What the scheduler reads of a `ReminderPreference` (its defaults when none)."""

    quiet_start: int | None = None
    quiet_end: int | None = None
    daily_cap: int = 3
    wording: str = notify.DEFAULT_WORDING
    by_push: bool = True
    by_email: bool = False


_DEFAULT_PREFERENCE = _Preference()


class _SettingLike(Protocol):
    user_id: int
    kind: str
    minute: int
    weekdays: list[int]
    next_due_at: datetime | None


def _any(query: Select) -> bool:
    """Whether `query` finds a row: read first, so a quiet round (most of them) never
    takes SQLite's writer lock."""
    with db.read() as session:
        return session.execute(query.limit(1)).first() is not None


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


@dataclass(frozen=True)
class _Planned:
    user_id: int
    kind: str
    due_at: datetime
    next_attempt_at: datetime
    status: str = DeliveryStatus.PENDING
    reason: str = ""


def _delivery(setting: _SettingLike, due: datetime, now: datetime, time_zone: str,
              preference: _Preference) -> _Planned:
    """The outbox row for one due moment: moved out of quiet hours, or dropped."""
    if due < now - STALE_WINDOW:
        return _Planned(setting.user_id, setting.kind, due, due, DeliveryStatus.DROPPED, "stale")
    goes_at = quiet_until(due, preference.quiet_start, preference.quiet_end, time_zone) or due
    if goes_at - due > STALE_WINDOW:
        return _Planned(setting.user_id, setting.kind, due, due, DeliveryStatus.DROPPED, "quiet")
    return _Planned(setting.user_id, setting.kind, due, goes_at)


def _advance(setting: _SettingLike, time_zone: str, now: datetime,
             preference: _Preference) -> tuple[list[_Planned], datetime]:
    """The rows a due cursor makes, and where it moves next.

    After downtime the missed moments older than STALE_WINDOW leave one "stale"
    row in the log (the oldest) and are skipped; a fresh one still goes.
    """
    planned: list[_Planned] = []
    due = setting.next_due_at
    # The stored cursor may be a "look again" time, or its meeting cancelled since;
    # the moments found below are the rule's own.
    real = due is not None and _is_occurrence(setting, time_zone, due)
    if due is not None and due < now - STALE_WINDOW:
        if real and _wanted(setting, time_zone):
            planned.append(_delivery(setting, due, now, time_zone, preference))
        due = occurrence_after(setting, time_zone, now - STALE_WINDOW - _ONE_MICROSECOND)
        real = True
    while due is not None and due <= now:
        if real and _wanted(setting, time_zone):
            planned.append(_delivery(setting, due, now, time_zone, preference))
        due, real = occurrence_after(setting, time_zone, due), True
    return planned, due if due is not None else now + RECHECK


def plan(now: datetime | None = None, limit: int | None = None) -> int:
    """One planning round over at most `limit` settings (default PLAN_BATCH); returns
    how many it handled (run again while it returns `limit`)."""
    now = now or utcnow()
    limit = limit or PLAN_BATCH
    settings = ReminderSetting.__table__.c
    waiting = and_(settings.enabled,
                   or_(settings.next_due_at.is_(None), settings.next_due_at <= now))
    if not _any(select(settings.user_id).where(waiting)):
        return 0
    with db.transaction() as session:
        query = (select(settings.user_id, settings.kind, settings.minute, settings.weekdays,
                        settings.next_due_at, User.time_zone)
                 .join(User, User.id == settings.user_id)
                 .where(waiting)
                 .order_by(settings.user_id, settings.kind)
                 .limit(limit))
        if _is_postgres(session):
            query = query.with_for_update(skip_locked=True, of=ReminderSetting.__table__)
        rows = session.execute(query).all()
        if not rows:
            return 0
        preferences = _preferences(session, {row.user_id for row in rows})
        planned: list[_Planned] = []
        cursors: list[dict] = []
        for row in rows:
            try:
                if row.next_due_at is None:
                    found = occurrence_after(row, row.time_zone, now)
                    next_due = found if found is not None else now + RECHECK
                else:
                    made, next_due = _advance(row, row.time_zone, now,
                                              preferences[row.user_id])
                    planned.extend(made)
            except ValueError as error:  # one bad row (a zone no longer known) holds
                # up no one else: it is looked at again later.
                logger.warning("reminder setting skipped: %s", type(error).__name__)
                next_due = now + RECHECK
            cursors.append({"row_user": row.user_id, "row_kind": row.kind,
                            "cursor": next_due})
        if planned:
            # One statement run for many rows (executemany): a multi-row VALUES of
            # thousands would take longer to compile than to run.
            session.connection().execute(
                db.upsert(session, ReminderDelivery.__table__).on_conflict_do_nothing(
                    index_elements=["user_id", "kind", "due_at"]),
                [{"user_id": p.user_id, "kind": p.kind, "due_at": p.due_at,
                  "next_attempt_at": p.next_attempt_at, "status": p.status,
                  "reason": p.reason, "channel": "", "snoozed": False, "attempts": 0,
                  "claimed_by": "", "created_at": now} for p in planned])
        session.connection().execute(
            update(ReminderSetting.__table__)
            .where(settings.user_id == bindparam("row_user"),
                   settings.kind == bindparam("row_kind"))
            .values(next_due_at=bindparam("cursor")), cursors)
        return len(rows)


def plan_all(now: datetime | None = None) -> int:
    """Plan until nothing is left for `now`; returns the settings handled."""
    now = now or utcnow()
    total = 0
    while (handled := plan(now)) == PLAN_BATCH:
        total += handled
    return total + handled


def _preferences(session: Session, user_ids: Iterable[int]) -> dict[int, _Preference]:
    ids = list(user_ids)
    table = ReminderPreference.__table__.c
    found = {row.user_id: _Preference(row.quiet_start, row.quiet_end, row.daily_cap,
                                      row.wording, row.by_push, row.by_email)
             for row in session.execute(select(
                 table.user_id, table.quiet_start, table.quiet_end, table.daily_cap,
                 table.wording, table.by_push, table.by_email).where(table.user_id.in_(ids)))}
    return {user_id: found.get(user_id, _DEFAULT_PREFERENCE) for user_id in ids}


def forget_cursors(session: Session, user_id: int) -> None:
    """Every cursor of the patient's is recomputed by the next plan (their zone or
    their reminder choices changed)."""
    session.execute(update(ReminderSetting).where(ReminderSetting.user_id == user_id)
                    .values(next_due_at=None).execution_options(synchronize_session=False))


# --- claiming and sending ----------------------------------------------------------------

@dataclass(frozen=True)
class Claimed:
    """A delivery this worker holds until its lease ends, with what sending needs."""

    delivery_id: int
    user_id: int
    kind: str
    attempts: int
    by_push: bool
    by_email: bool
    notice: notify.Notice
    # monotonic() when the lease ends (a send must also end before it).
    lease_ends: float = float("inf")


@dataclass(frozen=True)
class Outcome:
    result: notify.SendResult  # SENT (on `channel`) or RETRY
    channel: str = ""
    # Not sent at all: too little of the lease was left to start it safely.
    released: bool = False


_deliveries = ReminderDelivery.__table__


def worker_name() -> str:
    """This process, as written in `claimed_by`."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _take(session: Session, postgres: bool, condition: object, limit: int, values: dict,
          returning: Sequence[object] = ()) -> list:
    """UPDATE the rows matching `condition` (at most `limit`) in one atomic statement;
    on PostgreSQL rows another worker holds are skipped, never waited for."""
    chosen = (select(_deliveries.c.id).where(condition)
              .order_by(_deliveries.c.next_attempt_at, _deliveries.c.id).limit(limit))
    if postgres:
        chosen = chosen.with_for_update(skip_locked=True)
    statement = update(_deliveries).where(_deliveries.c.id.in_(chosen.scalar_subquery()))
    statement = statement.values(**values)
    if returning:
        return session.execute(statement.returning(*returning)).all()
    session.execute(statement)
    return []


def claim(worker: str, now: datetime | None = None, limit: int | None = None
          ) -> list[Claimed]:
    """Claim up to `limit` (default CLAIM_BATCH) due deliveries for `worker`, dropping
    the stale, the capped and those whose setting was turned off since; one
    transaction."""
    now = now or utcnow()
    limit = limit or CLAIM_BATCH
    c = _deliveries.c
    if not _any(select(c.id).where(c.status.in_(_ACTIVE), c.next_attempt_at <= now)):
        return []  # stale and worn-out rows are due rows too
    with db.transaction() as session:
        postgres = _is_postgres(session)
        late = and_(c.status.in_(_ACTIVE), c.next_attempt_at < now - STALE_WINDOW)
        _take(session, postgres, late, 10 * limit,
              {"status": DeliveryStatus.DROPPED, "reason": "stale", "claimed_by": ""})
        worn_out = and_(c.status == DeliveryStatus.SENDING, c.next_attempt_at <= now,
                        c.attempts >= MAX_ATTEMPTS)
        _take(session, postgres, worn_out, 10 * limit,
              {"status": DeliveryStatus.FAILED, "reason": "attempts", "claimed_by": ""})
        due = and_(c.status.in_(_ACTIVE), c.next_attempt_at <= now)
        rows = _take(session, postgres, due, limit,
                     {"status": DeliveryStatus.SENDING, "claimed_by": worker,
                      "attempts": c.attempts + 1, "next_attempt_at": now + LEASE},
                     (c.id, c.user_id, c.kind, c.due_at, c.attempts, c.snoozed))
        if not rows:
            return []
        return _admit(session, postgres, rows, now)


def _admit(session: Session, postgres: bool, rows: Sequence, now: datetime) -> list[Claimed]:
    """Of the claimed rows, those to send; the others are dropped "off" or "cap"."""
    c = _deliveries.c
    user_ids = sorted({row.user_id for row in rows})
    if postgres:
        # Serialize the cap per patient (FOR NO KEY UPDATE, in id order): a second
        # worker claiming another of this patient's rows counts after this
        # transaction's are committed.
        session.execute(select(User.id).where(col(User.id).in_(user_ids))
                        .order_by(User.id).with_for_update(key_share=True))
    users = {user.id: user for user in session.execute(
        select(User.id, User.time_zone, User.language).where(col(User.id).in_(user_ids)))}
    preferences = _preferences(session, user_ids)
    enabled = set(session.execute(select(ReminderSetting.user_id, ReminderSetting.kind).where(
        col(ReminderSetting.user_id).in_(user_ids), col(ReminderSetting.enabled))).all())
    claimed_ids = [row.id for row in rows]
    # A tenth of the lease is kept for storing the outcome before it ends.
    lease_ends = monotonic() + 0.9 * LEASE.total_seconds()
    counted = session.execute(select(c.user_id, c.status, c.sent_at).where(
        c.user_id.in_(user_ids), c.snoozed.is_(False), c.id.notin_(claimed_ids),
        or_(c.status == DeliveryStatus.SENDING,
            and_(c.status == DeliveryStatus.SENT, c.sent_at >= now - _LONGEST_DAY)))).all()
    today_start = {user_id: _day_start(now, user.time_zone) for user_id, user in users.items()}
    sent_today: dict[int, int] = defaultdict(int)
    for user_id, status, sent_at in counted:
        if status == DeliveryStatus.SENDING or sent_at >= today_start[user_id]:
            sent_today[user_id] += 1
    admitted: list[Claimed] = []
    dropped: dict[str, list[int]] = {"off": [], "cap": []}
    for row in sorted(rows, key=lambda row: (row.due_at, row.id)):
        user, preference = users[row.user_id], preferences[row.user_id]
        if (row.user_id, row.kind) not in enabled:
            dropped["off"].append(row.id)
            continue
        if not row.snoozed:
            if sent_today[row.user_id] >= preference.daily_cap:
                dropped["cap"].append(row.id)
                continue
            sent_today[row.user_id] += 1
        admitted.append(Claimed(row.id, row.user_id, row.kind, row.attempts, preference.by_push,
                                preference.by_email, _notice(row.id, row.kind, user, preference),
                                lease_ends))
    for reason, ids in dropped.items():
        if ids:
            session.execute(update(_deliveries).where(c.id.in_(ids)).values(
                status=DeliveryStatus.DROPPED, reason=reason, claimed_by=""))
    return admitted


def _day_start(now: datetime, time_zone: str) -> datetime:
    """When the patient's today began (UTC's, for a zone no longer known)."""
    try:
        return local_day_bounds(local_date_of(now, time_zone), time_zone)[0]
    except ValueError:
        return local_day_bounds(now.date(), "UTC")[0]


def _notice(delivery_id: int, kind: str, user: Row, preference: _Preference
            ) -> notify.Notice:
    """The notice in the patient's language, in their chosen neutral wording."""
    title, body = notify.WORDINGS.get(preference.wording,
                                      notify.WORDINGS[notify.DEFAULT_WORDING])
    with text.language(user.language):
        return notify.Notice(
            delivery_id=delivery_id, user_id=user.id, title=text._(title), body=text._(body),
            url=text.href(SCREENS.get(kind, "/today/"), user.language),
            tag=f"reminder-{delivery_id}", language=text.current())


def send_one(claimed: Claimed) -> Outcome:
    """Hand the notice to the patient's channels in order (blocking: run in a thread).

    The first channel that takes it wins. One that answered RETRY (and none took
    it) makes the whole delivery try again later. None had anywhere to send: it is
    sent "app" (it shows on Today when the app opens)."""
    retry = False
    for channel, chosen in (("push", claimed.by_push), ("email", claimed.by_email)):
        sender = notify.SENDERS.get(channel)
        if not chosen or sender is None:
            continue
        try:
            result = sender(claimed.notice)
        except Exception as error:  # a channel's bug must not stop the others
            logger.warning("reminder channel %s failed: %s", channel, type(error).__name__)
            result = notify.SendResult.RETRY
        if result == notify.SendResult.SENT:
            return Outcome(notify.SendResult.SENT, channel)
        retry = retry or result == notify.SendResult.RETRY
    return Outcome(notify.SendResult.RETRY) if retry else Outcome(notify.SendResult.SENT, "app")


_executor: ThreadPoolExecutor | None = None
_executor_pid = 0
_executor_lock = threading.Lock()


def _send_threads() -> ThreadPoolExecutor:
    """The threads sends run in: a pool of their own, so a send that hangs past its
    timeout holds one of these, never a thread the app's handlers need."""
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = ThreadPoolExecutor(SEND_CONCURRENCY, thread_name_prefix="reminder-send")
            _executor_pid = os.getpid()
        return _executor


async def send_all(claimed: Sequence[Claimed], timeout: float | None = None,
                   concurrency: int | None = None,
                   send: Callable[[Claimed], Outcome] = send_one,
                   on_result: Callable[[Claimed, Outcome], Awaitable[None]] | None = None
                   ) -> list[Outcome]:
    """Send each claimed delivery off the event loop, `concurrency` at a time; one that
    takes longer than `timeout` seconds (default SEND_TIMEOUT_SECONDS) counts as
    RETRY and holds up no other. One whose turn comes when less than `timeout` is
    left of its lease is released unsent (another worker may claim it once the
    lease ends; it must not be sending then). `on_result` hears of each as it ends."""
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(concurrency or SEND_CONCURRENCY)
    timeout = SEND_TIMEOUT_SECONDS if timeout is None else timeout

    async def one(item: Claimed) -> Outcome:
        async with gate:
            if monotonic() + timeout > item.lease_ends:
                # A send that could outlast the lease might meet another worker's
                # send of the same row: hand it back unsent instead.
                outcome = Outcome(notify.SendResult.RETRY, released=True)
                if on_result is not None:
                    await on_result(item, outcome)
                return outcome
            try:
                outcome = await asyncio.wait_for(
                    loop.run_in_executor(_send_threads(), send, item), timeout)
            except TimeoutError:
                logger.warning("reminder send timed out after %.0f s", timeout)
                outcome = Outcome(notify.SendResult.RETRY)
        if on_result is not None:
            await on_result(item, outcome)
        return outcome

    return list(await asyncio.gather(*(one(item) for item in claimed)))


class _Finisher:
    """Stores outcomes as sends end, many per transaction: while one transaction
    runs, the outcomes that arrive wait and go together in the next. So a worker
    killed mid-batch leaves only its last few sends unrecorded (to be resent),
    and a busy minute still costs few commits."""

    def __init__(self, worker: str) -> None:
        self.worker = worker
        self.waiting: list[tuple[Claimed, Outcome]] = []
        self.lock = asyncio.Lock()

    async def add(self, claimed: Claimed, outcome: Outcome) -> None:
        self.waiting.append((claimed, outcome))
        if not self.lock.locked():
            await self.flush()

    async def flush(self) -> None:
        async with self.lock:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                await asyncio.to_thread(finish, self.worker, batch)


def finish(worker: str, results: Sequence[tuple[Claimed, Outcome]],
           now: datetime | None = None) -> None:
    """Store how each send went, in one transaction. A row whose lease ran out and
    that another worker claimed since is left to that worker."""
    if not results:
        return
    now = now or utcnow()
    c = _deliveries.c
    sent, retry, failed, released = [], [], [], []
    for claimed, outcome in results:
        key = {"row_id": claimed.delivery_id, "worker": worker}
        if outcome.released:
            released.append(key)
        elif outcome.result == notify.SendResult.SENT:
            sent.append({**key, "sent_channel": outcome.channel})
        elif claimed.attempts >= MAX_ATTEMPTS:
            failed.append(key)
        else:
            retry.append({**key, "retry_at": now + backoff(claimed.attempts)})
    ours = and_(c.id == bindparam("row_id"), c.claimed_by == bindparam("worker"),
                c.status == DeliveryStatus.SENDING)
    with db.transaction() as session:
        connection = session.connection()
        if sent:
            connection.execute(update(_deliveries).where(ours).values(
                status=DeliveryStatus.SENT, channel=bindparam("sent_channel"), sent_at=now,
                reason=""), sent)
        if retry:
            connection.execute(update(_deliveries).where(ours).values(
                status=DeliveryStatus.PENDING, next_attempt_at=bindparam("retry_at"),
                claimed_by=""), retry)
        if failed:
            connection.execute(update(_deliveries).where(ours).values(
                status=DeliveryStatus.FAILED, reason="attempts", claimed_by=""), failed)
        if released:  # due again at once, the claim's attempt not counted
            connection.execute(update(_deliveries).where(ours).values(
                status=DeliveryStatus.PENDING, next_attempt_at=now,
                attempts=c.attempts - 1, claimed_by=""), released)


@dataclass(frozen=True)
class Round:
    planned: int
    claimed: int
    sent: int
    retry: int


async def run_once(worker: str | None = None,
                   send: Callable[[Claimed], Outcome] = send_one) -> Round:
    """Plan, then claim and send until nothing is due (database work in threads)."""
    worker = worker or worker_name()
    planned = await asyncio.to_thread(plan_all)
    claimed_total = sent = retry = 0
    while True:
        claimed = await asyncio.to_thread(claim, worker)
        if not claimed:
            break
        finisher = _Finisher(worker)
        outcomes = await send_all(claimed, send=send, on_result=finisher.add)
        await finisher.flush()
        claimed_total += len(claimed)
        sent += sum(outcome.result == notify.SendResult.SENT for outcome in outcomes)
        retry += sum(outcome.result != notify.SendResult.SENT for outcome in outcomes)
        if len(claimed) < CLAIM_BATCH:
            break
    return Round(planned, claimed_total, sent, retry)


async def run_forever(every: float | None = None) -> None:
    """The app's lifespan task: a round every `every` seconds in every worker (safe:
    rows are claimed). The first round waits a random part of the period, so the
    app starts at once and workers started together spread out."""
    every = every_seconds() if every is None else every
    if every <= 0:
        return
    worker = worker_name()
    await asyncio.sleep(random.uniform(0.2, 1.0) * every)
    while True:
        try:
            done = await run_once(worker)
        except Exception as error:  # the next round tries again
            logger.warning("reminder round failed: %s", type(error).__name__)
        else:
            if done.claimed:
                logger.info("reminders: planned %s, claimed %s, sent %s, retry %s",
                            done.planned, done.claimed, done.sent, done.retry)
        await asyncio.sleep(every)


# --- snooze ------------------------------------------------------------------------------

def snooze(user_id: int, raw_delivery_id: object, raw_minutes: object,
           now: datetime | None = None) -> tuple[datetime | None, Problem | None]:
    """"Remind me later" from a notification: a new delivery of the same kind due in
    30 or 60 minutes (`snoozed`), only for the caller's own reminder that was sent.

    Quiet hours apply as to any reminder. Two taps in the same minute make one row.
    Returns (when it will come, None) or (None, the problem)."""
    now = now or utcnow()
    if (isinstance(raw_minutes, bool) or not isinstance(raw_minutes, int)
            or raw_minutes not in SNOOZE_MINUTES):
        return None, SNOOZE_MINUTES_PROBLEM
    if isinstance(raw_delivery_id, bool) or not isinstance(raw_delivery_id, int) \
            or not 0 < raw_delivery_id < 2**31:
        return None, REMINDER_NOT_FOUND
    with db.transaction() as session:
        row = session.get(ReminderDelivery, raw_delivery_id)
        if row is None or row.user_id != user_id or row.status not in (
                DeliveryStatus.SENT, DeliveryStatus.SENDING):
            return None, REMINDER_NOT_FOUND
        time_zone = session.execute(select(User.time_zone).where(User.id == user_id)
                                    ).scalar_one()
        preference = _preferences(session, [user_id])[user_id]
        due = (now + timedelta(minutes=raw_minutes)).replace(second=0, microsecond=0)
        goes_at = quiet_until(due, preference.quiet_start, preference.quiet_end,
                              time_zone) or due
        session.execute(db.upsert(session, ReminderDelivery).values(
            user_id=user_id, kind=row.kind, due_at=due, next_attempt_at=goes_at,
            status=DeliveryStatus.PENDING, reason="", channel="", snoozed=True, attempts=0,
            claimed_by="", created_at=now).on_conflict_do_nothing(
                index_elements=["user_id", "kind", "due_at"]))
        return goes_at, None


def deliveries_of(user_id: int) -> list[ReminderDelivery]:
    """The patient's deliveries, newest due first (tests and the sent log)."""
    with db.read() as session:
        return list(session.execute(select(ReminderDelivery).where(
            ReminderDelivery.user_id == user_id).order_by(
            col(ReminderDelivery.due_at).desc(), col(ReminderDelivery.id).desc())).scalars())


def counts(user_ids: Sequence[int] | None = None) -> dict[str, int]:
    """How many deliveries are in each status (benchmarks and tests)."""
    query = select(ReminderDelivery.status, func.count()).group_by(ReminderDelivery.status)
    if user_ids is not None:
        query = query.where(col(ReminderDelivery.user_id).in_(list(user_ids)))
    with db.read() as session:
        return dict(session.execute(query).all())
