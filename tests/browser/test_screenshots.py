"""Phone screenshots of the main screens, light and dark.

They land in test-artifacts/screenshots/ on every run (for review), and in
docs/screenshots/ when UPDATE_SCREENSHOTS=1 (the README shows those).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Browser

from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    fill_note,
    new_phone_context,
    open_section,
    sign_up,
    wait_until_signed_in_page_is_ready,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP = {"width": 1280, "height": 800}


def write_screenshots(shots: dict[str, bytes], suffix: str) -> None:
    """Each shot as <name>-<suffix>.png in the artifacts, and in docs/ when asked."""
    folders = [ARTIFACTS / "screenshots"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folders.append(DOCS)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (folder / f"{name}-{suffix}.png").write_bytes(png)
    assert all(len(png) > 10_000 for png in shots.values())


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_main_screens_render_on_a_phone(browser: Browser, scheme: str) -> None:
    context = await new_phone_context(browser, color_scheme=scheme, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        shots = {}
        await page.goto("/signin/")
        await page.wait_for_load_state("networkidle")
        shots["sign-in"] = await page.screenshot()
        await sign_up(page, name="Jordan")
        await page.wait_for_load_state("networkidle")
        shots["today"] = await page.screenshot()
        await page.get_by_label("6, Fine").check()
        await page.get_by_role("button", name="Save check-in").click()
        await page.locator("#checkin-saved").get_by_text("Saved at").wait_for()
        await page.goto("/journal/new/")
        await page.wait_for_load_state("networkidle")
        await page.get_by_label("Sadness 3").check()
        await page.get_by_label("Urge: substance use 2").check()
        await page.evaluate("window.scrollTo(0, 0)")  # the card's top
        shots["diary-card"] = await page.screenshot()
        await page.get_by_role("button", name="Save diary card").click()
        await page.locator("#saved").get_by_text("Saved at").wait_for()
        await page.goto("/journal/")
        await page.locator("article.entry").first.wait_for()
        shots["journal"] = await page.screenshot(full_page=True)
        await page.get_by_role("button", name="Delete").first.click()
        await page.get_by_role("alertdialog").wait_for()
        shots["delete-dialog"] = await page.screenshot()
        await page.get_by_role("button", name="Cancel").click()
        await page.goto("/journal/new/")
        await page.wait_for_load_state("networkidle")
        await fill_note(page, "Written on the bus.")
        await context.set_offline(True)
        await page.get_by_role("button", name="Save diary card").click()
        await page.wait_for_timeout(3000)  # let any connection message appear
        shots["offline"] = await page.screenshot()
        await context.set_offline(False)
        await page.goto("/help/")
        await page.wait_for_load_state("networkidle")
        shots["help"] = await page.screenshot()
        await page.goto("/practice/")
        await page.locator("#practice-search").wait_for()
        await page.wait_for_load_state("networkidle")
        shots["practice"] = await page.screenshot()
        await page.goto("/today/")
        await page.locator("#todays-practice a.plan-link").first.wait_for()
        await page.locator("#todays-practice").scroll_into_view_if_needed()
        shots["today-practice"] = await page.screenshot()
        # Nothing is wider than the phone: no sideways scrolling.
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        await context.close()
    write_screenshots(shots, scheme)


@pytest.mark.parametrize(("scheme", "viewport"), [("light", "phone"), ("dark", "phone"),
                                                  ("light", "laptop"), ("dark", "laptop")])
async def test_the_craving_card_on_the_diary_card_and_on_today(browser: Browser, scheme: str,
                                                               viewport: str) -> None:
    """A craving of 8 saved on the diary card: the card at Save, and on Today."""
    options: dict[str, object] = {"color_scheme": scheme, "timezone_id": "America/Chicago"}
    if viewport == "laptop":
        context = await browser.new_context(viewport=LAPTOP, base_url=BASE_URL, **options)
    else:
        context = await new_phone_context(browser, **options)
    suffix = scheme if viewport == "phone" else f"laptop-{scheme}"
    try:
        page = await context.new_page()
        shots = {}
        await sign_up(page, name="Jordan")
        await page.goto("/journal/new/")
        await wait_until_signed_in_page_is_ready(page)
        await open_section(page, "body")
        await page.get_by_label("Craving 8", exact=True).check()
        await page.get_by_role("button", name="Save diary card").click()
        await page.locator("#risk-prompt").wait_for()
        await page.locator("#saved").get_by_text("Saved at").wait_for()
        shots["craving-card-diary"] = await page.screenshot()
        await page.goto("/today/")
        await page.locator("#today-risk").wait_for()
        await page.locator("#todays-practice a.plan-link").first.wait_for()
        await page.wait_for_load_state("networkidle")
        await page.locator("#today-risk").evaluate(
            "(card) => card.scrollIntoView({block: 'start'})")
        shots["craving-card-today"] = await page.screenshot()
        width = LAPTOP["width"] if viewport == "laptop" else 390
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        await context.close()
    write_screenshots(shots, suffix)
