"""What the therapist's attendance page shows (/groups/attendance/), from
`core.attendance` facts: the tracks and meetings to choose from, the meeting's
patients (names and marks only, addressed by their place in the list, never by
id) and, for an admin, how many of each mark every meeting had.

Times are the program's (the group meets at 9:00 in the program's zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from skills_app.core import attendance, schedule
from skills_app.text import N_, _, formats
from skills_app.views.therapist import told_apart

# The four marks, in the order of their buttons: (status, word, icon).
MARKS = (("present", N_("Present"), "user-check"), ("late", N_("Late"), "clock"),
         ("excused", N_("Excused"), "calendar-off"), ("absent", N_("Absent"), "user-x"))
WORDS = {status: word for status, word, _icon in MARKS}
NOT_MARKED = N_("Not marked yet")
# How far back an admin's counts go.
COUNT_DAYS = 28


def meeting_label(meeting: schedule.Meeting, time_zone: str, today: date | None = None,
                  *, with_end: bool = True) -> str:
    """"Today, Wed, Dec 9 · 9:00 AM–12:00 PM" (the program's clock); the list of meetings
    leaves the end out to fit a phone."""
    start = formats.clock(meeting.starts, time_zone)
    when = (_("{day} · {start}–{end}", day=formats.day(meeting.day), start=start,
              end=formats.clock(meeting.ends, time_zone)) if with_end
            else _("{day} · {start}", day=formats.day(meeting.day), start=start))
    return _("Today, {when}", when=when) if meeting.day == today else when


def status_text(status: str | None) -> str:
    return _(WORDS[status]) if status else _(NOT_MARKED)


@dataclass
class AttendanceScreen:
    allowed: bool = False
    is_admin: bool = False
    tracks: list[dict[str, str]] = field(default_factory=list)
    track_id: str = ""
    meetings: list[dict[str, str]] = field(default_factory=list)
    day: str = ""
    heading: str = ""
    lines: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    counts: list[dict[str, str]] = field(default_factory=list)
    # Server side only: who each line is, by its place in the list.
    patient_ids: list[int] = field(default_factory=list)


def line_row(index: int, line: attendance.RosterLine) -> dict[str, Any]:
    return {"index": index, "name": told_apart(line.name, line.told_apart),
            "status": line.status or "",
            "status_text": status_text(line.status)}


def count_rows(counts: list[attendance.MeetingCount], time_zone: str) -> list[dict[str, str]]:
    return [{"meeting": meeting_label(c.meeting, time_zone),
             "members": formats.number(c.members), "present": formats.number(c.present),
             "late": formats.number(c.late), "excused": formats.number(c.excused),
             "absent": formats.number(c.absent), "unmarked": formats.number(c.unmarked)}
            for c in counts]


def screen(choices: attendance.Choices | None, roster: attendance.Roster | None,
           counts: list[attendance.MeetingCount] | None) -> AttendanceScreen:
    if choices is None:
        return AttendanceScreen()
    zone = choices.time_zone
    today = schedule.program_today(zone)
    found = AttendanceScreen(
        allowed=True, is_admin=choices.is_admin,
        tracks=[{"id": str(t.id), "name": t.name} for t in choices.tracks],
        track_id=str(choices.track_id or ""),
        meetings=[{"day": m.day.isoformat(),
                   "label": meeting_label(m, zone, today, with_end=False)}
                  for m in choices.meetings],
        day=choices.day.isoformat() if choices.day else "",
        counts=count_rows(counts or [], zone))
    if not choices.tracks:
        found.note = _("Your program has no groups yet. An admin adds them under Program.")
    elif roster is None:
        found.note = _("This group has not met in the last four weeks.")
    else:
        found.heading = _("{group}, {when}", group=roster.meeting.track_name,
                          when=meeting_label(roster.meeting, zone, today))
        found.lines = [line_row(i, line) for i, line in enumerate(roster.lines)]
        found.patient_ids = [line.patient_id for line in roster.lines]
        if not roster.lines:
            found.note = _("Nobody was on this group that day.")
    return found
