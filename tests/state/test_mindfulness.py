"""The mindfulness handlers called directly, as a raw client could: a finished
session logged once, forged logs refused with a message and nothing stored, no
session, a therapist, another patient's key; the log page's minutes."""

from __future__ import annotations

import json
import math
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from skills_app import text
from skills_app.core import db, mindfulness
from skills_app.core.clock import utcnow
from skills_app.core.models import MindfulnessSession
from skills_app.core.problems import Problem
from skills_app.pages import mindfulness as pages
from skills_app.state.journal import EntryEditorState
from skills_app.state.mindfulness import MindfulnessLogState, MindfulnessState
from skills_app.text.problems import say, script_text
from skills_app.views import mindfulness as views
from tests.conftest import Account
from tests.state.conftest import script_of, sign_in_target, state_for


def rows() -> list[MindfulnessSession]:
    with db.read() as session:
        return list(session.exec(select(MindfulnessSession)).all())


def record(**fields: object) -> dict:
    ended = utcnow() - timedelta(minutes=1)
    raw = {"idempotency_key": str(uuid.uuid4()), "practice": "timer",
           "started_at": (ended - timedelta(minutes=10)).isoformat(),
           "ended_at": ended.isoformat(), "seconds": 600, "ended_early": False}
    raw.update(fields)
    return raw


def form(raw: object) -> dict:
    return {"session": json.dumps(raw)}


def timer_state(account: Account | None) -> MindfulnessState:
    return state_for(MindfulnessState, account.token if account else None,
                     "/mindfulness/timer/")


async def test_a_finished_session_is_logged_once_and_the_page_told(alice: Account) -> None:
    state = timer_state(alice)
    raw = record()
    first = await state.log_session(form(raw))
    second = await state.log_session(form(raw))  # a resend after reconnecting
    [row] = rows()
    assert (row.user_id, row.practice, row.seconds) == (alice.identity.user_id, "timer", 600)
    for answer in (first, second):
        assert f'skillsMindful.logged("{raw["idempotency_key"]}")' in script_of(answer)
    assert state.message == ""


NOW = datetime.now(UTC)


@pytest.mark.parametrize(("fields", "message"), [
    ({"ended_at": (NOW - timedelta(hours=2)).isoformat()}, mindfulness.END_BEFORE_START),
    ({"started_at": (NOW - timedelta(hours=30)).isoformat()}, mindfulness.TOO_LONG),
    ({"started_at": (NOW + timedelta(hours=2)).isoformat(),
      "ended_at": (NOW + timedelta(hours=3)).isoformat()}, mindfulness.IN_THE_FUTURE),
    ({"seconds": 0}, mindfulness.BAD_SECONDS),
    ({"seconds": -5}, mindfulness.BAD_SECONDS),
    ({"seconds": 10_000 * 60}, mindfulness.BAD_SECONDS),
    ({"seconds": "abc"}, mindfulness.BAD_SECONDS),
    ({"seconds": math.nan}, mindfulness.BAD_SECONDS),
    ({"practice": "../timer"}, mindfulness.UNKNOWN_PRACTICE),
    ({"user_id": 2}, mindfulness.BAD_LOG),
])
async def test_forged_logs_are_refused_with_a_message(alice: Account, bob: Account,
                                                      fields: dict, message: Problem) -> None:
    state = timer_state(alice)
    raw = record(**fields)
    answer = await state.log_session(form(raw))
    assert state.message == say(message)
    assert f'skillsMindful.refused("{raw["idempotency_key"]}")' in script_of(answer)
    assert rows() == []


@pytest.mark.parametrize("sent", [None, "text", [], {"session": 7}, {"session": "not json"},
                                  {"session": "NaN"}, {"session": "x" * 1_100_000},
                                  {"other": "{}"}])
async def test_something_that_is_no_log_is_refused(alice: Account, sent: object) -> None:
    state = timer_state(alice)
    answer = await state.log_session(sent)
    assert state.message == ("Something went wrong with this session's record, so it was "
                             "not logged.")
    assert "skillsMindful.refused" in script_of(answer)
    assert rows() == []


async def test_without_a_session_nothing_is_logged_and_the_browser_goes_to_sign_in() -> None:
    answer = await timer_state(None).log_session(form(record()))
    assert sign_in_target(answer) == "/signin/?next=/mindfulness/timer/"
    assert rows() == []


async def test_a_therapist_cannot_log_a_session(carol: Account) -> None:
    answer = await timer_state(carol).log_session(form(record()))
    assert sign_in_target(answer)
    assert rows() == []


async def test_another_patients_key_is_refused(alice: Account, bob: Account) -> None:
    raw = record()
    await timer_state(alice).log_session(form(raw))
    bobs = timer_state(bob)
    answer = await bobs.log_session(form({**raw, "seconds": 30}))
    assert bobs.message == say(mindfulness.KEY_IN_USE) and "refused" in script_of(answer)
    [row] = rows()
    assert (row.user_id, row.seconds) == (alice.identity.user_id, 600)


async def test_the_log_page_shows_minutes_per_day_and_per_practice(alice: Account,
                                                                   bob: Account) -> None:
    state = timer_state(alice)
    await state.log_session(form(record()))
    await state.log_session(form(record(practice="guided.urge-surfing", seconds=90)))
    await timer_state(bob).log_session(form(record(seconds=300)))
    log = state_for(MindfulnessLogState, alice.token, "/mindfulness/log/")
    assert await log.load_log() is None
    assert log.loaded and len(log.days) == 7
    assert (log.days[0]["day"], log.days[0]["minutes"], log.days[0]["width"]) == (
        "Today", "12 min", "100%") or log.days[1]["minutes"] == "12 min"  # near midnight
    assert log.practices == [{"title": "Meditation timer", "minutes": "10 min"},
                             {"title": "Urge surfing (10 minutes)", "minutes": "2 min"}]
    assert log.week_line.startswith("This week: 12 min of mindfulness on ")


async def test_the_log_page_sends_others_home_or_to_sign_in(carol: Account) -> None:
    log = state_for(MindfulnessLogState, carol.token, "/mindfulness/log/")
    await log.load_log()
    assert not log.loaded and log.days == []
    nobody = state_for(MindfulnessLogState, None, "/mindfulness/log/")
    assert sign_in_target(await nobody.load_log()) == "/signin/?next=/mindfulness/log/"


async def test_a_new_diary_card_ticks_the_skills_of_todays_mindfulness(alice: Account) -> None:
    """The diary card's pre-ticks come from the one "skills used" answer."""
    await timer_state(alice).log_session(form(record(practice="breathe.box", seconds=180)))
    card = state_for(EntryEditorState, alice.token, "/journal/new/")
    await card.load_editor()
    assert card.defaults == {"skill__distress_tolerance.paced_breathing": "on"}
    assert card.practised_note.startswith("Ticked for you")


async def test_a_spanish_page_hears_its_refusal_and_reads_its_log_in_spanish(
        alice: Account) -> None:
    state = state_for(MindfulnessState, alice.token, "/es/mindfulness/timer/")
    with text.language("es"):
        await state.log_session(form(record(seconds=0)))
        assert state.message == "No pudimos leer cuánto duró esta sesión, así que no se guardó."
        await state.log_session(form(record(practice="guided.urge-surfing", seconds=90)))
        data = views.log_data(alice.identity.user_id, alice.identity.time_zone)
    assert data.practices == [{"title": "Surfear el impulso (10 minutos)", "minutes": "2 min"}]
    assert data.days[0]["day"] in ("Hoy", "Ayer") or "de" in data.days[0]["day"]
    assert data.week_line.startswith("Esta semana: 2 min de atención plena en 1 día")


def test_the_mindfulness_pages_are_built_in_spanish() -> None:
    """The guided script, the timer's setup and what timer.js will say come from the
    page, in its language (no English left on a Spanish page but the app's name)."""
    with text.language("es"):
        guided = str(pages.guided_page(mindfulness.GUIDED["urge-surfing"])())
        timer = str(pages.timer_page())
        words = script_text()
        breathe = str(pages.breathe_page())
        pages.hub_page(), pages.log_page()  # every page of the area builds in Spanish
    guided = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), guided)
    assert "Siéntate cómodo. Nota que ahora tienes un impulso." in guided
    assert '"data-title":"surfear el impulso"' in guided
    assert "Sit comfortably" not in guided and ",\"Empezar\")" in guided
    assert "Empezar el temporizador" in timer and "Start the timer" not in timer
    assert "Empezar a respirar" in breathe and "Hold after breathing in" not in breathe
    assert words["mind.finished_at"] == "Terminaste: {time}"
    assert words["mind.in"] == "Toma aire"
