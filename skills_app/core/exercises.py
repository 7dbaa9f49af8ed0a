"""Guided skills exercises: the schema of `skills_app/content/exercises/*.yaml`.

Each file is one exercise, written in our own plain words (the DBT handouts are
copyrighted: we teach the skill, we do not reproduce a handout). A file holds:

- `id`: stable, lower-case words joined by "-" (by habit the file's name). It
  is stored with finished exercises, so it is never renamed or reused.
- `module`: the key of a module in `content/skills.py`.
- `skills`: the skill keys it practises (finishing it counts them as used that day).
- `title`, `when` (one line: when this helps), `minutes` (1-60).
- `acronyms` (optional): each acronym used in the text, spelled out, e.g.
  `STOP: Stop, Take a step back, Observe, Proceed mindfully`. Every word in
  capitals (two letters or more) must belong to one of them; the flow shows the
  spelled-out form the first time the acronym appears.
- `situations` (optional): which "I need help with..." lists it belongs to.
- `cautions` (optional): `{before_step: N, text: ...}`, shown before step N.
- `steps`: each a `prompt` and an `input` (none, short_text, long_text, choice,
  multi_choice, scale, checklist). An input other than none needs a `key`
  (unique in the exercise); choice, multi_choice and checklist need 2-12
  `options`; a scale (0-10) needs `ends`: what 0 and 10 mean. `optional: true`
  lets the patient go on without answering.
- `message` (optional): a text built from the answers, like the DEAR MAN
  script, with `{key}` for each answer it uses.

Every text a patient reads stays English here: it is the message id of the
"content" catalogue (`python -m skills_app.text.catalogue extract`, folded as
`_text` folds it), and the screens show it with `_()` in the page's language.
An option's English words are also its VALUE, saved with the answers; only
its label is translated. The problems below are for content authors, in English.

`load_folder` reads and checks every file and reports every problem of every
file at once; `all_exercises()` is what the app loads at start-up (a broken
file stops the start, it never reaches a patient).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from skills_app.content.skills import MODULES_BY_KEY, SKILLS_BY_KEY
from skills_app.text import N_

CONTENT = Path(__file__).resolve().parents[1] / "content" / "exercises"

INPUTS = ("none", "short_text", "long_text", "choice", "multi_choice", "scale", "checklist")
WITH_OPTIONS = ("choice", "multi_choice", "checklist")
# How much a patient may type into one answer.
TEXT_MAX = {"short_text": 300, "long_text": 4000}
OPTIONS_MIN, OPTIONS_MAX = 2, 12
SCALE_MAX = 10
MINUTES_MAX = 60
# The "I need help with..." lists of the Practice tab (English: shown through `_()`).
SITUATIONS: dict[str, str] = {
    "hard_conversation": N_("A hard conversation is coming"),
    "urge_to_use": N_("I have an urge to use"),
    "overwhelmed": N_("I feel overwhelmed right now"),
    "cant_sleep": N_("I can't sleep"),
    "angry": N_("I'm angry at someone"),
}
# "I need help with..." situations that lead to the safety plan and 988, never to a
# list of exercises (no exercise may be tagged with them: they are not in SITUATIONS).
SAFETY_SITUATIONS: dict[str, str] = {
    "hurting_myself": N_("Thoughts of hurting myself"),
}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_CAPITALS = re.compile(r"\b[A-Z]{2,}\b")
_FIELDS = {"id", "module", "skills", "title", "when", "minutes", "acronyms", "situations",
           "cautions", "steps", "message"}
_STEP_FIELDS = {"prompt", "input", "key", "options", "ends", "optional"}


@dataclass(frozen=True)
class Step:
    prompt: str
    input: str = "none"
    key: str = ""
    options: tuple[str, ...] = ()
    ends: tuple[str, str] | None = None  # what 0 and 10 mean, for a scale
    optional: bool = False

    @property
    def asks(self) -> bool:
        return self.input != "none"


@dataclass(frozen=True)
class Caution:
    before_step: int  # 1-based, as the patient counts steps
    text: str


@dataclass(frozen=True)
class Exercise:
    id: str
    module: str
    skills: tuple[str, ...]
    title: str
    when: str
    minutes: int
    steps: tuple[Step, ...]
    acronyms: tuple[tuple[str, str], ...] = ()
    situations: tuple[str, ...] = ()
    cautions: tuple[Caution, ...] = ()
    message: str = ""

    def texts(self) -> list[str]:
        """Everything the patient reads, in order."""
        return [self.title, self.when, *(c.text for c in self.cautions),
                *(text for step in self.steps
                  for text in (step.prompt, *step.options, *(step.ends or ()))),
                self.message]

    def step_keys(self) -> list[str]:
        return [step.key for step in self.steps if step.asks]


class ExerciseError(ValueError):
    """One or more content files are broken; `problems` lists each as 'file: what'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Broken exercise files:\n" + "\n".join(problems))
        self.problems = problems


def _text(raw: Mapping, name: str, problems: list[str], *, required: bool = True) -> str:
    value = raw.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{name} must be a text")
        return ""
    return " ".join(value.split())


def _step(raw: object, number: int, problems: list[str]) -> Step | None:
    where = f"step {number}"
    if not isinstance(raw, Mapping):
        problems.append(f"{where} must be a mapping")
        return None
    unknown = set(raw) - _STEP_FIELDS
    if unknown:
        problems.append(f"{where} has unknown fields: {', '.join(sorted(map(str, unknown)))}")
    found: list[str] = []
    prompt = _text(raw, "prompt", found)
    kind = raw.get("input", "none")
    key = raw.get("key", "")
    if kind not in INPUTS:
        found.append(f"unknown input {kind!r} (one of {', '.join(INPUTS)})")
        kind, key = "none", ""
    if kind != "none" and (not isinstance(key, str) or not _KEY.match(key)):
        found.append("an answer needs a key of lower-case letters, digits and _")
    if kind == "none" and key:
        found.append("a step without an input has no key")
    options = raw.get("options", [])
    if kind in WITH_OPTIONS:
        if (not isinstance(options, list) or not OPTIONS_MIN <= len(options) <= OPTIONS_MAX
                or not all(isinstance(o, str) and o.strip() for o in options)):
            found.append(f"{kind} needs {OPTIONS_MIN}-{OPTIONS_MAX} options, each a text")
            options = []
        elif len({o.strip().casefold() for o in options}) != len(options):
            found.append("options must differ")
    elif options:
        found.append(f"{kind} takes no options")
    ends = raw.get("ends")
    if kind == "scale":
        if (not isinstance(ends, list) or len(ends) != 2
                or not all(isinstance(e, str) and e.strip() for e in ends)):
            found.append("a scale needs ends: [what 0 means, what 10 means]")
            ends = None
    elif ends is not None:
        found.append(f"{kind} takes no ends")
        ends = None
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        found.append("optional must be true or false")
    problems.extend(f"{where}: {problem}" for problem in found)
    if found:
        return None
    return Step(prompt=prompt, input=kind, key=key or "",
                options=tuple(" ".join(o.split()) for o in options),
                ends=(ends[0].strip(), ends[1].strip()) if ends else None,
                optional=optional)


def parse_exercise(raw: object) -> tuple[Exercise | None, list[str]]:
    """One file's content (already read as YAML) as an Exercise, or its problems."""
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        return None, ["the file must hold one mapping"]
    unknown = set(raw) - _FIELDS
    if unknown:
        problems.append(f"unknown fields: {', '.join(sorted(map(str, unknown)))}")
    exercise_id = raw.get("id")
    if not isinstance(exercise_id, str) or not _ID.match(exercise_id):
        problems.append("id must be lower-case words joined by -")
    module = raw.get("module")
    if module not in MODULES_BY_KEY:
        problems.append(f"unknown module {module!r}")
    skills = raw.get("skills")
    if not isinstance(skills, list) or not skills:
        problems.append("skills must list at least one skill key")
        skills = []
    for skill in skills:
        if skill not in SKILLS_BY_KEY:
            problems.append(f"unknown skill key {skill!r}")
    title = _text(raw, "title", problems)
    when = _text(raw, "when", problems)
    minutes = raw.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) \
            or not 1 <= minutes <= MINUTES_MAX:
        problems.append(f"minutes must be a whole number from 1 to {MINUTES_MAX}")
    acronyms_raw = raw.get("acronyms", {})
    if not isinstance(acronyms_raw, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip()
            for k, v in acronyms_raw.items()):
        problems.append("acronyms must map each acronym to its spelled-out words")
        acronyms_raw = {}
    situations = raw.get("situations", [])
    if not isinstance(situations, list) or not all(s in SITUATIONS for s in situations):
        problems.append(f"situations must be some of {', '.join(SITUATIONS)}")
        situations = []
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append("steps must list at least one step")
        raw_steps = []
    steps = [_step(step, number, problems) for number, step in enumerate(raw_steps, 1)]
    keys = [step.key for step in steps if step is not None and step.asks]
    if len(set(keys)) != len(keys):
        problems.append("each answer key must be used once")
    cautions: list[Caution] = []
    for caution in raw.get("cautions", []) or []:
        before = caution.get("before_step") if isinstance(caution, Mapping) else None
        text = caution.get("text") if isinstance(caution, Mapping) else None
        if (isinstance(before, bool) or not isinstance(before, int)
                or not 1 <= before <= max(len(raw_steps), 1)
                or not isinstance(text, str) or not text.strip()):
            problems.append("a caution needs before_step (a step number) and text")
            continue
        cautions.append(Caution(before, " ".join(text.split())))
    message = _text(raw, "message", problems, required=False)
    if message:
        try:
            used = {field for _, field, _, _ in string.Formatter().parse(message) if field}
        except ValueError:
            used = set()
            problems.append("message has a broken {placeholder}")
        missing = used - set(keys)
        if missing:
            problems.append(f"message uses answers no step asks: {', '.join(sorted(missing))}")
    if problems:
        return None, problems
    exercise = Exercise(
        id=exercise_id, module=module, skills=tuple(skills), title=title, when=when,
        minutes=minutes, steps=tuple(step for step in steps if step is not None),
        acronyms=tuple((k, " ".join(v.split())) for k, v in acronyms_raw.items()),
        situations=tuple(situations), cautions=tuple(cautions), message=message)
    covered = {word for phrase, _ in exercise.acronyms for word in phrase.split()}
    for text in exercise.texts():
        for word in _CAPITALS.findall(text):
            if word not in covered:
                problems.append(f"{word} is in capitals: spell it out under acronyms "
                                "(or write it in lower case)")
                covered.add(word)
    return (None, problems) if problems else (exercise, [])


def load_folder(folder: Path) -> tuple[Exercise, ...]:
    """Every `*.yaml` exercise in `folder`, checked; ExerciseError lists every problem."""
    problems: list[str] = []
    exercises: list[Exercise] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            where = getattr(error, "problem_mark", None)
            line = f" at line {where.line + 1}" if where is not None else ""
            problems.append(f"{path.name}: not readable YAML{line} ({type(error).__name__})")
            continue
        exercise, found = parse_exercise(raw)
        problems += [f"{path.name}: {problem}" for problem in found]
        if exercise is None:
            continue
        if exercise.id in seen:
            problems.append(f"{path.name}: duplicate id {exercise.id!r} (also in "
                            f"{seen[exercise.id]})")
            continue
        seen[exercise.id] = path.name
        exercises.append(exercise)
    if problems:
        raise ExerciseError(problems)
    return tuple(exercises)


@cache
def all_exercises() -> tuple[Exercise, ...]:
    """The app's exercises (read once; the app calls this at start-up)."""
    return load_folder(CONTENT)


def exercise(exercise_id: object) -> Exercise | None:
    """The exercise with this id, or None for anything else a browser may send."""
    if not isinstance(exercise_id, str):
        return None
    return next((e for e in all_exercises() if e.id == exercise_id), None)


def compose_message(exercise: Exercise, answers: Mapping[str, object],
                    template: str | None = None) -> str:
    """The exercise's message with the patient's answers put in; an unanswered part
    is left out, and the spaces around it closed up.

    `template` is the message in the reader's language (`_(exercise.message)`);
    by default the English one of the file."""
    if not exercise.message:
        return ""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template or exercise.message):
        parts.append(literal)
        if field:
            value = answers.get(field)
            parts.append(" ".join(value.split()) if isinstance(value, str) else "")
    return " ".join("".join(parts).split())
