"""The exercise flow's handlers called directly, as a raw client could: forged ids,
huge answers, bad distress ratings, no session, another patient."""

from __future__ import annotations

import math
import uuid

import pytest
from sqlmodel import select

from skills_app.core import db, practice
from skills_app.core.models import ExerciseSession
from skills_app.state.practice_flow import PracticeFlowState
from skills_app.text.problems import say
from tests.conftest import Account
from tests.state.conftest import script_of, sign_in_target, state_for

DEAR_MAN_ANSWERS = {
    "answer__goal": "My brother, the money",
    "answer__describe": "You borrowed 200 dollars.",
    "answer__express": "I feel worried.",
    "answer__assert_": "Please pay me back by Friday.",
    "answer__reinforce": "Then we can both relax.",
}


def rows() -> list[ExerciseSession]:
    with db.transaction() as session:
        return list(session.exec(select(ExerciseSession)).all())


def dear_man_form(**fields: object) -> dict[str, object]:
    form: dict[str, object] = {"idempotency_key": str(uuid.uuid4()), "exercise_id": "dear-man",
                               "step": "10", "started_at": "", "written_at": "",
                               **DEAR_MAN_ANSWERS}
    form.update(fields)
    return form


async def flow(account: Account | None, exercise_id: str = "dear-man") -> PracticeFlowState:
    state = state_for(PracticeFlowState, account.token if account else None,
                      f"/practice/do/?id={exercise_id}")
    await state.load_flow()
    return state


async def test_a_finished_exercise_is_saved_once_and_shows_its_message(alice: Account) -> None:
    state = await flow(alice)
    assert (state.exercise_id, state.title, state.not_found) == (
        "dear-man", "DEAR MAN: ask for what you want", False)
    form = dear_man_form(answer__how__0="on", answer__how__2="on", distress_before="8",
                         distress_after="4", helped="yes")
    await state.finish(form)
    await state.finish(form)  # a double tap or a resend after reconnect
    [row] = rows()
    assert row.answers["how"] == ["Keep coming back to my ask",
                                  "Be ready to give a little to get a little"]
    assert (row.distress_before, row.distress_after, row.helped) == (8, 4, "yes")
    assert state.saved_key == form["idempotency_key"]
    assert state.finished["heading"].startswith("Finished at ")
    assert state.finished["message"] == ("You borrowed 200 dollars. I feel worried. "
                                         "Please pay me back by Friday. Then we can both relax.")


@pytest.mark.parametrize("forged", ["no-such-exercise", "../dear-man", "", None, 7,
                                    ["dear-man"], "DEAR-MAN"])
async def test_a_forged_exercise_id_is_refused(alice: Account, forged: object) -> None:
    state = await flow(alice, "no-such-exercise")
    assert state.not_found and state.exercise_id == ""
    result = await state.finish(dear_man_form(exercise_id=forged))
    assert state.message == ("We couldn't find that exercise. Please pick one from the "
                             "Practice tab.")
    assert "notSaved" in script_of(result)
    assert rows() == [] and state.finished == {}


@pytest.mark.parametrize("field", ["answer__describe", "answer__goal"])
async def test_an_answer_of_100000_characters_is_refused(alice: Account, field: str) -> None:
    state = await flow(alice)
    result = await state.finish(dear_man_form(**{field: "x" * 100_000}))
    assert state.message and "notSaved" in script_of(result)
    assert field in state.errors
    assert rows() == []


@pytest.mark.parametrize("value", ["11", "-1", "abc", "NaN", "nan", 11, -1, math.nan, 7.5,
                                   True, [3], {"a": 1}, "5.5", "1e1"])
@pytest.mark.parametrize("name", ["distress_before", "distress_after"])
async def test_a_bad_distress_rating_is_refused(alice: Account, name: str,
                                                value: object) -> None:
    state = await flow(alice)
    result = await state.finish(dear_man_form(**{name: value}))
    assert state.message == "Please pick a number from 0 to 10, or leave it blank."
    assert state.errors == {name: state.message}
    assert "notSaved" in script_of(result)
    assert rows() == []


@pytest.mark.parametrize("fields", [
    {"helped": "maybe"},
    {"answer__how__0": "Keep coming back"},  # a box must say "on"
    {"answer__goal": ""},  # a step that needs an answer
    {"idempotency_key": "not-a-key"},
])
async def test_other_forged_values_are_refused(alice: Account, fields: dict) -> None:
    state = await flow(alice)
    result = await state.finish(dear_man_form(**fields))
    assert state.message and "notSaved" in script_of(result)
    assert rows() == []


@pytest.mark.parametrize("form", ["a string", None, 42, ["idempotency_key"]])
async def test_something_that_is_no_form_is_refused(alice: Account, form: object) -> None:
    state = await flow(alice)
    await state.finish(form)
    assert state.message == say(practice.BAD_FORM) == (
        "Something went wrong with this exercise. Please try again.")
    assert rows() == []


async def test_without_a_session_nothing_is_saved_and_the_browser_goes_to_sign_in(
        alice: Account) -> None:
    state = await flow(None)
    assert state.exercise_id == ""
    result = await state.finish(dear_man_form())
    assert sign_in_target(result).startswith("/signin/")
    assert rows() == []


async def test_a_therapist_cannot_finish_an_exercise(carol: Account) -> None:
    state = await flow(carol)
    assert state.exercise_id == ""
    result = await state.finish(dear_man_form())
    assert sign_in_target(result).startswith("/signin/")
    assert rows() == []


async def test_another_patients_key_is_refused_without_showing_theirs(
        alice: Account, bob: Account) -> None:
    form = dear_man_form(answer__describe="Alice's private words.")
    alices = await flow(alice)
    await alices.finish(form)
    bobs = await flow(bob)
    await bobs.finish(dear_man_form(idempotency_key=form["idempotency_key"]))
    assert bobs.finished == {} and bobs.saved_key == ""
    assert "Alice" not in repr(bobs.get_delta())
    assert len(rows()) == 1


async def test_an_expired_session_comes_back_to_the_same_exercise(alice: Account) -> None:
    """Sign-in returns to /practice/do/?id=dear-man, where the device draft waits
    (the query used to be dropped, leaving the patient on "couldn't find")."""
    state = state_for(PracticeFlowState, "expired-token", "/practice/do/?id=dear-man")
    assert sign_in_target(await state.load_flow()) == (
        "/signin/?next=/practice/do/%3Fid%3Ddear-man")
    assert sign_in_target(await state.finish(dear_man_form())) == (
        "/signin/?next=/practice/do/%3Fid%3Ddear-man")
    assert rows() == []
