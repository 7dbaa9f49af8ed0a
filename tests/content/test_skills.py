"""The skills a diary card lists: acronyms explained, stored keys never renamed."""

from __future__ import annotations

from skills_app.content.skills import DBT_MODULES, SKILLS_BY_KEY

ACRONYMS = {"STOP", "TIP", "ACCEPTS", "IMPROVE", "ABC PLEASE", "DEAR MAN", "GIVE", "FAST"}
# Skills whose name holds an acronym among plain words.
NAMED_WITH_AN_ACRONYM = {"HALT check"}
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


def test_every_acronym_has_a_short_plain_hint_and_nothing_else_does() -> None:
    skills = [skill for module in DBT_MODULES for skill in module.skills]
    assert {skill.name for skill in skills if skill.hint} == ACRONYMS | NAMED_WITH_AN_ACRONYM
    assert {skill.name for skill in skills if skill.name.replace(" ", "").isupper()} == ACRONYMS
    # One line under the name on a 360 px phone.
    assert all(len(skill.hint) <= 36 and "\n" not in skill.hint for skill in skills)


def test_tipp_is_shown_as_tip_under_its_stored_key() -> None:
    tip = SKILLS_BY_KEY["distress_tolerance.tipp"]
    assert (tip.name, tip.hint) == ("TIP", "Cool down, move, breathe slowly")
    assert "distress_tolerance.tip" not in SKILLS_BY_KEY
    assert len(SKILLS_BY_KEY) == sum(len(module.skills) for module in DBT_MODULES)


def test_stored_keys_stay_and_new_skills_only_add_keys() -> None:
    assert STORED_KEYS <= set(SKILLS_BY_KEY)
    assert len(SKILLS_BY_KEY) == 33  # 23 stored + 10 added for the guided exercises
