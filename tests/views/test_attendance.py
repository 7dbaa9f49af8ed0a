"""The therapist's attendance words: the page's lines and counts (views/attendance.py), the
detail's week table and the reports' section (views/therapist.py, views/reports.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from skills_app.core import attendance, schedule
from skills_app.core.clock import frozen_clock
from skills_app.core.review import Flag, FlagKind, Tier
from skills_app.text import language
from skills_app.views import attendance as views
from skills_app.views import reports
from skills_app.views import therapist as therapist_views

MON = date(2026, 12, 7)
MEETING = schedule.Meeting(3, "Morning IOP", MON, datetime(2026, 12, 7, 15, tzinfo=UTC),
                           datetime(2026, 12, 7, 18, tzinfo=UTC))


def week(start: date, held: int, *counts: int) -> attendance.AttendanceWeek:
    return attendance.AttendanceWeek(start, held, *counts, ())


def test_the_page_addresses_lines_by_place_never_by_id() -> None:
    roster = attendance.Roster(MEETING, (attendance.RosterLine(41, "Bob", "late"),
                                         attendance.RosterLine(42, "Sam", None)))
    choices = attendance.Choices((attendance.TrackChoice(3, "Morning IOP"),), 3, (MEETING,),
                                 MON, "America/Chicago", False)
    # Another day than the meeting's ("Today, ..." is tested in the browser journey).
    with language("en"), frozen_clock(datetime(2027, 1, 6, 12, tzinfo=UTC)):
        found = views.screen(choices, roster, None)
    assert found.lines == [
        {"index": 0, "name": "Bob", "status": "late", "status_text": "Late"},
        {"index": 1, "name": "Sam", "status": "", "status_text": "Not marked yet"}]
    assert found.patient_ids == [41, 42]
    assert "41" not in repr(found.lines) and "42" not in repr(found.lines)
    assert found.heading == "Morning IOP, Mon, Dec 7 · 9:00\u202fAM–12:00\u202fPM"
    assert found.meetings == [{"day": "2026-12-07", "label": "Mon, Dec 7 · 9:00\u202fAM"}]


def test_a_program_without_groups_or_meetings_says_so() -> None:
    with language("en"):
        assert views.screen(attendance.Choices((), None, (), None, "UTC", True), None,
                            None).note.startswith("Your program has no groups yet")
        empty = attendance.Choices((attendance.TrackChoice(3, "Morning IOP"),), 3, (), None,
                                   "UTC", False)
        assert views.screen(empty, None, None).note == \
            "This group has not met in the last four weeks."
        assert not views.screen(None, None, None).allowed


def test_admin_counts_are_numbers_only() -> None:
    counts = [attendance.MeetingCount(MEETING, 5, 2, 1, 1, 0)]
    with language("en"):
        rows = views.count_rows(counts, "America/Chicago")
    assert rows == [{"meeting": "Mon, Dec 7 · 9:00\u202fAM–12:00\u202fPM", "members": "5",
                     "present": "2", "late": "1", "excused": "1", "absent": "0",
                     "unmarked": "1"}]


def test_the_missed_groups_flag_and_the_week_table() -> None:
    flag = Flag(Tier.MISSED_GROUPS, FlagKind.MISSED_GROUPS, None, date(2026, 12, 9), count=2)
    with language("en"):
        assert therapist_views.flag_text(flag) == \
            "Missed 2 groups this week (latest Wed, Dec 9)"
        assert therapist_views.TIER_LABELS[Tier.MISSED_GROUPS] == "Tier 5 · Missed groups"
        rows = therapist_views.attendance_rows([week(date(2026, 11, 30), 3, 2, 1, 0, 0, 0),
                                                week(MON, 0, 0, 0, 0, 0, 0),
                                                week(date(2026, 12, 14), 2, 0, 0, 1, 1, 0)])
        assert [row["week"] for row in rows] == ["Mon, Dec 14", "Mon, Nov 30"]
        screen = {"attendance": rows, "attendance_note": ""}
        lines = reports.attendance_lines(screen)
        assert lines[1:3] == [["Group attendance by week"],
                              ["Week of", "Meetings", "Present", "Late", "Excused", "Absent",
                               "Not marked"]]
        assert lines[3] == ["Mon, Dec 14", "2", "0", "0", "1", "1", "0"]
        # No group meetings: the reports leave the section out.
        assert reports.attendance_lines({"attendance": [], "attendance_note": "x"}) == []
        pdf = reports.session_pdf({**_blank_screen(), **screen}, disclosed=True,
                                  report_id="R-1")
        assert pdf.startswith(b"%PDF")


def _blank_screen() -> dict:
    return {"name": "Bob", "week_label": "Week of Dec 7, 2026", "week": "2026-12-07",
            "shares": "Mood", "tier": "", "flags": [], "no_flags": False, "not_shared": [],
            "numbers": [], "checkup_lines": [], "plan_line": "", "days": [], "sections": [],
            "skills": [], "skills_note": "", "notes": [], "notes_note": ""}
