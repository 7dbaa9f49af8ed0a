"""The account's language on a phone: chosen at sign-up (pre-set from the browser),
changed in Account, remembered; the auth forms answer in the page's language."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import STRONG_PASSWORD, new_phone_context, unique_email

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def sign_up_in_spanish(page: Page, name: str = "Ana") -> str:
    email = unique_email("ana")
    await page.goto("/es/signup/")
    await expect(page.locator("html")).to_have_attribute("lang", "es")
    await expect(page.get_by_label("Language / Idioma")).to_have_value("es")
    await page.get_by_label("Tu nombre").fill(name)
    await page.get_by_label("Correo electrónico").fill(email)
    await page.get_by_label("Contraseña", exact=True).fill(STRONG_PASSWORD)
    await page.get_by_role("button", name="Crear cuenta").click()
    await page.wait_for_url("**/es/today/")
    return email


async def test_signing_up_in_spanish_keeps_spanish_everywhere(browser: Browser) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        await sign_up_in_spanish(page)
        nav = page.get_by_role("navigation", name="Principal")
        await expect(nav.get_by_role("link", name="Hoy")).to_have_attribute("aria-current",
                                                                           "page")
        # The English address of a page leads to the Spanish one: the language is remembered.
        await page.goto("/today/")
        await page.wait_for_url("**/es/today/")
        await page.goto("/journal/")
        await page.wait_for_url("**/es/journal/")
        await page.goto("/account/")
        await page.wait_for_url("**/es/account/")
        await expect(page.get_by_label("Language / Idioma")).to_have_value("es")
    finally:
        await context.close()


async def test_a_spanish_browser_gets_spanish_unless_the_visitor_chooses_english(
        browser: Browser) -> None:
    context = await new_phone_context(browser, locale="es-MX",
                                      extra_http_headers={"Accept-Language": "es-MX,es;q=0.9"})
    try:
        page = await context.new_page()
        # Before sign-in the pages follow the browser: Spanish, pre-selected.
        await page.goto("/signup/")
        await page.wait_for_url("**/es/signup/")
        await expect(page.get_by_role("heading", name="Crea tu cuenta")).to_be_visible()
        await expect(page.get_by_label("Language / Idioma")).to_have_value("es")
        await expect(page.locator("html")).to_have_attribute("lang", "es")
        # A tap on "English" holds for this tab, with the way back offered in Spanish.
        await page.get_by_role("link", name="English").click()
        await page.wait_for_url("**/signup/?chosen=1")
        await expect(page.get_by_label("Language / Idioma")).to_have_value("en")
        offer = page.locator("#browser-language-offer")
        await expect(offer).to_have_text("Ver esta página en español")
        await page.goto("/signin/")
        await expect(page.locator("#browser-language-offer")).to_have_attribute(
            "href", "/es/signin/?chosen=1")
        await expect(page).to_have_url(re.compile(r"/signin/$"))
        await page.locator("#browser-language-offer").click()
        await page.wait_for_url("**/es/signin/?chosen=1")
        await expect(page.locator("html")).to_have_attribute("lang", "es")
    finally:
        await context.close()


async def test_an_english_browser_is_offered_nothing(page: Page) -> None:
    await page.goto("/signup/")
    await expect(page.get_by_label("Language / Idioma")).to_have_value("en")
    await page.wait_for_timeout(1000)
    await expect(page.locator("#browser-language-offer")).to_have_count(0)
    # Every public page links to the other language, named in itself.
    await expect(page.get_by_role("link", name="Español")).to_have_attribute(
        "href", "/es/signup/?chosen=1")


async def test_changing_the_language_in_account_reloads_in_it(browser: Browser) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        await page.goto("/signup/")
        await page.get_by_label("Your name").fill("Sam")
        await page.get_by_label("Email").fill(unique_email("sam"))
        await page.get_by_label("Password", exact=True).fill(STRONG_PASSWORD)
        await page.get_by_role("button", name="Create account").click()
        await page.wait_for_url("**/today/")
        await page.goto("/account/")
        await expect(page.get_by_label("Language / Idioma")).to_have_value("en")
        await page.get_by_label("Language / Idioma").select_option("es")
        await page.get_by_role("button", name="Save details").click()
        await page.wait_for_url("**/es/account/?language=1")
        await expect(page.get_by_role("heading", name="Cuenta", exact=True)).to_be_visible()
        await expect(page.get_by_text("Guardado.")).to_be_visible()
        await page.goto("/today/")
        await page.wait_for_url("**/es/today/")
        # And back to English.
        await page.goto("/es/account/")
        await page.get_by_label("Language / Idioma").select_option("en")
        await page.get_by_role("button", name="Guardar datos").click()
        await page.wait_for_url("**/account/?language=1")
        assert "/es/" not in page.url
        await expect(page.get_by_text("Saved.")).to_be_visible()
    finally:
        await context.close()


async def test_auth_errors_come_in_the_pages_language(page: Page) -> None:
    await page.goto("/es/signin/")
    await page.get_by_label("Correo electrónico").fill(unique_email("nadie"))
    await page.get_by_label("Contraseña", exact=True).fill("no es la contraseña correcta")
    await page.get_by_role("button", name="Entrar").click()
    await expect(page.locator("#signin-status")).to_have_text(
        "Ese correo y esa contraseña no coinciden. Revísalos y vuelve a intentarlo.")
    await page.goto("/es/signup/")
    await page.get_by_label("Tu nombre").fill("Ana")
    await page.get_by_label("Correo electrónico").fill(unique_email("ana"))
    await page.get_by_label("Contraseña", exact=True).fill("passwordpassword")
    await page.get_by_role("button", name="Crear cuenta").click()
    await expect(page.locator("#password-error")).to_contain_text(
        "Esta contraseña es muy común o muy fácil de adivinar.")
    # The show/hide toggle speaks the page's language too (assets/app.js).
    reveal = page.locator("[data-reveal='password']")
    await reveal.click()
    await expect(reveal).to_have_text("Ocultar")
