"""What the therapist's screens and session reports say about homework, from
`core.homework` (facts): the caseload's "Homework 3 of 5 this week", and the
patient detail's list of assignments with the week's ticks.

What a therapist sees of completions follows `homework.completion_visibility`
for each assignment's kind and the categories the patient shares now: "full"
(an exercise's "helped?" and distress before -> after too), "done_only" (done
or not), or "none" (the assignment is listed, its completions are not). A
"not for me this week" is said plainly, with the patient's reason as typed:
it is a choice, not a failure. The assignment itself (what was asked, when,
the note) is the therapist's own writing and is always listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from skills_app.content.skills import MODULES_BY_KEY
from skills_app.core import exercises, homework, mindfulness, review
from skills_app.core.dates import week_days
from skills_app.core.practice import HELPED
from skills_app.text import N_, _, formats, ngettext

# Choices of the assign form (message ids: shown with `_()`).
KIND_LABELS = {
    "exercise": N_("Skills exercise"),
    "mindfulness": N_("Mindfulness practice"),
    "diary_card": N_("Diary card"),
    "checkup": N_("Check-up"),
    "plan_review": N_("Review a plan"),
}
REPEAT_LABELS = {
    "daily": N_("Every day"),
    "weekdays": N_("On chosen days"),
    "per_week": N_("Times a week"),
    "once": N_("Once"),
}
CHECKUP_LABELS = {"phq9": "PHQ-9", "gad7": "GAD-7"}
PLAN_LABELS = {"safety": N_("Safety plan"), "relapse": N_("Relapse-prevention plan")}
ANY_PRACTICE = N_("Any practice")
NOT_SHARED = N_("Completions not shared by this patient")
DONE_MARK, DUE_MARK = "✓", "○"


@dataclass(frozen=True)
class ExerciseChoice:
    id: str
    title: str
    # What the search box matches: the title and the module, in lower case.
    search: str


def exercise_groups() -> list[tuple[str, list[ExerciseChoice]]]:
    """The catalogue by module, in the modules' order, each list by title: what the
    assign form offers (the same for every patient, so built with the page)."""
    by_module: dict[str, list[ExerciseChoice]] = {}
    for found in exercises.all_exercises():
        module = _(MODULES_BY_KEY[found.module].name)
        by_module.setdefault(found.module, []).append(ExerciseChoice(
            found.id, _(found.title), f"{_(found.title)} {module} {found.id}".casefold()))
    return [(_(MODULES_BY_KEY[key].name), sorted(items, key=lambda c: c.title.casefold()))
            for key, items in sorted(by_module.items(),
                                     key=lambda pair: list(MODULES_BY_KEY).index(pair[0]))]


def practice_choices() -> list[tuple[str, str]]:
    """(key, title) of every mindfulness practice, "Any practice" first."""
    return [("", _(ANY_PRACTICE)),
            *((key, _(found.title)) for key, found in mindfulness.PRACTICES.items())]


def weekday_names() -> list[str]:
    """Monday ... Sunday, short ("Mon"), in the current language."""
    monday = date(2024, 1, 1)  # a Monday
    return [formats.short_weekday(monday + timedelta(days=n)) for n in range(7)]


def what_line(kind: str, target: str, minutes: int | None) -> str:
    """What was asked, in a few words: "DEAR MAN: ask for what you want",
    "Mindfulness: Box breathing (4-4-4-4), 10 minutes", "Diary card"."""
    if kind == "exercise":
        found = exercises.exercise(target)
        return _(found.title) if found else _("An exercise no longer offered")
    if kind == "mindfulness":
        found_practice = mindfulness.practice(target)
        name = _(found_practice.title) if found_practice else _(ANY_PRACTICE)
        if minutes:
            return _("Mindfulness: {practice}, {minutes}", practice=name,
                     minutes=ngettext("{n} minute", "{n} minutes", minutes))
        return _("Mindfulness: {practice}", practice=name)
    if kind == "diary_card":
        return _("Diary card")
    if kind == "checkup":
        return _("Check-up: {name}", name=CHECKUP_LABELS.get(target, target))
    if kind == "plan_review":
        return _("Review the {plan}", plan=_(PLAN_LABELS.get(target, PLAN_LABELS["safety"]
                                                              )).lower())
    return kind


def when_line(repeat: str, weekdays: list[int] | tuple[int, ...], times_per_week: int | None,
              start_day: date, end_day: date | None) -> str:
    """When it is due: "Every day from Mon, Dec 7", "Mon and Wed from ... until ...",
    "3 times a week from ...", "Once, by Fri, Dec 11"."""
    start = formats.day(start_day)
    if repeat == "once":
        return _("Once, by {day}", day=formats.day(end_day or start_day))
    if repeat == "weekdays":
        names = weekday_names()
        days = _(", ").join(names[n] for n in sorted(weekdays) if 0 <= n < 7)
        what = _("On {days}", days=days)
    elif repeat == "per_week":
        what = ngettext("{n} time a week", "{n} times a week", times_per_week or 1)
    else:
        what = _("Every day")
    if end_day is not None:
        return _("{what}, from {start} until {end}", what=what, start=start,
                 end=formats.day(end_day))
    return _("{what}, from {start}", what=what, start=start)


def count_line(done: int, due: int) -> str:
    return _("{done} of {due} so far this week", done=formats.number(done),
             due=formats.number(due))


def caseload_line(week: review.HomeworkWeek | None) -> str:
    """The caseload row: "Homework 3 of 5 this week", "Homework not shared", or ""
    when nothing is assigned."""
    if week is None:
        return ""
    if not week.shared:
        return _("Homework not shared")
    count = week.count
    if count.due == 0 and not count.skipped:
        return _("Homework: nothing due yet this week")
    line = _("Homework {done} of {due} this week", done=formats.number(count.done),
             due=formats.number(count.due))
    if count.skipped:
        line = _("{line} ({n} not for this week)", line=line,
                 n=formats.number(count.skipped))
    return line


def _completion_lines(completions: list[homework.ExerciseCompletion]) -> list[str]:
    """Each finished exercise: "Tue, Dec 8: helped: Yes; distress 6 → 3"."""
    lines = []
    for done in completions:
        parts = []
        if done.helped in HELPED:
            parts.append(_("helped: {answer}", answer=_(HELPED[done.helped])))
        before, after = done.distress_before, done.distress_after
        if before is not None and after is not None:
            parts.append(_("distress {before} → {after}", before=formats.number(before),
                           after=formats.number(after)))
        elif before is not None:
            parts.append(_("distress before {before}", before=formats.number(before)))
        elif after is not None:
            parts.append(_("distress after {after}", after=formats.number(after)))
        detail = _("; ").join(parts) if parts else _("finished")
        lines.append(_("{day}: {detail}", day=formats.day(done.day), detail=detail))
    return lines


def _day_cells(days: list[homework.DayMark], visibility: str) -> list[dict[str, str]]:
    """Seven cells, Monday first: ✓ done, ○ due and not done, blank when not due."""
    cells = []
    for mark in days:
        label = formats.day(mark.day)
        if visibility == "none" or not (mark.due or mark.done):
            text, said, state = "", _("{day}: not due", day=label), ""
            if visibility == "none" and mark.due:
                text, said, state = "·", _("{day}: due", day=label), "due"
        elif mark.done:
            text, said, state = DONE_MARK, _("{day}: done", day=label), "done"
        else:
            text, said, state = DUE_MARK, _("{day}: due, not done", day=label), "due"
        cells.append({"day": formats.short_weekday(mark.day), "text": text, "said": said,
                      "class": f"hw-day {state}"})
    return cells


def assignment_row(week: homework.AssignmentWeek, visibility: str,
                   completions: list[homework.ExerciseCompletion], today: date) -> dict[str, Any]:
    """One assignment of the detail's week, as the page and the reports show it."""
    ended = week.last_day is not None and week.last_day < today
    shown_completions = (_completion_lines(completions)
                         if visibility == "full" and week.kind == "exercise" else [])
    if visibility == "none":
        progress = _(NOT_SHARED)
    elif week.repeat == "once":
        progress = _("Done") if week.done else _("Not done yet")
    else:
        progress = count_line(week.done, week.due)
    return {
        "id": week.id,
        "what": what_line(week.kind, week.target, week.minutes),
        "when": when_line(week.repeat, week.weekdays, week.times_per_week, week.start_day,
                          week.end_day),
        "note": week.note,
        "by": _("Assigned by {name}", name=week.assigned_by_name)
        if week.assigned_by_name else "",
        "days": _day_cells(list(week.days), visibility),
        "progress": progress,
        # A choice of the patient's, said plainly; their reason as typed.
        "skipped": (_("Not for me this week") if week.skipped else "")
        if visibility != "none" else "",
        "skip_reason": week.skip_reason if week.skipped and visibility != "none" else "",
        "completions": shown_completions,
        "active": not ended,
    }


def homework_section(patient_id: int, categories: frozenset[str], week_start: date,
                     today: date, viewer_id: int | None) -> dict[str, Any]:
    """The detail's (and the report's) homework part for the week starting
    `week_start`, from what `categories` let this therapist see: their own
    assignments always (they wrote them, and may end them), another therapist's
    only when the patient shares its completion with them. `viewer_id` None: the
    patient's own summary (everything)."""
    weeks = homework.patient_week(patient_id, week_start)
    if viewer_id is not None:
        by = homework.assigned_by_of(patient_id, [w.id for w in weeks])
        weeks = [w for w in weeks if by.get(w.id) == viewer_id
                 or homework.completion_visibility(w.kind, categories) != "none"]
    last = week_days(week_start)[-1]
    completions: Mapping[int, list[homework.ExerciseCompletion]] = {}
    if any(homework.completion_visibility(w.kind, categories) == "full"
           and w.kind == "exercise" for w in weeks):
        completions = {found.id: list(found.completions)
                       for found in homework.history(patient_id, week_start, min(last, today))}
    rows = [assignment_row(w, homework.completion_visibility(w.kind, categories),
                           completions.get(w.id, []), today) for w in weeks]
    return {"rows": rows, "today": today.isoformat(),
            "days": [formats.short_weekday(day) for day in week_days(week_start)]}


def report_lines(section: Mapping[str, Any]) -> list[list[str]]:
    """The homework part of the CSV and PDF: one line per assignment, then its ticks,
    its "not for me this week" and its finished exercises."""
    rows: list[list[str]] = []
    for row in section.get("rows", []):
        rows.append([row["what"], row["when"], row["progress"]])
        marks = [f"{cell['day']} {cell['text']}".strip() for cell in row["days"]
                 if cell["text"]]
        if marks:
            rows.append(["", _("This week"), " ".join(marks)])
        if row["skipped"]:
            rows.append(["", row["skipped"], row["skip_reason"]])
        rows += [["", _("Finished"), line] for line in row["completions"]]
        if row["note"]:
            rows.append(["", _("Note"), row["note"]])
    return rows
