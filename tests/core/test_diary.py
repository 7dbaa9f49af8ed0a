"""The diary card's declaration: today's items, and the rules a new item must follow."""

from __future__ import annotations

import dataclasses

import pytest

from skills_app.core import diary
from skills_app.core.diary import DiaryItem, Scale

CARD = diary.DIARY_CARD


def test_the_card_keeps_todays_items_in_the_order_the_patient_fills_them_in() -> None:
    assert CARD.fields() == (
        "mood", "emotion_joy", "emotion_anger", "emotion_sadness", "emotion_fear",
        "emotion_shame", "emotion_guilt", "urge_suicide", "acted_suicide", "urge_self_harm",
        "acted_self_harm", "urge_substance_use", "acted_substance_use", "urge_quit_therapy",
        "acted_quit_therapy", "craving", "substance_what", "substance_amount",
        "medications_taken", "sleep_hours")
    assert [group.key for group in CARD.groups_as_filled()] == [
        "mood", "emotions", "urges", "use", "medication", "sleep"]


def test_urges_come_first_in_review_order() -> None:
    assert [group.key for group in CARD.groups][:2] == ["urges", "emotions"]


def test_what_is_better_and_what_flags_risk() -> None:
    better = {item.key for item in CARD.items if item.higher_is_better}
    assert better == {"mood", "emotion_joy", "medications_taken"}
    worse = {item.key for item in CARD.items if item.higher_is_better is False}
    assert {"emotion_shame", "urge_suicide", "craving"} <= worse
    assert {item.key for item in CARD.items if item.risk_from is not None} == {
        "urge_suicide", "urge_self_harm"}
    assert {item.key for item in CARD.items if item.acted_on} == {
        "urge_suicide", "urge_self_harm", "urge_substance_use", "urge_quit_therapy"}


def test_every_rating_says_what_its_ends_mean() -> None:
    ratings = [item for item in CARD.items if item.scale == Scale.RATING]
    assert all(item.low_means.startswith("0 = ") for item in ratings)
    assert all(item.top_means.startswith(f"{item.top} = ") for item in ratings)
    assert CARD.item("emotion_joy").top_means == "5 = extremely"


def _with(*items: DiaryItem) -> diary.DiaryCard:
    return dataclasses.replace(CARD, items=CARD.items + items)


@pytest.mark.parametrize(("item", "message"), [
    (DiaryItem("emotion_joy", "Joy again", "emotions", Scale.RATING, "joy", 5,
               low_means="0", top_means="5"), "unique"),
    (DiaryItem("energy", "Energy", "body", Scale.RATING, "energy", 5,
               low_means="0", top_means="5"), "unknown group"),
    (DiaryItem("energy", "Energy", "mood", Scale.RATING, "energy", 5), "both ends"),
    (DiaryItem("lonely", "Lonely", "emotions", Scale.RATING, "loneliness", 5,
               low_means="0", top_means="5"), "start with emotion_"),
    (DiaryItem("naps", "Naps", "sleep", Scale.HOURS, "naps", 0), "top above 0"),
    (DiaryItem("urge_sleep", "Sleep", "sleep", Scale.HOURS, "sleep", 24, acted_on=True),
     "only ratings"),
])
def test_a_card_that_breaks_the_rules_is_refused(item: DiaryItem, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _with(item)
