"""The DBT skills a patient can tick on a diary card, grouped by module.

From the DBT diary card section of ../shared/clinical.md. Each skill has a
stable key ("module.skill") that is stored with journal entries, so a key must
never be renamed or reused; names may be reworded freely.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skill:
    key: str
    name: str


@dataclass(frozen=True)
class SkillModule:
    key: str
    name: str
    skills: tuple[Skill, ...]


def _module(key: str, name: str, skills: tuple[tuple[str, str], ...]) -> SkillModule:
    return SkillModule(key, name, tuple(Skill(f"{key}.{skill}", label) for skill, label in skills))


DBT_MODULES: tuple[SkillModule, ...] = (
    _module("mindfulness", "Mindfulness", (
        ("wise_mind", "Wise mind"),
        ("observe", "Observe"),
        ("describe", "Describe"),
        ("participate", "Participate"),
        ("non_judgmentally", "Non-judgmentally"),
        ("one_mindfully", "One-mindfully"),
        ("effectively", "Effectively"),
    )),
    _module("distress_tolerance", "Distress tolerance", (
        ("stop", "STOP"),
        ("tipp", "TIPP"),
        ("pros_and_cons", "Pros and cons"),
        ("accepts", "ACCEPTS"),
        ("self_soothe", "Self-soothe"),
        ("improve", "IMPROVE"),
        ("radical_acceptance", "Radical acceptance"),
        ("urge_surfing", "Urge surfing"),
    )),
    _module("emotion_regulation", "Emotion regulation", (
        ("check_the_facts", "Check the facts"),
        ("opposite_action", "Opposite action"),
        ("problem_solving", "Problem solving"),
        ("abc_please", "ABC PLEASE"),
        ("cope_ahead", "Cope ahead"),
    )),
    _module("interpersonal_effectiveness", "Interpersonal effectiveness", (
        ("dear_man", "DEAR MAN"),
        ("give", "GIVE"),
        ("fast", "FAST"),
    )),
)

SKILLS_BY_KEY: dict[str, Skill] = {
    skill.key: skill for module in DBT_MODULES for skill in module.skills
}
