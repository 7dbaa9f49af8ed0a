"""What a patient reads when choosing what to share, and the consent lines that
name Safety and substance use, read at US grade 8 or below (Flesch-Kincaid, as
the exercises are checked). The Part 2 redisclosure notice is the law's own
wording and is not graded."""

from __future__ import annotations

from datetime import date

import pytest
import textstat

from skills_app.core import sharing
from skills_app.text import _
from skills_app.text import language as text_language
from skills_app.views.sharing import EARLIER_CONSENT
from tests.content.spanish import EASY_SPANISH, spanish_ease

GRADE_MAX = 8


def texts() -> dict[str, str]:
    # The labels are names ("Mindfulness"); what each holds is what is read.
    found = {f"{c.key}: what it holds": f"{c.holds[0].upper()}{c.holds[1:]}."
             for c in sharing.CATEGORIES}
    found |= {f"{c.key}: why": c.why for c in sharing.CATEGORIES if c.why}
    consent = sharing.consent_text(
        patient_name="Sam", therapist_name="Lee", program_name="Riverside IOP",
        categories=("mood",), signed_on=date(2026, 12, 6), expires_on=date(2027, 12, 6))
    found["consent: not shared"] = " ".join(
        line for line in consent.splitlines() if "is NOT shared" in line)
    found["signed before Safety"] = EARLIER_CONSENT
    return found


@pytest.mark.parametrize(("name", "text"), list(texts().items()))
def test_plain_words(name: str, text: str) -> None:
    assert textstat.flesch_kincaid_grade(text) <= GRADE_MAX, text


# Spanish: Fernández Huerta 70 or higher is easy. The consent is graded whole, without
# the redisclosure notice (the law's English words, quoted as they are).


def spanish_texts() -> dict[str, str]:
    with text_language("es"):
        found = {f"{c.key}: what it holds": _(c.holds) for c in sharing.CATEGORIES}
        found |= {f"{c.key}: why": _(c.why) for c in sharing.CATEGORIES if c.why}
        found["signed before Safety"] = _(EARLIER_CONSENT)
    for picked in (("mood",), sharing.CATEGORY_KEYS):
        consent = sharing.consent_text(
            patient_name="Sam", therapist_name="Lee", program_name="Riverside IOP",
            categories=picked, signed_on=date(2026, 12, 6), expires_on=date(2027, 12, 6),
            language="es")
        found[f"consent ({len(picked)} shared)"] = consent.replace(
            sharing.REDISCLOSURE_NOTICE, "")
    return found


@pytest.mark.parametrize(("name", "text"), list(spanish_texts().items()))
def test_plain_spanish(name: str, text: str) -> None:
    assert spanish_ease(text) >= EASY_SPANISH, text
