"""Mindfulness content: stored practice keys, skills that exist, plain words (English
and Spanish), lengths."""

from __future__ import annotations

import textstat

from skills_app import text
from skills_app.content import mindfulness as content
from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import mindfulness
from skills_app.text import _
from tests.content.spanish import EASY_SPANISH, spanish_ease

# Keys stored with logged sessions: never renamed, never reused.
STORED_PRACTICES = {
    "breathe.box", "breathe.4-7-8", "breathe.coherent", "breathe.sigh", "breathe.custom",
    "timer", "guided.grounding", "guided.body-scan", "guided.leaves-on-a-stream",
    "guided.urge-surfing", "guided.breathing-space",
}
GRADE_MAX = 8


def test_practice_keys_stay_and_every_skill_exists() -> None:
    assert set(mindfulness.PRACTICES) >= STORED_PRACTICES
    for found in mindfulness.PRACTICES.values():
        assert found.skills and set(found.skills) <= set(SKILLS_BY_KEY), found.key
        assert len(found.key) <= 64


def test_the_patterns_are_the_ones_promised() -> None:
    seconds = {p.key: [(ph.kind, ph.seconds) for ph in p.phases]
               for p in content.BREATHING_PATTERNS}
    assert seconds["box"] == [("in", 4), ("hold", 4), ("out", 4), ("hold", 4)]
    assert seconds["4-7-8"][:3] == [("in", 4), ("hold", 7), ("out", 8)]
    assert seconds["coherent"] == [("in", 5.5), ("out", 5.5)]
    assert all(kind in content.PHASE_WORDS for p in seconds.values() for kind, _ in p)


def test_guided_practices_last_what_their_titles_say() -> None:
    assert mindfulness.GUIDED["urge-surfing"].seconds == 600
    assert mindfulness.GUIDED["breathing-space"].seconds == 180
    assert all(2 <= g.minutes <= 10 and all(s.seconds >= 20 for s in g.steps)
               for g in content.GUIDED_PRACTICES)


def test_every_guided_step_reads_at_grade_8_or_below() -> None:
    hard = [(g.key, n, grade) for g in content.GUIDED_PRACTICES
            for n, step in enumerate(g.steps, 1)
            if (grade := textstat.flesch_kincaid_grade(step.text)) > GRADE_MAX]
    assert hard == []


# --- Spanish ----------------------------------------------------------------------



def _in_spanish(message: str) -> str:
    with text.language("es"):
        return _(message)


def test_every_guided_script_has_spanish_words_for_each_step() -> None:
    for practice in content.GUIDED_PRACTICES:
        for message in (practice.title, practice.when, *(s.text for s in practice.steps)):
            assert _in_spanish(message) != message, (practice.key, message)
    for pattern in content.BREATHING_PATTERNS:
        assert _in_spanish(pattern.name) != pattern.name
        assert _in_spanish(pattern.when) != pattern.when
    for word in content.PHASE_WORDS.values():
        assert _in_spanish(word) != word


def test_every_guided_script_reads_easily_in_spanish() -> None:
    """Fernández Huerta 70 or above for each script as a whole and for each step, the
    way the English steps are held to grade 8."""
    scripts = {g.key: " ".join(_in_spanish(s.text) for s in g.steps)
               for g in content.GUIDED_PRACTICES}
    hard = {key: score for key, words in scripts.items()
            if (score := spanish_ease(words)) < EASY_SPANISH}
    assert hard == {}
    hard_steps = [(g.key, n, score) for g in content.GUIDED_PRACTICES
                  for n, step in enumerate(g.steps, 1)
                  if (score := spanish_ease(_in_spanish(step.text))) < EASY_SPANISH]
    assert hard_steps == []


def test_spanish_uses_tu_and_the_spanish_help_button() -> None:
    """Plain "tú" (never "usted"), and the step that points to help names the button
    as the Spanish page shows it."""
    words = " ".join(_in_spanish(s.text) for g in content.GUIDED_PRACTICES for s in g.steps)
    assert "usted" not in words.lower()
    assert "Pedir ayuda ya" in _in_spanish(mindfulness.GUIDED["urge-surfing"].steps[-1].text)
    assert _in_spanish("Get help now") == "Pedir ayuda ya"
