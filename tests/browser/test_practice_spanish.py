"""Guided practice in Spanish on a 390x844 phone: the Practice tab, an exercise's
screens and its closing screen speak Spanish; what is saved is the same as in English."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.browser.conftest import new_phone_context, sign_up

pytestmark = pytest.mark.asyncio(loop_scope="session")
CHICAGO = "America/Chicago"


def speak_spanish(app_data: Path, email: str) -> None:
    """The account's language, as Account would set it."""
    with sqlite3.connect(app_data / "browser.db") as connection:
        connection.execute("UPDATE user_account SET language = 'es' WHERE email = ?", (email,))


async def test_the_practice_tab_and_an_exercise_speak_spanish(browser: Browser,
                                                              app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id=CHICAGO)
    try:
        page = await context.new_page()
        email = await sign_up(page)
        speak_spanish(app_data, email)
        # The English tab sends a Spanish-speaking patient to the Spanish one.
        await page.goto("/practice/")
        await page.wait_for_url("**/es/practice/")
        await page.goto("/es/practice/")
        assert await page.evaluate("document.documentElement.lang") == "es"
        await expect(page.get_by_role("heading", name="Practicar", level=1)).to_be_visible()
        await expect(page.get_by_role("heading", name="Necesito ayuda con...")).to_be_visible()
        await expect(page.get_by_label("Buscar ejercicios")).to_be_visible()
        await expect(page.get_by_text("Pienso en hacerme daño")).to_be_visible()
        await expect(page.get_by_role("heading", name="Tolerancia al malestar")).to_be_visible()
        await expect(page.get_by_role("link", name="Tu historial de práctica")).to_have_attribute(
            "href", "/es/practice/history/")

        await page.goto("/es/practice/do/?id=dear-man")
        await expect(page.get_by_role("heading", name="Antes de empezar")).to_be_visible()
        await expect(page.get_by_text("Puedes parar cuando quieras.")).to_be_visible()
        await page.get_by_role("button", name="Siguiente").first.click()
        await expect(page.get_by_text("Paso 1 de 9")).to_be_visible()
        await expect(page.get_by_text("Lee esto primero.")).to_be_visible()
        await page.screenshot(path=str(app_data / "practice-es-step-1.png"))
    finally:
        await context.close()
