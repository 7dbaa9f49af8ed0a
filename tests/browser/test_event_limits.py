"""Events over the size limit, and events Reflex cannot read: from a raw Socket.IO
client, and from a patient's phone.

Each is answered with a kind message, nothing is saved, and the same
connection goes on working (skills_app/state/event_guard.py).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import socketio
from playwright.async_api import Page, expect

from skills_app.core.event_size import EVENT_PAYLOAD_MAX_BYTES, payload_bytes
from skills_app.core.settings import SESSION_COOKIE
from skills_app.text import href
from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    fill_note,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_drafts import rows
from tests.browser.test_journal_spanish import speak_spanish
from tests.browser.test_raw_websocket import EDITOR_STATE, HYDRATE, http_sign_up, journal_rows

pytestmark = pytest.mark.asyncio(loop_scope="session")

SAVE_DIARY = f"{EDITOR_STATE}.save_diary"
TOO_LARGE = "That was too large to send"
UNREADABLE = "That could not be read"
ROUTER_DATA = {"pathname": "/journal/new/", "asPath": "/journal/new/", "query": {}}


class Tab:
    """One websocket, kept open across events, as a page keeps it."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.frames: list[str] = []
        self.answered = asyncio.Event()
        self.disconnected = False

        @self.client.on("event", namespace="/_event")
        async def _on_event(data: object) -> None:
            frame = json.dumps(data, ensure_ascii=False)
            if '"is_hydrated_rx_state_": false' in frame:
                self.answered.set()
            else:
                self.frames.append(frame)

        @self.client.on("disconnect", namespace="/_event")
        async def _on_disconnect(*_: object) -> None:
            self.disconnected = True
            self.answered.set()

    async def open(self, cookie: str) -> None:
        await self.client.connect(
            f"{BASE_URL}?token={uuid.uuid4()}",
            headers={"Origin": BASE_URL, "Cookie": f"{SESSION_COOKIE}={cookie}"},
            socketio_path="/_event", namespaces=["/_event"], transports=["websocket"])

    async def send(self, data: object) -> str:
        """Emit `data` as an event, then a hydrate as a probe: everything sent
        back before the probe's answer is the answer to `data`."""
        self.frames.clear()
        self.answered.clear()
        await self.client.emit("event", data, namespace="/_event")
        await self.client.emit("event", {"name": HYDRATE, "payload": {},
                                         "router_data": ROUTER_DATA}, namespace="/_event")
        await asyncio.wait_for(self.answered.wait(), timeout=30)
        assert not self.disconnected, "the server dropped the connection"
        return "".join(self.frames)

    async def save_diary(self, form_data: dict) -> str:
        return await self.send({"name": SAVE_DIARY, "payload": {"form_data": form_data},
                                "router_data": ROUTER_DATA})


@pytest_asyncio.fixture(loop_scope="session")
async def tab(app_server: str) -> AsyncIterator[Tab]:
    _, token = http_sign_up("Sizes")
    tab = Tab()
    await tab.open(token)
    yield tab
    if tab.client.connected:
        await tab.client.disconnect()


def diary_save_of_size(size: int) -> dict:
    """A diary card save whose arguments take exactly `size` bytes."""
    form = {"idempotency_key": str(uuid.uuid4()), "note": ""}
    form["note"] = "x" * (size - payload_bytes({"form_data": form}))
    assert payload_bytes({"form_data": form}) == size
    return form


async def test_an_event_1_kb_under_the_limit_reaches_its_handler(tab: Tab,
                                                                 app_data: Path) -> None:
    before = journal_rows(app_data)
    answer = await tab.save_diary(diary_save_of_size(EVENT_PAYLOAD_MAX_BYTES - 1024))
    # The handler ran: it answers with the note's own length limit.
    assert "too long" in answer and TOO_LARGE not in answer
    assert journal_rows(app_data) == before


async def test_an_event_1_kb_over_the_limit_is_refused_kindly_and_the_socket_works_on(
        tab: Tab, app_data: Path) -> None:
    before = journal_rows(app_data)
    answer = await tab.save_diary(diary_save_of_size(EVENT_PAYLOAD_MAX_BYTES + 1024))
    assert TOO_LARGE in answer and "nothing was saved; your text is still here." in answer
    assert "skillsDrafts.refused()" in answer  # the page keeps the draft
    assert "too long" not in answer  # the handler never ran
    assert journal_rows(app_data) == before
    key = str(uuid.uuid4())
    answer = await tab.save_diary({"idempotency_key": key, "note": "after the big one"})
    assert f'"saved_key_rx_state_": "{key}"' in answer
    assert journal_rows(app_data)[-1][2] == "after the big one"


async def test_an_event_over_reflexs_default_transport_limit_still_gets_the_message(
        tab: Tab, app_data: Path) -> None:
    """Engine.IO's limit is set above the app's (Reflex's default is 1,000,000
    characters): this event would have closed the connection without a word."""
    before = journal_rows(app_data)
    answer = await tab.save_diary(diary_save_of_size(1_000_000 + 1024))
    assert TOO_LARGE in answer
    assert journal_rows(app_data) == before


async def test_the_refusal_speaks_the_pages_language(tab: Tab) -> None:
    spanish = {**ROUTER_DATA, "pathname": "/es/journal/new/", "asPath": "/es/journal/new/"}
    answer = await tab.send({"name": SAVE_DIARY, "router_data": spanish, "payload": {
        "form_data": diary_save_of_size(EVENT_PAYLOAD_MAX_BYTES + 1024)}})
    assert TOO_LARGE not in answer
    assert "demasiado grande" in answer


MALFORMED = {
    "not JSON": "{not json",
    "a list": [1, 2, 3],
    "no handler name": {"payload": {}, "router_data": ROUTER_DATA},
    "a number for a name": {"name": 5, "payload": {}, "router_data": ROUTER_DATA},
    "an unknown handler": {"name": f"{EDITOR_STATE}.no_such_handler", "payload": {},
                           "router_data": ROUTER_DATA},
    "an unknown state": {"name": "no.such.state.save", "payload": {},
                         "router_data": ROUTER_DATA},
    "arguments as a list": {"name": SAVE_DIARY, "payload": [1, 2],
                            "router_data": ROUTER_DATA},
    "arguments as text": {"name": SAVE_DIARY, "payload": "note", "router_data": ROUTER_DATA},
    "router data as text": {"name": SAVE_DIARY, "payload": {}, "router_data": "x"},
}


@pytest.mark.parametrize("kind", MALFORMED)
async def test_a_malformed_event_gets_a_message_and_the_socket_works_on(
        tab: Tab, app_data: Path, kind: str) -> None:
    before = journal_rows(app_data)
    answer = await tab.send(MALFORMED[kind])
    assert UNREADABLE in answer
    assert journal_rows(app_data) == before
    key = str(uuid.uuid4())
    answer = await tab.save_diary({"idempotency_key": key, "note": f"after {kind}"})
    assert f'"saved_key_rx_state_": "{key}"' in answer


# --- on a phone: the page says so, keeps the text, and saves the next one ------------

SHOTS = Path("/work/brief/shots")
BIG_NOTE_CHARS = 300_000  # over the app's limit, under Engine.IO's
HUGE_NOTE_CHARS = 1_500_000  # over Engine.IO's too: sent, it would close the connection


async def _shot(page: Page, name: str) -> None:
    folder = SHOTS if SHOTS.is_dir() else ARTIFACTS
    folder.mkdir(exist_ok=True)
    await page.evaluate("document.activeElement && document.activeElement.blur()")
    await page.screenshot(path=str(folder / f"events-{name}.png"))


async def _write_a_note_then_make_it_huge(page: Page, app_data: Path, language: str = "en",
                                          chars: int = BIG_NOTE_CHARS) -> tuple[str, list[int]]:
    """Sign up, type a note on a new diary card, then grow it past the limit the
    way no field allows (its own length check taken away); returns the email and
    the sizes of the frames the page sends from then on."""
    sent: list[int] = []
    page.on("websocket", lambda socket: socket.on(
        "framesent", lambda frame: sent.append(len(frame.encode()) if isinstance(frame, str)
                                               else len(frame))))
    email = await sign_up(page, name="Robin")
    if language == "es":
        speak_spanish(email)
    await page.goto(href("/journal/new/", language))
    await wait_until_signed_in_page_is_ready(page)
    await fill_note(page, "Typed by hand first.")
    assert sent  # the page's frames are counted
    await page.evaluate("""(chars) => {
        const note = document.getElementById('note');
        note.removeAttribute('data-max-chars');
        note.value = 'Typed by hand first. ' + 'x'.repeat(chars);
        note.dispatchEvent(new Event('input', {bubbles: true}));
    }""", chars)
    return email, sent


async def _text_is_kept(page: Page) -> None:
    note = await page.locator("#note").input_value()
    assert note.startswith("Typed by hand first.") and len(note) > BIG_NOTE_CHARS
    drafts = await page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('skills.draft.'))"
        ".map(k => JSON.parse(localStorage.getItem(k)).values.note || '')")
    assert any(len(draft) > BIG_NOTE_CHARS for draft in drafts)


async def _a_normal_save_works(page: Page, app_data: Path, email: str) -> None:
    await page.locator("#note").fill("A normal entry afterwards.")
    await page.get_by_role("button", name="Save diary card").click()
    await expect(page.locator("#saved")).to_contain_text("Saved at", timeout=30_000)
    assert [row[0] for row in rows(app_data, email)] == ["A normal entry afterwards."]


@pytest.mark.parametrize("chars", [BIG_NOTE_CHARS, HUGE_NOTE_CHARS])
async def test_a_too_large_diary_card_is_held_back_with_a_message_and_kept(
        page: Page, app_data: Path, chars: int) -> None:
    email, sent = await _write_a_note_then_make_it_huge(page, app_data, chars=chars)
    await page.get_by_role("button", name="Save diary card").click()
    message = "That was too large to send — nothing was saved; your text is still here."
    await expect(page.locator("#connection-banner")).to_have_text(message)
    await expect(page.locator("[data-draft-status]")).to_have_text(message)
    await _shot(page, f"too-large-held-back-{chars}")
    await _text_is_kept(page)
    assert rows(app_data, email) == []
    assert max(sent) < EVENT_PAYLOAD_MAX_BYTES  # nothing that large left the page
    await page.wait_for_timeout(6_000)  # past the first resend: nothing is sent again
    assert max(sent) < EVENT_PAYLOAD_MAX_BYTES
    await _a_normal_save_works(page, app_data, email)


async def test_a_too_large_event_that_reaches_the_server_is_answered_on_the_page(
        page: Page, app_data: Path) -> None:
    """An older page, or one whose own check failed: the server's refusal shows."""
    email, sent = await _write_a_note_then_make_it_huge(page, app_data)
    await page.evaluate(
        "document.getElementById('page-text').setAttribute('data-event-max-bytes', '0')")
    await page.get_by_role("button", name="Save diary card").click()
    await expect(page.get_by_text(
        "That was too large to send — nothing was saved; your text is still here.")).to_be_visible()
    await expect(page.locator("[data-draft-status]")).to_have_text(
        "Not saved yet. What you typed is still here.")
    await page.wait_for_timeout(800)  # the toast has slid in
    await _shot(page, "too-large-refused-by-server")
    assert max(sent) > EVENT_PAYLOAD_MAX_BYTES  # it did reach the server this time
    await _text_is_kept(page)
    assert rows(app_data, email) == []
    await _a_normal_save_works(page, app_data, email)


async def test_the_page_holds_it_back_in_spanish_too(page: Page, app_data: Path) -> None:
    email, sent = await _write_a_note_then_make_it_huge(page, app_data, "es")
    await page.get_by_role("button", name="Guardar tarjeta diaria").click()
    await expect(page.locator("#connection-banner")).to_have_text(
        "Era demasiado grande para enviarlo: no se guardó nada; tu texto sigue aquí.")
    await _shot(page, "too-large-held-back-es")
    await _text_is_kept(page)
    assert rows(app_data, email) == []
    assert max(sent) < EVENT_PAYLOAD_MAX_BYTES
