"""Risk routing: which prompts a patient sees after what they just told us.

One table, `RISK_CASES`, holds every case of ../shared/clinical.md ("Risk
prompts: what each case shows"). `route(values)` reads a form's values (a
diary card's urges, craving and "I acted on it" boxes, or a PHQ-9 item 9
answer) and returns the prompts to show, in the order the page shows them.
The page decides the same thing in plain JavaScript (`assets/safety.js`) from
the same table, sent to it as JSON (`cases_as_json`), so the right prompt
shows offline too; the server stores the flag and the event.

How prompts cover one another (`_COVERED_BY`, `INCLUDES`, `TOGETHER`):
- A stronger prompt hides a weaker one only when it already holds all the
  weaker one offers: ACTED shows everything CRISIS shows (`INCLUDES`); CRISIS
  (and ACTED) hold the safety plan and 988, so ACTED_EARLIER and the quiet
  safety-plan link go; the slip card links the safety plan, so the quiet link
  goes too.
- Only ACTED hides CRISIS, and nothing hides ACTED: a craving, a slip or an
  urge to quit therapy never hides a crisis, and a crisis never hides them.
  SLIP and CRAVING show together (a slip and a craving need different help).
- When a suicide or self-harm prompt (ACTED, CRISIS, ACTED_EARLIER) shows with
  the slip or craving card, SUBSTANCES_RAISE_RISK adds its one line: alcohol
  and drugs make suicidal urges more dangerous.

"Call 911 now" (ACTED) is for what happened today. A diary card says which
day it is for: a new card is for the day it was written (`written_at`, the
phone's stamp at the first tap on Save, so a card written offline at 23:50 and
sent after midnight keeps its day); an edited card keeps its stored day. The
route reads two more values, `entry_day` and `today` (ISO dates, the patient's
local days); an act logged for a day before `today` is ACTED_EARLIER: the
safety plan and 988. A missing or malformed day counts as today (in doubt,
911). On the page, `today` is the day of the tap on Save, which the diary form
carries to the server in its hidden `today` field (`days_of_entry`).

Every prompt shown is written to `risk_event`, an add-only log: editing an
entry down later never removes what was logged (`record_risk_event`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session

from skills_app.core.clock import PHONE_CLOCK_AHEAD, ensure_utc, utcnow
from skills_app.core.dates import local_date_of
from skills_app.core.models import RiskEvent


class Prompt(StrEnum):
    """What the page shows, most urgent first (the enum's order is the page's order).

    The values are short: the log names every prompt shown in one column
    (`PROMPT_MAX`).
    """

    # "If you have hurt yourself or taken something, call 911 now", Poison Control,
    # then everything CRISIS shows. For an act logged for today.
    ACTED = "acted"
    # Crisis lines (988 call/text/chat, 741741, 911) and the safety plan.
    CRISIS = "crisis"
    # An act logged for an earlier day: the safety plan and 988, no "call 911 now".
    ACTED_EARLIER = "earlier"
    # One line, with a suicide or self-harm prompt and the slip or craving card:
    # alcohol and drugs make suicidal urges more dangerous.
    SUBSTANCES_RAISE_RISK = "mixed"
    # The slip card: a lapse is not a relapse, tolerance, never use alone,
    # naloxone, the relapse-prevention plan. No crisis lines of its own.
    SLIP = "slip"
    # The craving card (quiet): urge surfing, HALT, play the tape through, the
    # relapse-prevention plan, "988 also helps with drug or alcohol crises".
    CRAVING = "craving"
    # A kind card: tell your therapist; wanting to quit is common.
    QUIT_THERAPY = "quit"
    # A quiet link to the safety plan.
    SAFETY_PLAN_LINK = "safety_plan_link"


_ORDER = tuple(Prompt)


class Source(StrEnum):
    """Where a risk event came from."""

    DIARY_CARD = "diary_card"
    PHQ9 = "phq9"


class Day(StrEnum):
    """Which entries a case applies to: any, or only those for today or an earlier day."""

    ANY = "any"
    TODAY = "today"
    EARLIER = "earlier"


@dataclass(frozen=True)
class RiskCase:
    """One row of the table: `field` from `low` to `high` (inclusive; None: no top)
    shows `prompt`, for an entry of `day`.

    Yes/no fields ("I acted on it") count as 1 when ticked, 0 when not.
    """

    field: str
    low: int
    high: int | None
    prompt: Prompt
    day: Day = Day.ANY

    def matches(self, value: int, earlier: bool) -> bool:
        if self.day != Day.ANY and (self.day == Day.EARLIER) != earlier:
            return False
        return self.low <= value and (self.high is None or value <= self.high)


SUICIDE_URGE = "urge_suicide"
SELF_HARM_URGE = "urge_self_harm"
USE_URGE = "urge_substance_use"
QUIT_THERAPY_URGE = "urge_quit_therapy"
CRAVING = "craving"
SUICIDE_ACTED = "acted_suicide"
SELF_HARM_ACTED = "acted_self_harm"
USE_ACTED = "acted_substance_use"
PHQ9_ITEM9 = "phq9_item9"
# The days an entry's route reads (ISO dates, the patient's local days).
ENTRY_DAY = "entry_day"
TODAY = "today"

STRONG_URGE = 4  # the diary card's urges run 0-5; 4 and 5 are strong
STRONG_CRAVING = 7  # the craving runs 0-10; 7 to 10 is strong

# Upper bounds are open: a value past the scale's top is never taken as "no risk".
RISK_CASES: tuple[RiskCase, ...] = (
    RiskCase(SUICIDE_ACTED, 1, None, Prompt.ACTED, Day.TODAY),
    RiskCase(SELF_HARM_ACTED, 1, None, Prompt.ACTED, Day.TODAY),
    RiskCase(SUICIDE_ACTED, 1, None, Prompt.ACTED_EARLIER, Day.EARLIER),
    RiskCase(SELF_HARM_ACTED, 1, None, Prompt.ACTED_EARLIER, Day.EARLIER),
    RiskCase(SUICIDE_URGE, STRONG_URGE, None, Prompt.CRISIS),
    RiskCase(SELF_HARM_URGE, STRONG_URGE, None, Prompt.CRISIS),
    RiskCase(PHQ9_ITEM9, 1, None, Prompt.CRISIS),
    RiskCase(USE_ACTED, 1, None, Prompt.SLIP),
    RiskCase(USE_URGE, STRONG_URGE, None, Prompt.CRAVING),
    RiskCase(CRAVING, STRONG_CRAVING, None, Prompt.CRAVING),
    RiskCase(QUIT_THERAPY_URGE, STRONG_URGE, None, Prompt.QUIT_THERAPY),
    RiskCase(SUICIDE_URGE, 1, STRONG_URGE - 1, Prompt.SAFETY_PLAN_LINK),
    RiskCase(SELF_HARM_URGE, 1, STRONG_URGE - 1, Prompt.SAFETY_PLAN_LINK),
)

# A prompt whose help a stronger one already holds (see the module docstring).
_COVERED_BY: dict[Prompt, tuple[Prompt, ...]] = {
    Prompt.CRISIS: (Prompt.ACTED,),
    Prompt.ACTED_EARLIER: (Prompt.ACTED, Prompt.CRISIS),
    Prompt.SAFETY_PLAN_LINK: (Prompt.ACTED, Prompt.CRISIS, Prompt.ACTED_EARLIER, Prompt.SLIP),
}

# What a prompt shows besides its own part: ACTED leads with 911 and Poison
# Control, then everything CRISIS shows.
INCLUDES: dict[Prompt, tuple[Prompt, ...]] = {Prompt.ACTED: (Prompt.CRISIS,)}

_SUICIDE_OR_SELF_HARM = (Prompt.ACTED, Prompt.CRISIS, Prompt.ACTED_EARLIER)
_SUBSTANCES = (Prompt.SLIP, Prompt.CRAVING)
# (prompt, shown when any of the first and any of the second show)
TOGETHER: tuple[tuple[Prompt, tuple[Prompt, ...], tuple[Prompt, ...]], ...] = (
    (Prompt.SUBSTANCES_RAISE_RISK, _SUICIDE_OR_SELF_HARM, _SUBSTANCES),
)

# Prompts that flag the entry for the therapist view (`journal_entry.risk_flag`),
# whichever day the entry is for.
FLAGGING = frozenset({Prompt.ACTED, Prompt.ACTED_EARLIER, Prompt.CRISIS})


@dataclass(frozen=True)
class Trigger:
    """A case that applied: its field and the value that met it."""

    field: str
    value: int
    prompt: Prompt

    @property
    def label(self) -> str:
        """How the log names it: "urge_suicide=4", "acted_self_harm=yes"."""
        return f"{self.field}={_shown_value(self.field, self.value)}"


@dataclass(frozen=True)
class RiskRoute:
    """What the page shows: `prompts` in order, and the cases that put them there."""

    prompts: tuple[Prompt, ...]
    triggers: tuple[Trigger, ...]

    @property
    def flagged(self) -> bool:
        return any(prompt in FLAGGING for prompt in self.prompts)

    @property
    def prompt(self) -> Prompt | None:
        """The first (most urgent) prompt, or None when nothing is shown: the
        strongest signal of what was logged."""
        return self.prompts[0] if self.prompts else None

    @property
    def shown(self) -> str:
        """The prompts as the log names them: "acted+slip"."""
        return "+".join(prompt.value for prompt in self.prompts)


def _shown_value(field: str, value: int) -> str:
    return ("yes" if value else "no") if field.startswith("acted_") else str(value)


def _as_number(value: object) -> int:
    """A form value as the table compares it: ticks are 1, blanks and junk 0.

    The same reading as `safety.js`: "on", "true", True are 1; digits are their
    number; anything else (None, "", "abc", 5.5 as text) is 0.
    """
    if value is True or value in ("on", "true", "yes"):
        return 1
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return 0


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: object) -> str | None:
    return value if isinstance(value, str) and _ISO_DAY.fullmatch(value) else None


def logged_for_earlier_day(values: Mapping[str, object]) -> bool:
    """True when the values' `entry_day` is before their `today` (both "YYYY-MM-DD").

    Anything else (missing, malformed) is today. As `safety.js` decides it.
    """
    entry_day, today = _iso_day(values.get(ENTRY_DAY)), _iso_day(values.get(TODAY))
    return entry_day is not None and today is not None and entry_day < today


def route(values: Mapping[str, object]) -> RiskRoute:
    """The prompts a patient sees for these form values (missing fields count as 0).

    Examples: {"urge_suicide": 4} -> (CRISIS,); {"acted_self_harm": True} ->
    (ACTED,); the same with {"entry_day": "2026-03-03", "today": "2026-03-04"}
    -> (ACTED_EARLIER,); {"urge_suicide": 2} -> (SAFETY_PLAN_LINK,);
    {"acted_substance_use": True} -> (SLIP,); {"craving": 7} -> (CRAVING,);
    {"urge_suicide": 4, "craving": 8} -> (CRISIS, SUBSTANCES_RAISE_RISK, CRAVING).
    """
    earlier = logged_for_earlier_day(values)
    triggers: list[Trigger] = []
    for case in RISK_CASES:
        value = _as_number(values.get(case.field))
        if case.matches(value, earlier):
            triggers.append(Trigger(case.field, value, case.prompt))
    hit = {trigger.prompt for trigger in triggers}
    for prompt, when, with_ in TOGETHER:
        if hit.intersection(when) and hit.intersection(with_):
            hit.add(prompt)
    prompts = tuple(prompt for prompt in _ORDER if prompt in hit
                    and not any(stronger in hit for stronger in _COVERED_BY.get(prompt, ())))
    return RiskRoute(prompts=prompts, triggers=tuple(triggers))


def days_of_entry(entry_day: date, stated_today: object, time_zone: str) -> dict[str, str]:
    """The `entry_day` and `today` values the server routes a saved entry with.

    `stated_today` is what the diary form carried: the patient's local day when
    they tapped Save (`safety.js` fills it, and the page decided the prompts
    with it), so an entry sent after midnight is logged as the page showed it.
    A browser can send anything: a day that is not "YYYY-MM-DD", or after the
    patient's today now (give or take a phone clock a few minutes fast), is
    replaced by today now.
    """
    today = local_date_of(utcnow(), time_zone)
    if _iso_day(stated_today) is not None:
        try:
            stated = date.fromisoformat(str(stated_today))
        except ValueError:
            stated = None
        latest = local_date_of(utcnow() + PHONE_CLOCK_AHEAD, time_zone)
        if stated is not None and stated <= latest:
            today = stated
    return {ENTRY_DAY: entry_day.isoformat(), TODAY: today.isoformat()}


def cases_as_json() -> str:
    """The table for `safety.js`: cases in order, which prompts cover which, which
    show together, and which parts a prompt shows besides its own."""
    return json.dumps({
        "cases": [{"field": case.field, "low": case.low, "high": case.high,
                   "prompt": case.prompt.value, "day": case.day.value} for case in RISK_CASES],
        "order": [prompt.value for prompt in _ORDER],
        "coveredBy": {prompt.value: [stronger.value for stronger in stronger_ones]
                      for prompt, stronger_ones in _COVERED_BY.items()},
        "together": [{"prompt": prompt.value, "when": [p.value for p in when],
                      "with": [p.value for p in with_]} for prompt, when, with_ in TOGETHER],
        "includes": {prompt.value: [held.value for held in held_ones]
                     for prompt, held_ones in INCLUDES.items()},
    }, separators=(",", ":"))


# --- the add-only log ---------------------------------------------------------

SOURCE_MAX = 32
TRIGGER_MAX = 64
PROMPT_MAX = 32


def record_risk_event(session: Session, *, user_id: int, source: str, trigger: str,
                      prompt: str, at: datetime, source_id: int | None = None) -> RiskEvent:
    """Add one event inside the caller's open transaction (nothing is committed here).

    `source` says where it came from ("diary_card", "phq9"), `trigger` what met
    a case ("urge_suicide=4"), `prompt` what the page showed ("crisis"), `at`
    when (aware; stored as UTC). `source_id` is the entry's or result's id, kept
    as a plain number: the event outlives an entry the patient deletes.
    """
    event = RiskEvent(user_id=user_id, at=ensure_utc(at), source=str(source)[:SOURCE_MAX],
                      trigger=str(trigger)[:TRIGGER_MAX], prompt=str(prompt)[:PROMPT_MAX],
                      source_id=source_id)
    session.add(event)
    return event


def record_route(session: Session, *, user_id: int, source: str, risk: RiskRoute,
                 at: datetime, source_id: int | None = None) -> list[RiskEvent]:
    """One event per case that applied, each naming every prompt the page showed."""
    return [record_risk_event(session, user_id=user_id, source=source, trigger=trigger.label,
                              prompt=risk.shown, at=at, source_id=source_id)
            for trigger in risk.triggers]
