"""What the mindfulness screens show, as plain strings (no Reflex).

The timers' setup and steps are content, laid out when the app is compiled;
only the log of one patient's minutes comes from `log_data`, and the finished
session the page sends comes in through `log_input`. Words are in the current
language (the page's); days come from `text.formats`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from skills_app.core import dates, mindfulness
from skills_app.text import _, formats, ngettext

LOG_DAYS = 7
PRACTICE_DAYS = 30
# A finished session's record is a few hundred characters.
LOG_TEXT_MAX = 4_000


def log_input(form_data: object) -> object:
    """The record the page sent in its hidden log form, or None when it is not
    one; what it holds is for `core.mindfulness.log_session` to check."""
    if not isinstance(form_data, dict):
        return None
    text = form_data.get("session")
    if not isinstance(text, str) or len(text) > LOG_TEXT_MAX:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def sent_key(raw: object) -> str:
    """The idempotency key the page sent, to tell it which record was answered."""
    key = raw.get("idempotency_key") if isinstance(raw, dict) else None
    return key if isinstance(key, str) and len(key) <= 45 else ""


def day_label(day: date, today: date) -> str:
    """ "Today", "Yesterday", then "Thu, Nov 26": one line beside its bar."""
    if day == today:
        return _("Today")
    if day == today - timedelta(days=1):
        return _("Yesterday")
    return formats.day(day)


def minutes_label(minutes: float) -> str:
    if minutes <= 0:
        return _("{n} min", n=formats.number(0))
    if minutes < 1:
        return _("under 1 min")
    whole = round(minutes)
    if whole < 60:
        return _("{n} min", n=formats.number(whole))
    hours, rest = divmod(whole, 60)
    if rest:
        return _("{hours} h {minutes} min", hours=formats.number(hours),
                 minutes=formats.number(rest))
    return _("{hours} h", hours=formats.number(hours))


@dataclass(frozen=True)
class LogData:
    days: list[dict[str, str]]
    practices: list[dict[str, str]]
    week_line: str


def week_line(minutes: float, days: int) -> str:
    if not days:
        return _("No mindfulness logged this week yet. A minute counts.")
    return ngettext("This week: {minutes} of mindfulness on {n} day.",
                    "This week: {minutes} of mindfulness on {n} days.", days,
                    minutes=minutes_label(minutes))


def log_data(user_id: int, time_zone: str) -> LogData:
    """The last seven days' minutes, each practice's minutes over 30 days, and this
    week (Monday to today) in one line."""
    today = dates.local_today(time_zone)
    first = today - timedelta(days=LOG_DAYS - 1)
    by_day = mindfulness.minutes_by_day(user_id, min(first, dates.week_start(today)), today)
    most = max([by_day.get(first + timedelta(days=n), 0) for n in range(LOG_DAYS)] + [1])
    days = []
    for offset in range(LOG_DAYS):
        day = today - timedelta(days=offset)
        minutes = by_day.get(day, 0)
        days.append({"day": day_label(day, today), "minutes": minutes_label(minutes),
                     "width": f"{round(minutes / most * 100)}%"})
    by_practice = mindfulness.minutes_by_practice(
        user_id, today - timedelta(days=PRACTICE_DAYS - 1), today)
    practices = [{"title": _(found.title) if (found := mindfulness.practice(key)) else key,
                  "minutes": minutes_label(minutes)}
                 for key, minutes in sorted(by_practice.items(), key=lambda kv: -kv[1])]
    week = {day: m for day, m in by_day.items() if day >= dates.week_start(today)}
    return LogData(days, practices, week_line(sum(week.values()), len(week)))
