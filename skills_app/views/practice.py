"""The guided exercise flow between its HTML form and `core.practice`.

The flow is one form holding every step of an exercise (assets/app.js shows
one step at a time), so a browser posts flat text fields: `answer__<key>` for
a text, a choice or a 0-10 scale, and one checkbox per option for multi-choice
and checklist steps, `answer__<key>__<n>` = "on" (one name per box, like the
diary card's skills, so the device draft keeps each box). `finish_input` turns
them into the shape `core.practice.finish_exercise` checks. It does not
validate: anything odd is passed on for core to refuse with a kind message.
"""

from __future__ import annotations

from collections.abc import Mapping

from skills_app.core import exercises
from skills_app.core.exercises import Exercise, Step
from skills_app.core.practice import FinishedView
from skills_app.core.problems import Problem
from skills_app.text import _, formats

ANSWER_PREFIX = "answer__"
_SCALARS = ("idempotency_key", "exercise_id", "distress_before", "distress_after", "helped",
            "started_at")


def answer_name(step: Step, option: int | None = None) -> str:
    """The form field of a step's answer (of one option's box, for a box per option)."""
    name = f"{ANSWER_PREFIX}{step.key}"
    return name if option is None else f"{name}__{option}"


def _ticked(step: Step, form: Mapping[str, object]) -> list[object]:
    picked: list[object] = []
    for n, option in enumerate(step.options):
        value = form.get(answer_name(step, n))
        if value in (None, ""):
            continue
        # "on" is a ticked box; anything else is passed on for core to refuse.
        picked.append(option if value == "on" else value)
    return picked


def finish_input(form: object) -> dict[str, object] | None:
    """The core input of a finished exercise from its form; None when it is no form."""
    if not isinstance(form, Mapping):
        return None
    raw: dict[str, object] = {name: form.get(name) for name in _SCALARS}
    # When the phone says the patient tapped Finish (app.js stamps it, like a diary card's).
    raw["finished_at"] = form.get("written_at")
    found = exercises.exercise(form.get("exercise_id"))
    answers: dict[str, object] = {}
    for step in found.steps if found else ():
        if not step.asks:
            continue
        if step.input in ("multi_choice", "checklist"):
            answers[step.key] = _ticked(step, form)
        else:
            answers[step.key] = form.get(answer_name(step))
    raw["answers"] = answers
    return raw


def finished_time(finished: FinishedView) -> str:
    """When the exercise was finished, in the account's zone (then): "3:12 PM"."""
    return formats.clock(finished.finished_at, finished.time_zone)


def message(finished: FinishedView) -> str:
    """The message built from the answers (the DEAR MAN script) with the template
    in the reader's language; what the patient typed stays as typed."""
    found = finished.exercise
    if found is None or not found.message:
        return ""
    return exercises.compose_message(found, finished.answers, _(found.message))


def finished_view(finished: FinishedView) -> dict[str, str]:
    """What the page shows in place of the form once the exercise is saved."""
    found = finished.exercise
    return {
        "heading": _("Finished at {time}", time=finished_time(finished)),
        "title": _(found.title) if found else "",
        "message": message(finished),
    }


def first_error(errors: Mapping[str, Problem | str]) -> Problem | str | None:
    """One problem for the patient: core lists one per field, the flow shows the first."""
    return next(iter(errors.values()), None)


def field_errors(errors: Mapping[str, Problem | str]) -> dict[str, Problem | str]:
    """Core's problems keyed by the form field they are about (`answer_<key>` is
    the field `answer__<key>`)."""
    return {(ANSWER_PREFIX + name.removeprefix("answer_") if name.startswith("answer_")
             else name): problem for name, problem in errors.items()}


def acronym_lines(exercise: Exercise) -> list[str]:
    """ "DEAR MAN stands for: Describe, Express, ..." for each acronym of the exercise.

    The acronym stays as it is (it is the skill's name); what it stands for is
    shown in the reader's language."""
    return [_("{acronym} stands for: {words}.", acronym=acronym, words=_(words))
            for acronym, words in exercise.acronyms]
