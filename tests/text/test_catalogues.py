"""The catalogues are complete, and words stop being written into the code."""

from __future__ import annotations

from skills_app import text
from skills_app.text import catalogue
from tests.text.literals import count_javascript, count_literals

# Prose literals still written into the code, per folder of skills_app (see
# tests/text/literals.py for what counts). Lower these as words move into the
# catalogues; the test fails when a folder's count goes up. Before the text layer
# (issue 19): "." 61, components 31, content 239, core 396, pages 498, state 28,
# views 187, JavaScript 111 (1,551 in all). What is left is data on purpose: the
# PHQ-9/GAD-7 wording, demo names and notes, load-time errors for content authors.
BASELINE = {
    ".": 33,
    "components": 0,
    "content": 29,
    "core": 57,
    "pages": 1,
    "state": 0,
    "views": 0,
}
# 26: time_zones.js compares a key name ("Enter"), which the heuristic takes for a word.
# 27: push.js's "use strict" (app.js's two count too).
JAVASCRIPT_BASELINE = 27


def test_every_message_has_a_translation_with_the_same_placeholders() -> None:
    for language in text.LANGUAGES[1:]:
        assert catalogue.translation_problems(language.code) == []


def test_no_folder_writes_more_words_into_the_code_than_before() -> None:
    counts = count_literals()
    grown = {folder: (BASELINE.get(folder, 0), number) for folder, number in counts.items()
             if number > BASELINE.get(folder, 0)}
    assert grown == {}, "move these words into the catalogues (text._, N_, ngettext)"
    assert count_javascript() <= JAVASCRIPT_BASELINE


def test_the_placeholder_check_catches_a_renamed_placeholder() -> None:
    assert catalogue.placeholders("{n} days since {name}") == {"n", "name"}
    assert catalogue.placeholders("Hace {n} días") == {"n"}


def test_the_completeness_check_names_a_missing_text_and_a_changed_placeholder(
        monkeypatch, tmp_path) -> None:
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        'msgid "Saved at {time}."\nmsgstr "Guardado a las {hora}."\n', encoding="utf-8")
    monkeypatch.setattr(text, "LOCALE_DIR", tmp_path)
    problems = catalogue.translation_problems("es")
    assert any("Saved at {time}." in p and "placeholders" in p for p in problems)
    assert any("no es text for 'Today'" in p for p in problems)
