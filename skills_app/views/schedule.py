"""The program's schedule in words for staff: the admin's track list and the
therapist's "Group track" section (English only, through the text layer).

A track's times are wall-clock times in the program's zone, so they are written
as they are set ("9:00 AM"), whatever zone the reader's account is in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from skills_app.core import schedule
from skills_app.text import _, formats

# A Monday: weekday n of this week names weekday n.
_A_MONDAY = date(2024, 1, 1)


def weekday_name(weekday: int) -> str:
    return formats.weekday(_A_MONDAY + timedelta(days=weekday))


def _weekdays(weekdays: tuple[int, ...]) -> str:
    if len(set(weekdays)) == 7:
        return _("every day")
    return ", ".join(formats.short_weekday(_A_MONDAY + timedelta(days=day))
                     for day in sorted(weekdays))


def wall_clock(minute: int) -> str:
    """Minutes after midnight as the reader writes a time ("9:00 AM")."""
    return formats.clock(datetime.combine(_A_MONDAY, datetime.min.time(), tzinfo=UTC)
                         + timedelta(minutes=minute), "UTC")


def track_summary(name: str, weekdays: tuple[int, ...], start_minute: int,
                  end_minute: int) -> str:
    """"Morning IOP: Mon, Wed, Thu, 9:00 AM to 12:00 PM"."""
    return _("{name}: {days}, {start} to {end}", name=name, days=_weekdays(weekdays),
             start=wall_clock(start_minute), end=wall_clock(end_minute))


def _dates(first: date, last: date | None) -> str:
    if last is None:
        return _("From {first}", first=formats.date_with_year(first))
    return _("{first} to {last}", first=formats.date_with_year(first),
             last=formats.date_with_year(last))


def track_rows(screen: schedule.ScheduleScreen) -> list[dict[str, Any]]:
    """The admin's list: each track with its words and what its edit form holds."""
    return [{
        "id": track.id,
        "summary": track_summary(track.name, track.weekdays, track.start_minute,
                                 track.end_minute),
        "dates": _dates(track.first_day, track.last_day),
        "members": _("{count} on it today", count=track.members),
        "archived": track.archived,
        "exceptions": [{"id": exception.id,
                        "text": (_("{day}: {note}", day=formats.date_with_year(exception.day),
                                   note=exception.note) if exception.note
                                 else formats.date_with_year(exception.day))}
                       for exception in track.exceptions],
        "form": {"track_id": str(track.id), "name": track.name,
                 "weekdays": [str(day) for day in track.weekdays],
                 "start": schedule.hh_mm(track.start_minute),
                 "end": schedule.hh_mm(track.end_minute),
                 "first_day": track.first_day.isoformat(),
                 "last_day": track.last_day.isoformat() if track.last_day else ""},
    } for track in screen.tracks]


def track_choice_label(choice: schedule.TrackChoice) -> str:
    return track_summary(choice.name, choice.weekdays, choice.start_minute, choice.end_minute)
