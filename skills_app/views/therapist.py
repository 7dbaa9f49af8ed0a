"""What the therapist's screens and reports show, from `core.review` (plain Python).

This is the one place that words the therapist's flags, tiers and "not shared"
lines (`core.review` returns facts: `Flag`, `Tier`, category keys). The
diary-card review marks "acted on" with a symbol and a word (never colour
alone), shows a blank day as "–" (never as 0), names the skills used, and puts
this week's value beside last week's on each row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from skills_app.content.measures import QUESTIONNAIRES
from skills_app.core import measures, mindfulness, plans, review, sharing
from skills_app.core.dates import local_date_of
from skills_app.core.journal import GridRow
from skills_app.core.review import Flag, FlagKind, Tier
from skills_app.views import plans as plan_views
from skills_app.views.journal import clock_time
from skills_app.views.measures import band_label, day_label
from skills_app.views.sharing import categories_line, long_date

BLANK = "–"
ACTED = "⚠ Acted"
NOT_ACTED = "No"
HIGH_NO_SKILL = "⚑ High urge, no skill"
ARROWS = {"up": "↑ up", "down": "↓ down", "same": "→ about the same"}
NOT_LIVE = ("This app is not monitored in real time. Flags help you plan a session; they "
            "are not an alert system. In danger: 988 or 911.")
NO_FLAGS = "No flags"
NOT_SHARED = "Not shared"
# Short names for "<name>: not shared by this patient".
SHORT_NAMES = {
    "safety": "Safety", "substance_use": "Substance use", sharing.ITEM9: "PHQ-9 item 9",
    "mood": "Mood", "exercises": "Skills and exercises", "mindfulness": "Mindfulness",
    "measures": "Check-ups", "safety_plan": "Safety plan", "notes": "Journal notes",
}
TIER_LABELS = {
    Tier.SAFETY_ACT: "Tier 1 · Acted on suicide or self-harm, or PHQ-9 item 9",
    Tier.SAFETY_URGE: "Tier 2 · Strong suicide or self-harm urge",
    Tier.USE_ACT: "Tier 3 · Acted on the urge to use",
    Tier.USE_PATTERN: "Tier 4 · Frequent urges to use or cravings",
    Tier.MISSING: "Tier 5 · Missing check-ins or check-ups",
    Tier.OTHER: "Other flags",
}
URGE_NAMES = {"urge_suicide": "Suicide urge", "urge_self_harm": "Self-harm urge",
              "urge_substance_use": "Urge to use", "urge_quit_therapy": "Urge to quit therapy"}
ITEM9_WORDS = "PHQ-9 item 9: thoughts of death or self-harm"


def not_shared(part: str) -> str:
    """"Safety: not shared by this patient" for a category (or part) not shared."""
    return f"{SHORT_NAMES[part]}: not shared by this patient"


def moment(at: datetime, time_zone: str) -> str:
    return f"{long_date(local_date_of(at, time_zone))}, {clock_time(at, time_zone)}"


def short_day(day: date) -> str:
    """"Tue 1 Dec": the day a flag names."""
    return f"{day:%a} {day.day} {day:%b}"


def _day_ago(day: date | None, today: date) -> str:
    if day is None:
        return "Never"
    days = (today - day).days
    return "Today" if days == 0 else "Yesterday" if days == 1 else f"{days} days ago"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _rated(name: str, flag: Flag) -> str:
    """"Self-harm urge 5, acted on"; "Self-harm urge 0, acted on" (acting on an urge can
    be logged with it rated 0); "... not rated, acted on" when left blank."""
    rating = " not rated" if flag.value is None else f" {flag.value}"
    return f"{name}{rating}{', acted on' if flag.acted else ''}"


def _also(flag: Flag) -> str:
    others = flag.count - 1
    if others < 1:
        return ""
    return f" (and {others} more day{'s' if others > 1 else ''} in the last " \
           f"{review.FLAG_WINDOW_DAYS})"


def flag_text(flag: Flag) -> str:
    """One flag in words, naming what and the day."""
    if flag.kind == FlagKind.URGE:
        return f"{_rated(URGE_NAMES[flag.item], flag)} — {short_day(flag.day)}{_also(flag)}"
    if flag.kind == FlagKind.OWN_TARGET:
        return (f"{_rated(f'Own target “{flag.item}”', flag)} — {short_day(flag.day)}"
                f"{_also(flag)}")
    if flag.kind == FlagKind.PHQ9_ITEM9:
        return f"{ITEM9_WORDS} — {short_day(flag.day)}"
    if flag.kind == FlagKind.USE_PATTERN:
        return (f"Urge to use {review.RISK_URGE_LEVEL} or craving "
                f"{review.CRAVING_FLAG_LEVEL}+ on {flag.count} of the last "
                f"{review.FLAG_WINDOW_DAYS} days (latest {short_day(flag.day)})")
    if flag.kind == FlagKind.NO_CHECK_IN:
        return "No check-ins yet" if flag.day is None else \
            f"No check-in for {_days(flag.value)}"
    name = QUESTIONNAIRES[flag.item].title
    if flag.day is None:
        return f"{name} not done yet"
    return f"{name} overdue — last done {short_day(flag.day)}"


@dataclass(frozen=True)
class RiskLines:
    """What a row or a patient's header says about risk: the tier, the flags in words,
    "No flags" only when everything needed is shared, and what is not shared."""

    tier: str
    tier_class: str
    flags: list[str]
    no_flags: bool
    not_shared: list[str]


def risk_lines(row: review.CaseloadRow) -> RiskLines:
    tier = row.tier
    return RiskLines(
        tier=TIER_LABELS[tier] if tier else "",
        tier_class=f"tier-{int(tier)}" if tier else "",
        flags=[flag_text(flag) for flag in row.flags],
        no_flags=not row.flags and not row.not_shared,
        not_shared=[not_shared(part) for part in row.not_shared])


def mood_line(average: float | None, direction: str | None) -> str:
    if average is None:
        return "Not enough check-ins"
    line = f"{average:.1f} / 10"
    return f"{line}, {ARROWS[direction]}" if direction else line


def _shares(categories: frozenset[str]) -> str:
    return categories_line(sharing.only_categories(categories))


def _caseload_row(row: review.CaseloadRow) -> dict[str, Any]:
    risk = risk_lines(row)
    return {
        "id": row.patient_id,
        "name": row.name,
        "href": f"/patients/view/?id={row.patient_id}",
        "last": (_day_ago(row.last_check_in, row.today)
                 if row.categories & review.JOURNAL_CATEGORIES else NOT_SHARED),
        "mood": mood_line(row.mood_average, row.mood_direction)
        if "mood" in row.categories else NOT_SHARED,
        **asdict(risk),
        "row_class": risk.tier_class or ("risk-unknown" if row.not_shared else ""),
        "flagged": row.flagged,
        "shares": _shares(row.categories),
    }


def caseload_rows(rows: list[review.CaseloadRow]) -> list[dict[str, Any]]:
    return [_caseload_row(row) for row in rows]


def _hours(value: float) -> str:
    return f"{value:g}"


def cell_text(row: GridRow, value: Any) -> str:
    """One cell: a blank day is "–", never 0; acted-on is a symbol and a word; a week of
    sleep is its range of nights ("5–8 h"), never only the longest."""
    if value is None:
        return BLANK
    if row.kind == "acted_on":
        return ACTED if value else NOT_ACTED
    if row.kind == "yes_no":
        return "Yes" if value is True else "No" if value is False else f"{value} days"
    if row.kind == "hours":
        low, high = value if isinstance(value, tuple) else (value, value)
        return f"{_hours(low)} h" if low == high else f"{_hours(low)}–{_hours(high)} h"
    if row.kind == "average":
        return f"{value:.1f}"
    return str(value)


def _cell_class(row: GridRow, value: Any, high_no_skill: bool) -> str:
    classes = ["blank"] if value is None else []
    if row.kind == "acted_on" and value:
        classes.append("acted")
    if high_no_skill:
        classes.append("high-no-skill")
    return " ".join(classes)


def review_rows(found: review.DiaryReview) -> list[dict[str, Any]]:
    sections = []
    for section in found.sections:
        rows = []
        for row in section.rows:
            this_week = review.week_value(row)
            rows.append({
                "label": row.label,
                "cells": [{"text": cell_text(row, value),
                           "class": _cell_class(row, value, high)}
                          for value, high in zip(row.cells, found.high_urge_no_skill,
                                                 strict=True)],
                "this_week": cell_text(row, this_week),
                "last_week": cell_text(row, found.last_week.get(row.key)),
            })
        sections.append({"title": section.title, "rows": rows,
                         "not_shared": [not_shared(key) for key in section.not_shared]})
    return sections


def checkup_rows(results: list[measures.ResultView]) -> list[dict[str, str]]:
    """The newest PHQ-9 and GAD-7: total, band (the published name) and day."""
    return [{"name": r.questionnaire.title,
             "total": f"{r.total} out of {r.questionnaire.max_total}",
             "band": band_label(r.band), "day": day_label(r.local_date),
             "item9": "Item 9 (thoughts of death or self-harm): above 0"
             if r.needs_safety_follow_up else ""} for r in results]


def checkup_lines(checkups: list[dict[str, str]], shared: bool) -> list[str]:
    """The check-ups as report lines: "PHQ-9: 15 out of 27, Moderately severe, on ..."."""
    if not shared:
        return [not_shared("measures")]
    if not checkups:
        return ["Check-ups: no PHQ-9 or GAD-7 done yet"]
    return [f"{c['name']}: {c['total']}, {c['band']}, on {c['day']}"
            + (f". {c['item9']}" if c["item9"] else "") for c in checkups]


def plan_line(exists: bool | None) -> str:
    """Whether a safety plan exists, when that is shared."""
    if exists is None:
        return not_shared("safety_plan")
    return "Has a safety plan: yes" if exists else "Has a safety plan: not yet"


def read_only_plan(plan: plans.Plan) -> tuple[dict[str, list[str]],
                                              dict[str, list[dict[str, str]]]]:
    """The plan as its own page shows it (views/plans.py), without call or text links:
    the therapist reads it, it is not a phone book."""
    contacts = {key: [{**row, "tel": "", "sms": ""} for row in rows]
                for key, rows in plan_views.shown_contacts(plan).items()}
    return plan_views.shown_lines(plan), contacts


@dataclass
class DetailScreen:
    patient_id: int
    name: str
    shares: str
    week_label: str
    week: str
    previous_week: str
    next_week: str
    numbers: list[dict[str, str]]
    flags: list[str]
    days: list[dict[str, Any]]
    sections: list[dict[str, Any]]
    skills: list[dict[str, str]]
    notes: list[dict[str, str]]
    skills_shared: bool
    urges_and_skills_shared: bool
    tier: str = ""
    tier_class: str = ""
    no_flags: bool = False
    not_shared: list[str] = field(default_factory=list)
    measures_shared: bool = False
    checkups: list[dict[str, str]] = field(default_factory=list)
    checkup_lines: list[str] = field(default_factory=list)
    plan_line: str = ""
    plan_exists_shared: bool = False
    safety_plan_shared: bool = False
    plan_saved: bool = False
    plan_updated: str = ""
    plan_lines: dict[str, list[str]] = field(default_factory=dict)
    plan_contacts: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    skills_note: str = ""
    notes_note: str = ""
    notice: str = NOT_LIVE
    redisclosure: str = sharing.REDISCLOSURE_NOTICE
    report_pdf: str = ""
    report_csv: str = ""
    report_page: str = ""
    detail_page: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _numbers(patient_id: int, categories: frozenset[str], row: review.CaseloadRow,
             days: tuple[date, ...]) -> list[dict[str, str]]:
    """The detail's numbers, each saying "Not shared" when its category is not."""
    minutes = (mindfulness.minutes_by_day(patient_id, days[0], days[-1])
               if "mindfulness" in categories else None)
    return [
        {"label": "Last check-in",
         "value": _day_ago(row.last_check_in, row.today)
         if categories & review.JOURNAL_CATEGORIES else NOT_SHARED},
        {"label": "Mood, last 7 days",
         "value": mood_line(row.mood_average, row.mood_direction)
         if "mood" in categories else NOT_SHARED},
        {"label": "Mindfulness this week",
         "value": f"{round(sum(minutes.values()))} minutes" if minutes is not None
         else NOT_SHARED},
    ]


def detail_screen(patient_id: int, categories: frozenset[str], raw_week: object
                  ) -> DetailScreen:
    """A patient's detail and diary-card review for one week, from shared categories only."""
    name = review.patient_name(patient_id)
    row = review.caseload_row(patient_id, name, categories)
    week = review.week_of(raw_week, row.today)
    found = review.diary_review(patient_id, categories, week)
    risk = risk_lines(row)
    plan = review.safety_plan(patient_id, categories)
    plan_lines, plan_contacts = read_only_plan(plan) if plan and plan.id else ({}, {})
    checkups = checkup_rows(review.latest_measures(patient_id, categories))
    # The plan, when shared, already says whether it exists (its part rides on it).
    plan_exists = (bool(plan.id) if plan is not None
                   else review.safety_plan_exists(patient_id, categories))
    previous = week - timedelta(days=7)
    following = week + timedelta(days=7)
    query = f"?id={patient_id}&week={week.isoformat()}"
    return DetailScreen(
        patient_id=patient_id, name=name,
        shares=_shares(categories),
        week_label=f"Week of {long_date(week)}",
        week=week.isoformat(),
        previous_week=previous.isoformat(),
        next_week=following.isoformat() if following <= row.today else "",
        numbers=_numbers(patient_id, categories, row, found.days),
        flags=risk.flags, tier=risk.tier, tier_class=risk.tier_class,
        no_flags=risk.no_flags, not_shared=risk.not_shared,
        days=[{"label": day.strftime("%a %-d"),
               "flag": HIGH_NO_SKILL if high else ""}
              for day, high in zip(found.days, found.high_urge_no_skill, strict=True)],
        sections=review_rows(found),
        skills=[{"day": day.strftime("%a %-d"), "names": ", ".join(names) or BLANK}
                for day, names in zip(found.days, found.skills_by_day, strict=True)]
        if "exercises" in categories else [],
        notes=[{"day": day.strftime("%a %-d"), "text": note}
               for day, note in review.notes_of_week(patient_id, categories, found.days)],
        skills_shared="exercises" in categories,
        urges_and_skills_shared="exercises" in categories
        and bool(categories & {"safety", "substance_use"}),
        measures_shared="measures" in categories,
        checkups=checkups,
        checkup_lines=checkup_lines(checkups, "measures" in categories),
        plan_line=plan_line(plan_exists),
        plan_exists_shared=plan_exists is not None,
        safety_plan_shared=plan is not None,
        plan_saved=bool(plan and plan.id),
        plan_updated=plan_views.updated_line(plan, review.patient_time_zone(patient_id))
        if plan and plan.id else "",
        plan_lines=plan_lines, plan_contacts=plan_contacts,
        skills_note="" if "exercises" in categories else not_shared("exercises"),
        notes_note="" if "notes" in categories else not_shared("notes"),
        report_pdf=f"/reports/session.pdf{query}",
        report_csv=f"/reports/session.csv{query}",
        report_page=f"/patients/report/{query}",
        detail_page=f"/patients/view/{query}",
    )
