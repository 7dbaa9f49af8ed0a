"""The risk routing table against clinical.md's "Risk prompts: what each case shows".

`fixtures/clinical_risk_prompts.md` is a verbatim copy of that section of
../shared/clinical.md (outside this repository, so a fresh clone tests against
the copy; refresh it when clinical.md changes). Every row of its table must
have an example here, routed through `core/risk.py`'s table to the prompts the
row names: a row added to clinical.md fails this test until the table follows.
The quoted words of the section are the app's words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skills_app.content import crisis
from skills_app.core import risk
from skills_app.core.risk import Prompt

REFERENCE = (Path(__file__).parent / "fixtures" / "clinical_risk_prompts.md").read_text(
    encoding="utf-8")
YESTERDAY = {"entry_day": "2026-03-03", "today": "2026-03-04"}


def rows() -> dict[str, str]:
    """The table's rows: case -> what the patient sees."""
    found = re.findall(r"^\| (.+?) \| (.+?) \|$", REFERENCE, re.M)
    return {case: shows for case, shows in found if case not in ("case", "---")}


# clinical.md's case -> examples of values that meet it, and the prompts each must show.
EXAMPLES: dict[str, list[tuple[dict[str, object], tuple[Prompt, ...]]]] = {
    "suicide or self-harm urge 4-5": [
        ({"urge_suicide": 4}, (Prompt.CRISIS,)), ({"urge_suicide": 5}, (Prompt.CRISIS,)),
        ({"urge_self_harm": 4}, (Prompt.CRISIS,)), ({"urge_self_harm": 5}, (Prompt.CRISIS,))],
    "suicide or self-harm acted on (any rating)": [
        ({"acted_suicide": True}, (Prompt.ACTED,)),
        ({"acted_self_harm": True, "urge_self_harm": 0}, (Prompt.ACTED,))],
    "suicide urge 1-3": [({"urge_suicide": n}, (Prompt.SAFETY_PLAN_LINK,)) for n in (1, 2, 3)],
    "use acted on": [({"acted_substance_use": True}, (Prompt.SLIP,))],
    "PHQ-9 item 9 > 0 (any total)": [({"phq9_item9": n}, (Prompt.CRISIS,)) for n in (1, 2, 3)],
    "self-harm urge 1-3": [
        ({"urge_self_harm": n}, (Prompt.SAFETY_PLAN_LINK,)) for n in (1, 2, 3)],
    "use urge 4-5 or craving 7-10 (0-10 scale)": [
        *[({"urge_substance_use": n}, (Prompt.CRAVING,)) for n in (4, 5)],
        *[({"craving": n}, (Prompt.CRAVING,)) for n in (7, 8, 9, 10)]],
    "quit-therapy urge 4-5": [({"urge_quit_therapy": n}, (Prompt.QUIT_THERAPY,)) for n in (4, 5)],
    "suicide/self-harm prompt together with use or a craving": [
        ({"urge_suicide": 4, "acted_substance_use": True},
         (Prompt.CRISIS, Prompt.SUBSTANCES_RAISE_RISK, Prompt.SLIP)),
        ({"acted_self_harm": True, "craving": 8},
         (Prompt.ACTED, Prompt.SUBSTANCES_RAISE_RISK, Prompt.CRAVING)),
        ({"acted_self_harm": True, "urge_substance_use": 5, **YESTERDAY},
         (Prompt.ACTED_EARLIER, Prompt.SUBSTANCES_RAISE_RISK, Prompt.CRAVING))],
    "acted on, logged for an earlier day": [
        ({"acted_suicide": True, **YESTERDAY}, (Prompt.ACTED_EARLIER,)),
        ({"acted_self_harm": True, **YESTERDAY}, (Prompt.ACTED_EARLIER,))],
}
# Just under each row: values that do not meet it.
BELOW = {"suicide urge 1-3": {"urge_suicide": 0}, "self-harm urge 1-3": {"urge_self_harm": 0},
         "use urge 4-5 or craving 7-10 (0-10 scale)": {"urge_substance_use": 3, "craving": 6},
         "quit-therapy urge 4-5": {"urge_quit_therapy": 3}, "PHQ-9 item 9 > 0 (any total)": {
             "phq9_item9": 0}}


def test_every_row_of_clinical_md_has_examples() -> None:
    assert set(rows()) == set(EXAMPLES)


@pytest.mark.parametrize("case", list(EXAMPLES))
def test_each_row_routes_to_what_clinical_md_says(case: str) -> None:
    for values, prompts in EXAMPLES[case]:
        assert risk.route(values).prompts == prompts, values
    if case in BELOW:
        assert risk.route(BELOW[case]).prompts == ()


def test_the_quoted_words_are_the_apps() -> None:
    table = rows()
    always = re.search(r'Always true, and shown FIRST in every prompt: "(.+?)"', REFERENCE)
    assert always.group(1) == crisis.NOBODY_WATCHES
    acted = re.search(r'"(.+?)"', table["suicide or self-harm acted on (any rating)"])
    assert crisis.HURT_OR_TOOK_SOMETHING.startswith(acted.group(1))
    assert crisis.POISON_CONTROL_NUMBER in table["suicide or self-harm acted on (any rating)"]
    quoted = re.search(r'"(.+?)"', table["quit-therapy urge 4-5"]).group(1)
    assert crisis.QUIT_THERAPY_LINE == quoted
    craving = re.search(r'"(.+?)"', table["use urge 4-5 or craving 7-10 (0-10 scale)"])
    assert crisis.CRAVING_HELP_LINE == craving.group(1) + "."
    assert "more dangerous" in crisis.SUBSTANCES_RAISE_RISK
    assert "alcohol and drugs make suicidal urges more dangerous" in \
        table["suicide/self-harm prompt together with use or a craving"]
    assert crisis.SUBSTANCES_RAISE_RISK.lower().startswith(
        "alcohol and drugs make suicidal urges more dangerous")


def test_no_prompt_implies_a_live_reader() -> None:
    words = " ".join(value for name, value in vars(crisis).items()
                     if name.isupper() and isinstance(value, str)).lower()
    for live in ("thank you for telling", "thank you for being honest", "we're here",
                 "we are here", "someone will", "we will reach", "we'll reach"):
        assert live not in words


# --- the prompts as the pages draw them, in Spanish ----------------------------------

def rendered(component: object) -> str:
    """A component's compiled code, its \\u escapes read back as letters."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda found: chr(int(found.group(1), 16)),
                  str(component))


def test_the_spanish_diary_cards_prompts_are_in_spanish() -> None:
    """What safety.js shows on a Spanish page (every prompt is in the page, hidden)."""
    from skills_app import text
    from skills_app.components.risk import risk_prompts

    with text.language("es"):
        page = rendered(risk_prompts())
    for words in ("Nadie ve esto de inmediato. Si estás en peligro, llama al 988 o al 911.",
                  "No tienes que pasar por esto a solas", "Llama al 988 y marca 2",
                  "Envía AYUDA al 988", "sms:988?&body=AYUDA", "Llama al 911",
                  "Si te hiciste daño o tomaste algo, llama al 911 ahora.",
                  "Llama a Poison Control", "Abrir mi plan de seguridad", "/es/safety-plan/",
                  "/es/relapse-plan/", "/es/help/#overdose-safety", "Un desliz no es un fracaso",
                  "Díselo a tu terapeuta", "Seguir"):
        assert words in page, words
    for english in ("Nobody sees this", "Call 988", "Open my safety plan", "Continue",
                    '"/safety-plan/"'):
        assert english not in page, english
    # The table safety.js routes with is the same in every language.
    assert risk.cases_as_json().replace('"', '\\"') in page


def test_todays_server_built_prompts_are_in_spanish() -> None:
    """Today's prompts: the server names them (core/day_signal.py), the page shows them."""
    import reflex as rx

    from skills_app import text
    from skills_app.components.risk import todays_prompts

    shown = rx.Var.create(["crisis", "craving"])
    with text.language("es"):
        page = rendered(todays_prompts(shown))
    assert "Nadie ve esto de inmediato" in page and "Cómo pasar un antojo fuerte" in page
    assert "La práctica de hoy, aquí abajo" in page
    assert "Riding out a craving" not in page
