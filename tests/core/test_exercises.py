"""Exercise content: every file through the schema, broken files refused, plain words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat

from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import exercises
from skills_app.core.exercises import ExerciseError, compose_message, parse_exercise

BROKEN = Path(__file__).parent / "fixtures" / "broken_exercises"
GRADE_MAX = 8

# What the issue asks for, by the skill each one practises.
REQUIRED_SKILLS = {
    "emotion_regulation.check_the_facts", "emotion_regulation.opposite_action",
    "emotion_regulation.problem_solving", "emotion_regulation.abc_please",
    "emotion_regulation.mindfulness_of_emotion", "emotion_regulation.name_the_emotion",
    "distress_tolerance.stop", "distress_tolerance.tipp", "distress_tolerance.paced_breathing",
    "distress_tolerance.self_soothe", "distress_tolerance.pros_and_cons",
    "distress_tolerance.accepts", "distress_tolerance.improve",
    "distress_tolerance.radical_acceptance", "distress_tolerance.urge_surfing",
    "interpersonal_effectiveness.dear_man", "interpersonal_effectiveness.give",
    "interpersonal_effectiveness.fast", "interpersonal_effectiveness.validation",
    "interpersonal_effectiveness.saying_no", "interpersonal_effectiveness.repair",
    "recovery.halt", "recovery.play_the_tape", "recovery.clear_mind",
}
# Issue 18's content, by exercise id: the skill each one practises.
ADDED_FOR_ISSUE_18 = {
    "burning-bridges": "recovery.burning_bridges",
    "alternate-rebellion": "recovery.alternate_rebellion",
    "adaptive-denial": "recovery.adaptive_denial",
    "thought-record": "emotion_regulation.thought_record",
    "wise-mind": "mindfulness.wise_mind",
    "cope-ahead": "emotion_regulation.cope_ahead",
}
README = Path(__file__).parents[2] / "README.md"


def minimal(**fields: object) -> dict:
    return {"id": "a-test", "module": "mindfulness", "skills": ["mindfulness.observe"],
            "title": "A test", "when": "Use it to test.", "minutes": 3,
            "steps": [{"prompt": "Notice one thing."}], **fields}


def problems_of(**fields: object) -> list[str]:
    exercise, problems = parse_exercise(minimal(**fields))
    assert (exercise is None) == bool(problems)
    return problems


def readable_texts(exercise: exercises.Exercise) -> list[str]:
    """What is graded: the title with its "when" line, each caution, and each step
    as the patient reads it (its prompt, then its options and scale ends as short
    lines). Graded as a whole, a one-word option ("Embarrassed") counts as part of
    its question, where alone its syllables would score like a college text."""
    def sentence(text: str) -> str:
        return text if text.rstrip()[-1:] in ".?!:" else text + "."
    return [sentence(exercise.title) + " " + exercise.when,
            *(caution.text for caution in exercise.cautions),
            *(" ".join(sentence(text) for text in (step.prompt, *step.options,
                                                    *(step.ends or ())))
              for step in exercise.steps)]


def test_every_content_file_loads_through_the_schema() -> None:
    found = exercises.load_folder(exercises.CONTENT)
    assert len(found) == 30
    assert len({e.id for e in found}) == len(found)
    practised = {skill for e in found for skill in e.skills}
    assert REQUIRED_SKILLS <= practised, sorted(REQUIRED_SKILLS - practised)
    assert practised <= set(SKILLS_BY_KEY)
    # Every "I need help with..." list leads to two or three fitting exercises, or more.
    for situation in exercises.SITUATIONS:
        assert len([e for e in found if situation in e.situations]) >= 2, situation
    assert exercises.all_exercises() == found


def test_the_readme_counts_the_exercises_there_are() -> None:
    assert f"({len(exercises.all_exercises())} exercises in plain words" in README.read_text()


@pytest.mark.parametrize(("exercise_id", "skill"), ADDED_FOR_ISSUE_18.items())
def test_the_addiction_skills_thought_record_wise_mind_and_cope_ahead_load(
        exercise_id: str, skill: str) -> None:
    found = exercises.exercise(exercise_id)
    assert found is not None and found.skills == (skill,)
    assert found.module == skill.split(".")[0]


def test_dialectical_abstinence_stays_in_clear_mind_and_abc_please_keeps_cope_ahead() -> None:
    clear_mind, abc_please = exercises.exercise("clear-mind"), exercises.exercise("abc-please")
    assert clear_mind is not None and "recovery.dialectical_abstinence" in clear_mind.skills
    assert abc_please is not None and "emotion_regulation.cope_ahead" in abc_please.skills


def test_a_folder_with_broken_files_is_refused_naming_each_problem() -> None:
    with pytest.raises(ExerciseError) as refused:
        exercises.load_folder(BROKEN)
    problems = refused.value.problems
    assert "unknown-skill.yaml: unknown skill key 'distress_tolerance.levitate'" in problems
    assert "empty-steps.yaml: steps must list at least one step" in problems
    assert any(p.startswith("unknown-input.yaml: step 1: unknown input 'slider'")
               for p in problems)
    assert any(p.startswith("twin-two.yaml: duplicate id 'twins'") for p in problems)
    assert not any(p.startswith("fine.yaml") for p in problems)
    assert len(problems) == 4


@pytest.mark.parametrize(("fields", "problem"), [
    ({"module": "astrology"}, "unknown module 'astrology'"),
    ({"skills": []}, "skills must list at least one skill key"),
    ({"minutes": 0}, "minutes must be a whole number from 1 to 60"),
    ({"minutes": True}, "minutes must be a whole number from 1 to 60"),
    ({"id": "Not An Id"}, "id must be lower-case words joined by -"),
    ({"colour": "red"}, "unknown fields: colour"),
    ({"steps": [{"prompt": "Pick.", "input": "choice", "key": "pick", "options": ["One"]}]},
     "step 1: choice needs 2-12 options, each a text"),
    ({"steps": [{"prompt": "Rate.", "input": "scale", "key": "rate"}]},
     "step 1: a scale needs ends: [what 0 means, what 10 means]"),
    ({"steps": [{"prompt": "Write.", "input": "short_text"}]},
     "step 1: an answer needs a key of lower-case letters, digits and _"),
    ({"steps": [{"prompt": "A.", "input": "short_text", "key": "same"},
                {"prompt": "B.", "input": "long_text", "key": "same"}]},
     "each answer key must be used once"),
    ({"message": "{missing}"}, "message uses answers no step asks: missing"),
    ({"cautions": [{"before_step": 5, "text": "Careful."}]},
     "a caution needs before_step (a step number) and text"),
    ({"title": "Try TIP now"},
     "TIP is in capitals: spell it out under acronyms (or write it in lower case)"),
])
def test_each_rule_of_the_schema(fields: dict, problem: str) -> None:
    assert problem in problems_of(**fields)


def test_an_acronym_spelled_out_once_covers_its_words() -> None:
    exercise, problems = parse_exercise(minimal(
        title="HALT check", acronyms={"HALT": "Hungry, Angry, Lonely, Tired"}))
    assert problems == [] and exercise.acronyms == (("HALT", "Hungry, Angry, Lonely, Tired"),)


def test_every_text_a_patient_reads_is_grade_8_or_below() -> None:
    too_hard = []
    for exercise in exercises.all_exercises():
        too_hard += [(exercise.id, grade, text) for text in readable_texts(exercise)
                     if (grade := textstat.flesch_kincaid_grade(text)) > GRADE_MAX]
    assert too_hard == []


def test_the_grade_check_itself_tells_hard_text_from_plain() -> None:
    assert textstat.flesch_kincaid_grade("Stop. Take a step back. Breathe out slowly.") <= 8
    assert textstat.flesch_kincaid_grade(
        "Interpersonal effectiveness necessitates deliberate prioritisation of objectives "
        "concerning relationship maintenance and self-respect considerations.") > 8


def test_tip_warns_before_the_cold_water_step() -> None:
    tip = exercises.exercise("tip")
    assert tip is not None
    facts = ("heart", "beta-blocker", "eating disorder", "10 °c", "50 °f")
    medical = [c.before_step for c in tip.cautions if all(f in c.text.lower() for f in facts)]
    cold = next(n for n, step in enumerate(tip.steps, 1) if step.prompt.startswith("Temperature."))
    assert medical and medical[0] <= cold


def _step_number(exercise: exercises.Exercise, step: int | str) -> int:
    """A step as the patient counts it: given as that number, or by its answer key."""
    if isinstance(step, int):
        return step
    return next(n for n, found in enumerate(exercise.steps, 1) if found.key == step)


# Each caution where a skill meets risk: the exercise, the step it must be shown by
# (its number, or its answer's key), and what it must say. Removing or weakening
# one fails its own case.
CAUTIONS = [
    ("burning-bridges", 1, ("does not mean cutting off people you need", "care team",
                            "medicine for your recovery", "naloxone")),
    ("burning-bridges", "burn", ("one last time", "overdose", "sharps box")),
    ("alternate-rebellion", "rebellion", ("safe and legal", "hurting yourself is never",
                                          "safety plan", "988")),
    ("adaptive-denial", 1, ("hide a slip", "health problem", "seizure", "911")),
    ("thought-record", "hot_thought", ("ending your life", "safety plan", "988")),
    ("wise-mind", "question", ("hurting yourself", "safety plan", "988")),
    ("wise-mind", 5, ("old pain", "name five things")),
    ("cope-ahead", "moment", ("danger", "someone who has hurt you", "therapist", "911")),
    ("cope-ahead", 6, ("not an old one", "name five things")),
    ("urge-surfing", 1, ("hurt yourself or end your life", "safety plan", "988")),
    ("dear-man", 1, ("danger", "someone who has hurt you", "therapist")),
    ("tip", 1, ("hurt yourself", "988", "911")),
    ("tip", "movement", ("safe for your body", "chest pain", "faint")),
]


@pytest.mark.parametrize(("exercise_id", "step", "says"), CAUTIONS)
def test_a_caution_is_shown_where_the_skill_meets_risk(
        exercise_id: str, step: int | str, says: tuple[str, ...]) -> None:
    found = exercises.exercise(exercise_id)
    assert found is not None
    number = _step_number(found, step)
    shown = [c.text.casefold() for c in found.cautions if c.before_step <= number]
    assert any(all(words in text for words in says) for text in shown), (exercise_id, step)


def test_tip_says_cold_water_and_to_skip_the_face_in_water_after_drinking_or_using() -> None:
    tip = exercises.exercise("tip")
    assert tip is not None
    assert [text for text in tip.texts() if re.search(r"\bcool", text, re.IGNORECASE)] == []
    temperature = next(n for n, step in enumerate(tip.steps, 1)
                       if step.prompt.startswith("Temperature."))
    assert "cold" in tip.steps[temperature - 1].prompt
    face = next(n for n, step in enumerate(tip.steps, 1)
                if "face in the water" in step.prompt)
    assert [c.before_step for c in tip.cautions
            if all(words in c.text for words in ("alcohol or drugs", "skip this step",
                                                   "Do not put your face in water"))] == [face]


def test_the_dear_man_message_is_built_from_the_answers() -> None:
    dear_man = exercises.exercise("dear-man")
    assert dear_man is not None
    answers = {"describe": "You came home at 2 am.", "express": "I felt  worried.",
               "assert_": "Please text me when you are late.", "reinforce": ""}
    assert compose_message(dear_man, answers) == (
        "You came home at 2 am. I felt worried. Please text me when you are late.")
    assert compose_message(dear_man, {}) == ""


@pytest.mark.parametrize("forged", [None, 7, ["dear-man"], "../dear-man", "DEAR-MAN", ""])
def test_an_unknown_id_finds_nothing(forged: object) -> None:
    assert exercises.exercise(forged) is None


def test_no_exercise_is_tagged_with_a_safety_situation() -> None:
    """"Thoughts of hurting myself" leads to 988 and the safety plan, never to exercises."""
    assert not set(exercises.SAFETY_SITUATIONS) & set(exercises.SITUATIONS)
    assert any(problem.startswith("situations must be some of")
               for problem in problems_of(situations=["hurting_myself"]))
