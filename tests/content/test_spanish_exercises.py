"""The exercises in Spanish: every text of every exercise file translated, with the
English placeholders, and each exercise easy to read (Fernández Huerta 70 or more).

One test per file, so a run shows which exercise still misses words or reads hard.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import textstat
import yaml
from babel.messages.pofile import read_po

from skills_app import text
from skills_app.core.exercises import CONTENT, Exercise, parse_exercise
from skills_app.text.catalogue import placeholders
from skills_app.text.extract import extract_yaml
from tests.core.test_exercises import readable_texts

# Fernández Huerta: 70-80 "fairly easy", 80-90 "easy" (the issue asks for 70 or more).
EASE_MIN = 70
# textstat's own default language; set_lang("en") would switch to British hyphenation and
# change the English grade test's syllable counts.
TEXTSTAT_DEFAULT = "en_US"
FILES = sorted(CONTENT.glob("*.yaml"))


@pytest.fixture
def spanish_syllables() -> Iterator[None]:
    textstat.set_lang("es")
    try:
        yield
    finally:
        textstat.set_lang(TEXTSTAT_DEFAULT)


@cache
def spanish_entries() -> dict[str, tuple[str, bool]]:
    """Every Spanish entry without a context, as the app merges the .po files at start:
    message id → (translation, whether it is marked fuzzy)."""
    found: dict[str, tuple[str, bool]] = {}
    for po_path in sorted((text.LOCALE_DIR / "es" / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as po_file:
            for entry in read_po(po_file, locale="es"):
                if entry.id and isinstance(entry.id, str) and entry.context is None:
                    found.setdefault(entry.id, (entry.string, entry.fuzzy))
    return found


def messages_of(path: Path) -> list[str]:
    """The file's texts, as the catalogue extracts them (whitespace folded)."""
    with path.open("rb") as file:
        return [message for _line, _function, message, _comments
                in extract_yaml(file, None, None, None)]


def in_spanish(exercise: Exercise) -> Exercise:
    """`exercise` with every text as a Spanish reader sees it."""
    with text.language("es"):
        say = text._
        return dataclasses.replace(
            exercise, title=say(exercise.title), when=say(exercise.when),
            cautions=tuple(dataclasses.replace(caution, text=say(caution.text))
                           for caution in exercise.cautions),
            steps=tuple(dataclasses.replace(
                step, prompt=say(step.prompt), options=tuple(say(o) for o in step.options),
                ends=tuple(say(end) for end in step.ends) if step.ends else step.ends)
                for step in exercise.steps))


def load(path: Path) -> Exercise:
    exercise, problems = parse_exercise(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert exercise is not None, problems
    return exercise


def untranslated(path: Path) -> list[str]:
    """The file's texts with no Spanish entry, or only a fuzzy one."""
    entries = spanish_entries()
    return [message for message in messages_of(path)
            if not entries.get(message, ("", False))[0] or entries[message][1]]


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_text_of_the_exercise_has_a_spanish_entry_with_its_placeholders(
        path: Path) -> None:
    assert untranslated(path) == []
    entries = spanish_entries()
    assert [(message, entries[message][0]) for message in messages_of(path)
            if placeholders(entries[message][0]) != placeholders(message)] == []


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_the_exercise_reads_easily_in_spanish(path: Path, spanish_syllables: None) -> None:
    assert untranslated(path) == [], "translate the exercise first"
    spanish = " ".join(readable_texts(in_spanish(load(path))))
    assert textstat.fernandez_huerta(spanish) >= EASE_MIN


def test_the_ease_check_itself_tells_hard_spanish_from_plain(spanish_syllables: None) -> None:
    assert textstat.fernandez_huerta("Para. Da un paso atrás. Respira despacio.") >= EASE_MIN
    assert textstat.fernandez_huerta(
        "La efectividad interpersonal necesita la priorización deliberada de objetivos "
        "relacionados con el mantenimiento de las relaciones y consideraciones de "
        "autorrespeto.") < EASE_MIN


def test_the_composed_message_keeps_its_placeholders_in_spanish() -> None:
    """DEAR MAN's message is only its answers: the Spanish template has the same fields."""
    dear_man = load(CONTENT / "dear-man.yaml")
    with text.language("es"):
        spanish = text._(dear_man.message)
    assert placeholders(spanish) == placeholders(dear_man.message) == {
        "describe", "express", "assert_", "reinforce"}
