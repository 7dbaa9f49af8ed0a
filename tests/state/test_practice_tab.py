"""Practice tab and Today's practice handlers called directly, as a raw client could:
forged exercise ids, stars that are not true or false, huge strings, no session."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from skills_app.core import dates, db, exercises, journal, practice
from skills_app.core.exercises import Step
from skills_app.core.models import ExerciseFavourite
from skills_app.state.practice_tab import PracticeTabState, TodayPracticeState
from skills_app.text import formats
from skills_app.views import practice_tab as views
from tests.conftest import Account
from tests.state.conftest import redirect_target, sign_in_target, state_for


def favourite_rows() -> list[tuple[int, str]]:
    with db.read() as session:
        return [(row.user_id, row.exercise_id)
                for row in session.exec(select(ExerciseFavourite)).all()]


def answer(step: Step) -> object:
    """A plain answer to any step that asks something."""
    if step.input in ("choice", "multi_choice", "checklist"):
        return step.options[0] if step.input == "choice" else [step.options[0]]
    return 5 if step.input == "scale" else "Took a breath first."


def finish(account: Account, exercise_id: str = "halt-check") -> None:
    steps = exercises.exercise(exercise_id).steps
    result = practice.finish_exercise(account.identity.user_id, account.identity.time_zone, {
        "idempotency_key": str(uuid.uuid4()), "exercise_id": exercise_id,
        "answers": {step.key: answer(step) for step in steps if step.asks}})
    assert result.ok, result.errors


async def practice_tab(account: Account | None) -> PracticeTabState:
    state = state_for(PracticeTabState, account.token if account else None, "/practice/")
    await state.load_tab()
    return state


async def test_a_star_is_saved_and_shown_as_a_favourite(alice: Account) -> None:
    state = await practice_tab(alice)
    assert (state.favourite_ids, state.favourite_cards) == ([], [])
    await state.star("urge-surfing", True)
    await state.star("stop", True)
    # Listed as the tab lists them: module order (distress tolerance), then title.
    assert state.favourite_ids == ["stop", "urge-surfing"]
    assert state.favourite_cards[0]["href"] == "/practice/do/?id=stop"
    assert (await practice_tab(alice)).favourite_ids == ["stop", "urge-surfing"]
    await state.star("stop", False)
    assert state.favourite_ids == ["urge-surfing"]
    assert favourite_rows() == [(alice.identity.user_id, "urge-surfing")]


FORGED_IDS = ["no-such-exercise", "", " stop", "STOP", "../stop", "stop\x00", "x" * 1_100_000,
              None, 7, True, ["stop"], {"id": "stop"}]
NOT_A_BOOL = ["true", "false", 1, 0, None, "", "x" * 1_100_000, [True], {"starred": True}, 1.0]


@pytest.mark.parametrize("exercise_id", FORGED_IDS, ids=range(len(FORGED_IDS)))
async def test_a_forged_exercise_id_stars_nothing(alice: Account, exercise_id: object) -> None:
    state = await practice_tab(alice)
    await state.star(exercise_id, True)
    assert favourite_rows() == [] and state.favourite_ids == []


@pytest.mark.parametrize("starred", NOT_A_BOOL, ids=range(len(NOT_A_BOOL)))
async def test_a_star_that_is_not_true_or_false_changes_nothing(alice: Account,
                                                                starred: object) -> None:
    state = await practice_tab(alice)
    await state.star("tip", True)
    await state.star("tip", starred)
    await state.star("stop", starred)
    assert favourite_rows() == [(alice.identity.user_id, "tip")]
    assert state.favourite_ids == ["tip"]


async def test_without_a_session_nothing_is_starred_and_the_tab_goes_to_sign_in(
        alice: Account) -> None:
    state = await practice_tab(None)
    assert sign_in_target(await state.load_tab()) == "/signin/?next=/practice/"
    assert sign_in_target(await state.star("tip", True)) == "/signin/?next=/practice/"
    forged = state_for(PracticeTabState, "not-a-real-session-token", "/practice/")
    assert sign_in_target(await forged.star("tip", True)) == "/signin/?next=/practice/"
    assert favourite_rows() == []


async def test_a_therapist_is_sent_home_and_stars_nothing(carol: Account) -> None:
    state = state_for(PracticeTabState, carol.token, "/practice/")
    assert redirect_target(await state.load_tab()) == "/patients/"
    await state.star("tip", True)
    assert favourite_rows() == [] and state.favourite_ids == []


async def test_one_patients_favourites_and_days_never_reach_another(alice: Account,
                                                                    bob: Account) -> None:
    alices = await practice_tab(alice)
    await alices.star("dear-man", True)
    finish(alice)
    bobs = await practice_tab(bob)
    assert (bobs.favourite_ids, bobs.favourite_cards, bobs.last_done) == ([], [], {})


async def test_each_card_says_when_it_was_last_done(alice: Account) -> None:
    state = await practice_tab(alice)
    assert state.last_done == {}
    finish(alice, "halt-check")
    await state.star("halt-check", True)
    today = dates.local_today(alice.identity.time_zone)
    label = f"Last done {formats.day(today)}"
    assert state.last_done == {"halt-check": label}
    assert state.favourite_cards[0]["last_done"] == label


def test_a_day_from_another_year_says_its_year() -> None:
    from datetime import date
    assert views.last_done_label(date(2026, 3, 3), date(2026, 11, 29)) == "Last done Tue, Mar 3"
    assert views.last_done_label(date(2025, 3, 3), date(2026, 1, 2)) == (
        "Last done Mar 3, 2025")


def test_each_situation_offers_two_or_three_exercises_tagged_with_it() -> None:
    picks = views.situation_picks()
    assert [key for key, _, _ in picks] == ["hard_conversation", "urge_to_use", "overwhelmed",
                                            "cant_sleep", "angry"]
    for key, _, chosen in picks:
        assert 2 <= len(chosen) <= 3, key
        assert all(key in exercise.situations for exercise in chosen)


async def test_today_shows_the_plan_and_a_gentle_weekly_line(alice: Account) -> None:
    state = state_for(TodayPracticeState, alice.token, "/today/")
    await state.load_plan()
    assert state.loaded and 1 <= len(state.plan) <= 3
    assert all(row["href"] == f"/practice/do/?id={row['id']}" for row in state.plan)
    assert state.week_line == "A few minutes of practice can help. Pick one when you're ready."
    first = state.plan[0]["id"]
    finish(alice, first)
    await state.load_plan()
    assert first not in [row["id"] for row in state.plan]  # a finished one leaves the plan
    assert state.week_line == "You practised on 1 day this week."


async def test_today_shows_the_craving_card_and_its_exercises_after_a_strong_craving(
        alice: Account, bob: Account) -> None:
    state = state_for(TodayPracticeState, alice.token, "/today/")
    await state.load_plan()
    assert state.prompts == []
    for account, fields in ((alice, {"craving": 8}), (bob, {"urge_suicide": 5})):
        assert journal.save_entry(account.identity.user_id, "America/Chicago", {
            "idempotency_key": str(uuid.uuid4()), "kind": "diary", **fields}).ok
    await state.load_plan()
    assert state.prompts == ["craving"]  # Alice's day only
    assert [row["id"] for row in state.plan] == ["urge-surfing", "halt-check",
                                                 "play-the-tape-through"]


async def test_todays_plan_is_not_loaded_without_a_patients_session(carol: Account) -> None:
    for token in (None, "forged-token", carol.token):
        state = state_for(TodayPracticeState, token, "/today/")
        await state.load_plan()
        assert (state.loaded, state.plan, state.week_line, state.prompts) == (False, [], "", [])
