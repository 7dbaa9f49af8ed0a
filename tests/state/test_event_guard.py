"""The middleware that refuses an event over the size limit, and what counts as malformed."""

from __future__ import annotations

import json

import pytest
import reflex as rx
from reflex_base.event import Event

from skills_app import text
from skills_app.core.event_size import EVENT_PAYLOAD_MAX_BYTES
from skills_app.state.event_guard import RefuseOversizedEvents, _what_is_wrong
from skills_app.state.journal import EntryEditorState
from tests.state.conftest import state_for

SAVE = f"{EntryEditorState.get_full_name()}.save_diary"


def _event(note_chars: int) -> Event:
    return Event(name=SAVE, payload={"form_data": {"note": "x" * note_chars}})


async def test_an_event_within_the_limit_goes_on_to_its_handler() -> None:
    state = state_for(EntryEditorState, None, "/journal/new/")
    assert await RefuseOversizedEvents().preprocess(rx.App, state, _event(1_000)) is None


@pytest.mark.parametrize(("language", "words"), [("en", "That was too large to send"),
                                                 ("es", "demasiado grande")])
async def test_an_event_over_the_limit_is_answered_with_the_message_and_drafts_kept(
        language: str, words: str) -> None:
    state = state_for(EntryEditorState, None, "/journal/new/")
    with text.language(language):
        update = await RefuseOversizedEvents().preprocess(
            rx.App, state, _event(EVENT_PAYLOAD_MAX_BYTES))
    assert update is not None and not update.delta
    sent = json.dumps([event.payload for event in update.events])
    assert words in sent
    assert "skillsDrafts.refused()" in sent


@pytest.mark.parametrize(("data", "wrong"), [
    ("{not json", "not_an_object"),
    ([SAVE], "not_an_object"),
    (None, "not_an_object"),
    ({"payload": {}}, "no_handler_name"),
    ({"name": 5}, "no_handler_name"),
    ({"name": SAVE, "payload": [1]}, "payload_not_an_object"),
    ({"name": SAVE, "payload": {}, "router_data": "x"}, "router_data_not_an_object"),
])
def test_what_reflex_cannot_read_is_named(data: object, wrong: str) -> None:
    assert _what_is_wrong(data) == wrong


def test_a_well_formed_event_is_not_malformed() -> None:
    assert _what_is_wrong({"name": SAVE, "payload": {}, "router_data": {}}) == ""
