"""The websocket event size limit: how it counts, and that every legitimate save fits."""

from __future__ import annotations

import uuid

from skills_app.core import diary, exercises, plans
from skills_app.core.event_size import (
    EVENT_PAYLOAD_MAX_BYTES,
    TRANSPORT_MAX_CHARS,
    is_too_large,
    payload_bytes,
)
from skills_app.core.journal import (
    CUSTOM_ITEMS_MAX,
    CUSTOM_NAME_MAX,
    NOTE_MAX,
    TRIGGER_MAX,
    TRIGGERS_PER_ENTRY_MAX,
)
from skills_app.core.journal.html_form import SKILL_PREFIX
from skills_app.core.journal.validation import SKILLS_BY_KEY

# The costliest character a field may hold, as JSON in UTF-8: a control
# character is escaped as \u0001 (6 bytes); an emoji takes 4.
WORST = "\x01"
HEADROOM = 1.5


def _text(length: int) -> str:
    return WORST * length


def _bookkeeping() -> dict[str, str]:
    return {"idempotency_key": str(uuid.uuid4()), "version": "12345",
            "written_at": "2026-12-07T23:59:59.999+14:00", "today": "2026-12-07"}


def test_a_payload_is_counted_in_utf8_bytes_of_its_json() -> None:
    assert payload_bytes({}) == 2
    assert payload_bytes({"a": "b"}) == len('{"a":"b"}')
    assert payload_bytes({"note": "😀"}) == len('{"note":""}') + 4
    assert payload_bytes({"note": "é"}) == len('{"note":""}') + 2
    assert payload_bytes({"note": '"\n'}) == len('{"note":""}') + 4  # escaped quote and newline


def test_a_lone_surrogate_is_counted_not_a_crash() -> None:
    assert payload_bytes({"note": "\ud800"}) == len('{"note":""}') + 3


def test_the_limit_itself_is_allowed_and_one_byte_more_is_not() -> None:
    overhead = payload_bytes({"note": ""})
    at_limit = {"note": "x" * (EVENT_PAYLOAD_MAX_BYTES - overhead)}
    assert payload_bytes(at_limit) == EVENT_PAYLOAD_MAX_BYTES
    assert not is_too_large(at_limit)
    assert is_too_large({"note": at_limit["note"] + "x"})


def test_four_byte_characters_reach_the_limit_four_times_sooner() -> None:
    emoji_count = EVENT_PAYLOAD_MAX_BYTES // 4
    assert is_too_large({"note": "😀" * emoji_count})
    assert not is_too_large({"note": "😀" * (emoji_count - 10)})


def test_the_transport_limit_sits_above_the_apps_with_room_for_the_event_around_it() -> None:
    # Engine.IO counts characters; a payload at the app's limit has at most as
    # many characters as bytes, and the frame adds the name and router data.
    assert TRANSPORT_MAX_CHARS >= 2 * EVENT_PAYLOAD_MAX_BYTES


def _diary_card_form() -> dict[str, object]:
    form: dict[str, object] = {**_bookkeeping(), "kind": "diary", "note": _text(NOTE_MAX),
                               "triggers": ",".join([_text(TRIGGER_MAX)]
                                                    * TRIGGERS_PER_ENTRY_MAX)}
    for item in diary.DIARY_CARD.items:
        form[item.key] = _text(diary.SUBSTANCE_TEXT_MAX)
        if item.acted_on:
            form[item.acted_key] = "on"
    for n in range(1, CUSTOM_ITEMS_MAX + 1):
        for noun in ("emotion", "urge"):
            form[f"custom_{noun}_name_{n}"] = _text(CUSTOM_NAME_MAX)
            form[f"custom_{noun}_rating_{n}"] = "10"
            form[f"custom_{noun}_acted_{n}"] = "on"
            form[f"custom_{noun}_kept_{n}"] = "1"
    for key in SKILLS_BY_KEY:
        form[f"{SKILL_PREFIX}{key}"] = "on"
    return {"form_data": form}


def _plan_form(spec: plans.PlanSpec) -> dict[str, object]:
    form: dict[str, object] = {**_bookkeeping(), "plan_id": "123456", "step": "3"}
    for section in spec.sections:
        if section.kind == plans.SectionKind.LINES:
            form[section.key] = _text(plans.LINES_MAX_CHARS)
            continue
        for n in range(1, plans.CONTACTS_MAX + 1):
            form[plans.contact_field(section, "name", n)] = _text(plans.CONTACT_NAME_MAX)
            form[plans.contact_field(section, "phone", n)] = _text(plans.PHONE_MAX)
    return {"form_data": form}


def _exercise_form(exercise: exercises.Exercise) -> dict[str, object]:
    form: dict[str, object] = {**_bookkeeping(), "exercise_id": exercise.id,
                               "started_at": "2026-12-07T10:00:00+00:00",
                               "distress_before": "10", "distress_after": "10"}
    for step in exercise.steps:
        if step.key:
            form[step.key] = _text(exercises.TEXT_MAX.get(step.input, 300))
    return {"form_data": form}


def test_every_legitimate_save_fits_with_headroom() -> None:
    saves = {"diary card": _diary_card_form(),
             "safety plan": _plan_form(plans.SAFETY_PLAN),
             "relapse plan": _plan_form(plans.RELAPSE_PLAN),
             **{f"exercise {ex.id}": _exercise_form(ex) for ex in exercises.all_exercises()}}
    sizes = {name: payload_bytes(payload) for name, payload in saves.items()}
    largest = max(sizes, key=sizes.__getitem__)
    assert sizes[largest] * HEADROOM < EVENT_PAYLOAD_MAX_BYTES, (largest, sizes[largest])
    # The measurement reaches the sizes the reasoning in the module names.
    assert sizes["diary card"] > 6 * NOTE_MAX
    assert sizes["relapse plan"] > 6 * 11 * plans.LINES_MAX_CHARS
