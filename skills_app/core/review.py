"""What a therapist sees of a patient: the caseload rows with their risk flags, and the
diary-card review, built only from the categories the patient shares.

Every function here takes the categories `core.sharing` allowed for this read
(never more): a diary-card column of a category not shared is not selected
from the database at all, and a number of a category not shared is not asked
of `core.progress`. The numbers themselves are `core.progress`'s and
`core.journal`'s (`mood_trends_and_summaries_of`, `last_check_ins`,
`summarise_day`, `week_grid`): no second definition of any of them.

Flags are facts (`Flag`: a `Tier` from ../shared/clinical.md "Risk tiers", what,
which day), never sentences: `views.therapist` words them. What the patient
does not share is returned as category keys (`unshared_risk_parts`,
`ReviewSection.not_shared`) so every screen can say so instead of "No flags".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import IntEnum, StrEnum
from typing import Any

from sqlmodel import col, select

from skills_app.content.measures import GAD7, PHQ9
from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import (
    attendance,
    db,
    diary,
    homework,
    look_alike,
    measures,
    plans,
    practice,
    progress,
    risk,
    schedule,
    sharing,
)
from skills_app.core.clock import utcnow
from skills_app.core.dates import local_today, week_days, week_start
from skills_app.core.diary import RISK_URGE_LEVEL, Scale
from skills_app.core.journal import DailySummary, GridRow, summarise_day, week_grid
from skills_app.core.models import JournalEntry, User
from skills_app.core.schemas import fold_case

_BLANK_LIST = {"custom_emotions": [], "custom_urges": [], "skills": [], "risk_flag": False}
# The categories that hold diary-card items: sharing any of them tells when the
# patient last checked in.
JOURNAL_CATEGORIES = frozenset({"mood", "safety", "substance_use"})
NO_CHECK_IN_DAYS = 3
FLAG_WINDOW_DAYS = 7
# A check-up is overdue this many days after it fell due (`measures.due_from`: every
# DUE_EVERY_DAYS after the last one; one never done is flagged as not done yet).
CHECKUP_GRACE_DAYS = 3
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


# --- the caseload: flags as facts, in risk tiers ------------------------------------

class Tier(IntEnum):
    """How urgent a flag is for the therapist's list (../shared/clinical.md "Risk tiers"),
    most urgent first. A row takes its most urgent flag's tier."""

    # Acted on a suicide or self-harm urge, or PHQ-9 item 9 above 0, in the last 7 days.
    SAFETY_ACT = 1
    # A suicide or self-harm urge of 4-5 in the last 7 days; also a PHQ-9 whose item 9
    # was above 0 8-14 days ago (still the newest: it asks about the last 2 weeks and
    # no newer PHQ-9 cleared it), which is safety information, not a missing check-in.
    SAFETY_URGE = 2
    # Acted on the urge to use in the last 7 days.
    USE_ACT = 3
    # An urge to use of 4-5 or a craving of 7-10 on USE_PATTERN_DAYS or more of the last 7.
    USE_PATTERN = 4
    # Marked absent from MISSED_GROUPS_FLAG or more groups in the patient's current week
    # (`core.attendance`): the earliest sign of dropping out.
    MISSED_GROUPS = 5
    # No check-in for NO_CHECK_IN_DAYS or more, or a check-up overdue (or never done).
    MISSING = 6
    # Flags of their own, after the tiers and before unflagged rows: the urge to quit
    # therapy at 4-5 or acted on (therapy-interfering), and a target the patient named
    # rated 4-5 or acted on. They matter for a session, not for who to call first.
    OTHER = 7


class FlagKind(StrEnum):
    URGE = "urge"  # item: the diary key ("urge_self_harm"); value: that day's rating
    OWN_TARGET = "own_target"  # item: the name the patient gave it
    PHQ9_ITEM9 = "phq9_item9"  # value: the item-9 answer (1-3)
    USE_PATTERN = "use_pattern"  # count: days with an urge to use 4+ or a craving 7+
    NO_CHECK_IN = "no_check_in"  # day: the last check-in (None: never)
    CHECKUP_OVERDUE = "checkup_overdue"  # item: the questionnaire id; day: last done
    MISSED_GROUPS = "missed_groups"  # count: absences this week; day: the latest


@dataclass(frozen=True)
class Flag:
    """One fact that puts a patient higher on the list. Never words: `views.therapist`
    says it. `day` is the newest day it happened (for a missing one: the last
    check-in, or the day the check-up was last done); `value` a rating or answer that
    day, or how long something has been missing (days since the last check-in, or
    since the check-up fell due; None: never); `count` how many of the last 7 days
    it happened on."""

    tier: Tier
    kind: FlagKind
    item: str | None
    day: date | None
    value: int | None = None
    acted: bool = False
    count: int = 1


# The urges of the safety category, in the order a review reads them, and the
# other fields and levels a flag reads: `core/risk.py`'s, so a craving the patient's
# card answers with the craving card is the craving a therapist's flag counts.
SAFETY_URGES = (risk.SUICIDE_URGE, risk.SELF_HARM_URGE)
QUIT_THERAPY = risk.QUIT_THERAPY_URGE
USE_URGE = risk.USE_URGE
CRAVING = risk.CRAVING
CRAVING_FLAG_LEVEL = risk.STRONG_CRAVING
USE_PATTERN_DAYS = 3
# Within a tier, these sort by how long something has been missing, not by recency.
_LONGEST_MISSING_FIRST = Tier.MISSING
_NEVER = 10**6  # days: "never" is missing longest
# What a therapist needs shared to know there is nothing to flag: "No flags" is said
# only when every one of these is shared (PHQ-9 item 9 rides on "safety", or on
# "measures"; a grant signed before Safety was its own category may hold "safety"
# without it).
RISK_PARTS = ("safety", "substance_use", sharing.ITEM9)


def unshared_risk_parts(categories: frozenset[str]) -> tuple[str, ...]:
    """The risk parts this patient does not share, in RISK_PARTS order (item 9 is left
    out when safety itself is not shared: "Safety" already says it)."""
    missing = tuple(part for part in RISK_PARTS if part not in categories)
    if "safety" in missing:
        missing = tuple(part for part in missing if part != sharing.ITEM9)
    return missing


@dataclass(frozen=True)
class HomeworkWeek:
    """A caseload row's homework this week: `count` (done of due so far) only when
    the patient shares the completion of every kind they have (`shared`); an
    unshared kind's done or not done must not show through a total."""

    count: homework.WeekCount
    shared: bool


def homework_weeks(session: db.Session, categories: Mapping[int, frozenset[str]],
                   todays: Mapping[int, date]) -> dict[int, HomeworkWeek]:
    """This week's homework of every patient with some (batched: the caseload asks
    once for all its patients)."""
    ids = list(todays)
    counts = homework.week_counts(session, ids, todays)
    kinds = homework.kinds_this_week(session, ids, todays)
    return {patient_id: HomeworkWeek(count, all(
        homework.completion_visibility(kind, categories[patient_id]) != "none"
        for kind in kinds.get(patient_id, ())))
        for patient_id, count in counts.items() if patient_id in kinds}


@dataclass(frozen=True)
class CaseloadRow:
    patient_id: int
    name: str
    categories: frozenset[str]
    last_check_in: date | None
    mood_average: float | None
    mood_direction: str | None
    flags: tuple[Flag, ...]
    today: date
    # This week's homework (`homework_weeks`); None when nothing is assigned.
    homework: HomeworkWeek | None = None
    # The patient's next group meeting (`core.schedule`), None when on no track.
    next_group: schedule.Meeting | None = None
    # Beside a name that looks like another's in the caseload (`core.look_alike`).
    told_apart: look_alike.TellApart | None = None

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def tier(self) -> Tier | None:
        return min((flag.tier for flag in self.flags), default=None)

    @property
    def not_shared(self) -> tuple[str, ...]:
        return unshared_risk_parts(self.categories)


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


def item9_flag(result: measures.ResultView | None, today: date) -> Flag | None:
    """The flag for a PHQ-9 whose item 9 is above 0, when it is the newest PHQ-9 and
    was done in the last ITEM9_FLAG_DAYS local days: tier 1 within FLAG_WINDOW_DAYS,
    tier 2 after that."""
    if result is None or not result.needs_safety_follow_up:
        return None
    age = (today - result.local_date).days
    if not 0 <= age < ITEM9_FLAG_DAYS:
        return None
    return Flag(Tier.SAFETY_ACT if age < FLAG_WINDOW_DAYS else Tier.SAFETY_URGE,
                FlagKind.PHQ9_ITEM9, PHQ9.id, result.local_date, result.item9)


def safety_plan(patient_id: int, categories: frozenset[str]) -> plans.Plan | None:
    """The patient's safety plan (read only), only when it is shared; None otherwise."""
    if "safety_plan" not in categories:
        return None
    return plans.get_plan(patient_id, plans.PlanKind.SAFETY)


def safety_plan_exists(patient_id: int, categories: frozenset[str]) -> bool | None:
    """Whether the patient has a safety plan, when they share that (`sharing.PLAN_EXISTS`,
    carried by "safety" and by "safety_plan"); None when they do not (nothing is read)."""
    if sharing.PLAN_EXISTS not in categories:
        return None
    return plans.has_plan(patient_id, plans.PlanKind.SAFETY)


def _newest(days: Sequence[DailySummary], happened: Callable[[DailySummary], bool]
            ) -> tuple[DailySummary | None, int]:
    """The newest of `days` (oldest first) where it happened, and on how many it did."""
    found = [day for day in days if happened(day)]
    return (found[-1] if found else None), len(found)


def _urge_flags(key: str, days: Sequence[DailySummary], acted_tier: Tier,
                high_tier: Tier | None) -> list[Flag]:
    """An urge acted on (newest day), and rated RISK_URGE_LEVEL or more on a day it was
    not acted on (newest such day; no flag when `high_tier` is None)."""
    flags = []
    acted, count = _newest(days, lambda day: key in day.acted_on)
    if acted is not None:
        flags.append(Flag(acted_tier, FlagKind.URGE, key, acted.local_date,
                          acted.values.get(key), True, count))
    high, count = _newest(days, lambda day: (day.values.get(key) or 0) >= RISK_URGE_LEVEL
                          and key not in day.acted_on)
    if high is not None and high_tier is not None:
        flags.append(Flag(high_tier, FlagKind.URGE, key, high.local_date, high.values[key],
                          False, count))
    return flags


def _own_target_flags(days: Sequence[DailySummary]) -> list[Flag]:
    """Each target the patient named, rated RISK_URGE_LEVEL or more or acted on: one flag
    at its newest such day, spelled as first written (names differing only in case
    are one target, as on the diary card)."""
    spelled: dict[str, str] = {}
    newest: dict[str, tuple[date, int | None, bool]] = {}
    counts: dict[str, int] = {}
    for day in days:
        ratings = {fold_case(name): rating for name, rating in day.custom_urges.items()}
        acted = {fold_case(name) for name in day.custom_acted_on}
        for name in (*day.custom_urges, *day.custom_acted_on):
            spelled.setdefault(fold_case(name), name)
        for key in sorted(ratings.keys() | acted):
            if (ratings.get(key) or 0) >= RISK_URGE_LEVEL or key in acted:
                newest[key] = (day.local_date, ratings.get(key), key in acted)
                counts[key] = counts.get(key, 0) + 1
    return [Flag(Tier.OTHER, FlagKind.OWN_TARGET, spelled[key], day, rating, acted,
                 counts[key]) for key, (day, rating, acted) in newest.items()]


def flags_of(categories: frozenset[str], today: date, days: Sequence[DailySummary],
             last_check_in: date | None, newest_phq9: measures.ResultView | None,
             checkups_done: Mapping[str, date]) -> tuple[Flag, ...]:
    """Every flag of one patient, from what they share only, most urgent first.

    `days`: their last FLAG_WINDOW_DAYS local days, oldest first (the diary card's
    per-day highs; every column is there, so each part is used only when its
    category is shared). `last_check_in`, `newest_phq9` and `checkups_done` are
    read only for patients sharing what they need; the rule checks again here.
    """
    flags: list[Flag] = []
    if "safety" in categories:
        for key in SAFETY_URGES:
            flags += _urge_flags(key, days, Tier.SAFETY_ACT, Tier.SAFETY_URGE)
        flags += _urge_flags(QUIT_THERAPY, days, Tier.OTHER, Tier.OTHER)
    if sharing.ITEM9 in categories:
        item9 = item9_flag(newest_phq9, today)
        if item9 is not None:
            flags.append(item9)
    if "substance_use" in categories:
        flags += _urge_flags(USE_URGE, days, Tier.USE_ACT, None)
        pattern, count = _newest(days, lambda day: (
            (day.values.get(USE_URGE) or 0) >= RISK_URGE_LEVEL
            or (day.values.get(CRAVING) or 0) >= CRAVING_FLAG_LEVEL))
        if pattern is not None and count >= USE_PATTERN_DAYS:
            flags.append(Flag(Tier.USE_PATTERN, FlagKind.USE_PATTERN, USE_URGE,
                              pattern.local_date, count=count))
        flags += _own_target_flags(days)
    if categories & JOURNAL_CATEGORIES:
        if last_check_in is None:
            flags.append(Flag(Tier.MISSING, FlagKind.NO_CHECK_IN, None, None))
        elif (today - last_check_in).days >= NO_CHECK_IN_DAYS:
            flags.append(Flag(Tier.MISSING, FlagKind.NO_CHECK_IN, None, last_check_in,
                              (today - last_check_in).days))
    if "measures" in categories:
        for due in measures.due_from(checkups_done, today):
            late = None if due.last_done is None else (today - due.next_due).days
            if late is None or late >= CHECKUP_GRACE_DAYS:
                flags.append(Flag(Tier.MISSING, FlagKind.CHECKUP_OVERDUE, due.questionnaire.id,
                                  due.last_done, late))
    return tuple(sorted(flags, key=_flag_order))


def _flag_order(flag: Flag) -> tuple[int, int]:
    """Most urgent first; newest first within a tier (longest missing first in tier 6)."""
    if flag.tier == _LONGEST_MISSING_FIRST:
        return flag.tier, -(_NEVER if flag.value is None else flag.value)
    return flag.tier, -(flag.day.toordinal() if flag.day else 0)


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
    trends, recent = progress.mood_trends_and_summaries_of(
        todays, trend_for={p for p, _, c, _ in patients if "mood" in c},
        summaries_for={p for p, _, c, _ in patients if c & {"safety", "substance_use"}},
        days=FLAG_WINDOW_DAYS)
    phq9 = measures.latest_of([p for p, _, c, _ in patients if sharing.ITEM9 in c], PHQ9.id)
    done = measures.last_done_of([p for p, _, c, _ in patients if "measures" in c])
    with db.read() as session:
        homework_of = homework_weeks(session, {p: c for p, _, c, _ in patients}, todays)
        apart = look_alike.tell_apart(session, todays)
    rows = []
    for patient_id, name, categories, today in patients:
        last = last_days.get(patient_id)
        trend = trends.get(patient_id)
        flags = flags_of(categories, today, recent.get(patient_id, ()), last,
                         phq9.get(patient_id), done.get(patient_id, {}))
        rows.append(CaseloadRow(patient_id, name, categories, last,
                                trend.average if trend else None,
                                trend.direction if trend else None, flags, today,
                                homework_of.get(patient_id),
                                told_apart=apart.get(patient_id)))
    return _with_groups(rows)


# --- the program's groups on the caseload (core/schedule.py, core/attendance.py) -------

# Absences in the patient's current week (Monday through their today) that flag them.
MISSED_GROUPS_FLAG = 2


def missed_groups_flag(missed: attendance.Missed | None) -> Flag | None:
    """The flag for MISSED_GROUPS_FLAG or more absences this week. Attendance is the
    program's own record, not a category the patient shares: it flags any patient who
    shares anything with the therapist (everyone on the caseload)."""
    if missed is None or missed.count < MISSED_GROUPS_FLAG:
        return None
    return Flag(Tier.MISSED_GROUPS, FlagKind.MISSED_GROUPS, None, missed.last_day,
                count=missed.count)


def _with_groups(rows: list[CaseloadRow]) -> list[CaseloadRow]:
    """Each row with its missed-groups flag and next group: two queries for the whole
    caseload (`attendance.missed_this_week`, `schedule.next_groups`)."""
    if not rows:
        return rows
    ids = [row.patient_id for row in rows]
    with db.read() as session:
        missed = attendance.missed_this_week(session, ids,
                                             {row.patient_id: row.today for row in rows})
        upcoming = schedule.next_groups(session, ids, utcnow())
    shown = []
    for row in rows:
        flag = missed_groups_flag(missed.get(row.patient_id))
        flags = tuple(sorted((*row.flags, flag), key=_flag_order)) if flag else row.flags
        shown.append(replace(row, flags=flags, next_group=upcoming.get(row.patient_id)))
    return shown


SORTS = ("flags", "name", "last")


def _risk_order(row: CaseloadRow) -> tuple[int, int]:
    """Tier, then the newest event of that tier first (tier 6: the longest missing
    first); rows without a flag after every tier."""
    tier = row.tier
    if tier is None:
        return len(Tier) + 1, 0
    return _flag_order(next(flag for flag in row.flags if flag.tier == tier))


def sort_caseload(rows: Iterable[CaseloadRow], by: object) -> list[CaseloadRow]:
    """Risk first (the default: `_risk_order`, then by name), by name, or longest
    without a check-in first."""
    rows = sorted(rows, key=lambda row: row.name.casefold())
    if by == "name":
        return rows
    if by == "last":
        return sorted(rows, key=lambda row: row.last_check_in or date.min)
    return sorted(rows, key=_risk_order)


# --- the diary-card review ---------------------------------------------------------

@dataclass(frozen=True)
class SectionSpec:
    """A part of the review, in DBT order, and the categories its rows belong to: a
    category not shared is said in the section ("not shared"), never left out. Its
    title is worded by `views.therapist` (by `key`)."""

    key: str
    categories: tuple[str, ...]
    # The diary items (keys) read in this section; the last section takes the rest.
    items: tuple[str, ...] = ()


# DBT order: life-threatening, then therapy-interfering, then quality of life.
REVIEW_SECTIONS = (
    SectionSpec("life_threatening", ("safety",), SAFETY_URGES),
    SectionSpec("therapy_interfering", ("safety",), (QUIT_THERAPY,)),
    SectionSpec("quality_of_life", ("substance_use", "mood")),
)


@dataclass(frozen=True)
class ReviewSection:
    key: str
    rows: tuple[GridRow, ...]
    # The section's categories this patient does not share (its rows are not there).
    not_shared: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiaryReview:
    week_start: date
    days: tuple[date, ...]
    sections: tuple[ReviewSection, ...]
    # Per row key: last week's highest (or average for mood; a (lowest, highest) pair
    # for sleep), None when blank.
    last_week: dict[str, Any]
    skills_by_day: tuple[tuple[str, ...], ...]
    # Days with a shared urge at RISK_URGE_LEVEL or more and no skill used (needs the
    # skills shared too).
    high_urge_no_skill: tuple[bool, ...]
    categories: frozenset[str]


def row_item(row: GridRow) -> tuple[str, str]:
    """The diary-card group and item key a review row shows ("urge.self_harm" and
    "acted.self_harm" -> ("urges", "urge_self_harm"); a patient's own urge or emotion
    -> its group and `sharing.OWN_ITEMS`)."""
    card = diary.DIARY_CARD
    noun, _, name = row.key.partition(".")
    if noun in ("urge", "acted", "emotion") and name:
        group = card.own_items_group("emotion" if noun == "emotion" else "urge")
        if name.startswith("custom."):
            return group.key, sharing.OWN_ITEMS
        return group.key, f"{'emotion' if noun == 'emotion' else 'urge'}_{name}"
    return card.item(row.key).group, row.key


def section_of(row: GridRow) -> SectionSpec:
    _, item_key = row_item(row)
    return next((spec for spec in REVIEW_SECTIONS if item_key in spec.items),
                REVIEW_SECTIONS[-1])


def week_value(row: GridRow) -> Any:
    """A row's whole week: the highest (mood: the average; acted-on: any; yes/no: how
    many days yes; sleep: the (lowest, highest) nights, since the most sleep of a week
    hides the short nights), None when every day is blank."""
    cells = [cell for cell in row.cells if cell is not None]
    if not cells:
        return None
    if row.kind == "acted_on":
        return any(cells)
    if row.kind == "average":
        return round(sum(cells) / len(cells), 1)
    if row.kind == "yes_no":
        return sum(1 for cell in cells if cell)
    if row.kind == "hours":
        return min(cells), max(cells)
    return max(cells)


def _shared_urge_keys(categories: frozenset[str]) -> list[str]:
    return [item.key for item in progress.urge_items()
            if sharing.diary_item_category(item.group, item.key) in categories]


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
    last_rows = {row.key: row for row in last.rows}
    skills = tuple(tuple(SKILLS_BY_KEY[key].name for key in sorted(s.skills_used)
                         if key in SKILLS_BY_KEY) for s in summaries[7:])
    urge_keys = _shared_urge_keys(categories)
    own_urges = sharing.diary_item_category("urges") in categories
    highs = tuple(
        "exercises" in categories
        and (any((s.values.get(key) or 0) >= RISK_URGE_LEVEL for key in urge_keys)
             or (own_urges and any(r >= RISK_URGE_LEVEL for r in s.custom_urges.values())))
        and not s.skills_used for s in summaries[7:])
    sections = tuple(ReviewSection(
        spec.key, tuple(row for row in keep if section_of(row) is spec),
        tuple(category for category in spec.categories if category not in categories))
        for spec in REVIEW_SECTIONS)
    return DiaryReview(
        week_start=days[0], days=tuple(days),
        sections=tuple(section for section in sections if section.rows or section.not_shared),
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
