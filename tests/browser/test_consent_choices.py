"""Sharing is opt-in, category by category, in a real browser.

A new patient who enters a therapist's code sees every category with its box
empty, Safety first with why it helps, and substance use named as such.
Continuing with nothing ticked is refused with a kind message (nothing is
signed); the consent for Safety alone names Safety and says substance-use
information is not shared, and the one for both names them apart.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from skills_app.core import sharing
from skills_app.text.problems import say
from tests.browser.conftest import ARTIFACTS, new_phone_context, sign_up

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
        assert "42 CFR Part 2" in text and "is NOT shared" not in text
        await patient.get_by_label("Type your name to sign").fill("Quinn")
        await patient.get_by_role("button", name="Sign and share").click()
        await patient.get_by_text("Signed. You now share with Dr. Ames.").wait_for()
        shares = await patient.locator(".grant-card").inner_text()
        assert "Safety; Substance use" in shares
    finally:
        await therapist_ctx.close()
        await patient_ctx.close()
