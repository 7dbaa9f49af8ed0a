"""A shared phone: after a refusal or a sign-out, nothing of the previous patient
reaches the tab, and nothing of theirs is written outside the database."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, WebSocket, expect

from tests.browser.conftest import (
    ROOT,
    fill_note,
    fill_triggers,
    new_phone_context,
    sign_in,
    sign_up,
    unique_email,
    wait_until_signed_in_page_is_ready,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

DATABASE_FILES = ("browser.db", "browser.db-wal", "browser.db-shm", "browser.db-journal")
NOT_WRITTEN_BY_THE_SERVER = {".git", ".venv", "test-artifacts", "node_modules", "__pycache__",
                             ".pytest_cache", ".ruff_cache"}


class FrameRecorder:
    """Every websocket frame the page receives while recording is on."""

    def __init__(self, page: Page) -> None:
        self.recording = False
        self.frames: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._received)

    def _received(self, payload: str | bytes) -> None:
        if self.recording:
            self.frames.append(payload if isinstance(payload, str) else payload.decode(
                "utf-8", "replace"))


def files_written_since(started: float, app_data: Path) -> list[Path]:
    """Files under the app folder and the server's data folder changed since `started`,
    the database itself excepted."""
    found = []
    for folder in (ROOT, app_data):
        for path in folder.rglob("*"):
            parts = set(path.relative_to(folder).parts)
            if parts & NOT_WRITTEN_BY_THE_SERVER or not path.is_file():
                continue
            if path.name in DATABASE_FILES:
                continue
            if path.stat().st_mtime >= started:
                found.append(path)
    return found


async def fill_the_screens_with_patient_a(page: Page, email: str, note: str,
                                          trigger: str) -> None:
    """A writes a diary card, then opens the journal and the account page."""
    await page.goto("/journal/new/")
    await wait_until_signed_in_page_is_ready(page)
    await fill_triggers(page, trigger)
    await fill_note(page, note)
    await page.get_by_role("button", name="Save diary card").click()
    await expect(page.locator("#saved")).to_contain_text("Saved at")
    await page.goto("/journal/")
    await expect(page.get_by_text(note)).to_be_visible()
    await page.goto("/account/")
    await expect(page.get_by_text(email)).to_be_visible()


async def patient_b_signs_in_on_the_same_tab(page: Page, browser: Browser) -> str:
    other = await new_phone_context(browser, timezone_id="America/Chicago")
    b_email = await sign_up(await other.new_page(), name="Blair")
    await other.close()
    await sign_in(page, b_email)
    # Back where A was refused (?next=), or on Today after a plain sign-out.
    await page.wait_for_url(lambda url: "/signin" not in url)
    await wait_until_signed_in_page_is_ready(page)
    await page.goto("/journal/")
    await expect(page.get_by_role("heading", name="Journal")).to_be_visible()
    await page.goto("/account/")
    await expect(page.get_by_text(b_email)).to_be_visible()
    return b_email


async def check_nothing_of_a_remains(ending: Callable, browser: Browser,
                                     app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    page = await context.new_page()
    marker = uuid.uuid4().hex[:10]
    a_email = unique_email(f"a{marker}")
    note, trigger = f"A-note-{marker}", f"A-trigger-{marker}"
    await sign_up(page, name="Avery", email=a_email)
    await fill_the_screens_with_patient_a(page, a_email, note, trigger)
    recorder = FrameRecorder(page)
    started = time.time()
    recorder.recording = True
    await ending(page, browser, a_email)
    await page.wait_for_url("**/signin/**")
    await patient_b_signs_in_on_the_same_tab(page, browser)
    recorder.recording = False
    everything = "\n".join(recorder.frames)
    assert recorder.frames, "no frames were recorded"
    for secret in (note, trigger, a_email, marker):
        assert secret not in everything, f"{secret!r} reached the tab after it was refused"
    for path in files_written_since(started, app_data):
        text = path.read_text(errors="replace")
        for secret in (note, trigger, a_email, marker):
            assert secret not in text, f"{secret!r} was written to {path}"
    assert not (ROOT / ".states").exists() or not any((ROOT / ".states").iterdir())
    await context.close()


async def _ended_from_another_device(page: Page, browser: Browser, a_email: str) -> None:
    other = await new_phone_context(browser, timezone_id="America/Chicago")
    other_page = await other.new_page()
    await other_page.goto("/signin/")
    await sign_in(other_page, a_email)
    await other_page.wait_for_url("**/today/")
    await other_page.goto("/account/")
    await other_page.get_by_role("button", name="Sign out everywhere").click()
    await other_page.wait_for_url("**/signin/**")
    await other.close()
    # A's tab, still showing the account page, sends its next event and is refused.
    await page.get_by_label("Your name").fill("Avery again")
    await page.get_by_role("button", name="Save details").click()


async def _signed_out_normally(page: Page, browser: Browser, a_email: str) -> None:
    await page.get_by_role("button", name="Sign out", exact=True).click()


async def test_after_a_refusal_the_tab_and_the_disk_hold_nothing_of_the_previous_patient(
        browser: Browser, app_data: Path) -> None:
    await check_nothing_of_a_remains(_ended_from_another_device, browser, app_data)


async def test_after_a_sign_out_the_tab_and_the_disk_hold_nothing_of_the_previous_patient(
        browser: Browser, app_data: Path) -> None:
    await check_nothing_of_a_remains(_signed_out_normally, browser, app_data)
