"""Crisis resources: the one list every "Get help now" screen shows.

United States defaults from ../shared/clinical.md. A deployment elsewhere
replaces this list with its own numbers; the help page, the offline page and
the service worker's cached copy all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrisisAction:
    label: str
    href: str


@dataclass(frozen=True)
class CrisisResource:
    name: str
    description: str
    actions: tuple[CrisisAction, ...]


CRISIS_RESOURCES: tuple[CrisisResource, ...] = (
    CrisisResource(
        name="988 Suicide & Crisis Lifeline",
        description="Free and private, 24/7. Call or text 988, or chat online.",
        actions=(
            CrisisAction("Call 988", "tel:988"),
            CrisisAction("Text 988", "sms:988"),
            CrisisAction("Chat at 988lifeline.org", "https://988lifeline.org/chat/"),
        ),
    ),
    CrisisResource(
        name="Emergency",
        description="If you or someone else is in danger right now.",
        actions=(CrisisAction("Call 911", "tel:911"),),
    ),
    CrisisResource(
        name="Crisis Text Line",
        description="Text HOME to 741741 to reach a trained crisis counselor.",
        actions=(CrisisAction("Text HOME to 741741", "sms:741741?&body=HOME"),),
    ),
    CrisisResource(
        name="SAMHSA National Helpline",
        description="Free treatment referral and information, 24/7, in English and Spanish.",
        actions=(CrisisAction("Call 1-800-662-4357", "tel:+18006624357"),),
    ),
)


def call_and_text_actions() -> tuple[CrisisAction, ...]:
    """The actions that work from any phone without the internet (tel: and sms:)."""
    return tuple(action for resource in CRISIS_RESOURCES for action in resource.actions
                 if action.href.startswith(("tel:", "sms:")))
