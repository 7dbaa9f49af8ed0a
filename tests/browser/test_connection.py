"""Losing the connection, as a patient on a bus would: a calm line in the app's own
words, nothing technical, and "saved" once what was written went through."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, WebSocket, WebSocketRoute, expect

from tests.browser.conftest import (
    fill_note,
    fill_triggers,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

EVENT_SOCKET = re.compile(r"/_event")
TECHNICAL = re.compile(r"websocket|server|_event", re.IGNORECASE)
HYDRATED = re.compile(r'"is_hydrated_rx_state_":\s*true')


class Line:
    """The phone's connection: `cut()` drops it and holds every new one, `restore()`
    lets them through. Playwright's offline mode alone leaves an open websocket open."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.context, self.page = context, page
        self.sockets: list[WebSocketRoute] = []
        self.held: list[WebSocketRoute] | None = None
        self.loaded_after_reconnect = asyncio.Event()
        self._reconnected = False

    async def install(self) -> None:
        async def route(socket: WebSocketRoute) -> None:
            if self.held is not None:
                self.held.append(socket)  # the page waits for the server's hello
            else:
                socket.connect_to_server()
                self.sockets.append(socket)

        await self.page.route_web_socket(EVENT_SOCKET, route)
        self.page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        # The page's load after a reconnect ends by marking the state hydrated.
        if self._reconnected and HYDRATED.search(str(payload)):
            self.loaded_after_reconnect.set()

    async def cut(self, *, offline: bool = True) -> None:
        """Drop the connection; `offline` also tells the phone it has no network."""
        self.held = []
        if offline:
            await self.context.set_offline(True)
        for socket in self.sockets:
            await socket.close()
        self.sockets.clear()

    async def restore(self) -> None:
        self.loaded_after_reconnect.clear()
        self._reconnected = True
        await self.context.set_offline(False)
        held, self.held = self.held or [], None
        for socket in held:
            socket.connect_to_server()
            self.sockets.append(socket)


async def visible_technical_text(page: Page) -> list[str]:
    return await page.evaluate("""(pattern) => {
        const re = new RegExp(pattern, 'i');
        return [...document.querySelectorAll('body *')]
            .filter(el => el.offsetParent !== null || getComputedStyle(el).position === 'fixed')
            .filter(el => [...el.childNodes].some(
                node => node.nodeType === 3 && re.test(node.textContent)))
            .map(el => el.outerHTML.slice(0, 120));
    }""", TECHNICAL.pattern)


async def is_on_top(page: Page, selector: str) -> bool:
    """Whether a tap at the centre of `selector` reaches it (nothing covers it)."""
    return await page.evaluate("""(selector) => {
        const el = document.querySelector(selector);
        const box = el.getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return el === hit || el.contains(hit);
    }""", selector)


def notes(app_data: Path, email: str) -> list[str]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        return [row[0] for row in connection.execute(
            "SELECT e.note FROM journal_entry e JOIN user_account u ON u.id = e.user_id "
            "WHERE u.email = ? ORDER BY e.id", (email,))]


async def phone_with_a_line(browser: Browser) -> tuple[BrowserContext, Page, Line]:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    page = await context.new_page()
    line = Line(context, page)
    await line.install()
    return context, page, line


async def test_offline_is_a_calm_line_that_covers_nothing_and_saved_follows(
        browser: Browser, app_data: Path) -> None:
    context, page, line = await phone_with_a_line(browser)
    try:
        email = await sign_up(page)
        await page.goto("/journal/new/")
        await wait_until_signed_in_page_is_ready(page)
        await page.get_by_label("Sadness 3").check()
        await fill_note(page, "Written on the bus.")
        await line.cut()
        await page.get_by_role("button", name="Save diary card").click()
        banner = page.locator("#connection-banner")
        await expect(banner).to_be_visible()
        await expect(banner).to_contain_text("Offline")
        await expect(banner).to_contain_text("kept on this phone")
        # Reflex would show its own toast by now if it were still there.
        await page.wait_for_function("document.getElementById('connection-lost') !== null",
                                     timeout=45_000)
        assert await visible_technical_text(page) == []
        for selector in ("#get-help-now", ".bottom-nav a[href='/journal/']",
                         ".bottom-nav a[href='/today/']"):
            assert await is_on_top(page, selector), f"{selector} is covered"
        await line.restore()
        await expect(banner).to_contain_text("Back online", timeout=30_000)
        await expect(banner).to_contain_text("saved")
        await expect(page.locator("#saved-view")).to_contain_text("Sadness 3")
        await expect(page.locator("#saved-view")).to_contain_text("Written on the bus.")
        await asyncio.wait_for(line.loaded_after_reconnect.wait(), timeout=15)
        await expect(page.locator("#saved-view")).to_be_visible()  # the late load kept it
        assert notes(app_data, email) == ["Written on the bus."]
    finally:
        await context.close()


async def test_a_saved_card_is_shown_with_what_was_entered(page: Page) -> None:
    await sign_up(page)
    await page.goto("/journal/new/")
    await wait_until_signed_in_page_is_ready(page)
    await page.get_by_label("4, So-so").check()
    await page.get_by_label("Sadness 3").check()
    await fill_triggers(page, "work")
    await fill_note(page, "Long shift.")
    await page.get_by_role("button", name="Save diary card").click()
    saved = page.locator("#saved-view")
    await expect(saved).to_be_visible()
    for text in ("Diary card saved", "Mood 4", "Sadness 3", "Long shift.", "work"):
        await expect(saved).to_contain_text(text)
    await expect(page.locator("#diary-form")).to_be_hidden()
    await saved.get_by_role("link", name="Edit").click()
    await page.wait_for_url("**/journal/edit/?id=*")
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("#note")).to_have_value("Long shift.")
    await page.go_back()
    await page.goto("/journal/new/")
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("#diary-form")).to_be_visible()  # a new visit: a new card


async def test_the_saved_confirmation_survives_the_load_after_a_reconnect_20_times(
        browser: Browser, app_data: Path) -> None:
    context, page, line = await phone_with_a_line(browser)
    try:
        email = await sign_up(page)
        await page.goto("/journal/new/")
        await wait_until_signed_in_page_is_ready(page)
        for n in range(20):
            if n:
                await page.get_by_role("button", name="New diary card").click()
            await fill_note(page, f"Offline entry {n}.")
            # The connection drops and the save waits in the page's queue; when it
            # comes back, Reflex reconnects, the save is handled, then the page loads.
            await line.cut(offline=False)
            await page.get_by_role("button", name="Save diary card").click()
            await expect(page.locator("[data-draft-status]")).to_contain_text("Saving")
            await line.restore()
            await expect(page.locator("#saved-view")).to_contain_text(
                f"Offline entry {n}.", timeout=30_000)
            await asyncio.wait_for(line.loaded_after_reconnect.wait(), timeout=15)
            await expect(page.locator("#saved-view")).to_contain_text(f"Offline entry {n}.")
            await expect(page.locator("#saved")).to_contain_text("Saved at")
        assert notes(app_data, email) == [f"Offline entry {n}." for n in range(20)]
    finally:
        await context.close()
