"""What the Progress tab shows, as plain values: chart points, table rows and the
one-line summary a screen reader reads for each chart.

Plain Python (no Reflex): `progress_view(user_id, time_zone, days)` asks
`core.progress` and turns its days and weeks into screen values. Ranges of 7
and 30 days are drawn day by day; 90 days and a year week by week (a phone
cannot show 365 points, nor a table of them). A point without data is None,
so a chart shows a gap and a table says "No entry", never 0. Every word is in the
current language (the page's); dates come from `text.formats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from skills_app import text
from skills_app.content.skills import DBT_MODULES
from skills_app.core import dates, diary, progress
from skills_app.core.progress import Progress, WeeklySummary
from skills_app.text import _, formats, ngettext
from skills_app.text.words.mind import summary_sentence
from skills_app.views import charts

# Ranges up to this many days are drawn day by day; longer ones week by week.
DAILY_UP_TO = 30

Point = dict[str, Any]
Row = list[str]


def _no_entry() -> str:
    return _("No entry")


@lru_cache(maxsize=4096)
def _day_in(day: date, language: str) -> str:
    with text.language(language):
        return formats.day(day)


def _short(day: date) -> str:
    """A day as the charts and tables name it ("Tue, Mar 3"), in the page's language."""
    return _day_in(day, text.current())


_weekday = _short


def _number(value: float | None) -> str:
    """6 or 6.5: one decimal, only when there is one."""
    if value is None:
        return _no_entry()
    return formats.decimal(round(value, 1))


def _minutes(value: float) -> str:
    return _("{n} min", n=formats.number(round(value)))


def _days(count: int) -> str:
    return ngettext("{n} day", "{n} days", count)


def summary_sentences(summary: WeeklySummary) -> list[str]:
    """The weekly summary's lines in the current language (text/words/mind.py)."""
    return [summary_sentence(line.kind, **line.params) for line in summary.lines]


@dataclass(frozen=True)
class Chart:
    """One chart: its points (oldest first), its picture (SVG markup drawn from
    them by views.charts), its table (headers and rows, newest first: what a
    patient looks for) and its one-line summary."""

    points: list[Point]
    headers: list[str]
    rows: list[Row]
    line: str
    shown: bool = True
    picture: str = ""


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
    has_mindfulness: bool
    summary_title: str
    summary_lines: list[str]
    mood: Chart
    urges: list[UrgeChart]
    craving: Chart
    skills: Chart
    minutes: Chart
    module_names: dict[str, str] = field(default_factory=dict)


def _period(by_week: bool, first: date, last: date) -> str:
    return _("Week of {day}", day=_short(first)) if by_week else _weekday(first)


def _covers(found: Progress) -> dict[str, str]:
    """The days a chart's average covers, for its line ("Nov 8 to Dec 7")."""
    return {"first": _short(found.day_range.start), "last": _short(found.day_range.end)}


def _week_or_day(by_week: bool) -> str:
    return _("Week") if by_week else _("Day")


def _picture(points: Sequence[Point], title: str, series: Sequence[tuple[str, str, str, str]],
             **options: Any) -> str:
    """The SVG of a chart whose series are (point key, name, kind, css class)."""
    return charts.chart_markup(charts.Chart(
        labels=[point["label"] for point in points], title=title,
        series=[charts.Series(name, [point.get(key) for point in points], kind, css)
                for key, name, kind, css in series], **options))


def _marked_picture(points: Sequence[Point], title: str, value: tuple[str, str],
                    mark: tuple[str, str], top: int) -> str:
    """A line of ratings with a triangle where the urge was acted on (or a substance
    used): marked by shape and named in the legend, not by colour alone."""
    return _picture(points, title, [(*value, "line", "series-main"),
                                    (*mark, "marks", "series-mark")], top=top)


# --- mood ---

def _mood_chart(found: Progress, by_week: bool) -> Chart:
    points: list[Point] = []
    rows: list[Row] = []
    if by_week:
        for week in found.weeks:
            avg = None if week.mood_average is None else round(week.mood_average, 1)
            points.append({"label": _short(week.first), "mood": avg})
            rows.append([_period(True, week.first, week.last), _number(avg),
                         _days(week.mood_days) if week.mood_days else _no_entry()])
        headers = [_("Week"), _("Average mood"), _("Days rated")]
    else:
        for day in found.days:
            avg = None if day.mood is None else round(day.mood, 1)
            points.append({"label": _short(day.day), "mood": avg})
            spread = (_no_entry() if day.mood_low is None
                      else _("{low} to {high}", low=day.mood_low, high=day.mood_high))
            rows.append([_weekday(day.day), _number(avg), spread])
        headers = [_("Day"), _("Average mood"), _("Low to high")]
    rated = [day for day in found.days if day.mood is not None]
    if not rated:
        line = ngettext("Mood: no ratings in this {n} day.", "Mood: no ratings in these {n} days.",
                        found.day_range.days)
    else:
        # Which days it covers, since the weekly summary above covers the last 7 only.
        average = sum(day.mood for day in rated) / len(rated)
        line = ngettext(
            "Mood, {first} to {last}: average {average} out of {top} over {n} day with a "
            "rating, lowest {low}, highest {high}.",
            "Mood, {first} to {last}: average {average} out of {top} over {n} days with a "
            "rating, lowest {low}, highest {high}.", len(rated),
            **_covers(found), average=_number(average), top=diary.MOOD_MAX,
            low=min(day.mood_low for day in rated), high=max(day.mood_high for day in rated))
    picture = _picture(points, line, [("mood", _("Mood"), "line", "series-main")],
                       top=diary.MOOD_MAX, legend=False)
    return Chart(points, headers, rows[::-1], line, shown=bool(rated), picture=picture)


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
                         _no_entry() if high is None else str(high),
                         ngettext("Acted on {n} day", "Acted on {n} days", acted) if acted
                         else _("No")])
    else:
        for day in found.days:
            high = day.urges.get(key)
            acted = key in day.acted_on
            points.append({"label": _short(day.day), "urge": high,
                           "acted": (high or 0) if acted else None})
            rows.append([_weekday(day.day), _no_entry() if high is None else str(high),
                         _("Yes, acted on") if acted else (_("No") if day.has_entry
                                                           else _no_entry())])
    return points, rows


def _acted_days(days: Sequence[date]) -> str:
    shown = ", ".join(_weekday(day) for day in days[:5])
    return _("{days}, and more", days=shown) if len(days) > 5 else shown


def _urge_line(label: str, ratings: Sequence[int], acted_days: Sequence[date]) -> str:
    if ratings and acted_days:
        return ngettext("Urge, {label}: highest {high} out of {top}; acted on {n} day ({days}).",
                        "Urge, {label}: highest {high} out of {top}; acted on {n} days ({days}).",
                        len(acted_days), label=label, high=max(ratings), top=diary.URGE_MAX,
                        days=_acted_days(acted_days))
    if ratings:
        return _("Urge, {label}: highest {high} out of {top}; not acted on.", label=label,
                 high=max(ratings), top=diary.URGE_MAX)
    if acted_days:
        return ngettext("Urge, {label}: no ratings; acted on {n} day ({days}).",
                        "Urge, {label}: no ratings; acted on {n} days ({days}).",
                        len(acted_days), label=label, days=_acted_days(acted_days))
    return _("Urge, {label}: no ratings; not acted on.", label=label)


def urge_label(key: str) -> str:
    """A diary urge's name in the page's language; a patient's own urge as they wrote it."""
    standard = {item.key for item in progress.urge_items()}
    label = progress.urge_label(key)
    return _(label) if key in standard else label


def _urge_charts(found: Progress, by_week: bool) -> list[UrgeChart]:
    standard = [item.key for item in progress.urge_items()]
    keys = [key for key in standard if any(key in d.urges or key in d.acted_on
                                           for d in found.days)]
    keys += [key for key in found.urge_labels if key not in standard]
    keys += [key for day in found.days for key in day.acted_on
             if key not in keys and key not in standard]
    found_charts = []
    for key in dict.fromkeys(keys):
        label = urge_label(key)
        points, rows = _urge_points(found, by_week, key)
        ratings = [day.urges[key] for day in found.days if key in day.urges]
        acted_days = [day.day for day in found.days if key in day.acted_on]
        line = _urge_line(label.lower() if key in standard else label, ratings, acted_days)
        headers = [_week_or_day(by_week), _("Highest urge"), _("Acted on")]
        picture = _marked_picture(points, line, ("urge", _("Highest urge")),
                                  ("acted", _("Acted on")), diary.URGE_MAX)
        found_charts.append(UrgeChart(points, headers, rows[::-1], line, picture=picture,
                                      key=key, label=label))
    return found_charts


def _craving_chart(found: Progress, by_week: bool) -> Chart:
    points: list[Point] = []
    rows: list[Row] = []
    if by_week:
        for week in found.weeks:
            avg = None if week.craving_average is None else round(week.craving_average, 1)
            points.append({"label": _short(week.first), "craving": avg,
                           "used": (avg or 0) if week.use_days else None})
            rows.append([_period(True, week.first, week.last), _number(avg),
                         ngettext("Used on {n} day", "Used on {n} days", week.use_days)
                         if week.use_days else _("No")])
        headers = [_("Week"), _("Average craving"), _("Used")]
    else:
        for day in found.days:
            points.append({"label": _short(day.day), "craving": day.craving,
                           "used": (day.craving or 0) if day.used else None})
            used = _no_entry() if day.used is None else (_("Yes, used") if day.used
                                                         else _("No"))
            rows.append([_weekday(day.day), _number(day.craving), used])
        headers = [_("Day"), _("Craving"), _("Used")]
    rated = [day.craving for day in found.days if day.craving is not None]
    use_days = sum(1 for day in found.days if day.used)
    average = _number(sum(rated) / len(rated)) if rated else ""
    if rated and use_days:
        line = ngettext(
            "Craving, {first} to {last}: average {average} out of {top} over {n} day with a "
            "rating; used on {used}.",
            "Craving, {first} to {last}: average {average} out of {top} over {n} days with a "
            "rating; used on {used}.", len(rated), **_covers(found), average=average,
            top=diary.CRAVING_MAX, used=_days(use_days))
    elif rated:
        line = ngettext(
            "Craving, {first} to {last}: average {average} out of {top} over {n} day with a "
            "rating.",
            "Craving, {first} to {last}: average {average} out of {top} over {n} days with a "
            "rating.", len(rated), **_covers(found), average=average, top=diary.CRAVING_MAX)
    elif use_days:
        line = ngettext("Craving: no ratings; used on {n} day.",
                        "Craving: no ratings; used on {n} days.", use_days)
    else:
        line = _("Craving: no ratings.")
    picture = _marked_picture(points, line, ("craving", _("Craving")), ("used", _("Used")),
                              diary.CRAVING_MAX)
    return Chart(points, headers, rows[::-1], line, shown=bool(rated) or use_days > 0,
                 picture=picture)


# --- skills and minutes, week by week ---

def _skills_chart(found: Progress) -> Chart:
    modules = list(DBT_MODULES)
    points = [{"label": _short(week.first),
               **{module.key: week.skills_by_module.get(module.key, 0) for module in modules}}
              for week in found.weeks]
    rows = [[_period(True, week.first, week.last), str(week.skill_days),
             *(str(week.skills_by_module.get(module.key, 0)) for module in modules)]
            for week in found.weeks]
    totals = {_(module.name): sum(w.skills_by_module.get(module.key, 0) for w in found.weeks)
              for module in modules}
    skill_days = sum(1 for day in found.days if day.skills)
    used = ", ".join(f"{name} {count}" for name, count in totals.items() if count)
    line = (ngettext("Skills: used on {n} day; skills used by module: {used}.",
                     "Skills: used on {n} days; skills used by module: {used}.", skill_days,
                     used=used)
            if skill_days else _("Skills: none noted in these days yet."))
    picture = _picture(points, line, [(m.key, _(m.name), "bar", f"module-{m.key}")
                                      for m in modules], stacked=True, height=200)
    return Chart(points, [_("Week"), _("Days with skills"), *(_(m.name) for m in modules)],
                 rows[::-1], line, shown=skill_days > 0, picture=picture)


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
    practice_minutes = _minutes(sum(week.practice_minutes for week in found.weeks))
    if mindful:
        line = ngettext(
            "Practice: {n} exercise finished, {minutes}; mindfulness: {mindful}.",
            "Practice: {n} exercises finished, {minutes}; mindfulness: {mindful}.", exercises,
            minutes=practice_minutes,
            mindful=_minutes(sum(week.mindful_minutes or 0 for week in found.weeks)))
    else:
        line = ngettext("Practice: {n} exercise finished, {minutes}.",
                        "Practice: {n} exercises finished, {minutes}.", exercises,
                        minutes=practice_minutes)
    headers = [_("Week"), _("Exercises"), _("Practice"), *([_("Mindfulness")] if mindful else [])]
    picture = _picture(points, line, [("practice", _("Practice (min)"), "bar", "bar-practice"),
                                      *([("mindful", _("Mindfulness (min)"), "bar",
                                          "bar-mindful")] if mindful else [])])
    return Chart(points, headers, rows[::-1], line,
                 shown=found.has_practice or found.has_mindfulness, picture=picture)


def progress_view(user_id: int, time_zone: str, days: object) -> ProgressView:
    """The Progress tab for the patient's own `days` (7, 30, 90 or 365) ending today,
    in the current language.

    Raises `progress.RangeRefused` (its `.problem` said kindly) for any other range.
    """
    today = dates.local_today(time_zone)
    day_range = progress.range_ending(days, today)
    found, summary = progress.progress_and_summary(user_id, day_range)
    by_week = day_range.days > DAILY_UP_TO
    return ProgressView(
        range_days=day_range.days,
        range_label=_(progress.RANGE_CHOICES[day_range.days]),
        by_week=by_week,
        has_entries=found.has_entries,
        has_mindfulness=found.has_mindfulness,
        summary_title=_("Your last 7 days ({first} to {last})", first=_short(summary.first),
                        last=_short(summary.last)),
        summary_lines=summary_sentences(summary),
        mood=_mood_chart(found, by_week),
        urges=_urge_charts(found, by_week),
        craving=_craving_chart(found, by_week),
        skills=_skills_chart(found),
        minutes=_minutes_chart(found),
        module_names={module.key: _(module.name) for module in DBT_MODULES},
    )


def chart_values(chart: Chart) -> dict[str, Any]:
    """A chart as the state holds it (picture, table, summary line, shown)."""
    return {"picture": chart.picture, "headers": chart.headers, "rows": chart.rows,
            "line": chart.line, "shown": chart.shown}


def urge_values(charts: Sequence[UrgeChart]) -> list[dict[str, Any]]:
    return [{**chart_values(chart), "key": chart.key, "label": chart.label}
            for chart in charts]
