"""The journal in Spanish on a phone: the quick check-in, the diary card and the week.

A patient whose account speaks Spanish reads the /es/ pages: the card's own
words, the mood words, the saved line and the journal week in Spanish, and
what they typed as they typed it.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import (
    APP_DB_URL,
    ARTIFACTS,
    open_section,
    sign_up,
    wait_until_signed_in_page_is_ready,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

# "Guardado a las 4:23 p.m." (formats.clock in Spanish; the space may be narrow).
SAVED_AT = re.compile(r"^Guardado a las \d{1,2}:\d\d\s?[ap]\.\s?m\.$")


def speak_spanish(email: str) -> None:
    """Set the account's language to Spanish, as the Account page would."""
    with sqlite3.connect(APP_DB_URL[0].removeprefix("sqlite:///")) as connection:
        connection.execute("UPDATE user_account SET language = 'es' WHERE email = ?", (email,))


async def test_a_spanish_patient_checks_in_and_fills_the_diary_card(page: Page) -> None:
    await page.set_viewport_size({"width": 390, "height": 844})
    speak_spanish(await sign_up(page, name="Lucía"))
    await page.goto("/es/today/")
    await wait_until_signed_in_page_is_ready(page)
    checkin = page.locator("#checkin-form")
    await expect(checkin.get_by_role("heading", name="Registro rápido")).to_be_visible()
    await checkin.get_by_role("radio", name="8, Feliz").check()
    await checkin.get_by_label("Una línea sobre esto (opcional)").fill("Un buen día")
    await checkin.get_by_role("button", name="Guardar registro").click()
    await expect(page.locator("#checkin-saved")).to_have_text(SAVED_AT)
    await expect(page.locator("#today-so-far")).to_contain_text("Registro rápido")
    await expect(page.locator("#today-so-far")).to_contain_text("Ánimo 8 · Feliz")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "es-today.png"), full_page=True)

    await checkin.get_by_role("link", name="Tarjeta diaria completa").click()
    await page.wait_for_url("**/es/journal/new/")
    await wait_until_signed_in_page_is_ready(page)
    form = page.locator("#diary-form")
    await form.get_by_role("radio", name="3, Sin ánimo").check()
    await form.get_by_role("radio", name="Impulso: consumir sustancias 2").check()
    await open_section(page, "notes")
    # Opening the notes folded the answered urges; their title says what they hold.
    await expect(page.locator("details[data-section='urges'] > summary [data-fold-summary]")
                 ).to_have_text("Impulso: consumir sustancias 2")
    await page.locator("#triggers").fill("trabajo")
    await page.screenshot(path=str(ARTIFACTS / "es-diary-card.png"), full_page=True)
    await form.get_by_role("button", name="Guardar tarjeta diaria").click()
    await expect(page.locator("#saved")).to_have_text(SAVED_AT)
    saved = page.locator("#saved-view")
    await expect(saved).to_contain_text("Tarjeta diaria guardada")
    await expect(saved).to_contain_text("Impulso: consumir sustancias 2")
    await expect(saved).to_contain_text("Detonantes: trabajo")

    await saved.get_by_role("link", name="Volver al diario").click()
    await page.wait_for_url("**/es/journal/")
    await expect(page.get_by_text("Esta semana", exact=True)).to_be_visible()
    entry = page.locator("article.entry").first
    await expect(entry).to_contain_text("Tarjeta diaria")
    await page.locator("#week-grid summary").click()
    grid = page.locator("table.week-grid")
    await expect(grid).to_contain_text("Impulsos (0-5)")
    await expect(grid.get_by_role("rowheader", name="Consumo de sustancias")).to_be_visible()
    await page.screenshot(path=str(ARTIFACTS / "es-journal.png"), full_page=True)
    for english in ("Diary card", "Check-in", "Save", "Urge", "Mood "):
        assert english not in await page.locator("main").inner_text(), english
