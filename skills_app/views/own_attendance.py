"""What a patient sees of their own group attendance (on /groups/), in neutral words:
no judgement, no red, nothing counted against them. From `core.attendance.by_week`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from skills_app.core import attendance
from skills_app.core.dates import local_today
from skills_app.text import N_, _, formats

WEEKS = 4
# Each mark in plain, neutral words.
WORDS = {"present": N_("You were there"), "late": N_("You came in late"),
         "excused": N_("Excused"), "absent": N_("Not marked as there")}


def _when(mark: attendance.MeetingMark, time_zone: str) -> str:
    if mark.starts is None:
        return formats.day(mark.day)
    return formats.day_and_clock(mark.starts, time_zone)


def meeting_rows(weeks: list[attendance.AttendanceWeek], time_zone: str
                 ) -> list[dict[str, str]]:
    """Each meeting the staff marked, newest first: when (the patient's clock), the group,
    the mark. A meeting nobody marked is left out (not a mark against anyone)."""
    return [{"when": _when(mark, time_zone), "group": mark.track_name,
             "text": _(WORDS[mark.status]), "status": mark.status}
            for week in reversed(weeks) for mark in reversed(week.meetings)
            if mark.status in WORDS]


def own_attendance(patient_id: int, time_zone: str) -> dict[str, Any]:
    """The last WEEKS weeks of the patient's own attendance (their own data: no check of
    sharing needed)."""
    today = local_today(time_zone)
    weeks = attendance.by_week(patient_id, today - timedelta(days=7 * (WEEKS - 1)), today)
    rows = meeting_rows(weeks, time_zone)
    return {"rows": rows,
            "empty": "" if rows else _("Nothing marked in the last four weeks yet.")}

