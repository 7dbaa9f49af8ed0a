"""Overdose and withdrawal safety: every fact of ../shared/clinical.md ("Overdose and
withdrawal facts") is said, in plain words (US grade 8 or below, as the other
safety words are checked), and the offline page carries exactly the help page's text.
In Spanish too: every line translated, easy to read (Fernández Huerta 70 or more), and
the Spanish offline page carries the Spanish section."""

from __future__ import annotations

import html

import pytest
import textstat

from skills_app import text
from skills_app.content.overdose import OVERDOSE_SAFETY, all_text, overdose_safety
from skills_app.pwa import offline_page_html
from tests.content.spanish import EASY_SPANISH, spanish_ease

GRADE_MAX = 8
US, ELSEWHERE = overdose_safety(True), overdose_safety(False)


def text_of(section: object) -> str:
    return " ".join(all_text(section))


def parts_of(section: object) -> dict[str, str]:
    found = {"lead": section.lead}
    for part in section.parts:
        found[part.key] = " ".join(
            line for line in (f"{part.heading}.", part.lead, *part.points, part.after) if line)
    return found


@pytest.mark.parametrize(("name", "text"), [
    *[(f"US {key}", text) for key, text in parts_of(US).items()],
    *[(f"elsewhere {key}", text) for key, text in parts_of(ELSEWHERE).items()]])
def test_plain_words(name: str, text: str) -> None:
    assert textstat.flesch_kincaid_grade(text) <= GRADE_MAX, text


# Each fact, and words that must say it (all of them, case ignored).
FACTS = {
    "signs: will not wake up or respond": ("will not wake up", "answer you"),
    "signs: slow or stopped breathing": ("breathing is slow", "stopped"),
    "signs: blue or grey lips or fingertips": ("lips or fingertips", "blue or gray"),
    "signs: tiny pupils": ("pupils", "very small"),
    "signs: gurgling or snoring": ("gurgling or snoring",),
    "call 911": ("call 911",),
    "naloxone (Narcan)": ("give naloxone (narcan)",),
    "rescue breathing if trained": ("if you are trained", "rescue breaths"),
    "recovery position in words": ("recovery position", "onto their side",
                                   "bend their top knee", "tilt their head back"),
    "stay with them": ("stay with them",),
    "naloxone wears off in 30-90 minutes": ("wear off in 30 to 90 minutes",
                                           "stop breathing again", "medical care"),
    "a second dose may be needed": ("second dose may be needed",),
    "Good Samaritan laws, most states, details vary": (
        "most states", "good samaritan laws", "call 911", "different in each state"),
    "never use alone": ("never use alone",),
    "fentanyl": ("fentanyl is in much of the drug supply",),
    "mixing with alcohol or benzos": ("alcohol or benzos",),
    "tolerance drops after a break": ("tolerance drops fast after a break",),
    "stopping alcohol or benzos suddenly": ("stopping alcohol or benzos all at once",
                                            "heavy daily use", "seizures", "deadly",
                                            "talk to a doctor before you stop"),
    "emergency care for withdrawal": ("shaking", "confusion",
                                      "seeing or hearing things that are not there",
                                      "a seizure"),
}


@pytest.mark.parametrize("fact", list(FACTS))
def test_every_clinical_fact_is_said(fact: str) -> None:
    text = text_of(US).lower()
    missing = [words for words in FACTS[fact] if words not in text]
    assert missing == [], fact


def test_outside_the_us_no_us_numbers_or_laws() -> None:
    text = text_of(ELSEWHERE)
    assert "911" not in text and "Good Samaritan" not in text and "Poison" not in text
    assert "call your local emergency number now" in text.lower()
    assert ELSEWHERE.actions == ()
    assert [action.href for action in US.actions] == ["tel:911", "tel:+18002221222"]


def test_the_offline_page_carries_the_whole_section() -> None:
    page = offline_page_html()
    assert 'id="overdose-safety"' in page
    for line in all_text(OVERDOSE_SAFETY):
        assert html.escape(line) in page, line
    for action in OVERDOSE_SAFETY.actions:
        assert f'href="{html.escape(action.href)}"' in page
    # Headings a screen reader can move between: the section, then each part.
    assert page.count("<h3>") == len(OVERDOSE_SAFETY.parts)


# --- Spanish ------------------------------------------------------------------------



@pytest.mark.parametrize("section", [US, ELSEWHERE], ids=["US", "elsewhere"])
def test_every_line_is_in_spanish_and_easy_to_read(section: object) -> None:
    english = all_text(section)
    with text.language("es"):
        spanish = all_text(section)
    untranslated = [line for line, shown in zip(english, spanish, strict=True)
                    if line == shown]
    assert untranslated == []
    assert spanish_ease(" ".join(spanish)) >= EASY_SPANISH


def test_the_spanish_facts_keep_the_numbers_and_naloxone() -> None:
    with text.language("es"):
        spanish = " ".join(all_text(US)).lower()
    for words in ("llama al 911", "naloxona (narcan)", "30 a 90 minutos", "segunda dosis",
                  "buen samaritano", "nunca consumas a solas", "fentanilo", "convulsiones",
                  "posición de recuperación"):
        assert words in spanish, words


def test_the_spanish_offline_page_carries_the_spanish_section() -> None:
    page = offline_page_html("es")
    assert '<html lang="es">' in page
    with text.language("es"):
        lines = all_text(OVERDOSE_SAFETY)
    for line in lines:
        assert html.escape(line) in page, line
    assert "Signs of an opioid overdose" not in page
