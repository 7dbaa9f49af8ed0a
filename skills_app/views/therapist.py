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
from skills_app.core import (
    attendance,
    look_alike,
    measures,
    mindfulness,
    plans,
    review,
    sharing,
)
from skills_app.core.journal import GridRow
from skills_app.core.review import Flag, FlagKind, Tier
from skills_app.text import N_, _, formats, ngettext, pgettext
from skills_app.views import homework_therapist as homework_views
from skills_app.views import plans as plan_views
from skills_app.views.measures import band_label
from skills_app.views.sharing import categories_line

BLANK = "–"
# Words are marked here (N_) and translated where they are shown (_).
ACTED = N_("⚠ Acted")
HIGH_NO_SKILL = N_("⚑ High urge, no skill")
ARROWS = {"up": N_("↑ up"), "down": N_("↓ down"), "same": N_("→ about the same")}
NOT_LIVE = N_("This app is not monitored in real time. Flags help you plan a session; they "
              "are not an alert system. In danger: 988 or 911.")
NO_FLAGS = N_("No flags")
NOT_SHARED = N_("Not shared")
# Short names for "<name>: not shared by this patient".
SHORT_NAMES = {
    "safety": N_("Safety"), "substance_use": N_("Substance use"),
    sharing.ITEM9: N_("PHQ-9 item 9"), "mood": N_("Mood"),
    "exercises": N_("Skills and exercises"), "mindfulness": N_("Mindfulness"),
    "measures": N_("Check-ups"), "safety_plan": N_("Safety plan"),
    "notes": N_("Journal notes"),
}
TIER_LABELS = {
    Tier.SAFETY_ACT: N_("Tier 1 · Acted on suicide or self-harm, or PHQ-9 item 9"),
    Tier.SAFETY_URGE: N_("Tier 2 · Strong suicide or self-harm urge"),
    Tier.USE_ACT: N_("Tier 3 · Acted on the urge to use"),
    Tier.USE_PATTERN: N_("Tier 4 · Frequent urges to use or cravings"),
    Tier.MISSED_GROUPS: N_("Tier 5 · Missed groups"),
    Tier.MISSING: N_("Tier 6 · Missing check-ins or check-ups"),
    Tier.OTHER: N_("Other flags"),
}
URGE_NAMES = {"urge_suicide": N_("Suicide urge"), "urge_self_harm": N_("Self-harm urge"),
              "urge_substance_use": N_("Urge to use"),
              "urge_quit_therapy": N_("Urge to quit therapy")}
# The review's parts (`core.review.REVIEW_SECTIONS`), in DBT order.
SECTION_TITLES = {
    "life_threatening": N_("Life-threatening: suicide and self-harm"),
    "therapy_interfering": N_("Therapy-interfering: urge to quit"),
    "quality_of_life": N_("Quality of life: use, cravings, emotions, mood, sleep, medications"),
}


def not_shared(part: str) -> str:
    """"Safety: not shared by this patient" for a category (or part) not shared."""
    return _("{part}: not shared by this patient", part=_(SHORT_NAMES[part]))


def moment(at: datetime, time_zone: str) -> str:
    """A moment in the reader's account time zone: "Tue, Dec 1, 4:23 PM"."""
    return formats.day_and_clock(at, time_zone)


def _day_ago(day: date | None, today: date) -> str:
    if day is None:
        return _("Never")
    days = (today - day).days
    if days == 0:
        return _("Today")
    if days == 1:
        return _("Yesterday")
    return ngettext("{n} day ago", "{n} days ago", days)


def _urge_line(name: str, flag: Flag) -> str:
    """"Self-harm urge 5, acted on — Tue, Dec 1"; "... 0, acted on" (acting on an urge can
    be logged with it rated 0); "... not rated, acted on" when left blank."""
    day = formats.day(flag.day)
    if flag.value is None:
        line = (_("{name} not rated, acted on — {day}", name=name, day=day) if flag.acted
                else _("{name} not rated — {day}", name=name, day=day))
    else:
        rating = formats.number(flag.value)
        line = (_("{name} {rating}, acted on — {day}", name=name, rating=rating, day=day)
                if flag.acted else _("{name} {rating} — {day}", name=name, rating=rating,
                                     day=day))
    others = flag.count - 1
    if others < 1:
        return line
    return ngettext("{line} (and {n} more day in the last {window})",
                    "{line} (and {n} more days in the last {window})", others, line=line,
                    window=formats.number(review.FLAG_WINDOW_DAYS))


def flag_text(flag: Flag) -> str:
    """One flag in words, naming what and the day."""
    if flag.kind == FlagKind.URGE:
        return _urge_line(_(URGE_NAMES[flag.item]), flag)
    if flag.kind == FlagKind.OWN_TARGET:
        # The target's name is the patient's own text, as typed.
        return _urge_line(_("Own target “{name}”", name=flag.item), flag)
    if flag.kind == FlagKind.PHQ9_ITEM9:
        return _("PHQ-9 item 9: thoughts of death or self-harm — {day}",
                 day=formats.day(flag.day))
    if flag.kind == FlagKind.USE_PATTERN:
        return _("Urge to use {level} or craving {craving}+ on {count} of the last {window} "
                 "days (latest {day})", level=formats.number(review.RISK_URGE_LEVEL),
                 craving=formats.number(review.CRAVING_FLAG_LEVEL),
                 count=formats.number(flag.count),
                 window=formats.number(review.FLAG_WINDOW_DAYS), day=formats.day(flag.day))
    if flag.kind == FlagKind.MISSED_GROUPS:
        return missed_groups_line(flag)
    if flag.kind == FlagKind.NO_CHECK_IN:
        if flag.day is None:
            return _("No check-ins yet")
        return ngettext("No check-in for {n} day", "No check-in for {n} days", flag.value)
    # A questionnaire's name (PHQ-9, GAD-7) is the same in every language.
    name = QUESTIONNAIRES[flag.item].title
    if flag.day is None:
        return _("{name} not done yet", name=name)
    return _("{name} overdue — last done {day}", name=name, day=formats.day(flag.day))


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
        tier=_(TIER_LABELS[tier]) if tier else "",
        tier_class=f"tier-{int(tier)}" if tier else "",
        flags=[flag_text(flag) for flag in row.flags],
        no_flags=not row.flags and not row.not_shared,
        not_shared=[not_shared(part) for part in row.not_shared])


def mood_line(average: float | None, direction: str | None) -> str:
    if average is None:
        return _("Not enough check-ins")
    shown = formats.decimal(round(average, 1))
    if direction:
        return _("{average} / 10, {direction}", average=shown, direction=_(ARROWS[direction]))
    return _("{average} / 10", average=shown)


def _shares(categories: frozenset[str]) -> str:
    return categories_line(sharing.only_categories(categories))


def told_apart(name: str, note: look_alike.TellApart | None) -> str:
    """A patient's name as the therapist reads it: with the day the account was made
    beside it when another patient's name looks the same (`core.look_alike`)."""
    if note is None:
        return name
    if note.number:
        return _("{name} (joined {day}, no. {number})", name=name,
                 day=formats.date_with_year(note.joined), number=formats.number(note.number))
    return _("{name} (joined {day})", name=name, day=formats.date_with_year(note.joined))


def _caseload_row(row: review.CaseloadRow) -> dict[str, Any]:
    risk = risk_lines(row)
    return {
        "id": row.patient_id,
        "name": told_apart(row.name, row.told_apart),
        "href": f"/patients/view/?id={row.patient_id}",
        "last": (_day_ago(row.last_check_in, row.today)
                 if row.categories & review.JOURNAL_CATEGORIES else _(NOT_SHARED)),
        "mood": mood_line(row.mood_average, row.mood_direction)
        if "mood" in row.categories else _(NOT_SHARED),
        **asdict(risk),
        "row_class": risk.tier_class or ("risk-unknown" if row.not_shared else ""),
        "flagged": row.flagged,
        "shares": _shares(row.categories),
        "homework": homework_views.caseload_line(row.homework),
    }


def caseload_rows(rows: list[review.CaseloadRow], time_zone: str = "UTC"
                  ) -> list[dict[str, Any]]:
    """The caseload's rows; `time_zone` is the reader's (the next group's time)."""
    return [{**_caseload_row(row), **group_fields(row, time_zone)} for row in rows]


def cell_text(row: GridRow, value: Any) -> str:
    """One cell: a blank day is "–", never 0; acted-on is a symbol and a word; a week of
    sleep is its range of nights ("5–8 h"), never only the longest."""
    if value is None:
        return BLANK
    if row.kind == "acted_on":
        return _(ACTED) if value else pgettext("review cell", "No")
    if row.kind == "yes_no":
        if value is True:
            return pgettext("review cell", "Yes")
        if value is False:
            return pgettext("review cell", "No")
        return ngettext("{n} day", "{n} days", value)
    if row.kind == "hours":
        low, high = value if isinstance(value, tuple) else (value, value)
        if low == high:
            return _("{hours} h", hours=formats.decimal(low, 2))
        return _("{low}–{high} h", low=formats.decimal(low, 2), high=formats.decimal(high, 2))
    if row.kind == "average":
        return formats.decimal(value)
    return formats.number(value)


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
        sections.append({"title": _(SECTION_TITLES[section.key]), "rows": rows,
                         "not_shared": [not_shared(key) for key in section.not_shared]})
    return sections


def checkup_rows(results: list[measures.ResultView]) -> list[dict[str, str]]:
    """The newest PHQ-9 and GAD-7: total, band (the published name) and day."""
    return [{"name": r.questionnaire.title,
             "total": _("{total} out of {most}", total=formats.number(r.total),
                        most=formats.number(r.questionnaire.max_total)),
             "band": band_label(r.band), "day": formats.date_with_year(r.local_date),
             "item9": _("Item 9 (thoughts of death or self-harm): above 0")
             if r.needs_safety_follow_up else ""} for r in results]


def checkup_lines(checkups: list[dict[str, str]], shared: bool) -> list[str]:
    """The check-ups as report lines: "PHQ-9: 15 out of 27, Moderately severe, on ..."."""
    if not shared:
        return [not_shared("measures")]
    if not checkups:
        return [_("Check-ups: no PHQ-9 or GAD-7 done yet")]
    return [_("{name}: {total}, {band}, on {day}. {item9}", **c) if c["item9"]
            else _("{name}: {total}, {band}, on {day}", **c) for c in checkups]


def plan_line(exists: bool | None) -> str:
    """Whether a safety plan exists, when that is shared."""
    if exists is None:
        return not_shared("safety_plan")
    return _("Has a safety plan: yes") if exists else _("Has a safety plan: not yet")


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
    notice: str = ""
    redisclosure: str = sharing.REDISCLOSURE_NOTICE
    report_pdf: str = ""
    report_csv: str = ""
    report_page: str = ""
    detail_page: str = ""
    # Attendance by week (`attendance_section`).
    attendance: list[dict[str, str]] = field(default_factory=list)
    attendance_note: str = ""
    # The week's homework (`views.homework_therapist.homework_section`).
    homework: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _numbers(patient_id: int, categories: frozenset[str], row: review.CaseloadRow,
             days: tuple[date, ...]) -> list[dict[str, str]]:
    """The detail's numbers, each saying "Not shared" when its category is not."""
    minutes = (mindfulness.minutes_by_day(patient_id, days[0], days[-1])
               if "mindfulness" in categories else None)
    return [
        {"label": _("Last check-in"),
         "value": _day_ago(row.last_check_in, row.today)
         if categories & review.JOURNAL_CATEGORIES else _(NOT_SHARED)},
        {"label": _("Mood, last 7 days"),
         "value": mood_line(row.mood_average, row.mood_direction)
         if "mood" in categories else _(NOT_SHARED)},
        {"label": _("Mindfulness this week"),
         "value": ngettext("{n} minute", "{n} minutes", round(sum(minutes.values())))
         if minutes is not None else _(NOT_SHARED)},
    ]


def detail_screen(patient_id: int, categories: frozenset[str], raw_week: object,
                  viewer_id: int | None = None) -> DetailScreen:
    """A patient's detail and diary-card review for one week, from shared categories only.
    `viewer_id`: the therapist reading (None: the patient's own summary)."""
    name = review.patient_name(patient_id)
    row = review.caseload_row(patient_id, name, categories)
    if viewer_id is not None:
        name = told_apart(name, look_alike.for_therapist(viewer_id, [patient_id]).get(patient_id))
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
        week_label=_("Week of {day}", day=formats.date_with_year(week)),
        week=week.isoformat(),
        previous_week=previous.isoformat(),
        next_week=following.isoformat() if following <= row.today else "",
        numbers=_numbers(patient_id, categories, row, found.days),
        flags=risk.flags, tier=risk.tier, tier_class=risk.tier_class,
        no_flags=risk.no_flags, not_shared=risk.not_shared,
        days=[{"label": formats.day(day), "flag": _(HIGH_NO_SKILL) if high else ""}
              for day, high in zip(found.days, found.high_urge_no_skill, strict=True)],
        sections=review_rows(found),
        skills=[{"day": formats.day(day), "names": ", ".join(names) or BLANK}
                for day, names in zip(found.days, found.skills_by_day, strict=True)]
        if "exercises" in categories else [],
        notes=[{"day": formats.day(day), "text": note}
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
        notice=_(NOT_LIVE),
        report_pdf=f"/reports/session.pdf{query}",
        report_csv=f"/reports/session.csv{query}",
        report_page=f"/patients/report/{query}",
        detail_page=f"/patients/view/{query}",
        **attendance_section(patient_id, week),
        homework=homework_views.homework_section(patient_id, categories, week, row.today,
                                                 viewer_id),
    )


# --- the program's groups: next group, missed groups, attendance by week -------------
# (core/schedule.py, core/attendance.py). Attendance is the program's own record: it is
# shown for every patient who shares anything with the therapist.

ATTENDANCE_WEEKS = 8


def optional_columns(rows: list[dict[str, Any]]) -> tuple[bool, bool]:
    """Whether the caseload table has a homework column and a groups column: each only
    when some row has something to put in it."""
    return (any(row.get("homework") for row in rows),
            any(row.get("next_group") for row in rows))


def missed_groups_line(flag: Flag) -> str:
    """"Missed 2 groups this week (latest Wed, Dec 9)"."""
    return ngettext("Missed {n} group this week (latest {day})",
                    "Missed {n} groups this week (latest {day})", flag.count,
                    day=formats.day(flag.day))


def next_group_line(meeting: Any, time_zone: str) -> str:
    """"Next group Wed 9:00 AM" in the reader's zone; "" when on no track."""
    if meeting is None:
        return ""
    return _("Next group {weekday} {time}",
             weekday=formats.short_weekday(meeting.starts, time_zone),
             time=formats.clock(meeting.starts, time_zone))


def group_fields(row: review.CaseloadRow, time_zone: str) -> dict[str, str]:
    """What a caseload row adds about groups."""
    return {"next_group": next_group_line(row.next_group, time_zone)}


def attendance_rows(weeks: list[attendance.AttendanceWeek]) -> list[dict[str, str]]:
    """The compact table: week, meetings held, present, late, excused, absent, not
    marked; newest week first, weeks without a meeting left out."""
    return [{"week": formats.day(week.week_start),
             "held": formats.number(week.held), "present": formats.number(week.present),
             "late": formats.number(week.late), "excused": formats.number(week.excused),
             "absent": formats.number(week.absent), "unmarked": formats.number(week.unmarked)}
            for week in reversed(weeks) if week.held]


def attendance_section(patient_id: int, week: date) -> dict[str, Any]:
    """The detail's and report's attendance: ATTENDANCE_WEEKS weeks through `week`."""
    first = week - timedelta(days=7 * (ATTENDANCE_WEEKS - 1))
    rows = attendance_rows(attendance.by_week(patient_id, first, week))
    return {"attendance": rows,
            "attendance_note": "" if rows else _("No group meetings in these weeks.")}
