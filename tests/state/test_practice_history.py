"""Practice history handlers called directly, as a raw client could: another
patient's ids, forged ids, a stale tab, a therapist."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from skills_app.core import db, practice
from skills_app.core.models import ExerciseSession
from skills_app.state.practice_history import PracticeHistoryState
from tests.conftest import Account
from tests.state.conftest import redirect_target, sign_in_target, state_for

PATH = "/practice/history/"
ALICE_SCRIPT = "You borrowed my car and brought it back empty."
BOB_SECRET = "Bob's private words about his brother"

FORGED_IDS = [None, "", "1 OR 1=1", "1; DELETE FROM exercise_session", "9" * 100_000,
              "-1", "0", ["1"], {"id": "1"}, 1, 1.0, True]


def finish(account: Account, exercise_id: str = "dear-man", **answers: object) -> int:
    raw = {"idempotency_key": str(uuid.uuid4()), "exercise_id": exercise_id,
           "answers": answers or {"goal": "Ask my friend to fill the tank",
                                  "describe": ALICE_SCRIPT, "express": "I felt let down.",
                                  "assert_": "Please fill it up next time.",
                                  "reinforce": "Then I can keep lending it."},
           "distress_before": 6, "distress_after": 3, "helped": "yes"}
    result = practice.finish_exercise(account.identity.user_id, account.identity.time_zone, raw)
    assert result.ok, result.errors
    return result.finished.id


def ids_of(account: Account) -> set[int]:
    with db.read() as session:
        return set(session.execute(select(ExerciseSession.id).where(
            ExerciseSession.user_id == account.identity.user_id)).scalars().all())


async def loaded(account: Account) -> PracticeHistoryState:
    state = state_for(PracticeHistoryState, account.token, PATH)
    assert await state.load_history() is None
    assert state.loaded
    return state


@pytest.fixture
def bobs_practice(bob: Account) -> int:
    return finish(bob, "self-soothe", sight=BOB_SECRET)


async def test_the_history_shows_only_the_patients_own_practice(
        alice: Account, bob: Account, bobs_practice: int) -> None:
    mine = finish(alice)
    state = await loaded(alice)
    assert [card["id"] for card in state.cards] == [str(mine)]
    card = state.cards[0]
    assert card["distress"] == "Distress 6 → 3" and card["helped"] == "Helped: Yes"
    assert ALICE_SCRIPT in card["message"]
    assert BOB_SECRET not in repr(state.dict()) and str(bobs_practice) not in [
        c["id"] for c in state.cards]


async def test_the_owner_deletes_after_naming_it(alice: Account) -> None:
    kept, gone = finish(alice, "self-soothe", sight="The sky"), finish(alice)
    state = await loaded(alice)
    state.ask_delete(str(gone))
    assert state.confirm_delete_id == str(gone)
    assert state.confirm_delete_named.startswith("DEAR MAN practice from ")
    await state.delete_finished()
    assert ids_of(alice) == {kept}
    assert [card["id"] for card in state.cards] == [str(kept)]
    assert state.message == "Deleted." and state.confirm_delete_id == ""


async def test_cancel_deletes_nothing(alice: Account) -> None:
    mine = finish(alice)
    state = await loaded(alice)
    state.ask_delete(str(mine))
    state.cancel_delete()
    assert await state.delete_finished() is None
    assert ids_of(alice) == {mine}


async def test_another_patients_id_cannot_be_asked_about_or_deleted(
        alice: Account, bob: Account, bobs_practice: int) -> None:
    finish(alice)
    state = await loaded(alice)
    state.ask_delete(str(bobs_practice))
    assert (state.confirm_delete_id, state.confirm_delete_named) == ("", "")
    await state.delete_finished()
    assert ids_of(bob) == {bobs_practice}
    assert BOB_SECRET not in repr(state.dict())


@pytest.mark.parametrize("forged", FORGED_IDS, ids=lambda value: repr(value)[:20])
async def test_forged_ids_are_refused_and_nothing_is_deleted(
        alice: Account, bob: Account, bobs_practice: int, forged: object) -> None:
    mine = finish(alice)
    state = await loaded(alice)
    state.ask_delete(forged)
    assert (state.confirm_delete_id, state.confirm_delete_named) == ("", "")
    await state.delete_finished()
    assert ids_of(alice) == {mine} and ids_of(bob) == {bobs_practice}
    assert [card["id"] for card in state.cards] == [str(mine)]


async def test_a_tab_now_signed_in_as_someone_else_deletes_nothing_of_the_first(
        alice: Account, bob: Account) -> None:
    """A stale confirmation left in the tab (or set by a forged client) is checked
    against whoever the cookie says is asking now."""
    mine = finish(alice)
    state = state_for(PracticeHistoryState, bob.token, PATH)
    state.confirm_delete_id = str(mine)
    await state.delete_finished()
    assert ids_of(alice) == {mine}
    assert state.message == "We couldn't find that practice. It may have been deleted."
    assert ALICE_SCRIPT not in repr(state.dict())


async def test_without_a_session_nothing_is_read_or_deleted(alice: Account) -> None:
    mine = finish(alice)
    state = await loaded(alice)
    state.ask_delete(str(mine))
    signed_out = state_for(PracticeHistoryState, None, PATH)
    signed_out.confirm_delete_id = str(mine)
    assert sign_in_target(await signed_out.delete_finished()) == (
        "/signin/?next=/practice/history/")
    assert sign_in_target(await signed_out.load_history()) == "/signin/?next=/practice/history/"
    assert sign_in_target(await signed_out.show_earlier()) == "/signin/?next=/practice/history/"
    assert ids_of(alice) == {mine}
    assert signed_out.cards == [] and not signed_out.loaded


async def test_a_therapist_is_sent_home_and_deletes_nothing(alice: Account,
                                                            carol: Account) -> None:
    mine = finish(alice)
    state = state_for(PracticeHistoryState, carol.token, PATH)
    assert redirect_target(await state.load_history()) == "/patients/"
    state.confirm_delete_id = str(mine)
    assert sign_in_target(await state.delete_finished()) != ""
    assert ids_of(alice) == {mine} and state.cards == []


async def test_an_empty_history_is_loaded_not_false(alice: Account) -> None:
    state = state_for(PracticeHistoryState, alice.token, PATH)
    assert not state.loaded  # the page shows "Loading…" until now
    await state.load_history()
    assert state.loaded and state.cards == []
    assert state.range_line == "Showing the last 90 days."


async def test_show_earlier_widens_the_range_up_to_a_year(alice: Account) -> None:
    state = await loaded(alice)
    for days in (180, 270, 360, practice.HISTORY_DAYS_MAX):
        await state.show_earlier()
        assert state.range_line == (f"Showing the last {days} days."
                                    if days < practice.HISTORY_DAYS_MAX
                                    else "Showing the last year.")
    assert not state.can_show_earlier
    await state.show_earlier()
    assert state.range_line == "Showing the last year."
