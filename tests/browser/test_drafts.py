"""Drafts that are never lost, never cross people, and land on the right day."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, WebSocketRoute, expect

from tests.browser.conftest import (
    fill_note,
    new_phone_context,
    sign_in,
    sign_up,
    wait_until_signed_in_page_is_ready,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

CHICAGO = ZoneInfo("America/Chicago")
EVENT_SOCKET = re.compile(r"/_event")


def rows(app_data: Path, email: str) -> list[tuple]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        return connection.execute(
            "SELECT e.note, e.local_date, e.occurred_at, e.version FROM journal_entry e "
            "JOIN user_account u ON u.id = e.user_id WHERE u.email = ? ORDER BY e.id",
            (email,)).fetchall()


async def draft_keys(page: Page) -> list[str]:
    return await page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('skills.draft.')).sort()")


RECORD_STATUSES = """
window.__statuses = [];
new MutationObserver(() => {
  document.querySelectorAll('[data-draft-status]').forEach((el) => {
    const text = el.textContent;
    if (text && window.__statuses[window.__statuses.length - 1] !== text) {
      window.__statuses.push(text);
    }
  });
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


async def open_new_diary(page: Page) -> None:
    await page.goto("/journal/new/")
    await wait_until_signed_in_page_is_ready(page)


async def test_an_entry_written_offline_at_2350_and_sent_after_midnight_keeps_its_day(
        page: Page, app_data: Path) -> None:
    email = await sign_up(page)
    await open_new_diary(page)
    yesterday = datetime.now(CHICAGO).date() - timedelta(days=1)
    written = datetime(yesterday.year, yesterday.month, yesterday.day, 23, 50, tzinfo=CHICAGO)
    await page.clock.set_fixed_time(written)
    await page.context.set_offline(True)
    await fill_note(page, "Written late, with no signal.")
    await page.get_by_role("button", name="Save diary card").click()
    await expect(page.locator("[data-draft-status]")).to_contain_text("offline")
    await page.clock.set_fixed_time(written + timedelta(minutes=20))  # 00:10, the next day
    await page.context.set_offline(False)
    await expect(page.locator("#saved")).to_contain_text("Saved at", timeout=30_000)
    [(note, local_date, occurred_at, _)] = rows(app_data, email)
    assert note == "Written late, with no signal."
    assert local_date == yesterday.isoformat()
    assert datetime.fromisoformat(occurred_at).replace(tzinfo=ZoneInfo("UTC")) == written


async def test_a_save_lost_on_the_wire_is_sent_again_and_stored_once(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    page = await context.new_page()
    dropped: list[str] = []

    async def lose_the_first_save(socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()

        def from_page(message: str | bytes) -> None:
            if not dropped and isinstance(message, str) and "save_diary" in message:
                dropped.append(message)  # lost on the wire: the server never hears it
                return
            server.send(message)

        socket.on_message(from_page)
        server.on_message(socket.send)

    await page.route_web_socket(EVENT_SOCKET, lose_the_first_save)
    await page.add_init_script(RECORD_STATUSES)
    try:
        email = await sign_up(page)
        await open_new_diary(page)
        await fill_note(page, "Sent into a tunnel.")
        await page.get_by_role("button", name="Save diary card").click()
        await expect(page.locator("#saved")).to_contain_text("Saved at", timeout=20_000)
        # The patient was told, while it was not saved, that it was being sent again.
        statuses = await page.evaluate("window.__statuses")
        assert "Saving…" in statuses and any(
            status.startswith("Not saved yet, trying again") for status in statuses), statuses
        assert dropped
        assert [row[0] for row in rows(app_data, email)] == ["Sent into a tunnel."]
        assert await draft_keys(page) == []
    finally:
        await context.close()


async def test_a_save_lost_with_the_connection_is_stored_once_after_reconnecting(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    page = await context.new_page()
    cut: list[str] = []

    async def cut_the_line_on_the_first_save(socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()

        async def from_page(message: str | bytes) -> None:
            if not cut and isinstance(message, str) and "save_checkin" in message:
                cut.append(message)
                await socket.close()  # the phone's connection drops with the save in it
                return
            server.send(message)

        socket.on_message(from_page)
        server.on_message(socket.send)

    await page.route_web_socket(EVENT_SOCKET, cut_the_line_on_the_first_save)
    try:
        email = await sign_up(page)
        await wait_until_signed_in_page_is_ready(page)
        await page.get_by_label("3, Down").check()
        await page.get_by_role("button", name="Save check-in").click()
        await expect(page.locator("#checkin-saved")).to_contain_text("Saved at", timeout=30_000)
        assert cut
        with sqlite3.connect(app_data / "browser.db") as connection:
            moods = connection.execute(
                "SELECT e.mood FROM journal_entry e JOIN user_account u ON u.id = e.user_id "
                "WHERE u.email = ?", (email,)).fetchall()
        assert moods == [(3,)]
    finally:
        await context.close()


async def test_text_typed_before_anyone_is_known_is_never_kept_for_the_next_person(
        browser: Browser) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        stuck = await context.new_page()
        # The page never hears from the server, so it never learns who is signed in.
        await stuck.route_web_socket(EVENT_SOCKET, lambda socket: None)
        await stuck.goto("/journal/new/")
        note = stuck.locator("#note")
        await expect(note).to_be_disabled()
        # Even text forced in by a script, and a forced submit, leave nothing behind.
        await note.evaluate("(el) => { el.value = 'typed before anyone was known'; "
                            "el.dispatchEvent(new Event('input', {bubbles: true})); "
                            "el.form.requestSubmit(); }")
        assert await draft_keys(stuck) == []
        await stuck.close()

        page = await context.new_page()
        await sign_up(page, name="Blair")
        await open_new_diary(page)
        await expect(page.locator("#note")).to_have_value("")
        await expect(page.locator("#note")).to_be_enabled()
    finally:
        await context.close()


async def test_signing_out_with_an_unsent_entry_asks_first_and_declining_keeps_it(
        page: Page) -> None:
    email = await sign_up(page)
    await open_new_diary(page)
    await fill_note(page, "Not sent yet.")
    # Someone else's draft on this phone is not this sign-out's business.
    await page.evaluate("localStorage.setItem('skills.draft.someoneelse.diary-new', "
                        "JSON.stringify({values: {note: 'theirs'}, at: 1}))")
    await page.goto("/account/")
    await wait_until_signed_in_page_is_ready(page)
    await page.get_by_role("button", name="Sign out", exact=True).click()
    dialog = page.get_by_role("alertdialog")
    await expect(dialog).to_contain_text("1 entry is not saved yet")
    await expect(page.get_by_role("button", name="Save it first")).to_be_focused()
    await page.get_by_role("button", name="Save it first").click()
    # Declined: still signed in, taken to the entry, with the text restored.
    await page.wait_for_url("**/journal/new/")
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("#note")).to_have_value("Not sent yet.")

    await page.goto("/account/")
    await wait_until_signed_in_page_is_ready(page)
    await page.context.set_offline(True)
    await page.get_by_role("button", name="Sign out", exact=True).click()
    await page.get_by_role("button", name="Sign out and discard").click()
    # The server did not confirm the sign-out: nothing is discarded.
    await expect(page.locator("#sign-out-status")).to_contain_text("couldn't reach")
    assert len(await draft_keys(page)) == 2
    await page.context.set_offline(False)

    await page.get_by_role("button", name="Sign out", exact=True).click()
    await page.get_by_role("button", name="Sign out and discard").click()
    await page.wait_for_url("**/signin/")
    assert await draft_keys(page) == ["skills.draft.someoneelse.diary-new"]
    await sign_in(page, email)
    await page.wait_for_url("**/today/")
