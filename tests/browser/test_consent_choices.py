"""Sharing is opt-in, category by category, in a real browser.

A new patient who enters a therapist's code sees every category with its box
empty, Safety first with why it helps, and substance use named as such.
Continuing with nothing ticked is refused with a kind message (nothing is
signed); the consent for Safety alone names Safety and says substance-use
information is not shared, and the one for both names them apart.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from skills_app.core import sharing
from skills_app.text.problems import say
from tests.browser.conftest import (
    APP_DB_URL,
    ARTIFACTS,
    STRONG_PASSWORD,
    new_phone_context,
    sign_up,
    unique_email,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


async def shoot(page: Page, name: str) -> None:
    """Into test-artifacts/screenshots/, and docs/screenshots/ with UPDATE_SCREENSHOTS=1."""
    image = await page.screenshot()
    folders = [ARTIFACTS / "screenshots"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folders.append(DOCS)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(image)


async def test_nothing_is_ticked_and_nothing_chosen_is_refused(browser: Browser) -> None:
    therapist_ctx = await new_phone_context(browser)
    patient_ctx = await new_phone_context(browser)
    try:
        therapist = await therapist_ctx.new_page()
        await sign_up(therapist, name="Dr. Ames", role="therapist")
        await therapist.get_by_role("button", name="Show a connect code").click()
        code = (await therapist.locator("#connect-code").inner_text()).strip()

        patient = await patient_ctx.new_page()
        await sign_up(patient, name="Quinn")
        await patient.goto(f"/sharing/?code={code}")
        await patient.get_by_text("Share with Dr. Ames").wait_for()
        boxes = patient.locator("#choose-form input[type=checkbox]")
        assert await boxes.count() == len(sharing.CATEGORIES)
        assert [await box.is_checked() for box in await boxes.all()] == \
            [False] * len(sharing.CATEGORIES)
        labels = [text.strip() for text in
                  await patient.locator("#choose-form .choice strong").all_inner_texts()]
        assert labels[0] == "Safety"
        assert "Substance use" in labels
        use = await patient.locator("#choose-form .choice").nth(2).inner_text()
        assert "This is substance-use information. Federal law (42 CFR Part 2)" in use
        first = await patient.locator("#choose-form .choice").first.inner_text()
        assert "Lets your therapist see when things get dangerous" in first

        # Continuing with nothing chosen is refused, kindly, and nothing is signed.
        await patient.get_by_role("button", name="Continue to consent").click()
        error = patient.locator("#categories-error")
        await error.get_by_text(say(sharing.NO_CATEGORIES)).wait_for()
        assert await patient.locator("#consent-text").count() == 0
        await patient.evaluate("""() => {
            const header = document.querySelector('.app-header')?.offsetHeight || 0;
            const top = document.querySelector('#choose-form').getBoundingClientRect().top;
            window.scrollTo(0, top + window.scrollY - header - 8);
        }""")
        await shoot(patient, "sharing-choices")

        # Safety alone: the consent names it, and says substance use is not shared.
        await patient.locator("#share-safety").check()
        await patient.get_by_role("button", name="Continue to consent").click()
        consent = patient.locator("#consent-text")
        await consent.wait_for()
        text = await consent.inner_text()
        assert "- Safety: your urges to end your life, hurt yourself or quit therapy" \
            in text
        assert "Substance-use information (the urge to use, cravings and use) is NOT shared" \
            in text
        assert f"(version {sharing.CONSENT_VERSION})" in text

        # Both: named apart, each with its own line.
        await patient.get_by_role("button", name="Back").click()
        await patient.locator("#share-substance_use").check()
        await patient.get_by_role("button", name="Continue to consent").click()
        await consent.wait_for()
        text = await consent.inner_text()
        assert "- Safety: your urges" in text
        assert "- Substance use: your urge to use and if you used" in text
        assert "42 CFR Part 2" in text
        assert "Safety information (urges" not in text
        assert "Substance-use information (the urge" not in text
        # Homework, not chosen, says what the therapist sees without it.
        assert "Homework is NOT shared on its own" in text
        await patient.get_by_label("Type your name to sign").fill("Quinn")
        await patient.get_by_role("button", name="Sign and share").click()
        await patient.get_by_text("Signed. You now share with Dr. Ames.").wait_for()
        shares = await patient.locator(".grant-card").inner_text()
        assert "Safety; Substance use" in shares
    finally:
        await therapist_ctx.close()
        await patient_ctx.close()


async def test_a_spanish_patient_signs_the_spanish_consent(browser: Browser) -> None:
    """The consent read on /es/sharing/ is the Spanish text with its own version; the
    grant records that language, that version and the SHA-256 of what was shown."""
    therapist_ctx = await new_phone_context(browser)
    patient_ctx = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        therapist = await therapist_ctx.new_page()
        await sign_up(therapist, name="Dr. Ames", role="therapist")
        await therapist.get_by_role("button", name="Show a connect code").click()
        code = (await therapist.locator("#connect-code").inner_text()).strip()

        patient = await patient_ctx.new_page()
        email = unique_email("lucia")
        await patient.goto("/es/signup/")
        await patient.get_by_label("Tu nombre").fill("Lucía")
        await patient.get_by_label("Correo electrónico").fill(email)
        await patient.get_by_label("Contraseña", exact=True).fill(STRONG_PASSWORD)
        await patient.get_by_role("button", name="Crear cuenta").click()
        await patient.wait_for_url("**/es/today/")
        # An English link still opens the Spanish screen: her language is remembered.
        await patient.goto(f"/sharing/?code={code}")
        await patient.wait_for_url("**/es/sharing/**")
        await patient.get_by_text("Compartir con Dr. Ames").wait_for()
        labels = [text.strip() for text in
                  await patient.locator("#choose-form .choice strong").all_inner_texts()]
        assert labels[:3] == ["Seguridad", "Ánimo y emociones", "Consumo de sustancias"]
        await shoot(patient, "sharing-choices-es")
        await patient.locator("#share-mood").check()
        await patient.get_by_role("button", name="Seguir al permiso").click()
        consent = patient.locator("#consent-text")
        await consent.wait_for()
        text = await consent.inner_text()
        assert text.startswith("Permiso para compartir mis datos (versión 2026-12.2-es)")
        assert "NO se comparte lo de consumo de sustancias" in text
        await shoot(patient, "consent-es")
        await patient.get_by_label("Escribe tu nombre para firmar").fill("Lucía")
        await patient.get_by_role("button", name="Firmar y compartir").click()
        await patient.get_by_text("Listo, firmaste. Ahora compartes con Dr. Ames.").wait_for()
        assert "Ánimo y emociones" in await patient.locator(".grant-card").inner_text()
        await shoot(patient, "sharing-signed-es")
    finally:
        await therapist_ctx.close()
        await patient_ctx.close()
    database = sqlite3.connect(APP_DB_URL[0].removeprefix("sqlite:///"))
    try:
        language, version, digest = database.execute(
            "SELECT consent_language, consent_version, consent_sha256 FROM share_grant "
            "JOIN user_account ON user_account.id = share_grant.patient_id "
            "WHERE user_account.email = ?", (email,)).fetchone()
    finally:
        database.close()
    assert (language, version) == ("es", "2026-12.2-es")
    today = datetime.now(UTC).date()
    signed = sharing.consent_text(
        patient_name="Lucía", therapist_name="Dr. Ames", program_name="Riverside IOP",
        categories=("mood",), signed_on=today,
        expires_on=today + timedelta(days=sharing.GRANT_LIFETIME_DAYS), language="es")
    assert digest == hashlib.sha256(signed.encode()).hexdigest()
