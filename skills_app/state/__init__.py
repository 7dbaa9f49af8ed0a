"""Reflex State classes: thin, they call core/ and hold only what pages show."""

import reflex as rx

from skills_app.core.problems import Problem
from skills_app.text.problems import say


@rx.serializer
def _problem_as_sentence(problem: Problem) -> str:
    """A `Problem` a state holds reaches the browser as its sentence, in the
    language of the event that sends it (the page's language)."""
    return say(problem)
