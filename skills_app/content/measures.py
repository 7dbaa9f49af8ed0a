"""The PHQ-9 and GAD-7, word for word as published (../shared/clinical.md).

A reworded PHQ-9 is no longer a validated PHQ-9: the stems, items, answer
options and bands below are copied character for character, and
tests/content/test_measures.py compares them with a verbatim copy of
clinical.md's section. Only the lines around them (what a screen says before
item 9, what a band means) are in our own words, in skills_app/core/measures.py
and the pages.

Both instruments are free to reproduce, with the copyright line below.

Languages: a questionnaire is shown only in a wording that was validated and
published in that language, copied exactly; never translated here. `WORDINGS`
holds them by language code. Today only English has one: a Spanish page shows
the English wording with a one-line Spanish note (pages/measures.py). Adding a
validated translation is a data change: a `Wording` under its language code
below, and its published text copied to
tests/content/fixtures/clinical_measures.<code>.md, which the same
character-for-character test then checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from skills_app.text import N_


@dataclass(frozen=True)
class Band:
    """A range of totals and its published name ("moderately severe")."""

    low: int
    high: int
    name: str


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    # What it asks about, in plain words, for headings (our own words: a catalogue
    # message, shown through `_()`).
    about: str
    stem: str
    items: tuple[str, ...]
    bands: tuple[Band, ...]
    panel_loinc: str
    total_loinc: str
    # The unscored follow-up question (PHQ-9 only), and its answers.
    follow_up: str = ""
    follow_up_options: tuple[str, ...] = ()

    @property
    def max_total(self) -> int:
        return 3 * len(self.items)


# 0, 1, 2, 3 in this order.
ANSWER_OPTIONS: tuple[str, ...] = (
    "Not at all", "Several days", "More than half the days", "Nearly every day")

COPYRIGHT = ("Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
             "colleagues, with an educational grant from Pfizer Inc.")

PHQ9 = Questionnaire(
    id="phq9",
    title="PHQ-9",
    about=N_("Mood check (PHQ-9)"),
    stem="Over the last 2 weeks, how often have you been bothered by any of the "
         "following problems?",
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself - or that you are a failure or have let yourself or "
        "your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching "
        "television",
        "Moving or speaking so slowly that other people could have noticed? Or the "
        "opposite - being so fidgety or restless that you have been moving around a lot "
        "more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 27, "severe"),
    ),
    panel_loinc="44249-1",
    total_loinc="44261-6",
    follow_up="If you checked off any problems, how difficult have these problems made it "
              "for you to do your work, take care of things at home, or get along with "
              "other people?",
    follow_up_options=("Not difficult at all", "Somewhat difficult", "Very difficult",
                       "Extremely difficult"),
)

GAD7 = Questionnaire(
    id="gad7",
    title="GAD-7",
    about=N_("Anxiety check (GAD-7)"),
    stem="Over the last 2 weeks, how often have you been bothered by the following "
         "problems?",
    items=(
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ),
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 21, "severe"),
    ),
    panel_loinc="69737-5",
    total_loinc="70274-6",
)

QUESTIONNAIRES: dict[str, Questionnaire] = {q.id: q for q in (PHQ9, GAD7)}


@dataclass(frozen=True)
class Wording:
    """A questionnaire's validated wording in one language, word for word as published:
    the stem, the items in order, the four answers (0-3), the PHQ-9's unscored
    follow-up and its answers, and the copyright line."""

    stem: str
    items: tuple[str, ...]
    answer_options: tuple[str, ...]
    copyright: str
    follow_up: str = ""
    follow_up_options: tuple[str, ...] = ()


def _source_wording(q: Questionnaire) -> Wording:
    return Wording(stem=q.stem, items=q.items, answer_options=ANSWER_OPTIONS,
                   copyright=COPYRIGHT, follow_up=q.follow_up,
                   follow_up_options=q.follow_up_options)


# Every validated wording, by language code, then questionnaire id. Only a published,
# validated translation goes here, copied exactly (see this module's docstring).
WORDINGS: dict[str, dict[str, Wording]] = {
    "en": {q.id: _source_wording(q) for q in QUESTIONNAIRES.values()},
}
SOURCE_LANGUAGE = "en"


def wording(questionnaire_id: str, language: str) -> tuple[str, Wording]:
    """The wording a page in `language` shows, and the language it is in: the validated
    one of that language when it exists, else the English one."""
    found: Mapping[str, Wording] = WORDINGS.get(language, {})
    if questionnaire_id in found:
        return language, found[questionnaire_id]
    return SOURCE_LANGUAGE, WORDINGS[SOURCE_LANGUAGE][questionnaire_id]
# PHQ-9 item 9 (thoughts of being better off dead or of self-harm), 1-based.
PHQ9_SAFETY_ITEM = 9
