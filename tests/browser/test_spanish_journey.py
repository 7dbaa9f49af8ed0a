"""A Spanish-speaking patient's day, on a phone: sign up, check in, an exercise,
the diary card with a strong urge and its risk prompt, help offline.

Buttons are found by role with the name the text layer gives them in Spanish
(`es()`), never by English text; every screen is checked for English words.
Screenshots go to test-artifacts/spanish/ (docs/screenshots/ with
UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from skills_app import text
from skills_app.text import _
from tests.browser.conftest import (
    ARTIFACTS,
    ROOT,
    STRONG_PASSWORD,
    new_phone_context,
    open_section,
    unique_email,
    wait_until_signed_in_page_is_ready,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

SHOTS = (ROOT / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS")
         else ARTIFACTS / "spanish")
# Words that are English and never Spanish: one of them on a Spanish screen is a
# string that missed the text layer.
ENGLISH_ONLY_WORDS = re.compile(
    r"\b(the|and|your|you|please|this|with|what|how|feel|feeling|check|diary|card|"
    r"help|now|more|practice|journal|progress|back|next|done|start|open|share|sign|"
    r"account|settings|week|days|minutes|of|to|for|is|are|it|my|we|about|here|"
    r"saved|save|today|yesterday|tomorrow|urge|call|text|get|try|again|"
    r"step|finish|finished|skills?|mood|notes?|times?|when|who|which|daily)\b",
    re.IGNORECASE)
# Names the Spanish side shows as they are: the app's, and a crisis service's.
ALLOWED = ("Skills Practice", "Crisis Text Line")


def es(message: str, **params: object) -> str:
    with text.language("es"):
        return _(message, **params)


async def english_words_on(page: Page, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """English words in what the screen shows and reads aloud (labels included)."""
    shown = await page.evaluate("""() => {
        const parts = [document.body.innerText, document.title];
        document.querySelectorAll('[aria-label],[placeholder],[title],img[alt]').forEach(el => {
            for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
                const value = el.getAttribute(name);
                if (value && el.closest('[hidden]') === null) parts.push(value);
            }
        });
        return parts.join('\\n');
    }""")
    for phrase in ALLOWED + allowed:
        shown = shown.replace(phrase, " ")
    return sorted({match.group(0) for match in ENGLISH_ONLY_WORDS.finditer(shown)})


async def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(Path(SHOTS) / f"es-{name}.png"), full_page=False)


async def test_a_spanish_patients_day(browser: Browser) -> None:
    context = await new_phone_context(browser, locale="es-MX",
                                      timezone_id="America/Chicago")
    page = await context.new_page()
    try:
        # Sign up in Spanish: the browser's language offers the Spanish page.
        await page.goto("/signup/")
        await page.wait_for_url("**/es/signup/")
        await expect(page.locator("html")).to_have_attribute("lang", "es")
        await page.locator("#display_name").fill("Ana")
        await page.locator("#email").fill(unique_email("ana"))
        await page.locator("#password").fill(STRONG_PASSWORD)
        await shot(page, "1-sign-up")
        assert await english_words_on(page) == []
        await page.locator("#signup [type=submit]").click()
        await page.wait_for_url("**/es/today/")
        await wait_until_signed_in_page_is_ready(page)
        await expect(page.locator("html")).to_have_attribute("lang", "es")

        # Check in.
        await page.locator("#checkin-form input[name=mood]").nth(6).check(force=True)
        await page.locator("#save-checkin").click()
        await expect(page.locator("#checkin-saved")).not_to_be_empty()
        await shot(page, "2-today")
        assert await english_words_on(page, allowed=("Ana",)) == []

        # An English address takes her to the same screen in Spanish, lang included.
        await page.goto("/practice/")
        await page.wait_for_url("**/es/practice/")
        await expect(page.locator("html")).to_have_attribute("lang", "es")

        # An exercise, start to finish.
        await page.goto("/es/practice/do/?id=stop")
        current = page.locator("section[data-screen][data-current]")
        await expect(current).to_be_visible()
        await shot(page, "3-exercise")
        assert await english_words_on(page) == []
        finish = page.get_by_role("button", name=es("Finish"))
        for _step in range(20):
            if await finish.is_visible():
                break
            typed = current.locator("input[type=text], textarea")
            if await typed.count():
                await typed.first.fill("Salir a caminar un rato.")
            await current.get_by_role("button", name=es("Next")).click()
        await finish.click()
        await expect(page.locator("#finished-view")).to_be_visible()
        assert await english_words_on(page, allowed=("STOP",)) == []

        # The diary card with a strong urge: the risk prompt, in Spanish.
        await page.goto("/es/journal/new/")
        await wait_until_signed_in_page_is_ready(page)
        await open_section(page, "urges")
        await page.locator('input[name="urge_suicide"][value="4"]').check(force=True)
        await page.locator("#diary-form [type=submit]").click()
        prompt = page.locator("#risk-prompt")
        await expect(prompt).to_be_visible()
        await expect(prompt.get_by_role("link", name=re.compile("988")).first).to_be_visible()
        await shot(page, "4-risk-prompt")
        assert await english_words_on(page) == []

        # Help, with no network, after one visit.
        await page.goto("/es/help/")
        await page.wait_for_load_state("networkidle")
        await context.set_offline(True)
        await page.reload()
        await expect(page.locator("html")).to_have_attribute("lang", "es")
        await expect(page.get_by_text("AYUDA").first).to_be_visible()
        await shot(page, "5-help-offline")
        assert await english_words_on(page) == []
    finally:
        await context.set_offline(False)
        await context.close()
