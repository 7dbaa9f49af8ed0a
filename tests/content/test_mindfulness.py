"""Mindfulness content: stored practice keys, skills that exist, plain words, lengths."""

from __future__ import annotations

import textstat

from skills_app.content import mindfulness as content
from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import mindfulness

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
