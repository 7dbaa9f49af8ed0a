"""The DBT skills a patient can tick on a diary card, grouped by module.

From the DBT diary card section of ../shared/clinical.md. Each skill has a
stable key ("module.skill") that is stored with journal entries, so a key must
never be renamed or reused; names may be reworded freely (the key
"distress_tolerance.tipp" is shown as Linehan's "TIP").

Every skill carries a `hint`: one short line in our own plain words (grade 8
or below, one line on a 360 px phone), shown under its name on the diary card,
so a patient ticking "DEAR MAN" or "Wise mind" on a tired evening remembers
what it is (tests/content/test_skills.py checks each).
"""

from __future__ import annotations

from dataclasses import dataclass


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
    _module("mindfulness", "Mindfulness", (
        ("wise_mind", "Wise mind", "Hear your feelings and the facts"),
        ("observe", "Observe", "Notice without words or labels"),
        ("describe", "Describe", "Put what you notice into plain words"),
        ("participate", "Participate", "Throw yourself into the moment"),
        ("non_judgmentally", "Non-judgmentally", "Stick to facts, drop good and bad"),
        ("one_mindfully", "One-mindfully", "Do one thing at a time"),
        ("effectively", "Effectively", "Do what works toward your goal"),
    )),
    _module("distress_tolerance", "Distress tolerance", (
        ("stop", "STOP", "Stop, step back, notice, then act"),
        ("tipp", "TIP", "Cold water, move hard, slow breaths"),
        ("pros_and_cons", "Pros and cons", "Weigh what acting on an urge costs"),
        ("accepts", "ACCEPTS", "Turn your mind to other things"),
        ("self_soothe", "Self-soothe", "Comfort yourself with your senses"),
        ("improve", "IMPROVE", "Make a hard moment easier to bear"),
        ("radical_acceptance", "Radical acceptance", "Fully accept what you can't change"),
        ("urge_surfing", "Urge surfing", "Ride the urge like a wave; it passes"),
        ("paced_breathing", "Paced breathing", "Slow breaths, out longer than in"),
    )),
    _module("emotion_regulation", "Emotion regulation", (
        ("check_the_facts", "Check the facts", "Does the feeling fit what happened?"),
        ("thought_record", "Thought record", "Test a hard thought, find a fair one"),
        ("opposite_action", "Opposite action", "Act opposite to the feeling's urge"),
        ("problem_solving", "Problem solving", "Solve the problem behind the feeling"),
        ("abc_please", "ABC PLEASE", "Add good things, care for your body"),
        ("cope_ahead", "Cope ahead", "Plan and practice for a hard moment"),
        ("mindfulness_of_emotion", "Mindfulness of the current emotion",
         "Let a feeling come and go"),
        ("name_the_emotion", "Name the emotion", "Put a name to what you feel"),
    )),
    _module("interpersonal_effectiveness", "Interpersonal effectiveness", (
        ("dear_man", "DEAR MAN", "Ask for what you want, or say no"),
        ("give", "GIVE", "Keep the relationship: be gentle"),
        ("fast", "FAST", "Keep your self-respect: be honest"),
        ("validation", "Validating someone", "Show that their feelings make sense"),
        ("saying_no", "Saying no", "Say no clearly and kindly"),
        ("repair", "Repairing after a conflict", "Make things right after a fight"),
    )),
    # Relapse-prevention skills, and those DBT adds for substance use.
    _module("recovery", "Recovery", (
        ("halt", "HALT check", "Hungry, angry, lonely or tired?"),
        ("play_the_tape", "Playing the tape through", "Picture what comes after using"),
        ("clear_mind", "Clear mind", "Stay alert, even when you feel safe"),
        ("dialectical_abstinence", "Dialectical abstinence", "Aim for no use; keep a slip plan"),
        ("burning_bridges", "Burning bridges", "Cut off ways to get alcohol or drugs"),
        ("alternate_rebellion", "Alternate rebellion", "Rebel in a safe way, not by using"),
        ("adaptive_denial", "Adaptive denial", "Say you want something else"),
    )),
)

MODULES_BY_KEY: dict[str, SkillModule] = {module.key: module for module in DBT_MODULES}

SKILLS_BY_KEY: dict[str, Skill] = {
    skill.key: skill for module in DBT_MODULES for skill in module.skills
}
