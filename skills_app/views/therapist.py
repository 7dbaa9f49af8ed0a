"""What the therapist's screens and reports show, from `core.review` (plain Python).

The diary-card review marks "acted on" with a symbol and a word (never colour
alone), shows a blank day as "–" (never as 0), names the skills used, and
puts this week's value beside last week's on each row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from skills_app.core import measures, mindfulness, plans, review, sharing
from skills_app.core.dates import local_date_of
from skills_app.core.journal import GridRow
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


def moment(at: datetime, time_zone: str) -> str:
    return f"{long_date(local_date_of(at, time_zone))}, {clock_time(at, time_zone)}"


def _day_ago(day: date | None, today: date) -> str:
    if day is None:
        return "Never"
    days = (today - day).days
    return "Today" if days == 0 else "Yesterday" if days == 1 else f"{days} days ago"


def mood_line(average: float | None, direction: str | None) -> str:
    if average is None:
        return "Not enough check-ins"
    line = f"{average:.1f} / 10"
    return f"{line}, {ARROWS[direction]}" if direction else line


def caseload_rows(rows: list[review.CaseloadRow]) -> list[dict[str, Any]]:
    return [{
        "id": row.patient_id,
        "name": row.name,
        "href": f"/patients/view/?id={row.patient_id}",
        "last": (_day_ago(row.last_check_in, row.today)
                 if row.categories & review.JOURNAL_CATEGORIES else "Not shared"),
        "mood": mood_line(row.mood_average, row.mood_direction)
        if "mood" in row.categories else "Not shared",
        "flags": list(row.flags),
        "flagged": row.flagged,
        "shares": categories_line(key for key in sharing.CATEGORY_KEYS
                                  if key in row.categories),
    } for row in rows]


def cell_text(row: GridRow, value: Any) -> str:
    """One cell: a blank day is "–", never 0; acted-on is a symbol and a word."""
    if value is None:
        return BLANK
    if row.kind == "acted_on":
        return ACTED if value else NOT_ACTED
    if row.kind == "yes_no":
        return "Yes" if value is True else "No" if value is False else f"{value} days"
    if row.kind == "hours":
        return f"{value:g} h"
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
        sections.append({"title": section.title, "rows": rows})
    return sections


def checkup_rows(results: list[measures.ResultView]) -> list[dict[str, str]]:
    """The newest PHQ-9 and GAD-7: total, band (the published name) and day."""
    return [{"name": r.questionnaire.title,
             "total": f"{r.total} out of {r.questionnaire.max_total}",
             "band": band_label(r.band), "day": day_label(r.local_date),
             "item9": "Item 9 (thoughts of death or self-harm): above 0"
             if r.needs_safety_follow_up else ""} for r in results]


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
    measures_shared: bool = False
    checkups: list[dict[str, str]] = field(default_factory=list)
    safety_plan_shared: bool = False
    plan_saved: bool = False
    plan_updated: str = ""
    plan_lines: dict[str, list[str]] = field(default_factory=dict)
    plan_contacts: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    notice: str = NOT_LIVE
    redisclosure: str = sharing.REDISCLOSURE_NOTICE
    report_pdf: str = ""
    report_csv: str = ""
    report_page: str = ""
    detail_page: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def detail_screen(patient_id: int, categories: frozenset[str], raw_week: object
                  ) -> DetailScreen:
    """A patient's detail and diary-card review for one week, from shared categories only."""
    name = review.patient_name(patient_id)
    row = review.caseload_row(patient_id, name, categories)
    week = review.week_of(raw_week, row.today)
    found = review.diary_review(patient_id, categories, week)
    numbers = []
    if categories & review.JOURNAL_CATEGORIES:
        numbers.append({"label": "Last check-in", "value": _day_ago(row.last_check_in,
                                                                    row.today)})
    if "mood" in categories:
        numbers.append({"label": "Mood, last 7 days",
                        "value": mood_line(row.mood_average, row.mood_direction)})
    if "mindfulness" in categories:
        minutes = mindfulness.minutes_by_day(patient_id, found.days[0], found.days[-1])
        numbers.append({"label": "Mindfulness this week",
                        "value": f"{round(sum(minutes.values()))} minutes"})
    plan = review.safety_plan(patient_id, categories)
    plan_lines, plan_contacts = read_only_plan(plan) if plan and plan.id else ({}, {})
    previous = week - timedelta(days=7)
    following = week + timedelta(days=7)
    query = f"?id={patient_id}&week={week.isoformat()}"
    return DetailScreen(
        patient_id=patient_id, name=name,
        shares=categories_line(k for k in sharing.CATEGORY_KEYS if k in categories),
        week_label=f"Week of {long_date(week)}",
        week=week.isoformat(),
        previous_week=previous.isoformat(),
        next_week=following.isoformat() if following <= row.today else "",
        numbers=numbers, flags=list(row.flags),
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
        urges_and_skills_shared={"substance_use", "exercises"} <= categories,
        measures_shared="measures" in categories,
        checkups=checkup_rows(review.latest_measures(patient_id, categories)),
        safety_plan_shared=plan is not None,
        plan_saved=bool(plan and plan.id),
        plan_updated=plan_views.updated_line(plan, review.patient_time_zone(patient_id))
        if plan and plan.id else "",
        plan_lines=plan_lines, plan_contacts=plan_contacts,
        report_pdf=f"/reports/session.pdf{query}",
        report_csv=f"/reports/session.csv{query}",
        report_page=f"/patients/report/{query}",
        detail_page=f"/patients/view/{query}",
    )
