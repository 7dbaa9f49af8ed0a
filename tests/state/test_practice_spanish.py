"""Guided practice in Spanish: an exercise opened on an /es/ route reads in Spanish
where its content has a translation, the options saved stay the English ones the
file (and the database) holds while the screen shows them translated, and the
Practice tab, the flow and the history speak Spanish.

The exercise translations are a small catalogue made here (the real ones are
content-*.po, translated in parallel), put in front of the app's Spanish one.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations
from sqlalchemy import select, update

from skills_app import text
from skills_app.core import db, exercises, practice
from skills_app.core.models import ExerciseSession, User
from skills_app.pages import practice as tab_page
from skills_app.pages import practice_flow as flow_page
from skills_app.state.practice_flow import PracticeFlowState
from skills_app.state.practice_history import PracticeHistoryState
from skills_app.state.practice_tab import PracticeTabState, TodayPracticeState
from skills_app.views import practice_history as history_views
from skills_app.views import practice_tab as tab_views
from tests.conftest import Account
from tests.state.conftest import state_for

# English (the exercise files, folded as the app reads them) → a test's Spanish.
CONTENT = {
    "DEAR MAN: ask for what you want": "DEAR MAN: pide lo que quieres",
    "Use it before you ask someone for something, or before you say no.":
        "Úsalo antes de pedirle algo a alguien, o antes de decir que no.",
    "Who do you want to talk to, and what do you want from them?":
        "¿Con quién quieres hablar y qué quieres de esa persona?",
    "Keep coming back to my ask": "Volver una y otra vez a lo que pido",
    "Describe, Express, Assert, Reinforce, stay Mindful, Appear confident, Negotiate":
        "Describir, Expresar, Afirmar, Reforzar, Mantener la atención, Mostrar "
        "seguridad, Negociar",
    ("Keep yourself safe first. If asking could put you in danger, like with someone who "
     "has hurt you, don't do it alone. Plan it with your therapist first."):
        "Primero cuídate. Si pedirlo te pone en peligro, no lo hagas a solas.",
    # The template in another order: the Spanish message must follow it.
    "{describe} {express} {assert_} {reinforce}": "{express} — {describe} {assert_} {reinforce}",
    "Maybe, I am not sure": "Tal vez, no lo sé",
    "Check the facts": "Revisar los hechos",
}
DEAR_MAN_FORM = {
    "exercise_id": "dear-man", "step": "10", "started_at": "", "written_at": "",
    "answer__goal": "Mi hermano, el dinero", "answer__describe": "Me pediste 200 dólares.",
    "answer__express": "Me siento preocupado.", "answer__assert_": "Págame el viernes.",
    "answer__reinforce": "Así estamos tranquilos.", "answer__how__0": "on",
}
_ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})")


def _compiled(messages: dict[str, str]) -> Translations:
    catalog = Catalog(locale="es")
    for english, spanish in messages.items():
        catalog.add(english, spanish)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain="content")


@pytest.fixture
def real_spanish() -> NullTranslations:
    return text.translations("es")


@pytest.fixture(autouse=True)
def spanish_content(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test's exercise translations in front of the app's Spanish catalogues."""
    real = text.translations
    fixture = _compiled(CONTENT)
    fixture.add_fallback(real("es"))

    def translations(code: str) -> NullTranslations:
        return fixture if code == "es" else real(code)

    monkeypatch.setattr(text, "translations", translations)
    yield


@pytest.fixture
def maria(alice: Account) -> Account:
    """A patient who chose Spanish."""
    with db.transaction() as session:
        session.execute(update(User).where(User.id == alice.identity.user_id)
                        .values(language="es"))
    return alice


def rendered(component: object) -> str:
    """A built page as the browser gets it, its \\u escapes read back."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), str(component))


async def spanish_flow(account: Account, exercise_id: str = "dear-man") -> PracticeFlowState:
    state = state_for(PracticeFlowState, account.token, f"/es/practice/do/?id={exercise_id}")
    with text.language("es"):
        assert await state.load_flow() is None
    return state


async def test_an_exercise_opened_in_spanish_reads_in_spanish(maria: Account) -> None:
    state = await spanish_flow(maria)
    assert (state.exercise_id, state.title) == ("dear-man", "DEAR MAN: pide lo que quieres")
    assert state.when == "Úsalo antes de pedirle algo a alguien, o antes de decir que no."
    assert state.about == "Toma cerca de 10 minutos. Puedes parar cuando quieras."


async def test_the_content_catalogue_is_used_and_english_is_the_fallback(
        maria: Account, real_spanish: NullTranslations) -> None:
    """STOP is not in the test's catalogue: its title is the real Spanish one of
    content-*.po when that has it, else the file's English."""
    state = await spanish_flow(maria, "stop")
    english = exercises.exercise("stop").title
    assert state.title == real_spanish.gettext(english)


def test_the_flow_page_built_in_spanish_shows_the_exercise_in_spanish() -> None:
    with text.language("es"):
        page = rendered(flow_page.practice_flow_page())
    assert "¿Con quién quieres hablar y qué quieres de esa persona?" in page
    assert "DEAR MAN quiere decir: Describir, Expresar, Afirmar" in page
    assert "Lee esto primero." in page and "Primero cuídate." in page
    assert "Volver una y otra vez a lo que pido" in page
    assert "Paso 2 de 9" in page and "Siguiente" in page and "Antes de empezar" in page
    # A choice: the tile reads in Spanish, the value sent (and saved) is the English option.
    assert '"aria-label":"Tal vez, no lo sé"' in page
    assert 'value:(isNotNullOrUndefined("Maybe, I am not sure")' in page
    assert 'isNotNullOrUndefined("Tal vez, no lo sé")' not in page
    with text.language("en"):
        english = rendered(flow_page.practice_flow_page())
    assert "Who do you want to talk to, and what do you want from them?" in english
    assert "Volver una y otra vez" not in english and "Paso 2 de 9" not in english


async def test_a_saved_option_stays_english_and_is_shown_translated(maria: Account) -> None:
    state = await spanish_flow(maria)
    with text.language("es"):
        await state.finish({**DEAR_MAN_FORM, "idempotency_key": str(uuid.uuid4())})
    assert state.message == "" and state.errors == {}
    with db.read() as session:
        [row] = session.execute(select(ExerciseSession)).scalars().all()
    # What the database holds: the file's English option, as before.
    assert row.answers["how"] == ["Keep coming back to my ask"]
    # The message follows the Spanish template; the patient's words stay as typed.
    assert state.finished["message"] == ("Me siento preocupado. — Me pediste 200 dólares. "
                                         "Págame el viernes. Así estamos tranquilos.")
    assert state.finished["heading"].startswith("Terminaste: ")
    assert "p.m." in state.finished["heading"] or "a.m." in state.finished["heading"]

    history = state_for(PracticeHistoryState, maria.token, "/es/practice/history/")
    with text.language("es"):
        assert await history.load_history() is None
    [card] = history.cards
    assert card["title"] == "DEAR MAN: pide lo que quieres" and card["day_header"] == "Hoy"
    how = next(answer for answer in card["answers"] if answer["items"])
    assert how["items"] == ["Volver una y otra vez a lo que pido"]
    goal = card["answers"][0]
    assert goal == {"label": "¿Con quién quieres hablar y qué quieres de esa persona?",
                    "text": "Mi hermano, el dinero", "items": []}
    assert card["message"].startswith("Me siento preocupado. — ")
    assert card["named"].startswith("práctica de DEAR MAN del ")
    assert history.range_line == "Se muestran los últimos 90 días."

    # The same practice read in English: the English words, the English template.
    with text.language("en"):
        english_card = history_views.card(practice.history(
            maria.identity.user_id, row.local_date, row.local_date)[0], "")
    assert english_card["answers"][-1]["items"] == ["Keep coming back to my ask"]
    assert english_card["message"].startswith("Me pediste 200 dólares. Me siento")


def test_a_saved_choice_is_shown_translated_in_the_history() -> None:
    step = next(step for step in exercises.exercise("check-the-facts").steps
                if step.key == "threat")
    with text.language("es"):
        assert history_views.answer_text(step, "Maybe, I am not sure") == (
            "Tal vez, no lo sé", [])
        # What is not one of the step's options is shown as it was saved.
        assert history_views.answer_text(step, "Something else") == ("Something else", [])
    assert history_views.answer_text(step, "Maybe, I am not sure") == (
        "Maybe, I am not sure", [])


async def test_a_spanish_problem_reaches_the_flow_in_spanish(maria: Account) -> None:
    state = await spanish_flow(maria)
    with text.language("es"):
        await state.finish({**DEAR_MAN_FORM, "idempotency_key": str(uuid.uuid4()),
                            "answer__goal": "", "distress_before": "11"})
    assert state.errors == {"answer__goal": "Responde el paso 2 antes de terminar.",
                            "distress_before": "Elige un número del 0 al 10, o déjalo en blanco."}
    assert state.message == "Responde el paso 2 antes de terminar."


def test_the_practice_tab_speaks_spanish() -> None:
    with text.language("es"):
        page = rendered(tab_page.practice_page())
    for words in ("Necesito ayuda con...", "Pienso en hacerme daño",
                  "Se viene una conversación difícil", "Buscar ejercicios", "Atención plena",
                  "Relaciones con los demás", "Tolerancia al malestar",
                  "Tu historial de práctica", "Guardar en favoritos: Revisar los hechos",
                  "marca 2, o manda AYUDA por mensaje de texto al 988"):
        assert words in page, words
    assert "/es/practice/do/?id=dear-man" in page and "/es/practice/history/" in page
    # Search finds an exercise by its Spanish words.
    assert 'data-search":"dear man: pide lo que quieres' in page
    for english in ("I need help with...", "Search exercises", "Your practice history"):
        assert english not in page, english


async def test_the_tab_and_today_card_speak_spanish(maria: Account) -> None:
    practice.finish_exercise(maria.identity.user_id, maria.identity.time_zone, {
        "idempotency_key": str(uuid.uuid4()), "exercise_id": "dear-man",
        "answers": {"goal": "a", "describe": "b", "express": "c", "assert_": "d",
                    "reinforce": "e"}})
    tab = state_for(PracticeTabState, maria.token, "/es/practice/")
    with text.language("es"):
        assert await tab.load_tab() is None
        await tab.star("dear-man", True)
    assert tab.last_done["dear-man"].startswith("Última vez: ")
    [card] = tab.favourite_cards
    assert (card["title"], card["href"]) == ("DEAR MAN: pide lo que quieres",
                                            "/es/practice/do/?id=dear-man")
    today = state_for(TodayPracticeState, maria.token, "/es/today/")
    with text.language("es"):
        await today.load_plan()
    assert today.week_line == "Practicaste 1 día esta semana."
    with text.language("es"):
        assert tab_views.week_line(0) == ("Unos minutos de práctica pueden ayudar. "
                                          "Elige uno cuando quieras.")
        assert tab_views.week_line(3) == "Practicaste 3 días esta semana."
