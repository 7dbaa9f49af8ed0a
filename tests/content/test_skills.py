"""The skills a diary card lists: acronyms explained, stored keys never renamed."""

from __future__ import annotations

from skills_app.content.skills import DBT_MODULES, SKILLS_BY_KEY

ACRONYMS = {"STOP", "TIP", "ACCEPTS", "IMPROVE", "ABC PLEASE", "DEAR MAN", "GIVE", "FAST"}


def test_every_acronym_has_a_short_plain_hint_and_nothing_else_does() -> None:
    skills = [skill for module in DBT_MODULES for skill in module.skills]
    assert {skill.name for skill in skills if skill.hint} == ACRONYMS
    assert {skill.name for skill in skills if skill.name.replace(" ", "").isupper()} == ACRONYMS
    # One line under the name on a 360 px phone.
    assert all(len(skill.hint) <= 36 and "\n" not in skill.hint for skill in skills)


def test_tipp_is_shown_as_tip_under_its_stored_key() -> None:
    tip = SKILLS_BY_KEY["distress_tolerance.tipp"]
    assert (tip.name, tip.hint) == ("TIP", "Cool down, move, breathe slowly")
    assert "distress_tolerance.tip" not in SKILLS_BY_KEY
    assert len(SKILLS_BY_KEY) == sum(len(module.skills) for module in DBT_MODULES) == 23
