"""What the check-up screens show, from plain values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import textstat

from skills_app import text
from skills_app.content.measures import ANSWER_OPTIONS, GAD7, PHQ9
from skills_app.core.measures import due_from
from skills_app.pages.measures import BEFORE_ITEM_9, take_page
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
        ("phq9", "false", "Last done Sun, May 10. Next one from Sun, May 24."),
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


def _built(page: Callable[[], object], language: str) -> str:
    """The page as compiled in `language`, its \\u escapes read back as characters."""
    with text.language(language):
        compiled = str(page())
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), compiled)


def test_a_spanish_page_shows_the_questionnaire_in_english_with_a_spanish_note() -> None:
    """Never a translated item: the PHQ-9 and GAD-7 keep their exact English wording
    (marked lang="en") under a one-line Spanish note; the rest of the page is Spanish."""
    spanish = _built(take_page, "es")
    note = ("Este cuestionario está en inglés por ahora. Sus preguntas tienen una versión "
            "validada en español que aún no tenemos.")
    assert note in spanish
    for item in (*PHQ9.items, *GAD7.items, PHQ9.stem, GAD7.stem, PHQ9.follow_up):
        assert item in spanish
    assert all(option in spanish for option in ANSWER_OPTIONS)
    assert 'lang:"en"' in spanish
    for words in ("Antes de empezar", "Pregunta 9 de 9", "Siguiente", "Terminar", "Atrás"):
        assert words in spanish, words
    # Before item 9, the answer named is the one shown: the English "Not at all".
    assert re.search(r'que no sea \\?"Not at all', spanish)
    english = _built(take_page, "en")
    assert "Este cuestionario" not in english and 'lang:"en"' not in english
    assert "Before you start" in english and re.search(r'other than \\?"Not at all', english)


def test_the_result_in_spanish_says_what_the_score_means() -> None:
    with text.language("es"):
        assert views.band_label("moderately severe") == "Moderadamente grave"
        assert views.band_label("minimal") == "Mínimo"
        rows = views.due_rows(due_from({"phq9": date(2026, 5, 10)}, date(2026, 5, 20)))
    assert rows[0]["line"] == "Última vez: dom, 10 de may. El próximo desde el dom, 24 de may."
    assert rows[0]["title"] == "Chequeo del ánimo (PHQ-9)"
    assert rows[0]["href"] == "/es/measures/take/?id=phq9"
    assert views.band_label("moderately severe") == "Moderately severe"
