"""The skills a diary card lists: each with a plain hint, stored keys never renamed."""

from __future__ import annotations

import textstat

from skills_app.content.skills import DBT_MODULES, SKILLS_BY_KEY

ACRONYMS = {"STOP", "TIP", "ACCEPTS", "IMPROVE", "ABC PLEASE", "DEAR MAN", "GIVE", "FAST"}
# One line under the name on a 360 px phone (tests/browser/test_journal.py measures it).
HINT_MAX = 36
GRADE_MAX = 8
# Keys stored with entries since the journal landed: never renamed, never reused.
STORED_KEYS = {
    "mindfulness.wise_mind", "mindfulness.observe", "mindfulness.describe",
    "mindfulness.participate", "mindfulness.non_judgmentally", "mindfulness.one_mindfully",
    "mindfulness.effectively", "distress_tolerance.stop", "distress_tolerance.tipp",
    "distress_tolerance.pros_and_cons", "distress_tolerance.accepts",
    "distress_tolerance.self_soothe", "distress_tolerance.improve",
    "distress_tolerance.radical_acceptance", "distress_tolerance.urge_surfing",
    "emotion_regulation.check_the_facts", "emotion_regulation.opposite_action",
    "emotion_regulation.problem_solving", "emotion_regulation.abc_please",
    "emotion_regulation.cope_ahead", "interpersonal_effectiveness.dear_man",
    "interpersonal_effectiveness.give", "interpersonal_effectiveness.fast",
}
ADDED_FOR_ISSUE_18 = {
    "recovery.burning_bridges", "recovery.alternate_rebellion", "recovery.adaptive_denial",
    "emotion_regulation.thought_record",
}


def test_every_skill_on_the_diary_card_has_a_short_plain_hint() -> None:
    """The card lists every skill of DBT_MODULES, each with its hint on one line under
    its name: a skill without one, a hint that would wrap on a 360 px phone (about
    36 characters), or one above grade 8 fails here."""
    skills = [skill for module in DBT_MODULES for skill in module.skills]
    assert [skill.name for skill in skills if not skill.hint.strip()] == []
    assert [skill.hint for skill in skills if len(skill.hint) > HINT_MAX or "\n" in skill.hint
            or skill.hint.casefold() == skill.name.casefold()] == []
    too_hard = [(skill.hint, grade) for skill in skills if (grade := textstat.flesch_kincaid_grade(
        skill.hint if skill.hint[-1] in ".?!" else skill.hint + ".")) > GRADE_MAX]
    assert too_hard == []
    assert len({skill.hint for skill in skills}) == len(skills)  # each says what it is


def test_the_acronyms_are_the_skills_named_in_capitals() -> None:
    skills = [skill for module in DBT_MODULES for skill in module.skills]
    assert {skill.name for skill in skills if skill.name.replace(" ", "").isupper()} == ACRONYMS
    halt = SKILLS_BY_KEY["recovery.halt"]
    assert (halt.name, halt.hint) == ("HALT check", "Hungry, angry, lonely or tired?")


def test_tipp_is_shown_as_tip_under_its_stored_key_with_cold_water() -> None:
    tip = SKILLS_BY_KEY["distress_tolerance.tipp"]
    assert (tip.name, tip.hint) == ("TIP", "Cold water, move hard, slow breaths")
    assert "cool" not in tip.hint.casefold()
    assert "distress_tolerance.tip" not in SKILLS_BY_KEY
    assert len(SKILLS_BY_KEY) == sum(len(module.skills) for module in DBT_MODULES)


def test_stored_keys_stay_and_new_skills_only_add_keys() -> None:
    assert STORED_KEYS <= set(SKILLS_BY_KEY)
    assert ADDED_FOR_ISSUE_18 <= set(SKILLS_BY_KEY)
    # 23 stored + 10 added for the guided exercises + 4 for the addiction skills and
    # the thought record.
    assert len(SKILLS_BY_KEY) == 37
