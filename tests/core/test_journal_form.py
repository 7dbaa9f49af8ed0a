"""HTML form fields become the structured input core.journal validates."""

from __future__ import annotations

import uuid

from skills_app.core import journal
from skills_app.core.journal.html_form import entry_input_from_form
from tests.conftest import Account


def html_form(**fields: str) -> dict[str, str]:
    form = {"idempotency_key": str(uuid.uuid4()), "kind": "diary", "mood": "",
            "note": "", "triggers": "", "sleep_hours": "", "medications_taken": ""}
    form.update(fields)
    return form


def test_checkboxes_radios_skills_triggers_and_own_items_are_mapped() -> None:
    raw = entry_input_from_form(html_form(
        mood="6", urge_self_harm="2", acted_substance_use="on", medications_taken="yes",
        **{"skill__distress_tolerance.stop": "on", "skill__emotion_regulation.cope_ahead": "on"},
        triggers=" work,  family ,, ", custom_emotion_name_1="Lonely",
        custom_emotion_rating_1="3", custom_emotion_name_2="  ", custom_urge_name_1="Bingeing",
        custom_urge_rating_1="0", custom_urge_acted_1="on"))
    assert raw["mood"] == "6" and raw["urge_self_harm"] == "2"
    assert raw["acted_substance_use"] is True and raw["acted_suicide"] is False
    assert raw["medications_taken"] is True
    assert raw["skills"] == ["distress_tolerance.stop", "emotion_regulation.cope_ahead"]
    assert raw["triggers"] == ["work", "family"]
    assert raw["custom_emotions"] == [{"name": "Lonely", "rating": "3"}]
    assert raw["custom_urges"] == [{"name": "Bingeing", "rating": "0", "acted_on": True}]


def test_a_mapped_form_saves(alice: Account) -> None:
    raw = entry_input_from_form(html_form(
        mood="4", emotion_sadness="3", urge_suicide="4", acted_self_harm="",
        medications_taken="no", sleep_hours="6.5", note="Rough evening.",
        **{"skill__mindfulness.wise_mind": "on"}, triggers="argument"))
    result = journal.save_entry(alice.identity.user_id, "America/Chicago", raw)
    assert result.ok, result.errors
    content = result.entry.content
    assert (content.mood, content.urge_suicide, content.medications_taken) == (4, 4, False)
    assert content.sleep_hours == 6.5 and content.triggers == ("argument",)
    assert result.entry.risk_flag


def test_unknown_values_are_passed_on_for_core_to_refuse(alice: Account) -> None:
    raw = entry_input_from_form(html_form(acted_suicide="maybe", medications_taken="perhaps",
                                          **{"skill__not_a_skill": "on"}))
    result = journal.save_entry(alice.identity.user_id, "America/Chicago", raw)
    assert set(result.errors) >= {"acted_suicide", "medications_taken", "skills"}


def test_structured_input_from_a_raw_client_is_left_alone() -> None:
    raw = entry_input_from_form({"kind": "diary", "skills": ["x"], "triggers": [1, 2],
                                 "custom_urges": [{"name": "Y"}], "acted_suicide": 5.5})
    assert raw["skills"] == ["x"] and raw["triggers"] == [1, 2]
    assert raw["custom_urges"] == [{"name": "Y"}] and raw["acted_suicide"] == 5.5
    assert entry_input_from_form(["not", "a", "form"]) == ["not", "a", "form"]


def test_the_same_edit_sent_twice_is_not_a_conflict(alice: Account) -> None:
    user = alice.identity.user_id
    created = journal.save_entry(user, "America/Chicago", entry_input_from_form(
        html_form(mood="3", note="first")))
    edit = entry_input_from_form(html_form(mood="4", note="second"))
    first = journal.update_entry(user, created.entry.id, 1, edit)
    again = journal.update_entry(user, created.entry.id, 1, edit)
    assert first.ok and again.ok and again.entry.version == 2
    other = journal.update_entry(user, created.entry.id, 1,
                                 entry_input_from_form(html_form(mood="5", note="third")))
    assert other.conflict is not None and other.conflict.stored.content.note == "second"
