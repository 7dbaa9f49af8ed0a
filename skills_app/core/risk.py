"""Risk routing: which prompt a patient sees after what they just told us.

One table, `RISK_CASES`, holds every case of ../shared/clinical.md ("Risk
prompts: what each case shows"). `route(values)` reads a form's values (a
diary card's urges and "I acted on it" boxes, or a PHQ-9 item 9 answer)
and returns the prompts to show, in the order the page shows them. The page
decides the same thing in plain JavaScript (`assets/safety.js`) from the same
table, sent to it as JSON (`cases_as_json`), so the right prompt shows
offline too; the server stores the flag and the event.

Every prompt shown is written to `risk_event`, an add-only log: editing an
entry down later never removes what was logged (`record_risk_event`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from skills_app.core.clock import ensure_utc
from skills_app.core.models import RiskEvent


class Prompt(StrEnum):
    """What the page shows, most urgent first (the enum's order is the page's order)."""

    # "If you have hurt yourself or taken something, call 911 now", Poison Control,
    # then everything CRISIS shows.
    ACTED = "acted"
    # Crisis lines (988 call/text/chat, 741741, 911) and the safety plan.
    CRISIS = "crisis"
    # The slip card: a lapse is not a relapse, tolerance, never use alone,
    # naloxone, the relapse-prevention plan. No crisis lines of its own.
    SLIP = "slip"
    # A quiet link to the safety plan.
    SAFETY_PLAN_LINK = "safety_plan_link"


_ORDER = tuple(Prompt)


class Source(StrEnum):
    """Where a risk event came from."""

    DIARY_CARD = "diary_card"
    PHQ9 = "phq9"


@dataclass(frozen=True)
class RiskCase:
    """One row of the table: `field` from `low` to `high` (inclusive; None: no top)
    shows `prompt`.

    Yes/no fields ("I acted on it") count as 1 when ticked, 0 when not.
    """

    field: str
    low: int
    high: int | None
    prompt: Prompt

    def matches(self, value: int) -> bool:
        return self.low <= value and (self.high is None or value <= self.high)


SUICIDE_URGE = "urge_suicide"
SELF_HARM_URGE = "urge_self_harm"
SUICIDE_ACTED = "acted_suicide"
SELF_HARM_ACTED = "acted_self_harm"
USE_ACTED = "acted_substance_use"
PHQ9_ITEM9 = "phq9_item9"

STRONG_URGE = 4  # the diary card's urges run 0-5; 4 and 5 are strong

# Upper bounds are open: a value past the scale's top is never taken as "no risk".
RISK_CASES: tuple[RiskCase, ...] = (
    RiskCase(SUICIDE_ACTED, 1, None, Prompt.ACTED),
    RiskCase(SELF_HARM_ACTED, 1, None, Prompt.ACTED),
    RiskCase(SUICIDE_URGE, STRONG_URGE, None, Prompt.CRISIS),
    RiskCase(SELF_HARM_URGE, STRONG_URGE, None, Prompt.CRISIS),
    RiskCase(PHQ9_ITEM9, 1, None, Prompt.CRISIS),
    RiskCase(USE_ACTED, 1, None, Prompt.SLIP),
    RiskCase(SUICIDE_URGE, 1, STRONG_URGE - 1, Prompt.SAFETY_PLAN_LINK),
)

# A stronger prompt already holds what a weaker one would add: ACTED shows
# everything CRISIS shows, and CRISIS shows the safety plan itself.
_COVERED_BY: dict[Prompt, tuple[Prompt, ...]] = {
    Prompt.CRISIS: (Prompt.ACTED,),
    Prompt.SAFETY_PLAN_LINK: (Prompt.ACTED, Prompt.CRISIS),
}

# Prompts that flag the entry for the therapist view (`journal_entry.risk_flag`).
FLAGGING = frozenset({Prompt.ACTED, Prompt.CRISIS})


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
        """The first (most urgent) prompt, or None when nothing is shown."""
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


def route(values: Mapping[str, object]) -> RiskRoute:
    """The prompts a patient sees for these form values (missing fields count as 0).

    Examples: {"urge_suicide": 4} -> (CRISIS,); {"acted_self_harm": True} ->
    (ACTED,); {"urge_suicide": 2} -> (SAFETY_PLAN_LINK,);
    {"acted_substance_use": True} -> (SLIP,); {"phq9_item9": 1} -> (CRISIS,).
    """
    triggers: list[Trigger] = []
    for case in RISK_CASES:
        value = _as_number(values.get(case.field))
        if case.matches(value):
            triggers.append(Trigger(case.field, value, case.prompt))
    hit = {trigger.prompt for trigger in triggers}
    prompts = tuple(prompt for prompt in _ORDER if prompt in hit
                    and not any(stronger in hit for stronger in _COVERED_BY.get(prompt, ())))
    return RiskRoute(prompts=prompts, triggers=tuple(triggers))


def cases_as_json() -> str:
    """The table for `safety.js`: cases in order, and which prompts cover which."""
    return json.dumps({
        "cases": [{"field": case.field, "low": case.low, "high": case.high,
                   "prompt": case.prompt.value} for case in RISK_CASES],
        "order": [prompt.value for prompt in _ORDER],
        "coveredBy": {prompt.value: [stronger.value for stronger in stronger_ones]
                      for prompt, stronger_ones in _COVERED_BY.items()},
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
