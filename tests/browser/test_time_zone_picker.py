"""The time-zone picker in Chromium at 390x844: the phone's zone chosen already (also
when the phone names it by an old alias), common zones first by plain name, places by
city A to Z with no "Factory" or "localtime", a search by city that a thumb can use,
and an alias stored before reading as its place on Account. Photographed into
test-artifacts/screenshots/ (and /work/brief/shots/ when that folder exists)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import new_phone_context, sign_up
from tests.browser.test_homework_therapist import SHOTS

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def shot(page: Page, name: str) -> None:
    image = await page.locator("#time_zone").locator("xpath=..").screenshot()
    for folder in SHOTS:
        if folder.parent.exists():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"time-zone-{name}.png").write_bytes(image)


async def test_a_phone_that_says_asia_calcutta_gets_kolkata_and_can_search_by_city(
        browser: Browser) -> None:
    context = await new_phone_context(browser, timezone_id="Asia/Calcutta")
    try:
        page = await context.new_page()
        await page.goto("/signup/")
        select = page.get_by_label("Time zone")
        await expect(select).to_have_value("Asia/Kolkata")
        groups = await select.evaluate(
            "s => [...s.querySelectorAll('optgroup')].map(g => [g.label, g.children.length])")
        assert groups[0] == ["Common time zones", 8] and groups[1][0] == "Every place, A to Z"
        assert 400 < groups[1][1] < 450
        labels = await select.evaluate("s => [...s.options].map(o => o.text)")
        assert labels[1:3] == ["Eastern Time — New York", "Central Time — Chicago"]
        assert not {"Factory", "localtime", "US/Central", "Asia/Calcutta"} & set(labels)
        assert "Kolkata, India" in labels

        search = page.get_by_label("Not in the list? Find your city")
        await search.fill("chica")
        found = page.locator("#time_zone-results button")
        await expect(found).to_have_count(1)  # Chicago once, by its plain name
        await expect(found).to_have_text("Central Time — Chicago")
        box = await found.bounding_box()
        assert box and box["height"] >= 44
        await shot(page, "search-phone")
        await found.tap()
        await expect(select).to_have_value("America/Chicago")
        await expect(page.locator("#time_zone-results")).to_have_text(
            "Chosen: Central Time — Chicago")
        await search.fill("SÃO pau")  # accents and case ignored
        await expect(found).to_have_text("Sao Paulo, Brazil")
        await search.fill("atlantis")
        await expect(page.locator("#time_zone-results")).to_have_text(
            "No place matches. Try the nearest big city.")
        await page.goto("/es/signup/")
        select = page.get_by_label("Zona horaria")
        await expect(select.locator("optgroup").first).to_have_attribute(
            "label", "Zonas horarias comunes")
        await expect(select.locator("option").nth(2)).to_have_text("Hora central — Chicago")
    finally:
        await context.close()


async def test_an_alias_stored_before_shows_as_its_place_on_account(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        with sqlite3.connect(app_data / "browser.db") as connection:
            connection.execute("UPDATE user_account SET time_zone = 'US/Central' "
                               "WHERE email = ?", (email,))
        await page.goto("/account/")
        await expect(page.locator("#profile_time_zone")).to_have_value("America/Chicago")
    finally:
        await context.close()
