"""The words of the risk prompts (the slip and craving cards among them) and the
plans read at US grade 8 or below (Flesch-Kincaid, as the exercises are checked),
and never shame."""

from __future__ import annotations

import pytest
import textstat

from skills_app.content import crisis
from skills_app.core.plans import AFTER_A_SLIP, PLANS

GRADE_MAX = 8
SHAMING = ("clean", "dirty", "failed", "failure to", "abuse", "addict", "relapsed", "junkie",
           "weak", "should have")


def texts() -> dict[str, str]:
    found = {"slip card": " ".join(AFTER_A_SLIP), "nobody watches": crisis.NOBODY_WATCHES,
             "acted": crisis.HURT_OR_TOOK_SOMETHING, "crisis": crisis.CRISIS_LINE,
             "acted on an earlier day": crisis.EARLIER_LINE,
             "alcohol and drugs with a suicidal urge": crisis.SUBSTANCES_RAISE_RISK,
             "craving card": " ".join((crisis.CRAVING_LINE, crisis.CRAVING_PLAN_LINE,
                                       crisis.CRAVING_HELP_LINE)),
             "craving card on Today": crisis.CRAVING_LINE_ON_TODAY,
             "quit therapy": crisis.QUIT_THERAPY_LINE, "safety plan link": crisis.SAFETY_PLAN_LINE}
    for spec in PLANS.values():
        found[f"{spec.kind} intro"] = spec.intro
        for section in spec.sections:
            found[f"{spec.kind} {section.key}"] = f"{section.title}. {section.prompt}"
    for resource in crisis.CRISIS_RESOURCES:
        found[resource.name] = " ".join((resource.description, *resource.options))
    return found


@pytest.mark.parametrize(("name", "text"), list(texts().items()))
def test_plain_words(name: str, text: str) -> None:
    assert textstat.flesch_kincaid_grade(text) <= GRADE_MAX, text


def test_no_shaming_words_after_a_slip_or_a_craving() -> None:
    words = " ".join((*AFTER_A_SLIP, crisis.CRAVING_LINE, crisis.CRAVING_PLAN_LINE)).lower()
    assert not [word for word in SHAMING if word in words]
