"""The PHQ-9 and GAD-7 words, compared character for character with clinical.md.

`fixtures/clinical_measures.md` is a verbatim copy of the PHQ-9 and GAD-7
sections of ../shared/clinical.md (the file lives outside this repository, so
a fresh clone tests against the copy). Lines there wrap at about 80 columns:
a wrapped quotation is read back with its line breaks as single spaces, as
the reference writes running text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skills_app.content.measures import ANSWER_OPTIONS, COPYRIGHT, GAD7, PHQ9, Questionnaire

REFERENCE = (Path(__file__).parent / "fixtures" / "clinical_measures.md").read_text(
    encoding="utf-8")


def _section(heading: str) -> str:
    start = REFERENCE.index(f"## {heading}")
    end = REFERENCE.find("\n## ", start + 1)
    return REFERENCE[start:end if end != -1 else None]


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
