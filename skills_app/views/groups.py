"""The patient's group schedule in words: Today's "Next group" line and the /groups/
page (this week and next, holidays said plainly), in the patient's own time zone.

Plain Python (no Reflex): core/schedule.py gives meetings as UTC instants on the
program's dates; here they become the patient's local days and clock times.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from skills_app.core import dates, db, schedule
from skills_app.core.clock import utcnow
from skills_app.text import _, formats

CALENDAR_HREF = "/calendar/groups.ics"
CALENDAR_FILE = "groups.ics"
# Within this many days a weekday name is clear ("Wednesday"); later, the date is.
WEEKDAY_CLEAR_DAYS = 6


def next_group_line(meeting: schedule.Meeting | None, time_zone: str,
                    now: datetime | None = None) -> str:
    """"Next group: Wednesday 9:00 AM" in the patient's zone ("today", "tomorrow", "now"
    where they read better); "" when there is none."""
    if meeting is None:
        return ""
    now = now or utcnow()
    if meeting.starts <= now:
        return _("Group now, until {time}", time=formats.clock(meeting.ends, time_zone))
    today = dates.local_date_of(now, time_zone)
    day = dates.local_date_of(meeting.starts, time_zone)
    time = formats.clock(meeting.starts, time_zone)
    if day == today:
        return _("Next group: today {time}", time=time)
    if day == today + timedelta(days=1):
        return _("Next group: tomorrow {time}", time=time)
    if (day - today).days <= WEEKDAY_CLEAR_DAYS:
        return _("Next group: {weekday} {time}", weekday=formats.weekday(day), time=time)
    return _("Next group: {day}, {time}", day=formats.day(day), time=time)


@dataclass
class WeekView:
    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    empty: str = ""


@dataclass
class GroupsScreen:
    on_track: bool
    track_line: str = ""
    zone_line: str = ""
    weeks: list[WeekView] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _week(patient_id: int, time_zone: str, monday: date, title: str,
          now: datetime) -> WeekView:
    sunday = monday + timedelta(days=6)
    # Program dates can be a day either side of the patient's.
    first, last = monday - timedelta(days=1), sunday + timedelta(days=1)
    rows: list[tuple[datetime, dict[str, Any]]] = []
    for meeting in schedule.patient_meetings(patient_id, first, last):
        day = dates.local_date_of(meeting.starts, time_zone)
        if monday <= day <= sunday:
            rows.append((meeting.starts, {
                "day": formats.long_day(day),
                "text": _("{start} to {end}", start=formats.clock(meeting.starts, time_zone),
                          end=formats.clock(meeting.ends, time_zone)),
                "kind": "past" if meeting.ends <= now else "meeting"}))
    for holiday in schedule.patient_holidays(patient_id, first, last):
        day = dates.local_date_of(holiday.starts, time_zone)
        if monday <= day <= sunday:
            words = (_("No group this day: {note}", note=holiday.note) if holiday.note
                     else _("No group this day."))
            rows.append((holiday.starts, {"day": formats.long_day(day), "text": words,
                                          "kind": "holiday"}))
    rows.sort(key=lambda row: row[0])
    return WeekView(title, [row for _, row in rows],
                    "" if rows else _("No groups this week."))


def groups_screen(patient_id: int, time_zone: str) -> GroupsScreen:
    """This week's and next week's meetings (Monday to Sunday in the patient's zone)."""
    now = utcnow()
    with db.read() as session:
        track = schedule.current_track(session, patient_id, now)
    if track is None:
        return GroupsScreen(False)
    monday = dates.week_start(dates.local_date_of(now, time_zone))
    return GroupsScreen(
        True,
        track_line=_("Your group: {track}", track=track.track_name),
        zone_line=_("Times are in your time zone ({zone}).", zone=time_zone),
        weeks=[_week(patient_id, time_zone, monday, _("This week"), now),
               _week(patient_id, time_zone, monday + timedelta(days=7), _("Next week"), now)])
