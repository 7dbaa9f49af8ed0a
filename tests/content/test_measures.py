"""The PHQ-9 and GAD-7 words, compared character for character with clinical.md.

`fixtures/clinical_measures.md` is a verbatim copy of the PHQ-9 and GAD-7
sections of ../shared/clinical.md (the file lives outside this repository, so
a fresh clone tests against the copy). Lines there wrap at about 80 columns:
a wrapped quotation is read back with its line breaks as single spaces, as
the reference writes running text.

A language's validated wording (`content.measures.WORDINGS`) is checked the
same way against `fixtures/clinical_measures.<code>.md` (English:
clinical_measures.md), a verbatim copy of that published wording in the same
layout: adding a validated translation is data plus its fixture, and these
tests cover it with no new code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skills_app import text
from skills_app.content import measures as content
from skills_app.content.measures import ANSWER_OPTIONS, COPYRIGHT, GAD7, PHQ9, Questionnaire

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = (FIXTURES / "clinical_measures.md").read_text(encoding="utf-8")


def _reference(code: str) -> str:
    name = "clinical_measures.md" if code == "en" else f"clinical_measures.{code}.md"
    return (FIXTURES / name).read_text(encoding="utf-8")


def _section(heading: str, reference: str = REFERENCE) -> str:
    start = reference.index(f"## {heading}")
    end = reference.find("\n## ", start + 1)
    return reference[start:end if end != -1 else None]


def _running(text: str) -> str:
    """Wrapped lines read as running text."""
    return re.sub(r"\s*\n\s*", " ", text).strip()


SECTIONS = {"phq9": _section("PHQ-9 (depression), exact items"),
            "gad7": _section("GAD-7 (anxiety), exact items")}


def _stem(section: str) -> str:
    return _running(re.search(r'Stem: "(.*?)"', section, re.S).group(1))


def _items(section: str) -> list[str]:
    return re.findall(r"^\d+\. (.+)$", section, re.M)


def _bands(section: str) -> list[tuple[int, int, str]]:
    line = _running(re.search(r"Total 0-\d+: (.*?)(?:;|\.)", section, re.S).group(1))
    return [(int(low), int(high), name.strip())
            for low, high, name in re.findall(r"(\d+)-(\d+) ([a-z ]+?)(?:,|$)", line)]


@pytest.mark.parametrize("questionnaire", [PHQ9, GAD7], ids=lambda q: q.id)
def test_stem_items_and_bands_are_clinical_md_character_for_character(
        questionnaire: Questionnaire) -> None:
    section = SECTIONS[questionnaire.id]
    assert questionnaire.stem == _stem(section)
    assert list(questionnaire.items) == _items(section)
    assert len(questionnaire.items) == {"phq9": 9, "gad7": 7}[questionnaire.id]
    assert [(b.low, b.high, b.name) for b in questionnaire.bands] == _bands(section)


def test_answer_options_are_clinical_md_with_their_scores() -> None:
    answers = _running(re.search(r"Answers: (.*?)\.\n", SECTIONS["phq9"], re.S).group(1))
    parsed = re.findall(r"([A-Za-z ]+?) \((\d)\)", answers)
    assert [(text.strip(), int(n)) for text, n in parsed] == [
        (text, n) for n, text in enumerate(ANSWER_OPTIONS)]
    # GAD-7 says "Same 0-3 answers".
    assert "Same 0-3 answers." in SECTIONS["gad7"]


def test_the_phq9_follow_up_question_and_its_answers() -> None:
    found = re.search(r'Unscored follow-up: "(.*?)" (.*?)\.\n', SECTIONS["phq9"], re.S)
    assert PHQ9.follow_up == _running(found.group(1))
    assert list(PHQ9.follow_up_options) == _running(found.group(2)).split(" / ")
    assert GAD7.follow_up == "" and GAD7.follow_up_options == ()


@pytest.mark.parametrize("questionnaire", [PHQ9, GAD7], ids=lambda q: q.id)
def test_loinc_codes_are_clinical_md(questionnaire: Questionnaire) -> None:
    panel, total = re.search(r"LOINC: panel ([\d-]+), total score ([\d-]+)\.",
                             _running(SECTIONS[questionnaire.id])).groups()
    assert (questionnaire.panel_loinc, questionnaire.total_loinc) == (panel, total)


def test_the_copyright_line_is_clinical_md() -> None:
    assert f'"{COPYRIGHT}"' in _running(SECTIONS["gad7"])


def test_a_changed_word_would_be_caught() -> None:
    """The parser is strict enough to see a one-character change."""
    assert PHQ9.items[5] == _items(SECTIONS["phq9"])[5]
    assert PHQ9.items[5].replace(" - ", " — ") != _items(SECTIONS["phq9"])[5]
    assert _stem(SECTIONS["phq9"]) != _stem(SECTIONS["gad7"])


# --- every validated wording, in every language that has one -------------------------

HEADINGS = {"phq9": "PHQ-9 (depression), exact items", "gad7": "GAD-7 (anxiety), exact items"}
WORDINGS = [(code, q_id) for code, found in content.WORDINGS.items() for q_id in found]


@pytest.mark.parametrize(("code", "questionnaire_id"), WORDINGS)
def test_each_validated_wording_is_its_reference_character_for_character(
        code: str, questionnaire_id: str) -> None:
    section = _section(HEADINGS[questionnaire_id], _reference(code))
    wording = content.WORDINGS[code][questionnaire_id]
    assert wording.stem == _stem(section)
    assert list(wording.items) == _items(section)
    answers = _section(HEADINGS["phq9"], _reference(code))
    found = re.findall(r"([^,(]+?) \((\d)\)",
                       _running(re.search(r"Answers: (.*?)\.\n", answers, re.S).group(1)))
    assert [(words.strip(), int(n)) for words, n in found] == [
        (words, n) for n, words in enumerate(wording.answer_options)]
    follow_up = re.search(r'Unscored follow-up: "(.*?)" (.*?)\.\n', section, re.S)
    if follow_up:
        assert wording.follow_up == _running(follow_up.group(1))
        assert list(wording.follow_up_options) == _running(follow_up.group(2)).split(" / ")
    else:
        assert wording.follow_up == "" and wording.follow_up_options == ()
    assert f'"{wording.copyright}"' in _running(_section(HEADINGS["gad7"], _reference(code)))


def test_every_language_without_a_validated_wording_shows_the_english_one() -> None:
    """No item is ever translated here: a language has the questionnaires only once a
    validated wording is added as data; until then it shows the English words."""
    assert set(content.WORDINGS) <= set(text.CODES)
    for language in text.CODES:
        for q in (PHQ9, GAD7):
            shown_in, wording = content.wording(q.id, language)
            if language in content.WORDINGS and q.id in content.WORDINGS[language]:
                assert shown_in == language
            else:
                assert (shown_in, wording) == ("en", content.WORDINGS["en"][q.id])
                assert wording.items == q.items and wording.stem == q.stem
    # Spanish has none yet: its pages show the English wording with a Spanish note.
    assert content.wording("phq9", "es")[0] == "en"
