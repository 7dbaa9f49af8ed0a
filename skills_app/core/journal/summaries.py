"""Per-day aggregates of the journal and the diary-card week grid.

Owns "what a day looked like" (each diary-card item's highest of the day, or
its average for mood; what was acted on; skills used) and the classic
Monday-Sunday grid built from it, which the journal page shows and the
progress and therapist views reuse. Both read the diary card
(`core.diary`) when they run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import String, case, cast, func, or_
from sqlmodel import select

from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import db, diary, mindfulness, practice
from skills_app.core.dates import week_days
from skills_app.core.diary import Daily, DiaryCard, DiaryGroup, DiaryItem, Scale
from skills_app.core.models import EntryKind, JournalEntry
from skills_app.core.schemas import fold_case
from skills_app.text.words.journal import ACTED_ON_ROW, SKILLS_GROUP, SKILLS_USED_ROW

SUMMARY_DAYS_MAX = 1_100
_LIST_COLUMNS = ("custom_emotions", "custom_urges", "skills")

Value = int | float | bool


@dataclass(frozen=True)
class DailySummary:
    """One local day of a patient's journal.

    `values` holds each answered diary-card item (by key) as the day's
    highest, or its average for an item that averages (mood), whose lowest
    and highest are in `spread`. `acted_on` holds the keys of the items acted
    on that day. Patient-named items are keyed by their name as first
    written that day.
    """

    local_date: date
    entry_count: int
    diary_count: int
    values: dict[str, Value]
    spread: dict[str, tuple[Value, Value]]
    acted_on: frozenset[str]
    custom_emotions: dict[str, int]
    custom_urges: dict[str, int]
    custom_acted_on: frozenset[str]
    skills_used: frozenset[str]
    risk_flag: bool

    @property
    def any_acted_on(self) -> bool:
        return bool(self.acted_on or self.custom_acted_on)


def _summarised(card: DiaryCard) -> tuple[DiaryItem, ...]:
    return tuple(item for item in card.items if item.scale != Scale.TEXT)


def _highest(pairs: Iterable[tuple[str, int | None]]) -> dict[str, int]:
    """Highest rating per name; names that differ only in case are one item."""
    labels: dict[str, str] = {}
    best: dict[str, int] = {}
    for name, rating in pairs:
        if rating is None:
            continue
        key = fold_case(name)
        labels.setdefault(key, name)
        best[key] = max(best.get(key, rating), rating)
    return {labels[key]: rating for key, rating in best.items()}


def _first_spellings(names: Iterable[str]) -> dict[str, str]:
    """Name key -> the first spelling seen, so "Numb" and "numb" are one item."""
    spellings: dict[str, str] = {}
    for name in names:
        spellings.setdefault(fold_case(name), name)
    return spellings


def summarise_day(day: date, rows: Sequence[Mapping[str, Any]],
                  card: DiaryCard | None = None) -> DailySummary:
    """One day's summary from its entries' rows (column name -> value).

    Items are read from every entry: a quick check-in answers mood and leaves
    the other items blank. Acted-on, patient-named items and skills come
    from diary cards only.
    """
    card = card or diary.DIARY_CARD
    diary_rows = [row for row in rows if row["kind"] == EntryKind.DIARY]
    values: dict[str, Value] = {}
    spread: dict[str, tuple[Value, Value]] = {}
    for item in _summarised(card):
        answers = [row[item.key] for row in rows if row[item.key] is not None]
        if not answers:
            continue
        if item.daily == Daily.AVERAGE:
            values[item.key] = sum(answers) / len(answers)
            spread[item.key] = (min(answers), max(answers))
        else:
            values[item.key] = max(answers)
    return DailySummary(
        local_date=day,
        entry_count=len(rows),
        diary_count=len(diary_rows),
        values=values,
        spread=spread,
        acted_on=frozenset(item.key for item in card.items if item.acted_on
                           and any(row[item.acted_key] for row in diary_rows)),
        custom_emotions=_highest((item["name"], item["rating"])
                                 for row in diary_rows for item in row["custom_emotions"]),
        custom_urges=_highest((item["name"], item["rating"])
                              for row in diary_rows for item in row["custom_urges"]),
        custom_acted_on=frozenset(_first_spellings(
            item["name"] for row in diary_rows for item in row["custom_urges"]
            if item["acted_on"]).values()),
        skills_used=frozenset(key for row in diary_rows for key in row["skills"]),
        risk_flag=any(row["risk_flag"] for row in rows),
    )


def _day_columns(card: DiaryCard) -> list[Any]:
    """One row per local day, computed by the database: entry counts, each item's
    highest (or, for mood, average, lowest and highest), acted-on flags from
    diary cards, and the risk flag. The same rules as `summarise_day`."""
    table = JournalEntry.__table__.c
    is_diary = table.kind == EntryKind.DIARY.value
    columns: list[Any] = [table.local_date, func.count().label("entry_count"),
                          func.sum(case((is_diary, 1), else_=0)).label("diary_count")]
    for item in _summarised(card):
        column = table[item.key]
        if item.daily == Daily.AVERAGE:
            columns += [func.avg(column).label(item.key), func.min(column).label(f"{item.key}.low"),
                        func.max(column).label(f"{item.key}.high")]
        elif item.scale == Scale.YES_NO:
            # PostgreSQL has no max() of booleans: yes (1) wins over no (0).
            columns.append(func.max(case((column.is_(None), None), (column, 1), else_=0))
                           .label(item.key))
        else:
            columns.append(func.max(column).label(item.key))
    for item in card.items:
        if item.acted_on:
            columns.append(func.max(case((is_diary & table[item.acted_key], 1), else_=0))
                           .label(item.acted_key))
    columns.append(func.max(case((table.risk_flag, 1), else_=0)).label("risk_flag"))
    return columns


_ValuePlan = tuple[tuple[str, Callable[[Any], Value], bool], ...]


def _value_plan(card: DiaryCard) -> _ValuePlan:
    """(item key, how to read its aggregate, whether it averages), once per call."""
    plan = []
    for item in _summarised(card):
        if item.scale == Scale.YES_NO:
            read: Callable[[Any], Value] = bool
        elif item.daily == Daily.AVERAGE or item.scale == Scale.HOURS:
            read = float
        else:
            read = int
        plan.append((item.key, read, item.daily == Daily.AVERAGE))
    return tuple(plan)


def _from_day_row(day: date, row: Sequence[Any], lists: Sequence[Sequence[Any]],
                  plan: _ValuePlan, acted: Sequence[tuple[str, str]],
                  practised: frozenset[str]) -> DailySummary:
    """A day's summary from its aggregate row (columns named as `_day_columns` names
    them), its diary cards' lists (emotions, urges, skills) and the skills of the
    exercises and sessions finished that day."""
    values: dict[str, Value] = {}
    spread: dict[str, tuple[Value, Value]] = {}
    named = row._mapping  # noqa: SLF001 (SQLAlchemy's public mapping view of a Row)
    for key, read, averages in plan:
        value = named[key]
        if value is None:
            continue
        values[key] = read(value)
        if averages:
            spread[key] = (named[f"{key}.low"], named[f"{key}.high"])
    emotions = [item for entry in lists for item in entry[0]]
    urges = [item for entry in lists for item in entry[1]]
    return DailySummary(
        local_date=day,
        entry_count=named["entry_count"],
        diary_count=int(named["diary_count"]),
        values=values,
        spread=spread,
        acted_on=frozenset(key for key, acted_key in acted if named[acted_key]),
        custom_emotions=_highest((item["name"], item["rating"]) for item in emotions)
        if emotions else {},
        custom_urges=_highest((item["name"], item["rating"]) for item in urges)
        if urges else {},
        custom_acted_on=frozenset(_first_spellings(
            item["name"] for item in urges if item["acted_on"]).values())
        if urges else frozenset(),
        skills_used=frozenset(key for entry in lists for key in entry[2]) | practised,
        risk_flag=bool(named["risk_flag"]),
    )


_NONE: frozenset[str] = frozenset()


def _empty_day(day: date, practised: frozenset[str]) -> DailySummary:
    """A day without entries (its skills, if any, practised in exercises or sessions)."""
    return DailySummary(local_date=day, entry_count=0, diary_count=0, values={}, spread={},
                        acted_on=_NONE, custom_emotions={}, custom_urges={},
                        custom_acted_on=_NONE, skills_used=practised, risk_flag=False)


def daily_summaries(user_id: int, start_date: date, end_date: date) -> list[DailySummary]:
    """One summary per local day from `start_date` to `end_date` inclusive.

    Days without entries are included (entry_count 0, nothing in `values`),
    so charts show gaps as gaps. Raises ValueError for a reversed range or
    one longer than SUMMARY_DAYS_MAX days. `daily_summaries_of` does the work
    (for one patient here).
    """
    return daily_summaries_of([user_id], start_date, end_date)[user_id]


def daily_summaries_of(user_ids: Sequence[int], start_date: date, end_date: date, *,
                       practised_skills: bool = True) -> dict[int, list[DailySummary]]:
    """`daily_summaries` for several patients at once (a therapist's caseload), in the
    same number of queries as for one: every patient's days, by user id.

    The database aggregates each day (GROUP BY user_id, local_date, through the
    user-and-day index); only the diary cards' lists (own emotions and urges,
    skills ticked) come back as rows, and only from cards that have any.
    `summarise_day` states the same rules for a day's rows. With
    `practised_skills=False` the skills of finished exercises and mindfulness
    sessions are not read (`skills_used` holds the diary ticks only): for
    numbers that do not read skills (mood, urges).
    """
    day_count = (end_date - start_date).days + 1
    if not 1 <= day_count <= SUMMARY_DAYS_MAX:
        raise ValueError(f"A summary covers 1 to {SUMMARY_DAYS_MAX} days, not {day_count}.")
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return {}
    card = diary.DIARY_CARD
    table = JournalEntry.__table__.c
    mine = (table.user_id.in_(ids) if len(ids) > 1 else table.user_id == ids[0],
            table.local_date >= start_date, table.local_date <= end_date,
            table.deleted_at.is_(None))
    with db.read() as session:
        day_rows = session.execute(
            select(table.user_id.label("user_id"), *_day_columns(card)).where(*mine)
            .group_by(table.user_id, table.local_date)).all()
        # As JSON text, parsed here: much faster than the JSON type's own reading.
        texts = [cast(table[name], String) for name in _LIST_COLUMNS]
        list_rows = session.execute(
            select(table.user_id, table.local_date, *texts).where(
                *mine, table.kind == EntryKind.DIARY.value, or_(*(text != "[]" for text in texts)))
        ).all()
    lists: dict[tuple[int, date], list[tuple[Any, ...]]] = {}
    for user_id, day, *columns in list_rows:
        lists.setdefault((user_id, day), []).append(tuple(
            () if text == "[]" else json.loads(text) for text in columns))
    # "Which skills did this patient use on day D" has one answer: ticked on a
    # diary card that day, or practised in an exercise or a mindfulness session
    # finished that day.
    practised = {user_id: (practised_skills_by_day(user_id, start_date, end_date)
                           if practised_skills else {}) for user_id in ids}
    plan = _value_plan(card)
    acted = [(item.key, item.acted_key) for item in card.items if item.acted_on]
    by_day: dict[int, dict[date, DailySummary]] = {user_id: {} for user_id in ids}
    for row in day_rows:
        user_id, day = row[0], row[1]
        by_day[user_id][day] = _from_day_row(day, row, lists.get((user_id, day), ()), plan,
                                             acted, practised[user_id].get(day, _NONE))
    days = [start_date + timedelta(days=offset) for offset in range(day_count)]
    return {user_id: [by_day[user_id].get(day)
                      or _empty_day(day, practised[user_id].get(day, _NONE)) for day in days]
            for user_id in ids}


def practised_skills_by_day(user_id: int, start_date: date, end_date: date
                            ) -> dict[date, frozenset[str]]:
    """The skills of the exercises and mindfulness sessions finished on each day
    (days with none left out): what a diary card ticks for the patient."""
    merged = dict(practice.practised_skills_by_day(user_id, start_date, end_date))
    for day, skills in mindfulness.mindful_skills_by_day(user_id, start_date, end_date).items():
        merged[day] = merged.get(day, frozenset()) | skills
    return merged


def skills_used_by_day(user_id: int, start_date: date, end_date: date
                       ) -> dict[date, frozenset[str]]:
    """The skills the patient used on each day (diary ticks, finished exercises and
    mindfulness sessions)."""
    return {summary.local_date: summary.skills_used
            for summary in daily_summaries(user_id, start_date, end_date)}


Cell = int | float | bool | None


@dataclass(frozen=True)
class GridRow:
    """One line of the diary card; `cells` runs Monday to Sunday.

    kind: "rating" (0..scale_max, highest of the day), "acted_on" (any that
    day; it follows the row of the urge it belongs to), "average" (mood),
    "hours", "yes_no" or "count" (skills used). `group` is the title of the
    diary-card group the row belongs to; `higher_is_better` comes from the
    item (None when more is neither, or for an emotion the patient named).

    `label` and `group` are the card's English words (catalogue messages: a
    screen shows them through `_()`), except a name the patient typed, whose
    row is `own` and is shown as written. An acted-on row's `label` is the
    therapist's English line; `item_label` is the item's own label.
    """

    key: str
    label: str
    kind: Literal["rating", "acted_on", "average", "hours", "yes_no", "count"]
    scale_max: int | None
    cells: tuple[Cell, ...]
    group: str
    higher_is_better: bool | None = None
    own: bool = False
    item_label: str = ""


@dataclass(frozen=True)
class WeekGrid:
    week_start: date
    days: tuple[date, ...]
    rows: tuple[GridRow, ...]

    def row(self, key: str) -> GridRow:
        return next(row for row in self.rows if row.key == key)


_ROW_KINDS: dict[Scale, Literal["rating", "hours", "yes_no"]] = {
    Scale.RATING: "rating", Scale.HOURS: "hours", Scale.YES_NO: "yes_no"}


def _keyed(names: Mapping[str, int] | frozenset[str]) -> dict[str, Any]:
    return {fold_case(name): names[name] if isinstance(names, Mapping) else True
            for name in names}


def _item_cell(item: DiaryItem, summary: DailySummary) -> Cell:
    value = summary.values.get(item.key)
    if value is not None and item.daily == Daily.AVERAGE:
        return round(value, 1)
    return value


def _own_ratings(summary: DailySummary, noun: str) -> dict[str, int]:
    return summary.custom_urges if noun == "urge" else summary.custom_emotions


def _group_rows(card: DiaryCard, group: DiaryGroup, summaries: Sequence[DailySummary],
                has_diary: Sequence[bool], hidden: frozenset[str]) -> list[GridRow]:
    """The group's rows: its items, then the patient's own items of its kind.

    In a group with patient-named items, rows are keyed "<noun>.<name>" and
    "<noun>.custom.<name key>", so the two can never collide.
    """
    rows: list[GridRow] = []
    noun = group.own_items

    def add(name: str, label: str, kind: str, scale_max: int | None, cells: Iterable[Cell],
            acted: Iterable[bool] | None, higher_is_better: bool | None,
            own: bool = False) -> None:
        rows.append(GridRow(f"{noun}.{name}" if noun else name, label, kind, scale_max,
                            tuple(cells), group.title, higher_is_better, own, label))
        if acted is not None:
            # "Acted on" needs a diary entry that day; a check-in does not answer it.
            rows.append(GridRow(f"acted.{name}", ACTED_ON_ROW.format(label=label), "acted_on",
                                None, tuple(yes if diary_day else None for yes, diary_day
                                            in zip(acted, has_diary, strict=True)),
                                group.title, own=own, item_label=label))

    for item in card.items_of(group):
        if item.scale == Scale.TEXT or item.key in hidden:
            continue
        kind = "average" if item.daily == Daily.AVERAGE else _ROW_KINDS[item.scale]
        add(item.key.removeprefix(f"{noun}_") if noun else item.key, item.label, kind,
            None if item.scale == Scale.YES_NO else item.top,
            [_item_cell(item, s) for s in summaries],
            [item.key in s.acted_on for s in summaries] if item.acted_on else None,
            item.higher_is_better)
    if noun:
        ratings = [_keyed(_own_ratings(s, noun)) for s in summaries]
        acted = [_keyed(s.custom_acted_on) for s in summaries]
        names = _first_spellings(name for s in summaries for name in _own_ratings(s, noun))
        for key, label in names.items():
            # Like CustomUrge, only the patient's own urges ask "I acted on it". An urge
            # is never better for being stronger; an emotion they named may be either.
            add(f"custom.{key}", label, "rating", group.own_top, [day.get(key) for day in ratings],
                [key in day for day in acted] if noun == "urge" else None,
                False if noun == "urge" else None, own=True)
    return rows


def week_grid(days: Sequence[date], summaries: Sequence[DailySummary],
              card: DiaryCard | None = None, hidden: frozenset[str] = frozenset()) -> WeekGrid:
    """The diary-card grid for seven days' summaries, in review order (urges first).

    Items in `hidden` (those the patient left off their card) get no row.

    Ratings are the day's highest and "acted on" is whether any entry said
    yes; mood is the day's average, because its highest would hide a low
    moment. A cell is None when the day has nothing for that item (acted-on
    rows need a diary entry that day; the skills row a diary entry or a
    finished exercise).
    """
    card = card or diary.DIARY_CARD
    has_diary = [summary.diary_count > 0 for summary in summaries]
    rows = [row for group in card.groups
            for row in _group_rows(card, group, summaries, has_diary, hidden)]
    rows.append(GridRow("skills_used", SKILLS_USED_ROW, "count", len(SKILLS_BY_KEY), tuple(
        len(s.skills_used) if diary_day or s.skills_used else None
        for s, diary_day in zip(summaries, has_diary, strict=True)), SKILLS_GROUP,
        item_label=SKILLS_USED_ROW))
    return WeekGrid(week_start=days[0], days=tuple(days), rows=tuple(rows))


def diary_card_week(user_id: int, week_start: date,
                    hidden: frozenset[str] = frozenset()) -> WeekGrid:
    """The patient's diary-card grid for the local Monday-Sunday week holding
    `week_start`, without the items in `hidden` (see core/card_choice.py)."""
    days = week_days(week_start)
    return week_grid(days, daily_summaries(user_id, days[0], days[-1]), hidden=hidden)
