"""The DBT skills a patient can tick on a diary card, grouped by module.

From the DBT diary card section of ../shared/clinical.md. Each skill has a
stable key ("module.skill") that is stored with journal entries, so a key must
never be renamed or reused; names may be reworded freely (the key
"distress_tolerance.tipp" is shown as Linehan's "TIP").

Every skill carries a `hint`: one short line in our own plain words (grade 8
or below, one line on a 360 px phone), shown under its name on the diary card,
so a patient ticking "DEAR MAN" or "Wise mind" on a tired evening remembers
what it is (tests/content/test_skills.py checks each).

Names and hints are English message ids (marked with `N_()`): a screen shows
them in the reader's language with `_(skill.name)`, `_(skill.hint)` and
`_(module.name)`; keys are never translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from skills_app.text import N_


@dataclass(frozen=True)
class Skill:
    key: str
    name: str
    hint: str


@dataclass(frozen=True)
class SkillModule:
    key: str
    name: str
    skills: tuple[Skill, ...]


def _module(key: str, name: str, skills: tuple[tuple[str, str, str], ...]) -> SkillModule:
    """Skills as (key within the module, name, hint)."""
    return SkillModule(key, name, tuple(Skill(f"{key}.{skill}", shown, hint)
                                        for skill, shown, hint in skills))


DBT_MODULES: tuple[SkillModule, ...] = (
    _module("mindfulness", N_("Mindfulness"), (
        ("wise_mind", N_("Wise mind"), N_("Hear your feelings and the facts")),
        ("observe", N_("Observe"), N_("Notice without words or labels")),
        ("describe", N_("Describe"), N_("Put what you notice into plain words")),
        ("participate", N_("Participate"), N_("Throw yourself into the moment")),
        ("non_judgmentally", N_("Non-judgmentally"), N_("Stick to facts, drop good and bad")),
        ("one_mindfully", N_("One-mindfully"), N_("Do one thing at a time")),
        ("effectively", N_("Effectively"), N_("Do what works toward your goal")),
    )),
    _module("distress_tolerance", N_("Distress tolerance"), (
        ("stop", N_("STOP"), N_("Stop, step back, notice, then act")),
        ("tipp", N_("TIP"), N_("Cold water, move hard, slow breaths")),
        ("pros_and_cons", N_("Pros and cons"), N_("Weigh what acting on an urge costs")),
        ("accepts", N_("ACCEPTS"), N_("Turn your mind to other things")),
        ("self_soothe", N_("Self-soothe"), N_("Comfort yourself with your senses")),
        ("improve", N_("IMPROVE"), N_("Make a hard moment easier to bear")),
        ("radical_acceptance", N_("Radical acceptance"), N_("Fully accept what you can't change")),
        ("urge_surfing", N_("Urge surfing"), N_("Ride the urge like a wave; it passes")),
        ("paced_breathing", N_("Paced breathing"), N_("Slow breaths, out longer than in")),
    )),
    _module("emotion_regulation", N_("Emotion regulation"), (
        ("check_the_facts", N_("Check the facts"), N_("Does the feeling fit what happened?")),
        ("thought_record", N_("Thought record"), N_("Test a hard thought, find a fair one")),
        ("opposite_action", N_("Opposite action"), N_("Act opposite to the feeling's urge")),
        ("problem_solving", N_("Problem solving"), N_("Solve the problem behind the feeling")),
        ("abc_please", N_("ABC PLEASE"), N_("Add good things, care for your body")),
        ("cope_ahead", N_("Cope ahead"), N_("Plan and practice for a hard moment")),
        ("mindfulness_of_emotion", N_("Mindfulness of the current emotion"),
         N_("Let a feeling come and go")),
        ("name_the_emotion", N_("Name the emotion"), N_("Put a name to what you feel")),
    )),
    _module("interpersonal_effectiveness", N_("Interpersonal effectiveness"), (
        ("dear_man", N_("DEAR MAN"), N_("Ask for what you want, or say no")),
        ("give", N_("GIVE"), N_("Keep the relationship: be gentle")),
        ("fast", N_("FAST"), N_("Keep your self-respect: be honest")),
        ("validation", N_("Validating someone"), N_("Show that their feelings make sense")),
        ("saying_no", N_("Saying no"), N_("Say no clearly and kindly")),
        ("repair", N_("Repairing after a conflict"), N_("Make things right after a fight")),
    )),
    # Relapse-prevention skills, and those DBT adds for substance use.
    _module("recovery", N_("Recovery"), (
        ("halt", N_("HALT check"), N_("Hungry, angry, lonely or tired?")),
        ("play_the_tape", N_("Playing the tape through"), N_("Picture what comes after using")),
        ("clear_mind", N_("Clear mind"), N_("Stay alert, even when you feel safe")),
        ("dialectical_abstinence", N_("Dialectical abstinence"),
         N_("Aim for no use; keep a slip plan")),
        ("burning_bridges", N_("Burning bridges"), N_("Cut off ways to get alcohol or drugs")),
        ("alternate_rebellion", N_("Alternate rebellion"), N_("Rebel in a safe way, not by using")),
        ("adaptive_denial", N_("Adaptive denial"), N_("Say you want something else")),
    )),
)

MODULES_BY_KEY: dict[str, SkillModule] = {module.key: module for module in DBT_MODULES}

SKILLS_BY_KEY: dict[str, Skill] = {
    skill.key: skill for module in DBT_MODULES for skill in module.skills
}
