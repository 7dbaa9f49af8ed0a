"""The diary card's declaration: today's items, the rules a new item must follow,
and a new item reaching every part that reads the card.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from skills_app import text
from skills_app.core import diary, journal
from skills_app.core.diary import DiaryItem, Scale
from skills_app.core.journal.html_form import entry_input_from_form
from skills_app.core.problems import Problem
from skills_app.core.schemas import parse_form
from skills_app.pages.card import card_settings_page
from skills_app.pages.journal import editor_page
from skills_app.pages.patient import today_page
from skills_app.views import journal as views

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
    assert CARD.item("urge_suicide").scale_ends == "0 = no urge, 5 = the strongest urge"
    assert CARD.item("sleep_hours").scale_ends == ""


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


def test_the_card_keeps_the_mood_a_check_in_asks() -> None:
    with pytest.raises(ValueError, match="mood"):
        dataclasses.replace(CARD, items=CARD.items[1:])


# --- one more item on the card ------------------------------------------------

LONELINESS = DiaryItem("emotion_loneliness", "Loneliness", "emotions", Scale.RATING,
                       "loneliness", 5, low_means="0 = not at all", top_means="5 = extremely",
                       higher_is_better=False)
MONDAY = date(2026, 3, 2)


@pytest.fixture
def card_with_loneliness(monkeypatch: pytest.MonkeyPatch) -> Iterator[diary.DiaryCard]:
    """The app's card with a seventh emotion after guilt (as if one line were added)."""
    items = list(CARD.items)
    items.insert(items.index(CARD.item("emotion_guilt")) + 1, LONELINESS)
    card = dataclasses.replace(CARD, items=tuple(items))
    monkeypatch.setattr(diary, "DIARY_CARD", card)
    yield card


def diary_html_form(**fields: str) -> dict[str, str]:
    return {"idempotency_key": str(uuid.uuid4()), "kind": "diary", "note": "",
            "medications_taken": "", **fields}


def test_a_new_item_is_read_from_the_form_and_checked(card_with_loneliness: object) -> None:
    raw = entry_input_from_form(diary_html_form(emotion_loneliness="3", emotion_joy="1"))
    content, errors = parse_form(journal.content_form("diary"), raw)
    assert errors == {} and (content.emotion_loneliness, content.emotion_joy) == (3, 1)
    assert "Loneliness 3" in views.entry_summary(content)
    _, errors = parse_form(journal.content_form("diary"),
                           entry_input_from_form(diary_html_form(emotion_loneliness="6")))
    assert errors == {"emotion_loneliness": Problem("rate_item", label="loneliness", high=5)}
    _, errors = parse_form(journal.content_form("diary"), entry_input_from_form(diary_html_form(
        custom_emotion_name_1="LONELINESS", custom_emotion_rating_1="2")))
    assert errors["custom_emotions"] == Problem("already_on_card", name="LONELINESS")


def test_a_new_item_is_in_the_editors_saved_values(card_with_loneliness: object) -> None:
    content = journal.diary_form_model().model_validate({"emotion_loneliness": 4})
    defaults = views.form_defaults(content)
    assert defaults["emotion_loneliness"] == "4" and defaults["emotion_guilt"] == ""


def test_a_new_item_is_asked_in_the_editor(card_with_loneliness: object) -> None:
    page = str(editor_page())
    assert 'name:"emotion_loneliness"' in page
    assert '"aria-label":"Loneliness 5"' in page and '"aria-label":"Loneliness 6"' not in page
    # In the emotions section, after guilt and before the patient's own emotions.
    assert page.index('"Guilt"') < page.index('"Loneliness"') < page.index(
        "Another emotion today")


def test_a_new_item_has_a_row_in_the_week_grid(card_with_loneliness: diary.DiaryCard) -> None:
    blank = {name: None for name in card_with_loneliness.fields()} | {
        item.acted_key: False for item in card_with_loneliness.items if item.acted_on}
    row = {**blank, "kind": "diary", "custom_emotions": [], "custom_urges": [], "skills": [],
           "risk_flag": False}
    days = [MONDAY + timedelta(days=n) for n in range(7)]
    summaries = [journal.summarise_day(MONDAY, [{**row, "emotion_loneliness": 2},
                                                {**row, "emotion_loneliness": 4}])]
    summaries += [journal.summarise_day(day, []) for day in days[1:]]
    assert summaries[0].values == {"emotion_loneliness": 4}
    grid = journal.week_grid(days, summaries)
    keys = [row.key for row in grid.rows]
    assert keys.index("emotion.guilt") + 1 == keys.index("emotion.loneliness")
    assert grid.row("emotion.loneliness").cells == (4, None, None, None, None, None, None)
    shown = next(row for row in views.grid_rows(grid) if row["label"] == "Loneliness")
    assert (shown["d0"], shown["c0"], shown["group"]) == ("4", "l2", "")


def test_the_spanish_diary_card_asks_its_items_in_spanish() -> None:
    """The page built for /es/journal/new/ shows the card's words in Spanish; the
    fields keep their English keys (the database columns)."""
    with text.language("es"):
        page = str(editor_page())
        settings = str(card_settings_page())
        today = str(today_page())
    for spanish in ("Impulso: suicidio", "Impulso: hacerme daño", "Ánimo en general",
                    "Alegría", "Vergüenza", "Lo hice", "0 = sin impulso, 5 = el impulso más fuerte",
                    "Radiante", "Terrible", "Habilidades que usé", "Detonantes y notas",
                    "Guardar tarjeta diaria", "Tomé mis medicamentos como me los recetaron"):
        assert as_written(spanish) in page, spanish
    for english in ("Urge: suicide", "Overall mood", "I acted on it", "Joyful",
                    "Save diary card", "Skills I used"):
        assert english not in page, english
    assert 'name:"urge_suicide"' in page and 'name:"emotion_joy"' in page
    assert "/es/journal/card/" in page
    assert as_written("Emociones en tu tarjeta") in settings
    assert as_written("Alegría") in settings
    assert as_written("Registro rápido") in today and "/es/journal/new/" in today
    assert as_written("¿Cómo te sientes ahora?") in today and "Check in" not in today


def as_written(words: str) -> str:
    """`words` as the compiled page writes them (non-ASCII letters escaped)."""
    return json.dumps(words)[1:-1]
