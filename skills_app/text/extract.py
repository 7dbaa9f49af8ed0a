"""A Babel extractor for the exercise files, so `pybabel extract` finds their words.

Registered in `babel-content.cfg` as `[skills_app.text.extract:extract_yaml: ...]`.
Every text a patient reads in an exercise file is a message, written with its
whitespace folded exactly as `core/exercises.py` reads it; ids, keys and
other machine values are not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

# Values under these keys are for the program, never shown as written.
NOT_TEXT = frozenset({"id", "module", "skills", "situations", "input", "key", "minutes",
                      "before_step", "optional"})


def folded(value: str) -> str:
    """`value` with its whitespace folded, as the app reads every content text."""
    return " ".join(value.split())


def _texts(node: yaml.Node, skip: bool) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.ScalarNode):
        if not skip and node.tag == "tag:yaml.org,2002:str" and node.value.strip():
            yield node.start_mark.line + 1, folded(node.value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _texts(item, skip)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _texts(value, skip or getattr(key, "value", None) in NOT_TEXT)


def extract_yaml(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                 options: Any) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extractor interface: (line, function, message, comments) for each text."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is None:
        return
    for line, message in _texts(root, skip=False):
        yield line, None, message, []
