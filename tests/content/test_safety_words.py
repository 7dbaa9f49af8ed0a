"""The words of the risk prompts (the slip and craving cards among them) and the
plans read at US grade 8 or below (Flesch-Kincaid, as the exercises are checked),
and never shame; in Spanish too (Fernández Huerta 70 or more: easy)."""

from __future__ import annotations

import pytest
import textstat

from skills_app import text
from skills_app.content import crisis
from skills_app.core.plans import AFTER_A_SLIP, PLANS
from skills_app.text import _
from tests.content.spanish import EASY_SPANISH, spanish_ease

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


# --- Spanish: every text translated, and easy to read (Fernández Huerta 70 or more) ----



def in_spanish(english: str) -> str:
    """A text of `texts()` in Spanish: each of its sentences is a catalogue message."""
    with text.language("es"):
        parts = [_(part) for part in english.split(SEPARATOR)]
    # A heading reads as a sentence of its own ("Mis señales de alerta. Ideas...").
    return " ".join(part if part[-1] in ".:?!" else f"{part}." for part in parts)


SEPARATOR = "\x1f"


def message_texts() -> dict[str, str]:
    """`texts()`, each kept as its messages (joined by SEPARATOR, not a space)."""
    found = {"slip card": SEPARATOR.join(AFTER_A_SLIP)}
    for spec in PLANS.values():
        found[f"{spec.kind} intro"] = spec.intro
        for section in spec.sections:
            found[f"{spec.kind} {section.key}"] = SEPARATOR.join((section.title, section.prompt))
    for resource in crisis.CRISIS_RESOURCES:
        found[resource.name] = SEPARATOR.join((resource.description, *resource.options))
    for name in ("NOBODY_WATCHES", "HURT_OR_TOOK_SOMETHING", "CRISIS_LINE", "EARLIER_LINE",
                 "SUBSTANCES_RAISE_RISK", "CRAVING_LINE", "CRAVING_PLAN_LINE",
                 "CRAVING_HELP_LINE", "CRAVING_LINE_ON_TODAY", "QUIT_THERAPY_LINE",
                 "SAFETY_PLAN_LINE"):
        found[name] = getattr(crisis, name)
    return found


@pytest.mark.parametrize(("name", "english"), list(message_texts().items()))
def test_spanish_is_there_and_easy_to_read(name: str, english: str) -> None:
    spanish = in_spanish(english)
    untranslated = [part for part in english.split(SEPARATOR)
                    if in_spanish(part) == part and not part.endswith("Line")]
    assert untranslated == []
    assert spanish_ease(spanish) >= EASY_SPANISH, spanish


def test_no_shaming_words_in_spanish_after_a_slip_or_a_craving() -> None:
    with text.language("es"):
        words = " ".join(_(line) for line in (*AFTER_A_SLIP, crisis.CRAVING_LINE,
                                               crisis.CRAVING_PLAN_LINE)).lower()
    assert not [word for word in ("limpio", "sucio", "fracasaste", "adicto", "drogadicto",
                                  "débil", "recaíste", "abuso") if word in words]
