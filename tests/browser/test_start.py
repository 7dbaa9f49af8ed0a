"""The start page ("/", where the installed app opens)."""

from __future__ import annotations

import asyncio
from urllib.parse import urlparse

import pytest
from playwright.async_api import Browser, WebSocketRoute, expect

from tests.browser.conftest import new_phone_context, sign_up

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_tap_on_create_an_account_is_never_undone(browser: Browser) -> None:
    """On a slow connection the page answers its own load after the patient has
    already tapped "create an account": that answer must not send them to sign in."""
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        tapped = asyncio.Event()

        async def connect_after_the_tap(websocket: WebSocketRoute) -> None:
            await tapped.wait()
            websocket.connect_to_server()

        await page.route_web_socket("**/_event/**", connect_after_the_tap)
        await page.goto("/")
        await page.get_by_role("link", name="create an account").click()
        tapped.set()
        await page.wait_for_timeout(2000)
        assert urlparse(page.url).path == "/signup/"
        await expect(page.get_by_label("Your name")).to_be_visible()
        await expect(page.get_by_role("button", name="Create account")).to_be_visible()
    finally:
        await context.close()


async def test_the_start_page_sends_a_signed_in_patient_home(browser: Browser) -> None:
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        await sign_up(page)
        await page.goto("/")
        await page.wait_for_url("**/today/")
    finally:
        await context.close()
