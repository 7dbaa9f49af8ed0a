"""What the check-up screens show, from plain values."""

from __future__ import annotations

from datetime import date

import textstat

from skills_app.content.measures import GAD7, PHQ9
from skills_app.core.measures import due_from
from skills_app.pages.measures import BEFORE_ITEM_9
from skills_app.views import measures as views


def test_the_form_becomes_core_input_in_item_order() -> None:
    form = {"questionnaire": "gad7", "idempotency_key": "k", "written_at": "2026-05-01",
            **{f"item_{n}": str(n % 4) for n in range(1, 8)}, "item_8": "3", "step": "8"}
    assert views.submission_input(form) == {
        "questionnaire": "gad7", "idempotency_key": "k",
        "answers": ["1", "2", "3", "0", "1", "2", "3"], "difficulty": None,
        "completed_at": "2026-05-01"}
    # An unknown questionnaire has no items to read: core refuses it by its id.
    assert views.submission_input({"questionnaire": "phq10"})["answers"] == []
    assert views.submission_input("not a form") is None


def test_bands_shade_the_whole_chart_without_gaps() -> None:
    assert views.band_areas(PHQ9) == [(0, 5, "minimal"), (5, 10, "mild"), (10, 15, "moderate"),
                                      (15, 20, "moderately severe"), (20, 27, "severe")]
    assert views.band_areas(GAD7)[-1] == (15, 21, "severe")
    assert set(views.BAND_MEANING) == {b.name for q in (PHQ9, GAD7) for b in q.bands}


def test_due_lines_never_scold() -> None:
    today = date(2026, 5, 20)
    rows = views.due_rows(due_from({"phq9": date(2026, 5, 10)}, today))
    assert [(r["id"], r["due"], r["line"]) for r in rows] == [
        ("phq9", "false", "Last done May 10. Next one from May 24."),
        ("gad7", "true", "Not done yet. It takes about 2 minutes.")]
    assert [r["id"] for r in views.due_cards(due_from({"phq9": date(2026, 5, 1)}, today))] == [
        "phq9", "gad7"]
    assert "missed" not in " ".join(r["line"] for r in rows).lower()


def test_our_own_words_read_at_grade_8_or_below() -> None:
    """The standard items are the instruments' own; what we wrote around them is plain."""
    ours = [BEFORE_ITEM_9, views.NOT_A_DIAGNOSIS, *views.BAND_MEANING.values()]
    assert {text: grade for text in ours
            if (grade := textstat.flesch_kincaid_grade(text)) > 8} == {}
    # What the patient is told before item 9: nobody watches, and what they will see.
    assert "not watched live" in BEFORE_ITEM_9 and "safety plan" in BEFORE_ITEM_9
