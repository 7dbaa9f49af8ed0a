"""What is wrong with something a person sent, as a fact: a code and its numbers.

Core never writes the sentence. A `Problem` names what went wrong
(`Problem("too_long", label="note", high=200, count=250)`); the words for
each code, in the reader's language, live in `skills_app/text/words/` and are
chosen by `skills_app.text.problems.say` where the screen is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing to fix: a code from the word tables and the values its sentence needs.

    A string value that is itself a message of the catalogue (a field's name
    such as "note") is translated when the sentence is written; anything else
    (numbers, what the person typed) is shown as it is.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, code: str, /, **params: Any) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", dict(params))

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))


class ProblemError(ValueError):
    """A check that failed, carrying its `Problem` (pydantic keeps it as the cause)."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.problem = Problem(code, **params)
        super().__init__(code)


# What a form gets back: each field's problem ("form" for the form as a whole).
FieldProblems = dict[str, Problem]
