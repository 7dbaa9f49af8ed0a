"""A patient's own diary card: which emotions it asks, and their own items."""

from __future__ import annotations

from datetime import date, timedelta

from skills_app.core import card_choice, journal
from skills_app.core.card_choice import CardChoice
from skills_app.core.problems import Problem
from tests.conftest import Account


def form(**fields: str) -> dict[str, str]:
    """The settings form with every emotion ticked, as a browser sends it."""
    shown = {f"show__{item.key}": "on" for item in card_choice.optional_items()}
    return {**shown, **fields}


def test_a_new_patients_card_shows_everything_and_nothing_of_their_own(alice: Account) -> None:
    assert card_choice.card_choice(alice.identity.user_id) == CardChoice()


def test_the_choice_is_stored_and_read_back(alice: Account) -> None:
    user = alice.identity.user_id
    choice, errors = card_choice.save_card_choice(user, form(
        **{"show__emotion_guilt": "", "show__emotion_shame": ""},
        own_emotion_1=" lonely ", own_emotion_3="Numb", own_target_2="Skipping meals"))
    assert errors == {}
    assert choice == CardChoice(hidden=frozenset({"emotion_guilt", "emotion_shame"}),
                                own_emotions=("lonely", "Numb"),
                                own_targets=("Skipping meals",))
    assert card_choice.card_choice(user) == choice


def test_only_emotions_can_be_left_off_the_card(alice: Account) -> None:
    """Urges toward suicide and self-harm always stay: a forged field changes nothing."""
    choice, _ = card_choice.save_card_choice(alice.identity.user_id, {
        **form(), "show__urge_suicide": "", "show__mood": ""})
    assert choice.hidden == frozenset()
    assert all(item.group == "emotions" for item in card_choice.optional_items())


def test_own_names_are_checked_like_the_cards_own_items(alice: Account) -> None:
    user = alice.identity.user_id
    cases = [
        ({"own_emotion_1": "Sadness"}, "own_emotion", Problem("already_on_card", name="Sadness")),
        ({"own_target_1": "self harm"}, "own_target",
         Problem("already_on_card", name="self harm")),
        ({"own_emotion_1": "lonely", "own_emotion_2": "LONELY"}, "own_emotion",
         Problem("already_on_card", name="LONELY")),
        ({"own_target_1": "x" * 41}, "own_target",
         Problem("too_long", label="target name", high=40, count=41)),
        ({"own_emotion_1": "bad\x00name"}, "own_emotion",
         Problem("control_character", label="emotion name")),
        ({"own_target_1": ["a list"]}, "own_target", Problem("not_text", label="target name")),
    ]
    for fields, field, problem in cases:
        choice, errors = card_choice.save_card_choice(user, form(**fields))
        assert choice is None and errors == {field: problem}, (fields, errors)
    assert card_choice.card_choice(user) == CardChoice()  # nothing half-saved
    assert card_choice.save_card_choice(user, "not a form")[1] == {"form": Problem("bad_form")}


def test_at_most_four_own_names_of_each_kind(alice: Account) -> None:
    choice, _ = card_choice.save_card_choice(alice.identity.user_id, form(**{
        f"own_emotion_{n}": f"feeling {n}" for n in range(1, 7)}))
    assert choice.own_emotions == ("feeling 1", "feeling 2", "feeling 3", "feeling 4")


def test_the_week_grid_follows_the_card(alice: Account) -> None:
    user = alice.identity.user_id
    today = date(2026, 3, 4)
    monday = today - timedelta(days=today.weekday())
    keys = {row.key for row in journal.diary_card_week(user, monday).rows}
    assert "emotion.guilt" in keys
    hidden = frozenset({"emotion_guilt"})
    keys = {row.key for row in journal.diary_card_week(user, monday, hidden).rows}
    assert "emotion.guilt" not in keys and "emotion.joy" in keys and "urge.suicide" in keys
