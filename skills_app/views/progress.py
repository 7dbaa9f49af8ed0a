"""What the Progress tab shows, as plain values: chart points, table rows and the
one-line summary a screen reader reads for each chart.

Plain Python (no Reflex): `progress_view(user_id, time_zone, days)` asks
`core.progress` and turns its days and weeks into screen values. Ranges of 7
and 30 days are drawn day by day; 90 days and a year week by week (a phone
cannot show 365 points, nor a table of them). A point without data is None,
so a chart shows a gap and a table says "No entry", never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from skills_app.content.skills import DBT_MODULES
from skills_app.core import dates, diary, progress
from skills_app.core.progress import Progress

NO_ENTRY = "No entry"
# Ranges up to this many days are drawn day by day; longer ones week by week.
DAILY_UP_TO = 30
ACTED = "Acted on"

Point = dict[str, Any]
Row = list[str]


def _short(day: date) -> str:
    return day.strftime("%-d %b")


def _weekday(day: date) -> str:
    return day.strftime("%a %-d %b")


def _number(value: float | None) -> str:
    """6 or 6.5: one decimal, only when there is one."""
    if value is None:
        return NO_ENTRY
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _minutes(value: float) -> str:
    minutes = round(value)
    return f"{minutes} min"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Chart:
    """One chart: its points (oldest first), its table (headers and rows, newest
    first: what a patient looks for) and its one-line summary."""

    points: list[Point]
    headers: list[str]
    rows: list[Row]
    line: str
    shown: bool = True


@dataclass(frozen=True)
class UrgeChart(Chart):
    key: str = ""
    label: str = ""


@dataclass(frozen=True)
class ProgressView:
    range_days: int
    range_label: str
    by_week: bool
    has_entries: bool
    summary_title: str
    summary_lines: list[str]
    mood: Chart
    urges: list[UrgeChart]
    craving: Chart
    skills: Chart
    minutes: Chart
    module_names: dict[str, str] = field(default_factory=dict)


def _period(by_week: bool, first: date, last: date) -> str:
    return f"Week of {_short(first)}" if by_week else _weekday(first)


# --- mood ---

def _mood_chart(found: Progress, by_week: bool) -> Chart:
    points: list[Point] = []
    rows: list[Row] = []
    if by_week:
        for week in found.weeks:
            avg = None if week.mood_average is None else round(week.mood_average, 1)
            points.append({"label": _short(week.first), "mood": avg})
            rows.append([_period(True, week.first, week.last), _number(avg),
                         _plural(week.mood_days, "day") if week.mood_days else NO_ENTRY])
        headers = ["Week", "Average mood", "Days rated"]
    else:
        for day in found.days:
            avg = None if day.mood is None else round(day.mood, 1)
            points.append({"label": _short(day.day), "mood": avg})
            spread = (NO_ENTRY if day.mood_low is None
                      else f"{day.mood_low} to {day.mood_high}")
            rows.append([_weekday(day.day), _number(avg), spread])
        headers = ["Day", "Average mood", "Low to high"]
    rated = [day for day in found.days if day.mood is not None]
    if not rated:
        line = f"Mood: no ratings in these {found.day_range.days} days."
    else:
        average = sum(day.mood for day in rated) / len(rated)
        low = min(day.mood_low for day in rated)
        high = max(day.mood_high for day in rated)
        line = (f"Mood: average {_number(average)} out of {diary.MOOD_MAX} over "
                f"{_plural(len(rated), 'day')} with a rating, lowest {low}, highest {high}.")
    return Chart(points, headers, rows[::-1], line, shown=bool(rated))


# --- urges and cravings: acted on is a triangle on the chart and words in the table ---

def _urge_points(found: Progress, by_week: bool, key: str) -> tuple[list[Point], list[Row]]:
    points: list[Point] = []
    rows: list[Row] = []
    if by_week:
        for week in found.weeks:
            high = week.urge_high.get(key)
            acted = week.acted_days.get(key, 0)
            points.append({"label": _short(week.first), "urge": high,
                           "acted": (high or 0) if acted else None})
            rows.append([_period(True, week.first, week.last),
                         NO_ENTRY if high is None else str(high),
                         f"{ACTED} on {_plural(acted, 'day')}" if acted else "No"])
    else:
        for day in found.days:
            high = day.urges.get(key)
            acted = key in day.acted_on
            points.append({"label": _short(day.day), "urge": high,
                           "acted": (high or 0) if acted else None})
            rows.append([_weekday(day.day), NO_ENTRY if high is None else str(high),
                         f"Yes, {ACTED.lower()}" if acted else ("No" if day.has_entry
                                                                 else NO_ENTRY)])
    return points, rows


def _urge_charts(found: Progress, by_week: bool) -> list[UrgeChart]:
    standard = [item.key for item in progress.urge_items()]
    keys = [key for key in standard if any(key in d.urges or key in d.acted_on
                                           for d in found.days)]
    keys += [key for key in found.urge_labels if key not in standard]
    keys += [key for day in found.days for key in day.acted_on
             if key not in keys and key not in standard]
    charts = []
    for key in dict.fromkeys(keys):
        label = progress.urge_label(key)
        points, rows = _urge_points(found, by_week, key)
        ratings = [day.urges[key] for day in found.days if key in day.urges]
        acted_days = [day.day for day in found.days if key in day.acted_on]
        line = f"Urge, {label.lower() if key in standard else label}: "
        line += (f"highest {max(ratings)} out of {diary.URGE_MAX}" if ratings
                 else "no ratings")
        line += (f"; acted on {_plural(len(acted_days), 'day')} ("
                 + ", ".join(_weekday(day) for day in acted_days[:5])
                 + (", and more" if len(acted_days) > 5 else "") + ")."
                 if acted_days else "; not acted on.")
        headers = ["Week" if by_week else "Day", "Highest urge", ACTED]
        charts.append(UrgeChart(points, headers, rows[::-1], line, key=key, label=label))
    return charts


def _craving_chart(found: Progress, by_week: bool) -> Chart:
    points: list[Point] = []
    rows: list[Row] = []
    if by_week:
        for week in found.weeks:
            avg = None if week.craving_average is None else round(week.craving_average, 1)
            points.append({"label": _short(week.first), "craving": avg,
                           "used": (avg or 0) if week.use_days else None})
            rows.append([_period(True, week.first, week.last), _number(avg),
                         f"Used on {_plural(week.use_days, 'day')}" if week.use_days else "No"])
        headers = ["Week", "Average craving", "Used"]
    else:
        for day in found.days:
            points.append({"label": _short(day.day), "craving": day.craving,
                           "used": (day.craving or 0) if day.used else None})
            used = NO_ENTRY if day.used is None else ("Yes, used" if day.used else "No")
            rows.append([_weekday(day.day), _number(day.craving), used])
        headers = ["Day", "Craving", "Used"]
    rated = [day.craving for day in found.days if day.craving is not None]
    use_days = sum(1 for day in found.days if day.used)
    if rated:
        line = (f"Craving: average {_number(sum(rated) / len(rated))} out of "
                f"{diary.CRAVING_MAX} over {_plural(len(rated), 'day')} with a rating")
    else:
        line = "Craving: no ratings"
    line += f"; used on {_plural(use_days, 'day')}." if use_days else "."
    return Chart(points, headers, rows[::-1], line, shown=bool(rated) or use_days > 0)


# --- skills and minutes, week by week ---

def _skills_chart(found: Progress) -> Chart:
    modules = list(DBT_MODULES)
    points = [{"label": _short(week.first),
               **{module.key: week.skills_by_module.get(module.key, 0) for module in modules}}
              for week in found.weeks]
    rows = [[_period(True, week.first, week.last), str(week.skill_days),
             *(str(week.skills_by_module.get(module.key, 0)) for module in modules)]
            for week in found.weeks]
    totals = {module.name: sum(w.skills_by_module.get(module.key, 0) for w in found.weeks)
              for module in modules}
    skill_days = sum(1 for day in found.days if day.skills)
    used = ", ".join(f"{name} {count}" for name, count in totals.items() if count)
    line = (f"Skills: used on {_plural(skill_days, 'day')}; skills used by module: {used}."
            if skill_days else "Skills: none noted in these days yet.")
    return Chart(points, ["Week", "Days with skills", *(m.name for m in modules)], rows[::-1], line,
                 shown=skill_days > 0)


def _minutes_chart(found: Progress) -> Chart:
    mindful = found.has_mindfulness
    points = [{"label": _short(week.first), "practice": week.practice_minutes,
               **({"mindful": round(week.mindful_minutes or 0)} if mindful else {})}
              for week in found.weeks]
    rows = [[_period(True, week.first, week.last), str(week.exercises),
             _minutes(week.practice_minutes),
             *([_minutes(week.mindful_minutes or 0)] if mindful else [])]
            for week in found.weeks]
    exercises = sum(week.exercises for week in found.weeks)
    practice_minutes = sum(week.practice_minutes for week in found.weeks)
    line = (f"Practice: {_plural(exercises, 'exercise')} finished, "
            f"{_minutes(practice_minutes)}")
    if mindful:
        mindful_total = sum(week.mindful_minutes or 0 for week in found.weeks)
        line += f"; mindfulness: {_minutes(mindful_total)}"
    headers = ["Week", "Exercises", "Practice", *(["Mindfulness"] if mindful else [])]
    return Chart(points, headers, rows[::-1], line + ".",
                 shown=found.has_practice or found.has_mindfulness)


def progress_view(user_id: int, time_zone: str, days: object) -> ProgressView:
    """The Progress tab for the patient's own `days` (7, 30, 90 or 365) ending today.

    Raises `progress.RangeRefused` (a kind message) for any other range.
    """
    today = dates.local_today(time_zone)
    day_range = progress.range_ending(days, today)
    found = progress.progress(user_id, day_range)
    by_week = day_range.days > DAILY_UP_TO
    # The summary's 14 days are the range's last ones when the range has them.
    summary = (progress.summary_of(found.days[-14:]) if len(found.days) >= 14
               else progress.weekly_summary(user_id, today))
    return ProgressView(
        range_days=day_range.days,
        range_label=progress.RANGE_CHOICES[day_range.days],
        by_week=by_week,
        has_entries=found.has_entries,
        summary_title=f"Your last 7 days ({_short(summary.first)} to {_short(summary.last)})",
        summary_lines=list(summary.lines),
        mood=_mood_chart(found, by_week),
        urges=_urge_charts(found, by_week),
        craving=_craving_chart(found, by_week),
        skills=_skills_chart(found),
        minutes=_minutes_chart(found),
        module_names={module.key: module.name for module in DBT_MODULES},
    )


def chart_values(chart: Chart) -> dict[str, Any]:
    """A chart as the state holds it (points, table, summary line, shown)."""
    return {"points": chart.points, "headers": chart.headers, "rows": chart.rows,
            "line": chart.line, "shown": chart.shown}


def urge_values(charts: Sequence[UrgeChart]) -> list[dict[str, Any]]:
    return [{**chart_values(chart), "key": chart.key, "label": chart.label}
            for chart in charts]

