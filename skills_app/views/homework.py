"""What the patient's homework screens show (Today's "From your therapist" card and
/homework/), as plain strings, from core/homework.py.

Plain Python (no Reflex). No streaks and no judgement: a day asked for and not
done is only a day without a tick.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from skills_app import text
from skills_app.content.measures import QUESTIONNAIRES
from skills_app.core import exercises, homework, mindfulness
from skills_app.core.dates import week_start
from skills_app.core.homework import AssignmentWeek
from skills_app.text import N_, _, formats, ngettext

HOMEWORK_PATH = "/homework/"
PLAN_PATHS = {"safety": "/safety-plan/", "relapse": "/relapse-plan/"}
PLAN_TITLES = {"safety": N_("Read your safety plan"),
               "relapse": N_("Read your relapse-prevention plan")}
# How far the week view pages back and ahead of this week.
WEEKS_BACK = 12
WEEKS_AHEAD = 4


def title(item: homework.Asked) -> str:
    """What to do, in a few words: "DEAR MAN", "10 minutes of mindfulness"."""
    if item.kind == "exercise":
        found = exercises.exercise(item.target)
        return _(found.title) if found else _("An exercise")
    if item.kind == "mindfulness":
        minutes = item.minutes or 1
        practice = mindfulness.practice(item.target)
        if practice is None:
            return ngettext("{n} minute of mindfulness", "{n} minutes of mindfulness", minutes,
                            n=formats.number(minutes))
        return ngettext("{practice}: {n} minute", "{practice}: {n} minutes", minutes,
                        practice=_(practice.title), n=formats.number(minutes))
    if item.kind == "diary_card":
        return _("Fill in your diary card")
    if item.kind == "checkup":
        found = QUESTIONNAIRES.get(item.target)
        return _("Check-up: {name}", name=found.title if found else item.target)
    return _(PLAN_TITLES.get(item.target, PLAN_TITLES["safety"]))


def start_href(item: homework.Asked) -> str:
    """Where one tap starts it: the same screens the patient uses on their own."""
    if item.kind == "exercise":
        return f"{text.href('/practice/do/')}?id={item.target}"
    if item.kind == "mindfulness":
        key = item.target
        if key.startswith("guided."):
            return text.href(f"/mindfulness/guided/{key.removeprefix('guided.')}/")
        if key.startswith("breathe."):
            return text.href("/mindfulness/breathe/")
        return f"{text.href('/mindfulness/timer/')}?minutes={item.minutes or 10}"
    if item.kind == "diary_card":
        return text.href("/journal/new/")
    if item.kind == "checkup":
        return f"{text.href('/measures/take/')}?id={item.target}"
    return text.href(PLAN_PATHS.get(item.target, PLAN_PATHS["safety"]))


def when_line(item: homework.Asked, today: date | None = None) -> str:
    """When it is asked for: "Today", "By Fri, Dec 11", "Every day", "On Mon, Wed",
    "3 times a week", with "until ..." when it ends."""
    if item.repeat == "once":
        if item.end_day is None:
            return ""
        return _("Today") if item.end_day == today else _("By {day}",
                                                            day=formats.day(item.end_day))
    if item.repeat == "daily":
        when = _("Every day")
    elif item.repeat == "weekdays":
        monday = date(2026, 1, 5)
        names = [formats.short_weekday(monday + timedelta(days=d)) for d in item.weekdays]
        when = _("On {days}", days=", ".join(names))
    else:
        times = item.times_per_week or 1
        when = ngettext("Once a week", "{n} times a week", times, n=formats.number(times))
    if item.end_day:
        return _("{when}, until {day}", when=when, day=formats.day(item.end_day))
    return when


def _done_line(item: AssignmentWeek) -> str:
    if item.skipped:
        return _("Not for you this week.")
    if not item.due:
        return ""
    return _("{done} of {due} so far this week", done=formats.number(item.done),
             due=formats.number(item.due))


def today_rows(items: list[AssignmentWeek], today: date) -> list[dict[str, Any]]:
    """Today's card: each item due today, one tap to start, a tick when done today."""
    return [{
        "id": str(item.id),
        "title": title(item),
        "when": when_line(item, today),
        "href": start_href(item),
        "done": item.done_today,
    } for item in items]


def asked_this_week(items: list[AssignmentWeek]) -> bool:
    """Whether anything is still asked this week (a skipped week asks nothing)."""
    return any(not item.skipped and (item.due_today or item.repeat == "per_week"
                                     or any(mark.due for mark in item.days))
               for item in items)


def _day_cell(mark: homework.DayMark, today: date) -> dict[str, Any]:
    day_name = formats.weekday(mark.day)
    if mark.done:
        said = _("{day}: done", day=day_name)
    elif mark.due:
        said = _("{day}: asked for", day=day_name)
    else:
        said = day_name
    return {"letter": formats.short_weekday(mark.day), "date": formats.number(mark.day.day),
            "done": mark.done, "due": mark.due, "today": mark.day == today, "said": said}


def week_rows(items: list[AssignmentWeek], today: date) -> list[dict[str, Any]]:
    """The week view: one card per assignment, Monday to Sunday."""
    return [{
        "id": str(item.id),
        "title": title(item),
        "when": when_line(item, today),
        "href": start_href(item),
        "note": item.note,
        "by": _("From {name}", name=item.assigned_by_name) if item.assigned_by_name else "",
        "days": [_day_cell(mark, today) for mark in item.days],
        "summary": _done_line(item),
        "skipped": item.skipped,
        "reason": item.skip_reason,
        "this_week": item.week_start == week_start(today),
    } for item in items]


def week_label(monday: date, today: date) -> str:
    """ "This week", "Last week", "Next week", or "Week of Mon, Dec 7"."""
    this = week_start(today)
    if monday == this:
        return _("This week")
    if monday == this - timedelta(days=7):
        return _("Last week")
    if monday == this + timedelta(days=7):
        return _("Next week")
    return _("Week of {day}", day=formats.day(monday))


def week_asked(raw: object, today: date) -> date:
    """The Monday of a week a page asked for (?week=2026-12-07), kept within
    `WEEKS_BACK` and `WEEKS_AHEAD` of this week; this week for anything else."""
    this = week_start(today)
    if isinstance(raw, str) and len(raw) == 10:
        try:
            monday = week_start(date.fromisoformat(raw))
        except ValueError:
            return this
        if this - timedelta(weeks=WEEKS_BACK) <= monday <= this + timedelta(weeks=WEEKS_AHEAD):
            return monday
    return this
