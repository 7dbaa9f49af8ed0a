"""A patient's progress over a range of local days: the numbers every screen shares.

The Progress tab, the weekly summary and the therapist's views all read this
module, so a patient and their therapist see the same numbers. It adds no
definition of its own for a day: what a day looked like is
`journal.daily_summaries` (the diary card's per-day highs and mood average,
acted-on urges, and the one answer to "which skills were used that day",
diary ticks plus finished exercises), aggregated in SQL by local day.
Exercises finished and minutes practised come from `core.practice`, minutes
of mindfulness from `core.mindfulness` (whose sessions' skills
`daily_summaries` already counts).

Public functions (their names stay stable: the therapist dashboard uses them):

- `range_ending(days, today)` / `check_range(start, end, today=None)`: a
  `DayRange` of 7, 30, 90 or 365 local days; anything else raises
  `RangeRefused`, a `ProblemError` whose `.problem` a screen says kindly.
- `progress(user_id, day_range)`: `Progress`, the per-day series
  (`ProgressDay`) and per-week totals (`ProgressWeek`, Monday to Sunday,
  clipped to the range) for the range. Days without entries are there with
  None values: gaps, not zeros. `progress_and_summary(user_id, day_range)`
  adds the weekly summary ending the range's last day, reading each day once.
- `mood_trend(user_id, today, days=7)`: `MoodTrend`, the mood average of the
  `days` local days ending `today`, the `days` before, and the direction.
- `risk_days(user_id, today, within_days=7)`: `RiskDay`s in the last
  `within_days` days with an urge rated `RISK_URGE_LEVEL` (4) or more, or any
  urge acted on, newest first.
- `last_check_in(user_id)`: the local day of the patient's latest entry.
- `last_check_ins(user_ids)` and `mood_trends_and_summaries_of(todays, trend_for=...,
  summaries_for=...)`: the same numbers for a whole caseload, one query per number
  grouped by user id (the single-patient functions call them); the recent days'
  `DailySummary`s come from the same one read (the therapist's risk tiers read them).
- `weekly_summary(user_id, today)`: `WeeklySummary`, the last 7 days against
  the 7 before as `SummaryLine` facts (text/words/mind.py writes them in plain,
  kind words); `summary_of(days)` is the same from 14 `ProgressDay`s already
  read, and `summary_for(this, last, first, last_day)` the lines from two
  `WeekStats`.

Everything takes the patient's id from the caller (a state handler gives the
signed-in patient's own id; never an id a browser sent) and the patient's
local "today" (`dates.local_today(time_zone)`). Entries keep the local day
they were written on, so a patient who changes time zone keeps each day's
entries on the day they lived it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlmodel import col

from skills_app.core import db, diary, mindfulness, practice
from skills_app.core.dates import week_start
from skills_app.core.diary import RISK_URGE_LEVEL, DiaryItem
from skills_app.core.journal import DailySummary, daily_summaries
from skills_app.core.journal.summaries import daily_summaries_of
from skills_app.core.models import JournalEntry
from skills_app.core.problems import Problem, ProblemError
from skills_app.text import N_

# Each range's button (a catalogue message: the page shows it through `_()`).
RANGE_CHOICES: dict[int, str] = {7: N_("7 days"), 30: N_("30 days"), 90: N_("90 days"),
                                 365: N_("A year")}
DEFAULT_RANGE_DAYS = 30

# A range refused (words: text/words/mind.py).
BAD_RANGE = Problem("progress_bad_range")
BAD_DATES = Problem("progress_bad_dates")
REVERSED = Problem("progress_reversed")
FUTURE = Problem("progress_future")

# Averages closer than this are "about the same" (they round to the same whole number).
Direction = Literal["up", "down", "same"]
# A week needs this many days with a rating before its average is spoken of.
MIN_DAYS_FOR_AVERAGE = 2
# A trend arrow (up, down, about the same) compares two weeks that each have at least
# this many days with a mood rating: two ratings make an average, not a direction.
MIN_DAYS_FOR_TREND = 3
# Fewer days than this with any entry or practice: "too little data" for a summary.
MIN_DAYS_FOR_SUMMARY = 2


class RangeRefused(ProblemError):
    """A range a screen may not ask for; `.problem` says why (one of the four above)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code, **problem.params)


@dataclass(frozen=True)
class DayRange:
    """Local days from `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __iter__(self):  # noqa: ANN204
        return (self.start + timedelta(days=n) for n in range(self.days))


def _whole_number(value: object) -> int | None:
    """An int from an int or its digits; None for anything else (bools, floats, junk)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.isdigit() and len(text) <= 6 else None
    return value if isinstance(value, int) else None


def range_ending(days: object, today: date) -> DayRange:
    """The `days` local days ending `today`; `days` must be 7, 30, 90 or 365."""
    count = _whole_number(days)
    if count not in RANGE_CHOICES:
        raise RangeRefused(BAD_RANGE)
    return DayRange(today - timedelta(days=count - 1), today)


def _day(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) <= 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RangeRefused(BAD_DATES)


def check_range(start: object, end: object, today: date | None = None) -> DayRange:
    """A range given by its first and last day (dates or ISO text), checked:
    the last day not before the first, nor after `today` when given, and 7, 30,
    90 or 365 days long."""
    first, last = _day(start), _day(end)
    if last < first:
        raise RangeRefused(REVERSED)
    if today is not None and last > today:
        raise RangeRefused(FUTURE)
    if (last - first).days + 1 not in RANGE_CHOICES:
        raise RangeRefused(BAD_RANGE)
    return DayRange(first, last)


# --- what a day and a week show ---

def urge_items() -> tuple[DiaryItem, ...]:
    """The diary card's urges, in review order (suicide first)."""
    card = diary.DIARY_CARD
    return card.items_of(card.own_items_group("urge"))


def emotion_items() -> tuple[DiaryItem, ...]:
    card = diary.DIARY_CARD
    return card.items_of(card.own_items_group("emotion"))


SUBSTANCE_URGE = "urge_substance_use"


def skill_module(skill_key: str) -> str:
    """The module key of a skill key ("distress_tolerance.tipp" -> "distress_tolerance")."""
    return skill_key.partition(".")[0]


@dataclass(frozen=True)
class ProgressDay:
    """One local day. None (or an empty mapping) means nothing was recorded:
    a gap, never a zero.

    `urges` and `emotions` hold each rated item's highest of the day, keyed by
    the diary item key ("urge_suicide") or, for the patient's own items, by
    the name they wrote; `acted_on` the urges acted on (same keys). `used` is
    "acted on the urge to use" (None without a diary card that day).
    """

    day: date
    entries: int
    mood: float | None
    mood_low: int | None
    mood_high: int | None
    emotions: dict[str, int]
    urges: dict[str, int]
    acted_on: frozenset[str]
    craving: int | None
    used: bool | None
    sleep_hours: float | None
    medications_taken: bool | None
    skills: frozenset[str]
    exercises: int
    practice_minutes: int
    mindful_minutes: float | None

    @property
    def has_entry(self) -> bool:
        return self.entries > 0


def _progress_days(summaries: Sequence[DailySummary],
                   finished: dict[date, practice.DayPractice],
                   mindful: dict[date, float]) -> tuple[ProgressDay, ...]:
    """Each summary as a `ProgressDay`, with that day's practice and mindfulness."""
    urge_keys = [item.key for item in urge_items()]
    emotion_keys = [item.key for item in emotion_items()]
    return tuple(_progress_day(summary, finished.get(summary.local_date),
                               mindful.get(summary.local_date, 0.0) if mindful else None,
                               urge_keys, emotion_keys)
                 for summary in summaries)


def _progress_day(summary: DailySummary, finished: practice.DayPractice | None,
                  mindful: float | None, urge_keys: Sequence[str],
                  emotion_keys: Sequence[str]) -> ProgressDay:
    values = summary.values
    low_high = summary.spread.get(diary.MOOD)
    craving = values.get("craving")
    return ProgressDay(
        day=summary.local_date,
        entries=summary.entry_count,
        mood=values.get(diary.MOOD),
        mood_low=None if low_high is None else int(low_high[0]),
        mood_high=None if low_high is None else int(low_high[1]),
        emotions={**{key: int(values[key]) for key in emotion_keys if key in values},
                  **summary.custom_emotions},
        urges={**{key: int(values[key]) for key in urge_keys if key in values},
               **summary.custom_urges},
        acted_on=summary.acted_on | summary.custom_acted_on,
        craving=None if craving is None else int(craving),
        used=(SUBSTANCE_URGE in summary.acted_on) if summary.diary_count else None,
        sleep_hours=values.get("sleep_hours"),
        medications_taken=values.get("medications_taken"),
        skills=summary.skills_used,
        exercises=finished.count if finished else 0,
        practice_minutes=finished.minutes if finished else 0,
        mindful_minutes=mindful,
    )


def _mean(values: Iterable[float]) -> float | None:
    found = list(values)
    return sum(found) / len(found) if found else None


@dataclass(frozen=True)
class ProgressWeek:
    """Monday to Sunday, clipped to the range (`first`..`last`).

    Averages are of the days that have a value (None when none has);
    `urge_high` is each urge's highest, `acted_days` how many days it was
    acted on; `skills_by_module` counts skill-days (a skill used on a day)
    per module key.
    """

    week_start: date
    first: date
    last: date
    days_with_entries: int
    mood_average: float | None
    mood_days: int
    urge_high: dict[str, int]
    urge_average: dict[str, float]
    acted_days: dict[str, int]
    craving_average: float | None
    craving_high: int | None
    use_days: int
    skill_days: int
    skills_by_module: dict[str, int]
    exercises: int
    practice_minutes: int
    mindful_minutes: float | None


def _week(days: Sequence[ProgressDay], has_mindfulness: bool) -> ProgressWeek:
    urges: dict[str, list[int]] = {}
    acted: dict[str, int] = {}
    modules: dict[str, int] = {}
    for day in days:
        for key, rating in day.urges.items():
            urges.setdefault(key, []).append(rating)
        for key in day.acted_on:
            acted[key] = acted.get(key, 0) + 1
        for skill in day.skills:
            module = skill_module(skill)
            modules[module] = modules.get(module, 0) + 1
    cravings = [day.craving for day in days if day.craving is not None]
    moods = [day.mood for day in days if day.mood is not None]
    return ProgressWeek(
        week_start=week_start(days[0].day), first=days[0].day, last=days[-1].day,
        days_with_entries=sum(day.has_entry for day in days),
        mood_average=_mean(moods), mood_days=len(moods),
        urge_high={key: max(ratings) for key, ratings in urges.items()},
        urge_average={key: sum(ratings) / len(ratings) for key, ratings in urges.items()},
        acted_days=acted,
        craving_average=_mean(cravings), craving_high=max(cravings, default=None),
        use_days=sum(1 for day in days if day.used),
        skill_days=sum(1 for day in days if day.skills),
        skills_by_module=modules,
        exercises=sum(day.exercises for day in days),
        practice_minutes=sum(day.practice_minutes for day in days),
        mindful_minutes=sum(day.mindful_minutes or 0 for day in days)
        if has_mindfulness else None,
    )


def weeks_of(days: Sequence[ProgressDay], has_mindfulness: bool = False
             ) -> tuple[ProgressWeek, ...]:
    """The days grouped into Monday-Sunday weeks, oldest first."""
    groups: dict[date, list[ProgressDay]] = {}
    for day in days:
        groups.setdefault(week_start(day.day), []).append(day)
    return tuple(_week(group, has_mindfulness) for group in groups.values())


@dataclass(frozen=True)
class Progress:
    day_range: DayRange
    days: tuple[ProgressDay, ...]
    weeks: tuple[ProgressWeek, ...]
    # Whether the patient has any of it in the range: a section shows once its data exists.
    has_entries: bool = False
    has_practice: bool = False
    has_mindfulness: bool = False
    urge_labels: dict[str, str] = field(default_factory=dict)


def _mindful_minutes(user_id: int, day_range: DayRange) -> dict[date, float]:
    """Minutes of mindfulness per local day (days without any left out)."""
    return mindfulness.minutes_by_day(user_id, day_range.start, day_range.end)


def urge_label(key: str) -> str:
    """"Suicide" for urge_suicide; a patient's own urge is shown by its own name."""
    for item in urge_items():
        if item.key == key:
            return item.label
    return key


def _progress_of(day_range: DayRange, days: tuple[ProgressDay, ...]) -> Progress:
    has_mindfulness = any(day.mindful_minutes for day in days)
    urge_keys = list(dict.fromkeys(key for day in days for key in day.urges))
    return Progress(
        day_range=day_range, days=days, weeks=weeks_of(days, has_mindfulness),
        has_entries=any(day.has_entry for day in days),
        has_practice=any(day.exercises for day in days),
        has_mindfulness=has_mindfulness,
        urge_labels={key: urge_label(key) for key in urge_keys},
    )


def progress(user_id: int, day_range: DayRange) -> Progress:
    """The patient's days and weeks over `day_range` (see `check_range`)."""
    return _progress_of(day_range, _days_between(user_id, day_range.start, day_range.end))


def progress_and_summary(user_id: int, day_range: DayRange) -> tuple[Progress, WeeklySummary]:
    """`progress` for the range and the weekly summary of the 14 days ending its last
    day, each day read once (what the Progress tab shows)."""
    first = min(day_range.start, day_range.end - timedelta(days=13))
    days = _days_between(user_id, first, day_range.end)
    return _progress_of(day_range, days[-day_range.days:]), summary_of(days[-14:])


# --- for the therapist's list and the weekly summary ---

def _direction(now: float | None, before: float | None) -> Direction | None:
    if now is None or before is None:
        return None
    if round(now) == round(before):
        return "same"
    return "up" if now > before else "down"


@dataclass(frozen=True)
class MoodTrend:
    """Mood over the last `days` days (ending the patient's today) against the `days`
    before.

    An average needs MIN_DAYS_FOR_AVERAGE days with a rating (else None).
    `direction` (the arrow) is None unless both weeks have MIN_DAYS_FOR_TREND
    rated days, and "same" when the averages round to the same whole number.
    Only days inside the two windows count, so ratings older than the last
    `days` days never make the newer side: a patient who stopped rating has no
    average and no arrow.
    """

    average: float | None
    previous: float | None
    days_rated: int
    direction: Direction | None
    previous_days_rated: int = 0


def _mood_of(days: Sequence[ProgressDay]) -> tuple[float | None, int]:
    moods = [day.mood for day in days if day.mood is not None]
    return (_mean(moods) if len(moods) >= MIN_DAYS_FOR_AVERAGE else None), len(moods)


def _days_between(user_id: int, first: date, last: date) -> tuple[ProgressDay, ...]:
    summaries = daily_summaries(user_id, first, last)
    finished = practice.practice_by_day(user_id, first, last)
    mindful = _mindful_minutes(user_id, DayRange(first, last))
    return _progress_days(summaries, finished, mindful)


def _diary_summaries_of(todays: Mapping[int, date], days: int
                        ) -> dict[int, list[DailySummary]]:
    """Each patient's `days` local days ending their own today, from the diary card
    alone (exercises and mindfulness are not read): what the mood and urge numbers
    read. One pair of queries for all of them, grouped by user id."""
    if not todays:
        return {}
    first = min(todays.values()) - timedelta(days=days - 1)
    read = daily_summaries_of(list(todays), first, max(todays.values()),
                              practised_skills=False)
    found = {}
    for user_id, today in todays.items():
        start = today - timedelta(days=days - 1)
        found[user_id] = [s for s in read[user_id] if start <= s.local_date <= today]
    return found


def _trend_of(both: Sequence[ProgressDay], days: int) -> MoodTrend:
    average, rated = _mood_of(both[days:])
    previous, previous_rated = _mood_of(both[:days])
    enough = min(rated, previous_rated) >= MIN_DAYS_FOR_TREND
    return MoodTrend(average, previous, rated,
                     _direction(average, previous) if enough else None, previous_rated)


def mood_trends_and_summaries_of(todays: Mapping[int, date], *, trend_for: Collection[int],
                                 summaries_for: Collection[int], days: int = 7
                                 ) -> tuple[dict[int, MoodTrend],
                                            dict[int, tuple[DailySummary, ...]]]:
    """The caseload's numbers in one read for every patient (their own local `todays`):
    the mood trend of the patients in `trend_for`, and the `DailySummary` of each of
    the last `days` local days (oldest first, ending their own today) of those in
    `summaries_for` (nothing is computed for anyone else). Every diary-card column
    is in a summary: the caller keeps to what it may use. The single-patient
    `mood_trend` and `risk_days` are this for one."""
    if not 1 <= days <= 366:
        raise RangeRefused(BAD_RANGE)
    wanted = {user_id: today for user_id, today in todays.items()
              if user_id in trend_for or user_id in summaries_for}
    read = _diary_summaries_of(wanted, 2 * days if any(u in trend_for for u in wanted)
                               else days)
    trends = {user_id: _trend_of(_progress_days(read[user_id], {}, {}), days)
              for user_id in wanted if user_id in trend_for}
    recent = {user_id: tuple(read[user_id][-days:]) for user_id in wanted
              if user_id in summaries_for}
    return trends, recent


def mood_trend(user_id: int, today: date, days: int = 7) -> MoodTrend:
    trends, _ = mood_trends_and_summaries_of({user_id: today}, trend_for={user_id},
                                             summaries_for=(), days=days)
    return trends[user_id]


@dataclass(frozen=True)
class RiskDay:
    """A day with an urge rated RISK_URGE_LEVEL or more, or any urge acted on."""

    day: date
    high_urges: dict[str, int]
    acted_on: frozenset[str]


def risk_days(user_id: int, today: date, within_days: int = 7) -> list[RiskDay]:
    _, recent = mood_trends_and_summaries_of({user_id: today}, trend_for=(),
                                             summaries_for={user_id}, days=within_days)
    return _risky(_progress_days(recent[user_id], {}, {}))


def _risky(days: Sequence[ProgressDay]) -> list[RiskDay]:
    found = []
    for day in days:
        high = {key: rating for key, rating in day.urges.items() if rating >= RISK_URGE_LEVEL}
        if high or day.acted_on:
            found.append(RiskDay(day.day, high, day.acted_on))
    return found[::-1]


def last_check_ins(user_ids: Collection[int]) -> dict[int, date | None]:
    """The local day of each patient's latest check-in or diary card (None: never),
    in one query grouped by user id."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return {}
    with db.read() as session:
        found = dict(session.execute(
            select(JournalEntry.user_id, func.max(JournalEntry.local_date)).where(
                col(JournalEntry.user_id).in_(ids), col(JournalEntry.deleted_at).is_(None))
            .group_by(JournalEntry.user_id)).all())
    return {user_id: found.get(user_id) for user_id in ids}


def last_check_in(user_id: int) -> date | None:
    """The local day of the patient's latest check-in or diary card (None: never)."""
    return last_check_ins([user_id])[user_id]


# --- the weekly summary ---

@dataclass(frozen=True)
class WeekStats:
    """What the weekly summary compares, for seven days."""

    days_with_entries: int
    mood_average: float | None
    substance_urge_average: float | None
    skill_days: int
    exercises: int
    mindful_minutes: float | None
    high_risk_urges: bool

    @classmethod
    def of(cls, days: Sequence[ProgressDay]) -> WeekStats:
        mood, _ = _mood_of(days)
        urges = [day.urges[SUBSTANCE_URGE] for day in days if SUBSTANCE_URGE in day.urges]
        mindful = [day.mindful_minutes for day in days if day.mindful_minutes is not None]
        return cls(
            days_with_entries=sum(day.has_entry for day in days),
            mood_average=mood,
            substance_urge_average=_mean(urges) if len(urges) >= MIN_DAYS_FOR_AVERAGE else None,
            skill_days=sum(1 for day in days if day.skills),
            exercises=sum(day.exercises for day in days),
            mindful_minutes=sum(mindful) if mindful else None,
            high_risk_urges=any(
                day.urges.get(item.key, 0) >= item.risk_from or item.key in day.acted_on
                for day in days for item in urge_items() if item.risk_from is not None),
        )


@dataclass(frozen=True)
class SummaryLine:
    """One line of the weekly summary, as a fact: its kind and its whole numbers.

    Kinds: "too_little", "crisis", "mood" / "mood_same" / "mood_up" /
    "mood_down" (`now`, and `before` for up and down), "skill_days",
    "skills_invite", "exercises", "mindful_minutes" (`count`), "urge_same" /
    "urge_lower" / "urge_higher", "strong_urges". The words are in
    text/words/mind.py (`summary_sentence`).
    """

    kind: str
    now: int | None = None
    before: int | None = None
    count: int | None = None

    @property
    def params(self) -> dict[str, int]:
        return {name: value for name, value in
                (("now", self.now), ("before", self.before), ("count", self.count))
                if value is not None}


@dataclass(frozen=True)
class WeeklySummary:
    first: date
    last: date
    lines: tuple[SummaryLine, ...]
    enough_data: bool


TOO_LITTLE = SummaryLine("too_little")
CRISIS_LINE = SummaryLine("crisis")


def _mood_line(now: float | None, before: float | None) -> SummaryLine | None:
    if now is None:
        return None
    # One decimal, as the Progress tab's mood chart says it: the same 7 days give the
    # same number in both places.
    shown = round(now, 1)
    direction = _direction(now, before)
    if direction is None:
        return SummaryLine("mood", now=shown)
    if direction == "same":
        return SummaryLine("mood_same", now=shown)
    return SummaryLine(f"mood_{direction}", now=shown, before=round(before, 1))


def _urge_line(now: float | None, before: float | None) -> SummaryLine | None:
    if now is None or before is None:
        return None
    if math.isclose(now, before, abs_tol=0.5):
        return SummaryLine("urge_same")
    if now < before:
        return SummaryLine("urge_lower")
    return SummaryLine("urge_higher")


def summary_for(this_week: WeekStats, last_week: WeekStats, first: date, last: date
                ) -> WeeklySummary:
    """The summary's lines: kind, no streaks, nothing about days missed."""
    active_days = max(this_week.days_with_entries, this_week.skill_days)
    if active_days < MIN_DAYS_FOR_SUMMARY and not this_week.exercises \
            and not this_week.mindful_minutes:
        lines = [TOO_LITTLE]
        if this_week.high_risk_urges:
            lines.append(CRISIS_LINE)
        return WeeklySummary(first, last, tuple(lines), enough_data=False)
    lines: list[SummaryLine] = []
    mood = _mood_line(this_week.mood_average, last_week.mood_average)
    if mood:
        lines.append(mood)
    if this_week.skill_days:
        lines.append(SummaryLine("skill_days", count=this_week.skill_days))
    else:
        lines.append(SummaryLine("skills_invite"))
    if this_week.exercises:
        lines.append(SummaryLine("exercises", count=this_week.exercises))
    if this_week.mindful_minutes:
        lines.append(SummaryLine("mindful_minutes", count=round(this_week.mindful_minutes)))
    urge = _urge_line(this_week.substance_urge_average, last_week.substance_urge_average)
    if urge:
        lines.append(urge)
    if this_week.high_risk_urges:
        lines.append(SummaryLine("strong_urges"))
    return WeeklySummary(first, last, tuple(lines), enough_data=True)


def summary_of(days: Sequence[ProgressDay]) -> WeeklySummary:
    """The weekly summary from 14 days already read, oldest first (the last 7 of them
    against the 7 before): a Progress view of 14 days or more reads no more."""
    if len(days) != 14:
        raise ValueError(f"14 != {len(days)}")
    return summary_for(WeekStats.of(days[7:]), WeekStats.of(days[:7]), days[7].day, days[-1].day)


def weekly_summary(user_id: int, today: date) -> WeeklySummary:
    """The last 7 local days (ending `today`) against the 7 before."""
    return summary_of(_days_between(user_id, today - timedelta(days=13), today))
