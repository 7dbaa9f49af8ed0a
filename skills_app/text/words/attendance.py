"""Sentences for the facts `core/attendance.py` returns (taking a group's attendance)."""

from skills_app.text import N_

PROBLEMS = {
    "attendance_not_staff": N_("Only active staff of this program can take attendance."),
    "attendance_no_track": N_("We could not find that group in your program."),
    "attendance_no_meeting": N_("That group does not meet on that day."),
    "attendance_not_yet": N_("That meeting has not happened yet. You can mark it on the day."),
    "attendance_not_on_track": N_("That patient was not on this group that day. Nothing was "
                                  "changed."),
    "attendance_status": N_("Please choose Present, Late, Excused or Absent."),
}
