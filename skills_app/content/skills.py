"""The DBT skills a patient can tick on a diary card, grouped by module.

From the DBT diary card section of ../shared/clinical.md. Each skill has a
stable key ("module.skill") that is stored with journal entries, so a key must
never be renamed or reused; names may be reworded freely (the key
"distress_tolerance.tipp" is shown as Linehan's "TIP").

Skills named by an acronym carry a one-line `hint` in our own plain words, so
a patient ticking "DEAR MAN" on a tired evening remembers what it stands for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skill:
    key: str
    name: str
    hint: str = ""


@dataclass(frozen=True)
class SkillModule:
    key: str
    name: str
    skills: tuple[Skill, ...]


def _module(key: str, name: str, skills: tuple[tuple[str, ...], ...]) -> SkillModule:
    """Skills as (key within the module, name[, hint])."""
    return SkillModule(key, name, tuple(Skill(f"{key}.{skill}", *shown)
                                        for skill, *shown in skills))


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
        ("stop", "STOP", "Stop, step back, notice, then act"),
        ("tipp", "TIP", "Cool down, move, breathe slowly"),
        ("pros_and_cons", "Pros and cons"),
        ("accepts", "ACCEPTS", "Turn your mind to other things"),
        ("self_soothe", "Self-soothe"),
        ("improve", "IMPROVE", "Make a hard moment easier to bear"),
        ("radical_acceptance", "Radical acceptance"),
        ("urge_surfing", "Urge surfing"),
        ("paced_breathing", "Paced breathing"),
    )),
    _module("emotion_regulation", "Emotion regulation", (
        ("check_the_facts", "Check the facts"),
        ("opposite_action", "Opposite action"),
        ("problem_solving", "Problem solving"),
        ("abc_please", "ABC PLEASE", "Add good things, care for your body"),
        ("cope_ahead", "Cope ahead"),
        ("mindfulness_of_emotion", "Mindfulness of the current emotion"),
        ("name_the_emotion", "Name the emotion"),
    )),
    _module("interpersonal_effectiveness", "Interpersonal effectiveness", (
        ("dear_man", "DEAR MAN", "Ask for what you want, or say no"),
        ("give", "GIVE", "Keep the relationship: be gentle"),
        ("fast", "FAST", "Keep your self-respect: be honest"),
        ("validation", "Validating someone"),
        ("saying_no", "Saying no"),
        ("repair", "Repairing after a conflict"),
    )),
    # Relapse-prevention skills, and those DBT adds for substance use.
    _module("recovery", "Recovery", (
        ("halt", "HALT check", "Hungry, angry, lonely or tired?"),
        ("play_the_tape", "Playing the tape through"),
        ("clear_mind", "Clear mind"),
        ("dialectical_abstinence", "Dialectical abstinence"),
    )),
)

MODULES_BY_KEY: dict[str, SkillModule] = {module.key: module for module in DBT_MODULES}

SKILLS_BY_KEY: dict[str, Skill] = {
    skill.key: skill for module in DBT_MODULES for skill in module.skills
}
