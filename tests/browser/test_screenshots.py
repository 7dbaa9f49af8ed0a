"""Phone screenshots of the main screens, light and dark.

They land in test-artifacts/screenshots/ on every run (for review), and in
docs/screenshots/ when UPDATE_SCREENSHOTS=1 (the README shows those).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    fill_note,
    new_phone_context,
    open_section,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_practice_flow import go_to_step, screen

pytestmark = pytest.mark.asyncio(loop_scope="session")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def save_screenshots(shots: dict[str, bytes], scheme: str) -> None:
    """Each shot as `<name>-<scheme>.png`, in docs/screenshots/ too with UPDATE_SCREENSHOTS=1."""
    folders = [ARTIFACTS / "screenshots"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folders.append(DOCS)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (folder / f"{name}-{scheme}.png").write_bytes(png)


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
    save_screenshots(shots, scheme)
    assert all(len(png) > 10_000 for png in shots.values())


async def test_the_empty_safety_plan_start(browser: Browser) -> None:
    """A patient with no safety plan opens it: the guided start, on a phone (light and
    dark) and a laptop; on the phone also the help page's overdose section."""
    folders = [ARTIFACTS / "screenshots"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folders.append(DOCS)
    shots = {}
    for name, viewport, scheme in (("safety-plan-start-light", None, "light"),
                                   ("safety-plan-start-dark", None, "dark"),
                                   ("safety-plan-start-laptop", {"width": 1280, "height": 800},
                                    "light")):
        context = await new_phone_context(browser, color_scheme=scheme) if viewport is None \
            else await browser.new_context(viewport=viewport, base_url=BASE_URL,
                                           color_scheme=scheme)
        try:
            page = await context.new_page()
            await sign_up(page)
            await page.goto("/safety-plan/")
            await page.locator("#start-step-1").wait_for()
            await page.wait_for_load_state("networkidle")
            shots[name] = await page.screenshot()
            if viewport is None:
                await page.goto("/help/")
                await page.locator("#overdose-safety").wait_for()
                await page.wait_for_load_state("networkidle")
                # The section from a full-page shot: an element taller than the screen
                # would be stitched with the sticky header over it.
                box = await page.locator("#overdose-safety").evaluate(
                    "el => { const r = el.getBoundingClientRect(); return {x: r.x, "
                    "y: r.y + window.scrollY, width: r.width, height: r.height}; }")
                shots[name.replace("safety-plan-start", "help-overdose")] = \
                    await page.screenshot(full_page=True, clip=box)
                await page.goto("/safety-plan/")
                await page.locator("#start-step-1").wait_for()
                await page.get_by_role("textbox").fill("I stop answering texts")
                await page.get_by_role("button", name="Save and go on").click()
                await page.locator("#start-step-2").wait_for()
                await page.wait_for_load_state("networkidle")
                shots[name.replace("start", "start-step-2")] = await page.screenshot()
        finally:
            await context.close()
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (folder / f"{name}.png").write_bytes(png)


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_skill_hints_and_a_new_exercise_step_on_a_phone(
        browser: Browser, scheme: str) -> None:
    """The diary card's skills, each with its hint, and a step of a new exercise
    with its caution: screenshots, and axe and tap targets on both screens."""
    context = await new_phone_context(browser, color_scheme=scheme, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        shots, found, small = {}, {}, {}
        await sign_up(page, name="Jordan")
        await page.goto("/journal/new/")
        await wait_until_signed_in_page_is_ready(page)
        await open_section(page, "skills")
        await page.get_by_role("checkbox", name="TIP", exact=True).check()
        skills = page.locator("details[data-section='skills']")
        await skills.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top"
                              " + window.scrollY - 64)")
        shots["diary-skills"] = await page.screenshot()
        found["diary card, skills open"] = await axe_violations(page)
        small["diary card, skills open"] = await page.evaluate(SMALL_TARGETS)
        await go_to_step(page, "burning-bridges", 4)
        await expect(screen(page).locator(".flow-caution")).to_contain_text("one last time")
        shots["practice-burning-bridges"] = await page.screenshot()
        found["burning bridges step 4"] = await axe_violations(page)
        small["burning bridges step 4"] = await page.evaluate(SMALL_TARGETS)
        await go_to_step(page, "tip", 3)
        await expect(screen(page).locator(".flow-caution")).to_contain_text("alcohol or drugs")
        shots["practice-tip-caution"] = await page.screenshot()
        assert {k: v for k, v in found.items() if v} == {}
        assert {k: v for k, v in small.items() if v} == {}
    finally:
        await context.close()
    save_screenshots(shots, scheme)
