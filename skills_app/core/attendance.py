"""Attendance at the program's groups: who came to each meeting of a track.

- Any active therapist or admin of a track's program takes its attendance
  (`roster`, `mark`, `mark_rest_present`): group facilitators rotate, and
  attendance is the program's own record, not something a patient shares. So
  a therapist without a grant from a patient still sees that patient's name
  on the group's list, and nothing else of them: no other data is read here.
- A mark is one of `STATUSES`, for a patient on the track that day
  (`schedule.members_on`), on a day the track meets (`schedule.track_meetings`)
  and not after the program's today. Marking again changes the row.
- Every mark is audited ("attendance") on the patient's trail, every list of
  a group's patients too ("roster", one row per patient named), and every
  refusal that names a patient ("who has seen my data" words them).
- `missed_this_week` (the caseload's flag, batched), `by_week` (the patient
  detail, the report and the patient's own page) and `meeting_counts` (an
  admin's counts per meeting, no names) read what was marked.

The meetings themselves are `core.schedule`'s: nothing here re-derives them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlmodel import col, select

from skills_app.core import audit, db, look_alike, schedule, sharing
from skills_app.core.clock import utcnow
from skills_app.core.dates import local_today, week_start
from skills_app.core.models import Attendance, Program, ProgramRole, Track, User
from skills_app.core.problems import Problem
from skills_app.core.programs import Membership, active_membership

STATUSES = ("present", "late", "excused", "absent")
ABSENT = "absent"
# The meetings a therapist can pick from: the last four weeks, through today.
RECENT_DAYS = 28
ACTION_MARK = "attendance"
ACTION_ROSTER = "roster"

# What can go wrong, as facts (their sentences: skills_app/text/words/attendance.py).
NOT_STAFF = Problem("attendance_not_staff")
NO_TRACK = Problem("attendance_no_track")
NO_MEETING = Problem("attendance_no_meeting")
NOT_YET = Problem("attendance_not_yet")
NOT_ON_TRACK = Problem("attendance_not_on_track")
BAD_STATUS = Problem("attendance_status")
NOT_ADMIN = Problem("not_admin")


@dataclass(frozen=True)
class RosterLine:
    """One patient on the group that day: a name and the mark, nothing else."""

    patient_id: int
    name: str
    status: str | None
    # Beside a name that looks like another's on the list or in the therapist's
    # caseload (`core.look_alike`); None for every other name.
    told_apart: look_alike.TellApart | None = None


@dataclass(frozen=True)
class Roster:
    meeting: schedule.Meeting
    lines: tuple[RosterLine, ...]

    @property
    def unmarked(self) -> int:
        return sum(1 for line in self.lines if line.status is None)


@dataclass(frozen=True)
class TrackChoice:
    id: int
    name: str


@dataclass(frozen=True)
class Choices:
    """What the attendance page offers: the program's tracks, the chosen track's
    recent meetings (newest first) and the chosen meeting's day (today's when it
    meets today, else the most recent)."""

    tracks: tuple[TrackChoice, ...]
    track_id: int | None
    meetings: tuple[schedule.Meeting, ...]
    day: date | None
    time_zone: str
    is_admin: bool


@dataclass(frozen=True)
class Missed:
    """Groups a patient was marked absent from in their current week."""

    count: int
    last_day: date


@dataclass(frozen=True)
class MeetingMark:
    day: date
    track_name: str
    # When it started (aware UTC); None for a mark on a day that is no longer a meeting.
    starts: datetime | None
    status: str | None


@dataclass(frozen=True)
class AttendanceWeek:
    """One Monday-Sunday week: the meetings held so far (started), how many of each mark,
    and each meeting with its mark (None: not marked)."""

    week_start: date
    held: int
    present: int
    late: int
    excused: int
    absent: int
    unmarked: int
    meetings: tuple[MeetingMark, ...]


@dataclass(frozen=True)
class MeetingCount:
    """An admin's counts for one meeting: patients on the track that day and how many of
    each mark (never who)."""

    meeting: schedule.Meeting
    members: int
    present: int
    late: int
    excused: int
    absent: int

    @property
    def unmarked(self) -> int:
        return max(0, self.members - self.present - self.late - self.excused - self.absent)


def as_day(raw: object) -> date | None:
    """A day asked for as ISO text ("2026-12-07") or a date; None when it is not one."""
    if isinstance(raw, date) and not hasattr(raw, "hour"):
        return raw
    if isinstance(raw, str) and len(raw) == 10 and raw.isascii():
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    return None


def _as_id(raw: object) -> int | None:
    return sharing.patient_id_or_zero(raw) or None


def _program_zone(session: db.Session, program_id: int) -> str:
    return session.exec(select(Program.time_zone).where(Program.id == program_id)).first() \
        or "UTC"


def _track_of_staff(session: db.Session, membership: Membership | None,
                    track_id: int | None) -> Track | None:
    """The track when the caller is active staff of its program; None otherwise."""
    if membership is None or track_id is None:
        return None
    track = session.get(Track, track_id)
    return track if track is not None and track.program_id == membership.program_id else None


def _meeting_on(session: db.Session, track: Track, day: date) -> schedule.Meeting | None:
    found = schedule.track_meetings(session, track.id, day, day)
    return found[0] if found else None


def _refuse(session: db.Session, actor_id: int, patient_id: int | None, action: str,
            reason: str) -> None:
    """The patient's trail keeps a refused attempt that named them."""
    if patient_id is not None and session.get(User, patient_id) is None:
        patient_id = None
    audit.record(session, actor_id=actor_id, patient_id=patient_id, action=action,
                 allowed=False, reason=reason)


def choices(therapist_id: int, raw_track_id: object, raw_day: object) -> Choices | None:
    """The page's choices for an active therapist or admin (None: not staff anywhere)."""
    with db.read() as session:
        membership = active_membership(session, therapist_id)
        if membership is None:
            return None
        tracks = session.exec(select(Track).where(
            Track.program_id == membership.program_id, col(Track.archived_at).is_(None))
            .order_by(Track.start_minute, Track.name)).all()
        zone = _program_zone(session, membership.program_id)
        is_admin = membership.role == ProgramRole.ADMIN
        asked = _as_id(raw_track_id)
        track = next((t for t in tracks if t.id == asked), tracks[0] if tracks else None)
        if track is None:
            return Choices((), None, (), None, zone, is_admin)
        today = local_today(zone)
        meetings = tuple(reversed(schedule.track_meetings(
            session, track.id, today - timedelta(days=RECENT_DAYS - 1), today)))
    days = [meeting.day for meeting in meetings]
    wanted = as_day(raw_day)
    day = wanted if wanted in days else (days[0] if days else None)
    return Choices(tuple(TrackChoice(t.id, t.name) for t in tracks), track.id, meetings, day,
                   zone, is_admin)


def _lines(session: db.Session, track_id: int, day: date) -> tuple[RosterLine, ...]:
    members = schedule.members_on(session, track_id, day)
    if not members:
        return ()
    names = dict(session.exec(select(User.id, User.display_name).where(
        col(User.id).in_(members))).all())
    marks = dict(session.exec(select(Attendance.patient_id, Attendance.status).where(
        Attendance.track_id == track_id, Attendance.day == day)).all())
    return tuple(sorted((RosterLine(pid, names[pid], marks.get(pid)) for pid in members
                         if pid in names), key=lambda line: line.name.casefold()))


def _checked_meeting(session: db.Session, therapist_id: int, track_id: int | None,
                     day: date | None) -> tuple[Track | None, schedule.Meeting | None,
                                                Problem | None, str]:
    """The track and meeting a therapist may take attendance of, or the problem and the
    audit reason."""
    membership = active_membership(session, therapist_id)
    if membership is None:
        return None, None, NOT_STAFF, "inactive"
    track = _track_of_staff(session, membership, track_id)
    if track is None:
        return None, None, NO_TRACK, "other_program"
    meeting = _meeting_on(session, track, day) if day is not None else None
    if meeting is None:
        return track, None, NO_MEETING, "not_a_meeting"
    if meeting.day > local_today(_program_zone(session, track.program_id)):
        return track, None, NOT_YET, "not_yet"
    return track, meeting, None, ""


def roster(therapist_id: int, raw_track_id: object, raw_day: object
           ) -> tuple[Roster | None, Problem | None]:
    """The meeting and each patient on the track that day with their mark (or None).

    Each patient named is told on their trail ("roster"); nothing but names and marks
    is read."""
    now = utcnow()
    with db.transaction() as session:
        _, meeting, problem, reason = _checked_meeting(
            session, therapist_id, _as_id(raw_track_id), as_day(raw_day))
        if meeting is None:
            _refuse(session, therapist_id, None, ACTION_ROSTER, reason)
            return None, problem
        lines = _lines(session, meeting.track_id, meeting.day)
        apart = look_alike.tell_apart(session, [line.patient_id for line in lines],
                                      look_alike.caseload_ids(session, therapist_id))
        lines = tuple(replace(line, told_apart=apart.get(line.patient_id)) for line in lines)
        for line in lines:
            audit.record(session, actor_id=therapist_id, patient_id=line.patient_id,
                         action=ACTION_ROSTER, allowed=True, at=now)
    return Roster(meeting, lines), None


def _write_mark(session: db.Session, therapist_id: int, meeting: schedule.Meeting,
                patient_id: int, status: str) -> None:
    """Insert or change the row (one statement: two therapists marking at once make one
    row), and audit it. The same mark again changes nothing."""
    now = utcnow()
    current = session.exec(select(Attendance.status, Attendance.marked_by).where(
        Attendance.track_id == meeting.track_id, Attendance.patient_id == patient_id,
        Attendance.day == meeting.day)).first()
    if current is not None and tuple(current) == (status, therapist_id):
        return
    name = session.exec(select(User.display_name).where(User.id == therapist_id)).first() or ""
    values = {"status": status, "marked_by": therapist_id, "marked_by_name": name,
              "marked_at": now}
    session.execute(db.upsert(session, Attendance).values(
        track_id=meeting.track_id, patient_id=patient_id, day=meeting.day, **values)
        .on_conflict_do_update(index_elements=["track_id", "patient_id", "day"], set_=values))
    audit.record(session, actor_id=therapist_id, patient_id=patient_id, action=ACTION_MARK,
                 allowed=True, at=now)


def mark(therapist_id: int, raw_track_id: object, raw_patient_id: object, raw_day: object,
         raw_status: object) -> Problem | None:
    """Mark one patient at one meeting; None when saved.

    Refused (nothing changed) unless the caller is active staff of the track's
    program, the day is one of its meetings and not after the program's today,
    and the patient is on the track that day. A refusal naming a patient is on
    their trail."""
    if not isinstance(raw_status, str) or raw_status not in STATUSES:
        return BAD_STATUS
    patient_id = _as_id(raw_patient_id)
    with db.transaction() as session:
        _, meeting, problem, reason = _checked_meeting(
            session, therapist_id, _as_id(raw_track_id), as_day(raw_day))
        if meeting is None:
            _refuse(session, therapist_id, patient_id, ACTION_MARK, reason)
            return problem
        if patient_id is None or patient_id not in schedule.members_on(
                session, meeting.track_id, meeting.day):
            _refuse(session, therapist_id, patient_id, ACTION_MARK, "not_on_track")
            return NOT_ON_TRACK
        _write_mark(session, therapist_id, meeting, patient_id, raw_status)
    return None


def mark_rest_present(therapist_id: int, raw_track_id: object, raw_day: object
                      ) -> tuple[int, Problem | None]:
    """Mark everyone on the meeting's list who has no mark yet present, in one
    transaction (all or nothing); (how many, problem)."""
    with db.transaction() as session:
        _, meeting, problem, reason = _checked_meeting(
            session, therapist_id, _as_id(raw_track_id), as_day(raw_day))
        if meeting is None:
            _refuse(session, therapist_id, None, ACTION_MARK, reason)
            return 0, problem
        rest = [line for line in _lines(session, meeting.track_id, meeting.day)
                if line.status is None]
        for line in rest:
            _write_mark(session, therapist_id, meeting, line.patient_id, "present")
    return len(rest), None


# --- reading what was marked ----------------------------------------------------------

def missed_this_week(session: db.Session, patient_ids: Collection[int],
                     today_by_patient: Mapping[int, date]) -> dict[int, Missed]:
    """Patients marked absent in their current week (Monday through their today), with
    how many times and the latest day: one query for all of them."""
    ids = [pid for pid in patient_ids if pid in today_by_patient]
    if not ids:
        return {}
    first = min(week_start(today_by_patient[pid]) for pid in ids)
    last = max(today_by_patient[pid] for pid in ids)
    rows = session.exec(select(Attendance.patient_id, Attendance.day).where(
        col(Attendance.patient_id).in_(ids), Attendance.status == ABSENT,
        col(Attendance.day) >= first, col(Attendance.day) <= last)).all()
    days: dict[int, list[date]] = {}
    for pid, day in rows:
        today = today_by_patient[pid]
        if week_start(today) <= day <= today:
            days.setdefault(pid, []).append(day)
    return {pid: Missed(len(found), max(found)) for pid, found in days.items()}


def by_week(patient_id: int, first: date, last: date) -> list[AttendanceWeek]:
    """Each week from `first`'s to `last`'s (oldest first): meetings held so far on
    whichever track the patient was on (`schedule.patient_meetings`), and the marks.
    A mark on a day that is no longer a meeting (an exception added later) still
    counts, as held."""
    monday, sunday = week_start(first), week_start(last) + timedelta(days=6)
    now = utcnow()
    held = [m for m in schedule.patient_meetings(patient_id, monday, sunday) if m.starts <= now]
    with db.read() as session:
        rows = session.exec(
            select(Attendance.track_id, Attendance.day, Attendance.status, Track.name)
            .join(Track, Track.id == Attendance.track_id)
            .where(Attendance.patient_id == patient_id, col(Attendance.day) >= monday,
                   col(Attendance.day) <= sunday)).all()
    marks = {(track_id, day): (status, name) for track_id, day, status, name in rows}
    shown: dict[tuple[int, date], MeetingMark] = {}
    for meeting in held:
        found = marks.get((meeting.track_id, meeting.day))
        shown[(meeting.track_id, meeting.day)] = MeetingMark(
            meeting.day, meeting.track_name, meeting.starts, found[0] if found else None)
    for key, (status, name) in marks.items():
        shown.setdefault(key, MeetingMark(key[1], name, None, status))
    weeks = []
    start = monday
    while start <= sunday:
        inside = tuple(sorted((m for m in shown.values()
                               if start <= m.day < start + timedelta(days=7)),
                              key=lambda m: (m.day, m.track_name)))
        statuses = [m.status for m in inside]
        weeks.append(AttendanceWeek(
            start, len(inside), *(statuses.count(status) for status in STATUSES),
            statuses.count(None), inside))
        start += timedelta(days=7)
    return weeks


def meeting_counts(admin_id: int, raw_track_id: object, first: date, last: date
                   ) -> tuple[list[MeetingCount] | None, Problem | None]:
    """For an admin of the track's program: each meeting held from `first` to `last`
    (newest first), with how many patients were on the track and how many of each
    mark. Counts only: no names, no ids."""
    now = utcnow()
    with db.read() as session:
        membership = active_membership(session, admin_id)
        if membership is None or membership.role != ProgramRole.ADMIN:
            return None, NOT_ADMIN
        track = _track_of_staff(session, membership, _as_id(raw_track_id))
        if track is None:
            return None, NO_TRACK
        meetings = [m for m in schedule.track_meetings(session, track.id, first, last)
                    if m.starts <= now]
        rows = session.exec(select(Attendance.day, Attendance.status).where(
            Attendance.track_id == track.id, col(Attendance.day) >= first,
            col(Attendance.day) <= last)).all()
        members = {m.day: len(schedule.members_on(session, track.id, m.day)) for m in meetings}
    counts: dict[date, list[str]] = {}
    for day, status in rows:
        counts.setdefault(day, []).append(status)
    return [MeetingCount(m, members[m.day], *(counts.get(m.day, []).count(status)
                                              for status in STATUSES))
            for m in reversed(meetings)], None
