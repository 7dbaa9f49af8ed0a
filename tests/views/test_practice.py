"""From the exercise flow's flat form to core input, and what the page shows."""

from __future__ import annotations

from skills_app.views.practice import field_errors, finish_input


def test_boxes_become_the_ticked_options_and_the_rest_is_passed_on() -> None:
    raw = finish_input({
        "idempotency_key": "k", "exercise_id": "dear-man", "written_at": "2026-11-28T10:00Z",
        "answer__goal": "My brother", "answer__how__2": "on", "answer__how__0": "on",
        "answer__how__1": "", "answer__unknown": "dropped", "distress_before": "11"})
    assert raw["answers"]["how"] == ["Keep coming back to my ask",
                                     "Be ready to give a little to get a little"]
    assert raw["answers"]["goal"] == "My brother"
    assert "unknown" not in raw["answers"]
    assert raw["finished_at"] == "2026-11-28T10:00Z"
    assert raw["distress_before"] == "11"  # core refuses it, with its message


def test_a_box_that_does_not_say_on_is_passed_on_for_core_to_refuse() -> None:
    raw = finish_input({"exercise_id": "dear-man", "answer__how__0": "Anything"})
    assert raw["answers"]["how"] == ["Anything"]


def test_no_form_and_an_unknown_exercise() -> None:
    assert finish_input("text") is None and finish_input(None) is None
    assert finish_input({"exercise_id": "nope", "answer__goal": "x"})["answers"] == {}


def test_core_messages_are_keyed_by_the_form_field() -> None:
    assert field_errors({"answer_goal": "a", "distress_after": "b"}) == {
        "answer__goal": "a", "distress_after": "b"}
