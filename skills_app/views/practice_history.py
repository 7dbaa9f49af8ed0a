"""What the practice history shows, from core values: no Reflex, no database here
except in `history_screen`, which reads the whole screen in one call."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from skills_app.core import dates, practice
from skills_app.core.exercises import Exercise, Step
from skills_app.text import N_, _, formats, ngettext
from skills_app.views import practice as flow

# The history opens on the last 90 days; "Show earlier" adds as many again, up to
# the longest range one read covers.
HISTORY_DAYS = 90
HISTORY_DAYS_MAX = practice.HISTORY_DAYS_MAX
# A question shown over an answer is cut to this many characters.
LABEL_MAX = 90
MISSING_TITLE = N_("An exercise no longer in the app")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def time_label(finished: practice.FinishedView) -> str:
    """When it was finished, in the account's zone then (the zone its day is in): "3:12 PM"."""
    return flow.finished_time(finished)


def _long_day(day: date, today: date) -> str:
    """"Tuesday, March 3" (with the year when it is not this year's)."""
    if day.year != today.year:
        return f"{formats.weekday(day)}, {formats.date_with_year(day)}"
    return formats.long_day(day)


def day_label(day: date, today: date) -> str:
    if day == today:
        return _("Today")
    if day == today - timedelta(days=1):
        return _("Yesterday")
    return _long_day(day, today)


def _cut(text: str, limit: int = LABEL_MAX) -> str:
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def step_label(step: Step) -> str:
    """A step's prompt, short enough to head its answer.

    A prompt that opens with a name ("Describe. Say only the facts...") is
    labelled by it; otherwise by its question ("What happened?"), or its first
    sentence when it asks none.
    """
    sentences = _SENTENCE_END.split(_(step.prompt).strip())
    first = sentences[0]
    if len(first.split()) <= 3:
        return _cut(first.rstrip("."))
    question = next((sentence for sentence in sentences if sentence.endswith("?")), first)
    return _cut(question)


def _key_label(key: str) -> str:
    return " ".join(key.replace("_", " ").split()).capitalize() or _("Answer")


def _option(step: Step | None, value: object) -> str:
    """A saved option (stored in English, as the file has it) in the reader's language;
    anything that is not one of the step's options is shown as it was saved."""
    if step is not None and isinstance(value, str) and value in step.options:
        return _(value)
    return str(value)


def answer_text(step: Step | None, value: object) -> tuple[str, list[str]]:
    """An answer as (text, items): lists of choices as items, anything else as text.
    Options are shown in the reader's language; what the patient typed, as typed."""
    if isinstance(value, list):
        return "", [_option(step, item) for item in value]
    if isinstance(value, bool) or value is None:
        return "", []
    if step is not None and step.input == "scale":
        if step.ends:
            return _("{value} out of 10 (0 = {low}, 10 = {high})", value=value,
                     low=_(step.ends[0]), high=_(step.ends[1])), []
        return _("{value} out of 10", value=value), []
    if step is not None and step.input == "choice":
        return _option(step, value), []
    return str(value), []


def answer_rows(exercise: Exercise | None, answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The answers in the exercise's step order, each as {label, text, items}.

    Answers to steps the exercise no longer has (or of an exercise that is
    gone) still show, labelled by their key: nothing the patient wrote is hidden.
    """
    steps = {step.key: step for step in exercise.steps if step.asks} if exercise else {}
    order = [key for key in steps if key in answers]
    order += [key for key in answers if key not in steps]
    rows = []
    for key in order:
        step = steps.get(key)
        text, items = answer_text(step, answers[key])
        if not text and not items:
            continue
        rows.append({"label": step_label(step) if step else _key_label(key),
                     "text": text, "items": items})
    return rows


def distress_line(before: int | None, after: int | None) -> str:
    if before is not None and after is not None:
        return _("Distress {before} → {after}", before=before, after=after)
    if before is not None:
        return _("Distress before: {before}", before=before)
    if after is not None:
        return _("Distress after: {after}", after=after)
    return ""


def short_name(exercise: Exercise | None) -> str:
    """How a sentence names the exercise: "DEAR MAN", or its title in quotes
    (in the reader's language)."""
    if exercise is None:
        return ""
    title = _(exercise.title)
    head, colon, _rest = title.partition(":")
    return head.strip() if colon else _("“{title}”", title=title)


def named(finished: practice.FinishedView) -> str:
    """Which practice, in words a dialog can ask about:
    "DEAR MAN practice from Tuesday, March 3, 3:12 PM"."""
    day, time = formats.long_day(finished.local_date), time_label(finished)
    exercise = short_name(finished.exercise)
    if not exercise:
        return _("practice from {day}, {time}", day=day, time=time)
    return _("{exercise} practice from {day}, {time}", exercise=exercise, day=day, time=time)


def card(finished: practice.FinishedView, day_header: str) -> dict[str, Any]:
    """One finished exercise as the history shows it."""
    exercise = finished.exercise
    minutes = finished.minutes
    return {
        "id": str(finished.id),
        "day_header": day_header,
        "title": _(exercise.title) if exercise else _(MISSING_TITLE),
        "time": time_label(finished),
        "minutes": "" if minutes is None else _("{minutes} min",
                                                 minutes=formats.number(minutes)),
        "distress": distress_line(finished.distress_before, finished.distress_after),
        "helped": (_("Helped: {answer}", answer=_(practice.HELPED[finished.helped]))
                   if finished.helped in practice.HELPED else ""),
        "answers": answer_rows(exercise, finished.answers),
        "message": flow.message(finished),
        "named": named(finished),
    }


def cards(finished: Sequence[practice.FinishedView], today: date) -> list[dict[str, Any]]:
    """Newest first, with a day header ("Today", "Yesterday", ...) where a day starts."""
    shown, previous_day = [], None
    for one in finished:
        header = day_label(one.local_date, today) if one.local_date != previous_day else ""
        previous_day = one.local_date
        shown.append(card(one, header))
    return shown


def range_line(days: int) -> str:
    if days >= HISTORY_DAYS_MAX:
        return _("Showing the last year.")
    return ngettext("Showing the last day.", "Showing the last {n} days.", days)


def next_days(days: object) -> int:
    """The range after "Show earlier": 90 days more, up to a year."""
    current = days if isinstance(days, int) and not isinstance(days, bool) else HISTORY_DAYS
    return max(HISTORY_DAYS, min(current + HISTORY_DAYS, HISTORY_DAYS_MAX))


@dataclass(frozen=True)
class HistoryScreen:
    cards: list[dict[str, Any]]
    days: int
    range_line: str
    can_show_earlier: bool


def history_screen(user_id: int, time_zone: str, days: int = HISTORY_DAYS) -> HistoryScreen:
    """The patient's finished exercises of the last `days` local days, newest first."""
    days = max(1, min(days, HISTORY_DAYS_MAX))
    today = dates.local_today(time_zone)
    found = practice.history(user_id, today - timedelta(days=days - 1), today)
    return HistoryScreen(cards=cards(found, today), days=days, range_line=range_line(days),
                         can_show_earlier=days < HISTORY_DAYS_MAX)
