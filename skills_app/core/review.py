"""What a therapist sees of a patient: the caseload rows and the diary-card review,
built only from the categories the patient shares.

Every function here takes the categories `core.sharing` allowed for this read
(never more): a diary-card column of a category not shared is not selected
from the database at all, and a number of a category not shared is not asked
of `core.progress`. The numbers themselves are `core.progress`'s and
`core.journal`'s (`mood_trend`, `risk_days`, `last_check_in`, `summarise_day`,
`week_grid`): no second definition of any of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlmodel import col, select

from skills_app.content.measures import GAD7, PHQ9
from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import db, diary, measures, plans, practice, progress, sharing
from skills_app.core.dates import local_today, week_days, week_start
from skills_app.core.diary import RISK_URGE_LEVEL, Scale
from skills_app.core.journal import DailySummary, GridRow, summarise_day, week_grid
from skills_app.core.models import JournalEntry, User

_BLANK_LIST = {"custom_emotions": [], "custom_urges": [], "skills": [], "risk_flag": False}
# The categories that hold diary-card items: sharing any of them tells when the
# patient last checked in.
JOURNAL_CATEGORIES = frozenset({"mood", "safety", "substance_use"})
NO_CHECK_IN_DAYS = 3
FLAG_WINDOW_DAYS = 7
# The PHQ-9 asks about the last 2 weeks (and is offered every 14 days): its newest
# result flags item 9 above 0 for 14 days, or until a newer PHQ-9 says 0.
ITEM9_FLAG_DAYS = 14


def hidden_items(categories: frozenset[str]) -> frozenset[str]:
    """Diary-card items of categories not shared (never read, never shown)."""
    return frozenset(item.key for item in diary.DIARY_CARD.items
                     if sharing.diary_item_category(item.group, item.key) not in categories)


def shared_summaries(patient_id: int, categories: frozenset[str], first: date,
                     last: date) -> list[DailySummary]:
    """`summarise_day` for each day, from only the shared columns (the others are
    never selected, so they are blank here)."""
    card = diary.DIARY_CARD
    item_columns: list[str] = []
    for item in card.items:
        if (sharing.diary_item_category(item.group, item.key) in categories
                and item.scale != Scale.TEXT):
            item_columns += [item.key, item.acted_key] if item.acted_on else [item.key]
    lists = [name for name, category in sharing.JOURNAL_LIST_CATEGORY.items()
             if category in categories]
    table = JournalEntry.__table__.c
    with db.read() as session:
        rows = session.execute(
            select(table.local_date, table.kind, *(table[name] for name in item_columns + lists))
            .where(JournalEntry.user_id == patient_id,
                   col(JournalEntry.local_date) >= first, col(JournalEntry.local_date) <= last,
                   col(JournalEntry.deleted_at).is_(None))).mappings().all()
    blanks = {name: None for name in card.fields()} | {
        item.acted_key: False for item in card.items if item.acted_on} | _BLANK_LIST
    by_day: dict[date, list[dict[str, Any]]] = {
        first + timedelta(days=n): [] for n in range((last - first).days + 1)}
    for row in rows:
        by_day[row["local_date"]].append({**blanks, **row})
    practised = (practice.practised_skills_by_day(patient_id, first, last)
                 if "exercises" in categories else {})
    summaries = []
    for day, day_rows in by_day.items():
        summary = summarise_day(day, day_rows, card)
        extra = practised.get(day, frozenset())
        if extra:
            summary = replace(summary, skills_used=summary.skills_used | extra)
        summaries.append(summary)
    return summaries


# --- the caseload ------------------------------------------------------------------

@dataclass(frozen=True)
class CaseloadRow:
    patient_id: int
    name: str
    categories: frozenset[str]
    last_check_in: date | None
    mood_average: float | None
    mood_direction: str | None
    flags: tuple[str, ...]
    today: date

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def patient_name(patient_id: int) -> str:
    with db.read() as session:
        return session.exec(select(User.display_name).where(User.id == patient_id)).one()


def patient_time_zone(patient_id: int) -> str:
    with db.read() as session:
        return session.exec(select(User.time_zone).where(User.id == patient_id)).one()


def patient_today(patient_id: int) -> date:
    return local_today(patient_time_zone(patient_id))


def latest_measures(patient_id: int, categories: frozenset[str]
                    ) -> list[measures.ResultView]:
    """The newest PHQ-9 and GAD-7 (those ever done), only when measures are shared
    (otherwise nothing is read)."""
    if "measures" not in categories:
        return []
    found = (measures.latest(patient_id, q.id) for q in (PHQ9, GAD7))
    return [result for result in found if result is not None]


def item9_flag(result: measures.ResultView | None, today: date) -> str | None:
    """The flag for a PHQ-9 whose item 9 is above 0, when it is the newest PHQ-9 and
    was done in the last ITEM9_FLAG_DAYS local days."""
    if result is None or not result.needs_safety_follow_up:
        return None
    if not 0 <= (today - result.local_date).days < ITEM9_FLAG_DAYS:
        return None
    day = result.local_date
    return f"PHQ-9 item 9 above 0 (thoughts of death or self-harm) on {day:%b} {day.day}"


def safety_plan(patient_id: int, categories: frozenset[str]) -> plans.Plan | None:
    """The patient's safety plan (read only), only when it is shared; None otherwise."""
    if "safety_plan" not in categories:
        return None
    return plans.get_plan(patient_id, plans.PlanKind.SAFETY)


def caseload_row(patient_id: int, name: str, categories: frozenset[str],
                 today: date | None = None) -> CaseloadRow:
    """One dashboard row, asking `core.progress` only for what the shared categories allow.
    `today` is the patient's local day (read from their time zone when not given)."""
    today = today or patient_today(patient_id)
    return caseload_rows([(patient_id, name, categories, today)])[0]


def caseload_rows(patients: Sequence[tuple[int, str, frozenset[str], date]]
                  ) -> list[CaseloadRow]:
    """The dashboard's rows for (patient id, name, shared categories, their local today),
    each number read once for every patient sharing what it needs (one query per
    number, grouped by patient) and for nobody else."""
    todays = {patient_id: today for patient_id, _, _, today in patients}
    sharing_journal = [p for p, _, c, _ in patients if c & JOURNAL_CATEGORIES]
    last_days = progress.last_check_ins(sharing_journal)
    trends, risky = progress.mood_trends_and_risk_days_of(
        todays, trend_for={p for p, _, c, _ in patients if "mood" in c},
        risk_for={p for p, _, c, _ in patients if c & {"safety", "substance_use"}},
        days=FLAG_WINDOW_DAYS)
    phq9 = measures.latest_of([p for p, _, c, _ in patients if sharing.ITEM9 in c], PHQ9.id)
    rows = []
    for patient_id, name, categories, today in patients:
        flags: list[str] = []
        last = last_days.get(patient_id)
        if patient_id in last_days:
            if last is None:
                flags.append("No check-ins yet")
            elif (today - last).days >= NO_CHECK_IN_DAYS:
                flags.append(f"No check-in for {(today - last).days} days")
        trend = trends.get(patient_id)
        days = risky.get(patient_id, [])
        if any(day.acted_on for day in days):
            flags.insert(0, "Acted on an urge in the last 7 days")
        if any(day.high_urges for day in days):
            flags.insert(0, f"Urge {RISK_URGE_LEVEL} or more in the last 7 days")
        flag = item9_flag(phq9.get(patient_id), today)
        if flag:
            flags.insert(0, flag)
        rows.append(CaseloadRow(patient_id, name, categories, last,
                                trend.average if trend else None,
                                trend.direction if trend else None, tuple(flags), today))
    return rows


SORTS = ("flags", "name", "last")


def sort_caseload(rows: Iterable[CaseloadRow], by: object) -> list[CaseloadRow]:
    """Flags first (the default), by name, or longest without a check-in first."""
    rows = sorted(rows, key=lambda row: row.name.casefold())
    if by == "name":
        return rows
    if by == "last":
        return sorted(rows, key=lambda row: row.last_check_in or date.min)
    return sorted(rows, key=lambda row: not row.flagged)


# --- the diary-card review ---------------------------------------------------------

# DBT order: life-threatening, then therapy-interfering, then quality of life.
LIFE_THREATENING = ("suicide", "self_harm")
THERAPY_INTERFERING = ("quit_therapy",)


@dataclass(frozen=True)
class ReviewSection:
    title: str
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class DiaryReview:
    week_start: date
    days: tuple[date, ...]
    sections: tuple[ReviewSection, ...]
    # Per row key: last week's highest (or average for mood), None when blank.
    last_week: dict[str, Any]
    skills_by_day: tuple[tuple[str, ...], ...]
    # Days with an urge at RISK_URGE_LEVEL or more and no skill used (needs both shared).
    high_urge_no_skill: tuple[bool, ...]
    categories: frozenset[str]


def _urge_name(row_key: str) -> str:
    return row_key.split(".", 1)[1] if "." in row_key else row_key


def _section_of(row: GridRow) -> int:
    name = _urge_name(row.key)
    if row.key.startswith(("urge.", "acted.")) and name in LIFE_THREATENING:
        return 0
    if row.key.startswith(("urge.", "acted.")) and name in THERAPY_INTERFERING:
        return 1
    return 2


def week_value(row: GridRow) -> Any:
    """A row's whole week: the highest (mood: the average; acted-on: any; yes/no: how
    many days yes), None when every day is blank."""
    cells = [cell for cell in row.cells if cell is not None]
    if not cells:
        return None
    if row.kind == "acted_on":
        return any(cells)
    if row.kind == "average":
        return round(sum(cells) / len(cells), 1)
    if row.kind == "yes_no":
        return sum(1 for cell in cells if cell)
    return max(cells)


def diary_review(patient_id: int, categories: frozenset[str], week_of: date) -> DiaryReview:
    """This week's diary card (rows in DBT order) beside last week's, for a session."""
    days = week_days(week_start(week_of))
    last_days = week_days(days[0] - timedelta(days=7))
    summaries = shared_summaries(patient_id, categories, last_days[0], days[-1])
    hidden = hidden_items(categories)
    this = week_grid(days, summaries[7:], hidden=hidden)
    last = week_grid(last_days, summaries[:7], hidden=hidden)
    # Skills are named per day below, not counted in a row.
    keep = [row for row in this.rows if row.key != "skills_used"]
    sections: list[list[GridRow]] = [[], [], []]
    for row in keep:
        sections[_section_of(row)].append(row)
    titles = ("Life-threatening: suicide and self-harm", "Therapy-interfering: urge to quit",
              "Quality of life: use, cravings, emotions, mood, sleep, medications")
    last_rows = {row.key: row for row in last.rows}
    skills = tuple(tuple(SKILLS_BY_KEY[key].name for key in sorted(s.skills_used)
                         if key in SKILLS_BY_KEY) for s in summaries[7:])
    both = {"substance_use", "exercises"} <= categories
    urge_keys = [item.key for item in progress.urge_items()]
    highs = tuple(
        both and (any((s.values.get(key) or 0) >= RISK_URGE_LEVEL for key in urge_keys)
                  or any(r >= RISK_URGE_LEVEL for r in s.custom_urges.values()))
        and not s.skills_used for s in summaries[7:])
    return DiaryReview(
        week_start=days[0], days=tuple(days),
        sections=tuple(ReviewSection(t, tuple(rows)) for t, rows in zip(titles, sections,
                                                                          strict=True) if rows),
        last_week={key: week_value(row) for key, row in last_rows.items()},
        skills_by_day=skills, high_urge_no_skill=highs, categories=categories)


def week_of(value: object, today: date) -> date:
    """The Monday of a week asked for as ISO text (this week when absent or odd)."""
    if isinstance(value, str) and len(value) == 10:
        try:
            asked = date.fromisoformat(value)
        except ValueError:
            asked = today
        if asked <= today and asked > today - timedelta(days=400):
            return week_start(asked)
    return week_start(today)


def notes_of_week(patient_id: int, categories: frozenset[str],
                  days: Sequence[date]) -> list[tuple[date, str]]:
    """The week's journal notes, only when notes are shared."""
    if "notes" not in categories:
        return []
    with db.read() as session:
        rows = session.exec(
            select(JournalEntry.local_date, JournalEntry.note)
            .where(JournalEntry.user_id == patient_id,
                   col(JournalEntry.local_date) >= days[0],
                   col(JournalEntry.local_date) <= days[-1],
                   col(JournalEntry.deleted_at).is_(None), JournalEntry.note != "")
            .order_by(JournalEntry.occurred_at)).all()
    return [(day, note) for day, note in rows]
