"""Turning `core.problems.Problem` facts into sentences in the reader's language,
and gathering the words the app's JavaScript shows.

Each area of the app keeps the English sentences for its problem codes in
`skills_app/text/words/<area>.py` as a `PROBLEMS` table of `N_()` messages,
and the sentences its JavaScript shows as a `SCRIPT_TEXT` table (key →
`N_()` message); this module gathers them, so one code has one sentence
everywhere.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from functools import cache

from skills_app.core.problems import Problem
from skills_app.text import _, formats, words


def _gathered(table_name: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for module in pkgutil.iter_modules(words.__path__):
        area = importlib.import_module(f"{words.__name__}.{module.name}")
        for code, sentence in getattr(area, table_name, {}).items():
            if code in table and table[code] != sentence:
                raise ValueError(f"{table_name} code {code!r} has two sentences")
            table[code] = sentence
    return table


@cache
def sentences() -> dict[str, str]:
    """Every problem code's English sentence, from every module of `text/words/`."""
    return _gathered("PROBLEMS")


@cache
def _script_messages() -> dict[str, str]:
    return _gathered("SCRIPT_TEXT")


def script_text() -> dict[str, str]:
    """What the app's JavaScript may show, in the current language, by key.

    Placeholders stay in (`{time}`): the script fills them (`skillsText`).
    """
    return {key: _(message) for key, message in _script_messages().items()}


# Parameters shown exactly as they are, never looked up in the catalogue (a
# person's name could be a word such as "Faith" or "Today").
VERBATIM = frozenset({"name"})


def say(problem: Problem | str) -> str:
    """The sentence for `problem` in the current language (a plain string passes through)."""
    if isinstance(problem, str):
        return problem
    sentence = sentences()[problem.code]
    params = {name: _(value) if isinstance(value, str) and name not in VERBATIM
              else formats.number(value) if isinstance(value, int) and not isinstance(value, bool)
              else value
              for name, value in problem.params.items()}
    return _(sentence, **params)


def say_all(problems: Mapping[str, Problem | str] | None) -> dict[str, str]:
    """A form's problems as the sentences shown next to each field."""
    return {field: say(problem) for field, problem in (problems or {}).items()}
