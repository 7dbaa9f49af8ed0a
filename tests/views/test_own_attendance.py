"""A patient's own attendance in neutral words (views/own_attendance.py), English and
Spanish: no judgement, nothing counted against them, unmarked meetings left out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from skills_app.core.attendance import AttendanceWeek, MeetingMark
from skills_app.text import language
from skills_app.views.own_attendance import meeting_rows

MON = date(2026, 12, 7)
NINE = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
MARKS = (MeetingMark(MON, "Morning IOP", NINE, "present"),
         MeetingMark(date(2026, 12, 8), "Morning IOP", None, "late"),
         MeetingMark(date(2026, 12, 9), "Morning IOP", NINE.replace(day=9), "excused"),
         MeetingMark(date(2026, 12, 10), "Morning IOP", NINE.replace(day=10), "absent"),
         MeetingMark(date(2026, 12, 11), "Morning IOP", NINE.replace(day=11), None))
WEEK = AttendanceWeek(MON, 5, 1, 1, 1, 1, 1, MARKS)
JUDGEMENT = ("miss", "fail", "absent", "skip", "bad", "no-show", "falt", "ausen", "perdi")


def test_each_mark_in_neutral_words_newest_first_unmarked_left_out() -> None:
    with language("en"):
        rows = meeting_rows([WEEK], "America/Chicago")
    assert [row["text"] for row in rows] == [
        "Not marked as there", "Excused", "You came in late", "You were there"]
    assert rows[-1]["when"] == "Mon, Dec 7, 9:00\u202fAM"
    assert rows[-2]["when"] == "Tue, Dec 8"  # a mark on a day that is no longer a meeting
    assert {row["group"] for row in rows} == {"Morning IOP"}
    for row in rows:
        assert not any(word in row["text"].lower() for word in JUDGEMENT)


def test_spanish_says_the_same_without_judgement() -> None:
    with language("es"):
        rows = meeting_rows([WEEK], "America/Chicago")
    with language("en"):
        english = [row["text"] for row in meeting_rows([WEEK], "America/Chicago")]
    texts = [row["text"] for row in rows]
    assert len(texts) == 4 and all(es != en for es, en in zip(texts, english, strict=True))
    assert not any(word in text.lower() for text in texts for word in JUDGEMENT)
