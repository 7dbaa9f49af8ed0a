"""What the practice history shows, from plain values: no database, no Reflex."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from skills_app.core import exercises, practice
from skills_app.views import practice_history as views

TUESDAY = date(2026, 3, 3)
# 3:12 pm in Chicago on Tuesday 3 March 2026 (CST, UTC-6).
FINISHED = datetime(2026, 3, 3, 21, 12, tzinfo=UTC)

DEAR_MAN_ANSWERS = {
    "goal": "My sister, to stop calling during work",
    "describe": "You called me four times at work this week.",
    "express": "I feel stressed when my phone rings at my desk.",
    "assert_": "Please text me, and I will call you back after five.",
    "reinforce": "Then I can really listen to you.",
    "how": ["Keep coming back to my ask", "Stand tall and keep a steady voice"],
}


def finished(exercise_id: str = "dear-man", answers: dict[str, Any] | None = None, *,
             id_: int = 7, at: datetime = FINISHED, minutes: int | None = 12,
             before: int | None = 7, after: int | None = 4,
             helped: str | None = "some") -> practice.FinishedView:
    return practice.FinishedView(
        id=id_, exercise_id=exercise_id, idempotency_key="k",
        started_at=None if minutes is None else at - timedelta(minutes=minutes),
        finished_at=at, time_zone="America/Chicago",
        local_date=at.astimezone(views.dates.zone("America/Chicago")).date(),
        answers=dict(DEAR_MAN_ANSWERS if answers is None else answers),
        distress_before=before, distress_after=after, helped=helped)


def test_a_dear_man_card_has_time_distress_help_answers_and_its_message() -> None:
    card = views.card(finished(), "Today")
    assert {key: card[key] for key in ("id", "day_header", "title", "time", "minutes",
                                       "distress", "helped")} == {
        "id": "7", "day_header": "Today", "title": "DEAR MAN: ask for what you want",
        "time": "3:12 PM", "minutes": "12 min", "distress": "Distress 7 → 4",
        "helped": "Helped: A little"}
    assert card["answers"] == [
        {"label": "Who do you want to talk to, and what do you want from them?",
         "text": "My sister, to stop calling during work", "items": []},
        {"label": "Describe", "text": "You called me four times at work this week.",
         "items": []},
        {"label": "Express", "text": "I feel stressed when my phone rings at my desk.",
         "items": []},
        {"label": "Assert", "text": "Please text me, and I will call you back after five.",
         "items": []},
        {"label": "Reinforce", "text": "Then I can really listen to you.", "items": []},
        {"label": "Which of these will you try?", "text": "",
         "items": ["Keep coming back to my ask", "Stand tall and keep a steady voice"]},
    ]
    assert card["message"] == (
        "You called me four times at work this week. I feel stressed when my phone rings "
        "at my desk. Please text me, and I will call you back after five. Then I can "
        "really listen to you.")
    assert card["named"] == "DEAR MAN practice from Tuesday, March 3, 3:12 PM"


def test_an_exercise_without_a_message_has_none_and_is_named_by_its_title() -> None:
    card = views.card(finished("self-soothe", {"sight": "The sky", "helped": ["Sight"]},
                               minutes=None, before=None, after=None, helped=None), "")
    assert card["message"] == ""
    assert (card["minutes"], card["distress"], card["helped"]) == ("", "", "")
    assert card["answers"] == [{"label": "Sight", "text": "The sky", "items": []},
                               {"label": "Which senses helped you most?", "text": "",
                                "items": ["Sight"]}]
    assert card["named"] == ("“Self-soothe with your five senses” practice from "
                             "Tuesday, March 3, 3:12 PM")


def test_distress_with_only_one_side_says_which() -> None:
    assert views.distress_line(6, None) == "Distress before: 6"
    assert views.distress_line(None, 0) == "Distress after: 0"
    assert views.distress_line(0, 0) == "Distress 0 → 0"
    assert views.distress_line(None, None) == ""


def test_a_scale_answer_says_what_its_ends_mean() -> None:
    card = views.card(finished("urge-surfing", {"urge": "A drink", "strength_before": 8}), "")
    step = next(s for s in exercises.exercise("urge-surfing").steps
                if s.key == "strength_before")
    assert card["answers"][1] == {
        "label": "How strong is the urge right now?",
        "text": f"8 out of 10 (0 = {step.ends[0]}, 10 = {step.ends[1]})", "items": []}


def test_labels_are_short_and_long_answers_are_kept_whole() -> None:
    for exercise in exercises.all_exercises():
        for step in exercise.steps:
            if step.asks:
                label = views.step_label(step)
                assert 0 < len(label) <= views.LABEL_MAX, (exercise.id, label)
    long_text = "word " * 800
    card = views.card(finished(answers={"describe": long_text.strip()}), "")
    assert card["answers"][0]["text"] == long_text.strip()


def test_a_long_prompt_is_cut_at_a_word_with_an_ellipsis() -> None:
    step = exercises.Step(prompt="This is a long sentence " * 8 + "that ends here.",
                          input="short_text", key="x")
    label = views.step_label(step)
    assert len(label) <= views.LABEL_MAX and label.endswith("…")
    assert not label[:-1].endswith(" ")


def test_answers_of_a_retired_exercise_or_step_still_show() -> None:
    card = views.card(finished("gone-exercise", {"what_happened": "A fight", "picks": ["a"]}),
                      "")
    assert card["title"] == "An exercise no longer in the app" and card["message"] == ""
    assert card["answers"] == [{"label": "What happened", "text": "A fight", "items": []},
                               {"label": "Picks", "text": "", "items": ["a"]}]
    assert card["named"].startswith("practice from Tuesday, March 3")


def test_cards_are_grouped_by_local_day_newest_first() -> None:
    today = TUESDAY
    shown = views.cards([
        finished(id_=3, at=FINISHED),
        finished(id_=2, at=FINISHED - timedelta(hours=2)),
        finished(id_=1, at=FINISHED - timedelta(days=1)),
        finished(id_=0, at=FINISHED - timedelta(days=6)),
    ], today)
    assert [(c["id"], c["day_header"]) for c in shown] == [
        ("3", "Today"), ("2", ""), ("1", "Yesterday"), ("0", "Wednesday, February 25")]
    assert views.day_label(date(2025, 12, 30), today) == "Tuesday, Dec 30, 2025"


def test_show_earlier_adds_ninety_days_up_to_a_year_whatever_is_sent() -> None:
    assert views.next_days(90) == 180
    assert views.next_days(300) == practice.HISTORY_DAYS_MAX
    assert views.next_days(practice.HISTORY_DAYS_MAX) == practice.HISTORY_DAYS_MAX
    for forged in (None, "90", True, -5, 10**30, [90]):
        assert views.HISTORY_DAYS <= views.next_days(forged) <= practice.HISTORY_DAYS_MAX
    assert views.range_line(90) == "Showing the last 90 days."
    assert views.range_line(practice.HISTORY_DAYS_MAX) == "Showing the last year."
