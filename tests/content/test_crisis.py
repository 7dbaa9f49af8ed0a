"""Crisis content: the numbers and words of ../shared/clinical.md, what a risk
prompt may offer, and the one setting that picks the country."""

from __future__ import annotations

import pytest

from skills_app.content import crisis
from skills_app.core import settings


def hrefs(resources: tuple[crisis.CrisisResource, ...]) -> set[str]:
    return {action.href for resource in resources for action in resource.actions}


def test_the_us_lines_and_their_numbers() -> None:
    assert {"tel:988", "sms:988", "https://988lifeline.org/chat/", "tel:911",
            "sms:741741?&body=HOME", "tel:+18002221222", "tel:+18006624357",
            "sms:838255", "sms:988?&body=AYUDA"} == hrefs(crisis.US_RESOURCES)


def test_988s_options_for_veterans_spanish_and_deaf_or_hard_of_hearing() -> None:
    options = " ".join(crisis.LIFELINE.options)
    assert "Veterans: call 988 and press 1, or text 838255." in options
    assert "press 2, or text AYUDA" in options
    assert "Deaf or hard of hearing" in options and "ASL" in options
    assert "drug or alcohol" in crisis.LIFELINE.description  # 988 answers substance-use crises


def test_poison_control() -> None:
    assert crisis.POISON_CONTROL_NUMBER == "1-800-222-1222"
    assert "overdose" in crisis.POISON_CONTROL.description


def test_samhsa_is_labelled_treatment_referral_and_never_in_a_prompt() -> None:
    assert crisis.SAMHSA_HELPLINE.referral_only
    assert "treatment referral" in crisis.SAMHSA_HELPLINE.name
    assert crisis.SAMHSA_HELPLINE.description.startswith("Not a crisis line.")
    assert crisis.SAMHSA_HELPLINE in crisis.CRISIS_RESOURCES
    assert crisis.SAMHSA_HELPLINE not in crisis.PROMPT_RESOURCES
    assert "tel:+18006624357" not in {action.href for action in crisis.PROMPT_ACTIONS}


def test_the_crisis_prompts_buttons() -> None:
    assert [action.href for action in crisis.PROMPT_ACTIONS] == [
        "tel:988", "sms:988", "https://988lifeline.org/chat/", "sms:741741?&body=HOME",
        "tel:911"]


def test_the_exact_lines_of_clinical_md() -> None:
    assert crisis.NOBODY_WATCHES == (
        "Nobody sees this right away. If you are in danger, call 988 or 911.")
    assert crisis.HURT_OR_TOOK_SOMETHING == (
        "If you have hurt yourself or taken something, call 911 now.")


def test_outside_the_us() -> None:
    resources = crisis.resources_for("GB")
    text = " ".join(resource.description for resource in resources)
    assert "call your local emergency number" in text
    assert hrefs(resources) == {"https://findahelpline.com/"}
    assert crisis.resources_for("us") == crisis.US_RESOURCES


@pytest.mark.parametrize(("raw", "country"), [("", "US"), ("ca", "CA"), (" gb ", "GB")])
def test_the_country_setting(monkeypatch: pytest.MonkeyPatch, raw: str, country: str) -> None:
    monkeypatch.setenv("SKILLS_COUNTRY", raw)
    assert settings.deployment_country() == country


@pytest.mark.parametrize("raw", ["USA", "1", "U S"])
def test_a_bad_country_setting_stops_the_start(monkeypatch: pytest.MonkeyPatch,
                                               raw: str) -> None:
    monkeypatch.setenv("SKILLS_COUNTRY", raw)
    with pytest.raises(ValueError, match="two-letter"):
        settings.deployment_country()


# --- in Spanish (clinical.md: 988 press 2 or text AYUDA, 911, Poison Control in Spanish) --

def test_the_spanish_crisis_lines() -> None:
    from skills_app import text
    from skills_app.text import _

    with text.language("es"):
        options = " ".join(_(option) for option in crisis.LIFELINE.options)
        poison = _(crisis.POISON_CONTROL.description)
        assert "En español: llama al 988 y marca 2, o envía AYUDA por texto al 988." in options
        assert _(crisis.CALL_988.label) == "Llama al 988 y marca 2"
        # Texting 988 from a Spanish page starts the text with AYUDA (the Spanish line).
        assert (_(crisis.TEXT_988.label), _(crisis.TEXT_988.href)) == (
            "Envía AYUDA al 988", "sms:988?&body=AYUDA")
        assert _(crisis.CALL_911.label) == "Llama al 911"
        assert _(crisis.CALL_POISON_CONTROL.label).endswith("1-800-222-1222")
        assert "Atienden en español" in poison
        assert _(crisis.NOBODY_WATCHES) == ("Nadie ve esto de inmediato. Si estás en peligro, "
                                            "llama al 988 o al 911.")
    # The English page keeps its own address for a text to 988.
    assert _(crisis.TEXT_988.href) == "sms:988"


def test_the_spanish_help_page_carries_the_spanish_crisis_lines() -> None:
    import re

    from skills_app import text
    from skills_app.pages.help import help_page

    with text.language("es"):
        page = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)),
                      str(help_page()))
    for words in ("Pedir ayuda ya", "No tienes que pasar por esto a solas",
                  "988 Línea de Prevención del Suicidio y Crisis",
                  "En español: llama al 988 y marca 2, o envía AYUDA por texto al 988.",
                  "sms:988?&body=AYUDA", "Llama al 911", "Llama a Poison Control",
                  "Atienden en español", "Seguridad ante una sobredosis",
                  "Dale naloxona (Narcan) si la tienes.", "/es/safety-plan/", "Volver a la app"):
        assert words in page, words
    for english in ("Get help now", "Free and private", "Signs of an opioid overdose"):
        assert english not in page, english
