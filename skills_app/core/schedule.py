"""The program's schedule of groups: tracks, their meetings, holidays and who is on which.

- A track ("Morning IOP") meets on some weekdays from a start to an end time in
  the PROGRAM's time zone, from its first day to its last (or open-ended). A
  meeting's `day` is always the program's date; its `starts`/`ends` are aware
  UTC datetimes, computed from the wall clock of that day, so a 9:00 track is
  at 9:00 in the program's zone on both sides of a DST change. A patient in
  another zone sees those instants in their own zone (the views format them).
- A wall-clock time that does not exist on a DST day (2:30 on a spring-forward
  night) is read with the offset before the jump (zoneinfo's fold=0), which
  lands an hour later on the clock; a time that happens twice is the first one.
- Exceptions (holidays) are days a track does not meet. Archiving a track
  drops its meetings from that moment on; its past meetings stay (attendance
  history), and its open memberships close that day.
- A patient is on at most one track at a time (`TrackMember`). Membership days
  are the program's dates. Placing a patient opens a membership from the
  program's today; moving them closes the old one on yesterday and opens the
  new one from today, so today's meetings belong to the new track and the
  earlier ones stay on the old track. A same-day correction (placed and moved
  again on one day) replaces the row instead of leaving an empty one.
- "Next group": the first meeting that has not ENDED. A meeting in progress is
  still the next group until it ends (a patient running late should still see
  where they are expected).
- Only an active admin of the program changes the schedule; a therapist of the
  program with an active grant from the patient places them (audited
  "group_track", allowed or refused).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import delete, or_, update
from sqlmodel import col, select

from skills_app.core import audit, db, sharing
from skills_app.core.clock import utcnow
from skills_app.core.dates import zone as zone_info
from skills_app.core.models import (
    Program,
    Role,
    Track,
    TrackException,
    TrackMember,
    User,
)
from skills_app.core.problems import Problem, ProblemError
from skills_app.core.programs import Membership, ProgramRole, active_membership
from skills_app.core.schemas import BAD_FORM, check_time_zone, clean_text
from skills_app.text import N_, _

if TYPE_CHECKING:
    from icalendar import Event

TRACK_NAME_MAX = 80
EXCEPTION_NOTE_MAX = 80
# How far ahead "Next group" looks (a long holiday break still finds the next one).
NEXT_GROUP_HORIZON = timedelta(days=62)
# How far ahead the calendar file lists meetings of an open-ended track.
CALENDAR_HORIZON = timedelta(days=182)
# Dates a track may use: anything else is a typo, not a schedule.
FIRST_YEAR, LAST_YEAR = 2000, 2100
AUDIT_ACTION = "group_track"
ALL_TRACKS = "all"
# The calendar events' name: neutral, since it shows on a lock screen.
EVENT_TITLE = N_("Group")

# What can go wrong, as facts (their sentences: skills_app/text/words/therapist.py).
NOT_ADMIN = Problem("not_admin")
NEEDS_TIME_ZONE = Problem("schedule_needs_time_zone")
TRACK_NOT_FOUND = Problem("track_not_found")
EXCEPTION_NOT_FOUND = Problem("exception_not_found")
NO_WEEKDAYS = Problem("track_no_weekdays")
BAD_TIME = Problem("track_bad_time")
END_BEFORE_START = Problem("track_end_before_start")
BAD_DAY = Problem("track_bad_day")
LAST_BEFORE_FIRST = Problem("track_last_before_first")
EXCEPTION_OUTSIDE = Problem("exception_outside_track")
NO_TRACK_ON_DAY = Problem("exception_no_track")
PATIENT_NOT_FOUND = Problem("patient_not_found")
NO_GRANT = Problem("group_needs_grant")
NOT_ACTIVE = Problem("staff_inactive")


class TrackLike(Protocol):
    """What `meetings` reads of a track (a `Track` row, or anything shaped like one)."""

    id: int | None
    name: str
    weekdays: list[int]
    start_minute: int
    end_minute: int
    first_day: date
    last_day: date | None
    archived_at: datetime | None


@dataclass(frozen=True)
class Meeting:
    """One meeting of a track: `day` is the program's date, `starts`/`ends` aware UTC."""

    track_id: int
    track_name: str
    day: date
    starts: datetime
    ends: datetime


# --- pure rules ----------------------------------------------------------------------

def _instant(day: date, minute: int, zone: str) -> datetime:
    wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone_info(zone))
    return wall.astimezone(UTC)


def meetings(track: TrackLike, zone: str, first: date, last: date,
             exceptions: Collection[date]) -> list[Meeting]:
    """The track's meetings whose program date is in [first, last], without the
    exception days, in order. `zone` is the program's IANA zone."""
    start = max(first, track.first_day)
    end = min(last, track.last_day) if track.last_day is not None else last
    weekdays = set(track.weekdays)
    found = []
    day = start
    while day <= end:
        if day.weekday() in weekdays and day not in exceptions:
            starts = _instant(day, track.start_minute, zone)
            ends = _instant(day, track.end_minute, zone)
            if ends <= starts:  # both ends inside one DST jump: keep its length
                ends = starts + timedelta(minutes=track.end_minute - track.start_minute)
            if track.archived_at is None or starts < track.archived_at:
                found.append(Meeting(track.id or 0, track.name, day, starts, ends))
        day += timedelta(days=1)
    return found


def program_today(zone: str, now: datetime | None = None) -> date:
    """The program's date at `now` (default: the clock's now)."""
    return (now or utcnow()).astimezone(zone_info(zone)).date()


def minute_of(raw: object) -> int:
    """"HH:MM" (24-hour, 00:00-23:59) as minutes after midnight; ProblemError otherwise."""
    if not isinstance(raw, str) or not re.fullmatch(r"\s*\d{1,2}:\d{2}\s*", raw):
        raise ProblemError(BAD_TIME.code)
    hours, minutes = (int(part) for part in raw.strip().split(":"))
    if hours > 23 or minutes > 59:
        raise ProblemError(BAD_TIME.code)
    return hours * 60 + minutes


def hh_mm(minute: int) -> str:
    """Minutes after midnight as "HH:MM" (what a time input holds)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def day_of(raw: object) -> date:
    """A "YYYY-MM-DD" day between FIRST_YEAR and LAST_YEAR; ProblemError otherwise."""
    if isinstance(raw, date) and not isinstance(raw, datetime):
        value = raw
    else:
        if not isinstance(raw, str) or not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", raw):
            raise ProblemError(BAD_DAY.code)
        try:
            value = date.fromisoformat(raw.strip())
        except ValueError:
            raise ProblemError(BAD_DAY.code) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ProblemError(BAD_DAY.code)
    return value


def _weekdays_of(raw: object) -> list[int]:
    if not isinstance(raw, list | tuple) or len(raw) > 7:
        raise ProblemError(NO_WEEKDAYS.code)
    picked: set[int] = set()
    for value in raw:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 6:
            raise ProblemError(NO_WEEKDAYS.code)
        picked.add(value)
    if not picked:
        raise ProblemError(NO_WEEKDAYS.code)
    return sorted(picked)


@dataclass(frozen=True)
class TrackForm:
    """A checked track: what `save_track` stores."""

    name: str
    weekdays: list[int]
    start_minute: int
    end_minute: int
    first_day: date
    last_day: date | None


def check_track(raw: object) -> tuple[TrackForm | None, dict[str, Problem]]:
    """Validate a track form (name, weekdays, start, end, first_day, last_day); every
    field's problem at once, or the checked form."""
    if not isinstance(raw, Mapping):
        return None, {"form": BAD_FORM}
    errors: dict[str, Problem] = {}
    values: dict[str, object] = {}
    checks = (
        ("name", lambda v: clean_text(v, label=N_("track name"), max_length=TRACK_NAME_MAX)),
        ("weekdays", _weekdays_of),
        ("start", minute_of),
        ("end", minute_of),
        ("first_day", day_of),
        ("last_day", lambda v: None if v in (None, "") else day_of(v)),
    )
    for field, check in checks:
        try:
            values[field] = check(raw.get(field))
        except ProblemError as error:
            errors[field] = error.problem
    if "start" in values and "end" in values and values["end"] <= values["start"]:
        errors["end"] = END_BEFORE_START
    if values.get("first_day") and values.get("last_day") and \
            values["last_day"] < values["first_day"]:
        errors["last_day"] = LAST_BEFORE_FIRST
    if errors:
        return None, errors
    return TrackForm(values["name"], values["weekdays"], values["start"], values["end"],
                     values["first_day"], values["last_day"]), {}


def in_track_dates(track: TrackLike, day: date) -> bool:
    return track.first_day <= day and (track.last_day is None or day <= track.last_day)


# --- reading ---------------------------------------------------------------------------

def _exception_days(session: db.Session, track_ids: Iterable[int], first: date,
                    last: date) -> dict[int, set[date]]:
    ids = list(set(track_ids))
    days: dict[int, set[date]] = {track_id: set() for track_id in ids}
    if not ids:
        return days
    for track_id, day in session.exec(
            select(TrackException.track_id, TrackException.day).where(
                col(TrackException.track_id).in_(ids), TrackException.day >= first,
                TrackException.day <= last)):
        days[track_id].add(day)
    return days


def track_meetings(session: db.Session, track_id: int, first: date,
                   last: date) -> list[Meeting]:
    """A track's meetings in [first, last] (program dates), its exceptions and the
    program's zone read for you; [] for no such track or a program without a zone."""
    row = session.exec(select(Track, Program.time_zone)
                       .join(Program, Program.id == Track.program_id)
                       .where(Track.id == track_id)).first()
    if row is None or row[1] is None:
        return []
    track, zone = row
    return meetings(track, zone, first, last,
                    _exception_days(session, [track_id], first, last)[track_id])


def _covers(first: date, last: date | None, day: date) -> bool:
    return first <= day and (last is None or day <= last)


def patient_track_on(session: db.Session, patient_id: int, day: date) -> Track | None:
    """The track a patient is on on `day` (a program date); None when on none."""
    return session.exec(
        select(Track).join(TrackMember, TrackMember.track_id == Track.id)
        .where(TrackMember.patient_id == patient_id, TrackMember.first_day <= day,
               or_(col(TrackMember.last_day).is_(None), TrackMember.last_day >= day))
        .order_by(col(TrackMember.first_day).desc(), col(TrackMember.id).desc())).first()


def members_on(session: db.Session, track_id: int, day: date) -> list[int]:
    """The ids of the patients on a track on `day` (a program date), in id order."""
    return sorted(set(session.exec(
        select(TrackMember.patient_id).where(
            TrackMember.track_id == track_id, TrackMember.first_day <= day,
            or_(col(TrackMember.last_day).is_(None), TrackMember.last_day >= day)))))


def _memberships(session: db.Session, patient_ids: Collection[int], first: date,
                 last: date) -> list[tuple[TrackMember, Track, str]]:
    """Memberships of these patients overlapping [first, last], with their track and
    the program's zone (tracks of a program without a zone are left out)."""
    if not patient_ids:
        return []
    rows = session.exec(
        select(TrackMember, Track, Program.time_zone)
        .join(Track, Track.id == TrackMember.track_id)
        .join(Program, Program.id == Track.program_id)
        .where(col(TrackMember.patient_id).in_(list(patient_ids)),
               TrackMember.first_day <= last,
               or_(col(TrackMember.last_day).is_(None), TrackMember.last_day >= first),
               col(Program.time_zone).is_not(None))
        .order_by(TrackMember.first_day, TrackMember.id)).all()
    return [(member, track, zone) for member, track, zone in rows]


def _meetings_of(session: db.Session, patient_ids: Collection[int], first: date,
                 last: date) -> dict[int, list[Meeting]]:
    """Each patient's meetings with program dates in [first, last], across moves, in
    order: a fixed number of queries whatever the number of patients."""
    rows = _memberships(session, patient_ids, first, last)
    exceptions = _exception_days(session, (track.id for _, track, _ in rows), first, last)
    by_track: dict[int, list[Meeting]] = {}
    found: dict[int, list[Meeting]] = {patient_id: [] for patient_id in patient_ids}
    for member, track, zone in rows:
        if track.id not in by_track:
            by_track[track.id] = meetings(track, zone, first, last, exceptions[track.id])
        found[member.patient_id].extend(
            meeting for meeting in by_track[track.id]
            if _covers(member.first_day, member.last_day, meeting.day))
    for patient_meetings_found in found.values():
        patient_meetings_found.sort(key=lambda meeting: meeting.starts)
    return found


def next_groups(session: db.Session, patient_ids: Collection[int],
                now: datetime) -> dict[int, Meeting]:
    """Each patient's next group (the first meeting not yet ended, in progress
    included), within NEXT_GROUP_HORIZON; patients without one are left out.
    Batched: the caseload calls it for every row at once."""
    # A program's date can be a day either side of the UTC date.
    first = now.date() - timedelta(days=1)
    last = (now + NEXT_GROUP_HORIZON).date()
    found = {}
    for patient_id, listed in _meetings_of(session, patient_ids, first, last).items():
        upcoming = next((meeting for meeting in listed if meeting.ends > now), None)
        if upcoming is not None:
            found[patient_id] = upcoming
    return found


def next_group(patient_id: int, now: datetime | None = None) -> Meeting | None:
    """The patient's next group (see `next_groups`); None when on no track."""
    with db.read() as session:
        return next_groups(session, [patient_id], now or utcnow()).get(patient_id)


def patient_meetings(patient_id: int, first: date, last: date) -> list[Meeting]:
    """The patient's meetings with program dates in [first, last], across moves: each
    day counts on the track they were on that day."""
    with db.read() as session:
        return _meetings_of(session, [patient_id], first, last)[patient_id]


@dataclass(frozen=True)
class Holiday:
    """A day the patient's track does not meet (for "no group: <note>"); `starts`: when
    the meeting would have started (its day in the patient's zone)."""

    track_id: int
    day: date
    note: str
    starts: datetime


def patient_holidays(patient_id: int, first: date, last: date) -> list[Holiday]:
    """Exception days in [first, last] of the track the patient is on that day, when
    the track would have met then."""
    with db.read() as session:
        rows = _memberships(session, [patient_id], first, last)
        if not rows:
            return []
        exceptions = session.exec(select(TrackException).where(
            col(TrackException.track_id).in_([track.id for _, track, _ in rows]),
            TrackException.day >= first, TrackException.day <= last)).all()
    found = []
    for exception in exceptions:
        for member, track, zone in rows:
            if (track.id == exception.track_id
                    and _covers(member.first_day, member.last_day, exception.day)
                    and in_track_dates(track, exception.day)
                    and exception.day.weekday() in track.weekdays):
                found.append(Holiday(track.id, exception.day, exception.note,
                                     _instant(exception.day, track.start_minute, zone)))
    return sorted(found, key=lambda holiday: holiday.day)


@dataclass(frozen=True)
class PatientTrack:
    """The track a patient is on now, for their pages and calendar."""

    track_id: int
    track_name: str
    program_name: str
    program_zone: str


def current_track(session: db.Session, patient_id: int,
                  now: datetime | None = None) -> PatientTrack | None:
    """The track the patient is on today (the program's today); None when on none."""
    now = now or utcnow()
    for member, track, zone in reversed(_memberships(
            session, [patient_id], now.date() - timedelta(days=1),
            now.date() + timedelta(days=1))):
        if _covers(member.first_day, member.last_day, program_today(zone, now)):
            program = session.get(Program, track.program_id)
            return PatientTrack(track.id, track.name, program.name, zone)
    return None


# --- the calendar file -----------------------------------------------------------------

def upcoming_meetings(patient_id: int, now: datetime) -> tuple[PatientTrack | None,
                                                                 list[Meeting]]:
    """The track the patient is on and its meetings not yet ended, from the program's
    today to the track's last day or CALENDAR_HORIZON (for calendar files)."""
    with db.read() as session:
        track = current_track(session, patient_id, now)
        if track is None:
            return None, []
        today = program_today(track.program_zone, now)
        return track, [meeting for meeting in _meetings_of(
            session, [patient_id], today, today + CALENDAR_HORIZON)[patient_id]
            if meeting.ends > now]


def meeting_event(meeting: Meeting, summary: str, stamp: datetime) -> Event:
    """One meeting as a VEVENT in UTC; its UID is the track and the day, so a calendar
    that reads the file again updates the event instead of doubling it."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"track-{meeting.track_id}-{meeting.day.isoformat()}@skills-practice")
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts)
    event.add("dtend", meeting.ends)
    event.add("summary", summary)
    event.add("transp", "OPAQUE")
    return event


def calendar_ics(patient_id: int, title: str | None = None) -> bytes:
    """The patient's own track as an iCalendar file: one VEVENT per meeting in UTC,
    from today (the program's) to the track's last day or CALENDAR_HORIZON.

    One event per meeting rather than an RRULE: the file holds exactly the
    meetings the app shows (holidays absent, DST resolved by `meetings`), no
    VTIMEZONE for a phone to misread, and moves and archiving are already
    applied. `title` is the neutral event name (default: EVENT_TITLE in the
    current language); the program's name is added to it, and nothing clinical
    goes in, since it shows on a lock screen.
    """
    from icalendar import Calendar

    title = title or _(EVENT_TITLE)
    now = utcnow()
    track, found = upcoming_meetings(patient_id, now)
    calendar = Calendar()
    calendar.add("prodid", "-//skills-practice//group-schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if track is not None:
        calendar.add("x-wr-calname", f"{title} · {track.program_name}")
    stamp = now.replace(microsecond=0)
    for meeting in found:
        calendar.add_component(meeting_event(meeting, f"{title} · {track.program_name}", stamp))
    return calendar.to_ical()


# --- the admin's changes -----------------------------------------------------------

def _admin(session: db.Session, admin_id: int) -> Membership | None:
    membership = active_membership(session, admin_id)
    return membership if membership and membership.role == ProgramRole.ADMIN else None


def _as_id(raw: object) -> int | None:
    return sharing.patient_id_or_zero(raw) or None


def _program_track(session: db.Session, program_id: int, raw_track_id: object) -> Track | None:
    track_id = _as_id(raw_track_id)
    track = session.get(Track, track_id) if track_id else None
    return track if track is not None and track.program_id == program_id else None


def set_time_zone(admin_id: int, raw_zone: object) -> Problem | None:
    """Set the program's time zone (an IANA name); None when done."""
    try:
        zone = check_time_zone(raw_zone)
    except ProblemError as error:
        return error.problem
    with db.transaction() as session:
        admin = _admin(session, admin_id)
        if admin is None:
            return NOT_ADMIN
        session.execute(update(Program).where(Program.id == admin.program_id)
                        .values(time_zone=zone))
    return None


def save_track(admin_id: int, raw_track_id: object,
               raw: object) -> tuple[int | None, dict[str, Problem]]:
    """Add a track (`raw_track_id` None or 0) or change one of the admin's program; all
    or nothing. Returns (track id, {}) or (None, each field's problem)."""
    form, errors = check_track(raw)
    if form is None:
        return None, errors
    with db.transaction() as session:
        admin = _admin(session, admin_id)
        if admin is None:
            return None, {"form": NOT_ADMIN}
        if session.get(Program, admin.program_id).time_zone is None:
            return None, {"form": NEEDS_TIME_ZONE}
        if raw_track_id in (None, 0, "", "0"):
            track = Track(program_id=admin.program_id, name=form.name, weekdays=[],
                          start_minute=0, end_minute=0, first_day=form.first_day)
        else:
            track = _program_track(session, admin.program_id, raw_track_id)
            if track is None or track.archived_at is not None:
                return None, {"form": TRACK_NOT_FOUND}
        track.name, track.weekdays = form.name, form.weekdays
        track.start_minute, track.end_minute = form.start_minute, form.end_minute
        track.first_day, track.last_day = form.first_day, form.last_day
        session.add(track)
        session.flush()
        return track.id, {}


def archive_track(admin_id: int, raw_track_id: object) -> Problem | None:
    """Retire a track now: no meetings from this moment, open memberships closed today."""
    now = utcnow()
    with db.transaction() as session:
        admin = _admin(session, admin_id)
        if admin is None:
            return NOT_ADMIN
        track = _program_track(session, admin.program_id, raw_track_id)
        if track is None or track.archived_at is not None:
            return TRACK_NOT_FOUND
        zone = session.get(Program, admin.program_id).time_zone or "UTC"
        today = program_today(zone, now)
        track.archived_at = now
        session.add(track)
        session.execute(update(TrackMember).where(
            TrackMember.track_id == track.id, or_(col(TrackMember.last_day).is_(None),
                                                  TrackMember.last_day > today))
            .values(last_day=today))
    return None


def add_exception(admin_id: int, raw_track_id: object, raw_day: object,
                  raw_note: object) -> Problem | None:
    """A day a track does not meet, with a short note; `raw_track_id` ALL_TRACKS puts
    it on every current track whose dates hold the day (a program-wide holiday).
    Adding a day already there changes its note."""
    try:
        day = day_of(raw_day)
        note = clean_text(raw_note, label="note", max_length=EXCEPTION_NOTE_MAX,
                          required=False)
    except ProblemError as error:
        return error.problem
    with db.transaction() as session:
        admin = _admin(session, admin_id)
        if admin is None:
            return NOT_ADMIN
        if raw_track_id == ALL_TRACKS:
            tracks = [track for track in session.exec(select(Track).where(
                Track.program_id == admin.program_id, col(Track.archived_at).is_(None)))
                if in_track_dates(track, day)]
            if not tracks:
                return NO_TRACK_ON_DAY
        else:
            track = _program_track(session, admin.program_id, raw_track_id)
            if track is None or track.archived_at is not None:
                return TRACK_NOT_FOUND
            if not in_track_dates(track, day):
                return EXCEPTION_OUTSIDE
            tracks = [track]
        for track in tracks:
            existing = session.exec(select(TrackException).where(
                TrackException.track_id == track.id, TrackException.day == day)).first()
            existing = existing or TrackException(track_id=track.id, day=day)
            existing.note = note
            session.add(existing)
    return None


def remove_exception(admin_id: int, raw_exception_id: object) -> Problem | None:
    """The track meets on that day again."""
    exception_id = _as_id(raw_exception_id)
    with db.transaction() as session:
        admin = _admin(session, admin_id)
        if admin is None:
            return NOT_ADMIN
        exception = session.get(TrackException, exception_id) if exception_id else None
        if exception is None or _program_track(session, admin.program_id,
                                               exception.track_id) is None:
            return EXCEPTION_NOT_FOUND
        session.delete(exception)
    return None


@dataclass(frozen=True)
class ExceptionRow:
    id: int
    day: date
    note: str


@dataclass(frozen=True)
class TrackRow:
    """One track as the admin's page lists it."""

    id: int
    name: str
    weekdays: tuple[int, ...]
    start_minute: int
    end_minute: int
    first_day: date
    last_day: date | None
    archived: bool
    members: int
    exceptions: tuple[ExceptionRow, ...]


@dataclass(frozen=True)
class ScheduleScreen:
    program_name: str
    time_zone: str | None
    tracks: tuple[TrackRow, ...]


def admin_schedule(admin_id: int) -> ScheduleScreen | None:
    """The admin page's schedule: the program's zone and tracks (current first), each
    with its exceptions from today on and how many patients are on it today; None when
    the caller is not an active admin."""
    now = utcnow()
    with db.read() as session:
        admin = _admin(session, admin_id)
        if admin is None:
            return None
        zone = session.get(Program, admin.program_id).time_zone
        today = program_today(zone, now) if zone else now.date()
        tracks = session.exec(select(Track).where(Track.program_id == admin.program_id)
                              .order_by(col(Track.archived_at).is_not(None),
                                        Track.start_minute, Track.name)).all()
        ids = [track.id for track in tracks]
        exceptions: dict[int, list[ExceptionRow]] = {track_id: [] for track_id in ids}
        counts: dict[int, int] = dict.fromkeys(ids, 0)
        if ids:
            for exception in session.exec(select(TrackException).where(
                    col(TrackException.track_id).in_(ids), TrackException.day >= today)
                    .order_by(TrackException.day)):
                exceptions[exception.track_id].append(
                    ExceptionRow(exception.id, exception.day, exception.note))
            for track_id in session.exec(select(TrackMember.track_id).where(
                    col(TrackMember.track_id).in_(ids), TrackMember.first_day <= today,
                    or_(col(TrackMember.last_day).is_(None), TrackMember.last_day >= today))):
                counts[track_id] += 1
    return ScheduleScreen(admin.program_name, zone, tuple(
        TrackRow(track.id, track.name, tuple(track.weekdays), track.start_minute,
                 track.end_minute, track.first_day, track.last_day,
                 track.archived_at is not None, counts[track.id],
                 tuple(exceptions[track.id])) for track in tracks))


# --- the therapist's placing -------------------------------------------------------

@dataclass(frozen=True)
class TrackChoice:
    id: int
    name: str
    start_minute: int
    end_minute: int
    weekdays: tuple[int, ...]


def program_tracks(therapist_id: int) -> list[TrackChoice]:
    """The current (not archived, not ended) tracks of the therapist's program."""
    now = utcnow()
    with db.read() as session:
        membership = active_membership(session, therapist_id)
        if membership is None:
            return []
        zone = session.get(Program, membership.program_id).time_zone
        if zone is None:
            return []
        today = program_today(zone, now)
        tracks = session.exec(select(Track).where(
            Track.program_id == membership.program_id, col(Track.archived_at).is_(None),
            or_(col(Track.last_day).is_(None), Track.last_day >= today))
            .order_by(Track.start_minute, Track.name)).all()
    return [TrackChoice(track.id, track.name, track.start_minute, track.end_minute,
                        tuple(track.weekdays)) for track in tracks]


def patient_track_now(patient_id: int) -> PatientTrack | None:
    """The track a patient is on today, None when on none (callers check access first)."""
    with db.read() as session:
        return current_track(session, patient_id)


def _refuse(session: db.Session, therapist_id: int, patient_id: int | None,
            reason: str) -> None:
    audit.record(session, actor_id=therapist_id, patient_id=patient_id, action=AUDIT_ACTION,
                 allowed=False, reason=reason)


def _therapist_of(session: db.Session, therapist_id: int, raw_patient_id: object,
                  now: datetime) -> tuple[Membership | None, int | None, Problem | None]:
    """The therapist's membership and the patient's id when the therapist is active and
    has the patient's grant; otherwise the problem, with its refusal in the audit log."""
    raw_patient = _as_id(raw_patient_id)
    patient = session.get(User, raw_patient) if raw_patient else None
    patient_id = patient.id if patient is not None and \
        patient.role == Role.PATIENT.value else None
    membership = active_membership(session, therapist_id)
    if membership is None:
        _refuse(session, therapist_id, patient_id, "inactive")
        return None, None, NOT_ACTIVE
    if patient_id is None:
        _refuse(session, therapist_id, None, "unknown_patient")
        return None, None, PATIENT_NOT_FOUND
    if not sharing._allowed(session, therapist_id, patient_id, now):
        _refuse(session, therapist_id, patient_id, "no_grant")
        return None, None, NO_GRANT
    return membership, patient_id, None


def place_patient(therapist_id: int, raw_patient_id: object,
                  raw_track_id: object) -> Problem | None:
    """Put a patient on a track of the therapist's program, move them to another, or
    (`raw_track_id` 0 or "") take them off their track; None when done.

    Needs an active membership and an active grant from the patient; every
    attempt is audited ("group_track", allowed or refused with the reason).
    """
    now = utcnow()
    with db.transaction() as session:
        membership, patient_id, problem = _therapist_of(session, therapist_id, raw_patient_id,
                                                        now)
        if problem is not None:
            return problem
        removing = raw_track_id in (0, "", "0", None)
        track = None if removing else _program_track(session, membership.program_id,
                                                     raw_track_id)
        zone = session.get(Program, membership.program_id).time_zone
        if not removing and (track is None or track.archived_at is not None or zone is None):
            _refuse(session, therapist_id, patient_id, "track")
            return TRACK_NOT_FOUND
        today = program_today(zone or "UTC", now)
        if track is not None and track.last_day is not None and track.last_day < today:
            _refuse(session, therapist_id, patient_id, "track")
            return TRACK_NOT_FOUND
        open_rows = session.exec(select(TrackMember).where(
            TrackMember.patient_id == patient_id,
            or_(col(TrackMember.last_day).is_(None), TrackMember.last_day >= today))).all()
        if track is not None and any(row.track_id == track.id and row.first_day <= today
                                     for row in open_rows):
            return None  # already on it: nothing to change
        for row in open_rows:
            if row.first_day >= today:  # opened today (or later): a same-day correction
                session.exec(delete(TrackMember).where(TrackMember.id == row.id))
            else:
                row.last_day = today - timedelta(days=1)
                session.add(row)
        if track is not None:
            session.add(TrackMember(track_id=track.id, patient_id=patient_id,
                                    first_day=today, added_by=therapist_id))
        audit.record(session, actor_id=therapist_id, patient_id=patient_id,
                     action=AUDIT_ACTION, allowed=True, at=now)
    return None


@dataclass(frozen=True)
class PlacingScreen:
    """What the therapist's "Group track" section shows: the patient's track now (of
    the therapist's program; None when on none of its tracks) and the tracks to pick."""

    patient_id: int
    current: TrackChoice | None
    choices: tuple[TrackChoice, ...]


def placing_screen(therapist_id: int, raw_patient_id: object) -> PlacingScreen | None:
    """The section's data for an active therapist with an active grant from the patient;
    None (and a refusal in the audit log) otherwise."""
    now = utcnow()
    with db.transaction() as session:
        membership, patient_id, problem = _therapist_of(session, therapist_id, raw_patient_id,
                                                        now)
        if problem is not None:
            return None
        track = current_track(session, patient_id, now)
        on_ours = session.get(Track, track.track_id) if track is not None else None
    choices = tuple(program_tracks(therapist_id))
    current = None
    if on_ours is not None and on_ours.program_id == membership.program_id:
        current = TrackChoice(on_ours.id, on_ours.name, on_ours.start_minute,
                              on_ours.end_minute, tuple(on_ours.weekdays))
    return PlacingScreen(patient_id, current, choices)
