"""axe-core (WCAG 2.0-2.2 A/AA and best practices) on the first screens, light and dark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from tests.browser.conftest import (
    BASE_URL,
    fill_note,
    new_phone_context,
    open_section,
    sign_up,
    wait_until_signed_in_page_is_ready,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


async def axe_violations(page: Page) -> list[str]:
    # Run through the DevTools protocol, as a script of the test: an added <script>
    # element is an inline script the page's Content-Security-Policy refuses.
    await page.evaluate(AXE.read_text())
    result = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    assert len(result["passes"]) > 10, "axe did not really check this page"
    return [f"{v['id']} ({v['impact']}): "
            + json.dumps([node["target"] for node in v["nodes"][:4]])
            for v in result["violations"]]


SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a, button, input:not([type=hidden]), select, textarea, summary')]
    .filter(el => el.offsetParent !== null && !el.closest('.week-grid'))
    .map(el => {
        // Radio tiles and checkboxes are tapped through their whole label.
        const box = (el.closest('label') || el).getBoundingClientRect();
        return [el.outerHTML.slice(0, 70), Math.round(box.width), Math.round(box.height)];
    })
    .filter(([, width, height]) => width < 44 || height < 44)"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_no_axe_violations_on_the_first_screens(browser: Browser, scheme: str) -> None:
    context = await new_phone_context(browser, color_scheme=scheme)
    try:
        page = await context.new_page()
        found = {}
        for route in ("/", "/signin/", "/signup/", "/help/"):
            await page.goto(route)
            await page.wait_for_load_state("networkidle")
            found[route] = await axe_violations(page)
        await sign_up(page)
        await page.goto("/help/")
        await page.get_by_role("navigation", name="Main").wait_for()
        found["/help/ (signed in, with the tabs)"] = await axe_violations(page)
        await page.goto("/journal/new/")
        await page.get_by_label("Urge: suicide 4").check()
        await fill_note(page, "A hard day.")
        await page.get_by_role("button", name="Save diary card").click()
        await page.locator("#risk-prompt").wait_for()
        found["/journal/new/ (saved, crisis prompt)"] = await axe_violations(page)
        for route in ("/today/", "/account/", "/journal/", "/journal/new/", "/more/",
                      "/journal/card/"):
            await page.goto(route)
            await page.wait_for_load_state("networkidle")
            found[route] = await axe_violations(page)
        # The journal with its grid unfolded, then the delete dialog over it.
        await page.goto("/journal/")
        await open_section(page, "journal-grid")
        await page.locator("table.week-grid").wait_for()
        found["/journal/ (grid open)"] = await axe_violations(page)
        await page.get_by_role("button", name="Delete").first.click()
        await page.get_by_role("alertdialog").wait_for()
        found["/journal/ (delete dialog)"] = await axe_violations(page)
        # The connection banner, offline.
        await page.goto("/journal/new/")
        await wait_until_signed_in_page_is_ready(page)
        await page.context.set_offline(True)
        await page.locator("#connection-banner").wait_for()
        found["/journal/new/ (offline banner)"] = await axe_violations(page)
        await page.context.set_offline(False)
        # The question asked at sign-out while an entry is still on the phone.
        await page.goto("/journal/new/")
        await page.wait_for_function(
            "document.querySelector('[data-draft-owner]')?.getAttribute('data-draft-owner')")
        await fill_note(page, "Not sent yet.")
        await page.goto("/account/")
        await page.wait_for_load_state("networkidle")
        await page.get_by_role("button", name="Sign out", exact=True).click()
        await page.get_by_role("alertdialog").wait_for()
        found["/account/ (unsent entry at sign-out)"] = await axe_violations(page)
    finally:
        await context.close()
    assert found == {route: [] for route in found}


async def test_every_screen_fits_a_360_px_phone_with_44_px_targets(browser: Browser) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740},
                                        base_url=BASE_URL, reduced_motion="reduce")
    try:
        page = await context.new_page()
        overflow, small = {}, {}

        async def measure(route: str, label: str = "") -> None:
            await page.goto(route)
            await page.wait_for_load_state("networkidle")
            label = label or route
            overflow[label] = await page.evaluate("document.documentElement.scrollWidth")
            small[label] = await page.evaluate(SMALL_TARGETS)

        for route in ("/", "/signin/", "/signup/", "/help/"):
            await measure(route)
        await sign_up(page)
        for route in ("/today/", "/journal/", "/journal/new/", "/more/", "/account/",
                      "/journal/card/"):
            await measure(route)
        await measure("/help/", "/help/ (signed in)")
        await page.goto("/journal/new/")
        await page.wait_for_function(
            "document.querySelector('[data-draft-owner]')?.getAttribute('data-draft-owner')")
        await fill_note(page, "Not sent yet.")
        await page.goto("/account/")
        await page.wait_for_load_state("networkidle")
        await page.get_by_role("button", name="Sign out", exact=True).click()
        await page.get_by_role("alertdialog").wait_for()
        overflow["unsent dialog"] = await page.evaluate("document.documentElement.scrollWidth")
        small["unsent dialog"] = await page.evaluate(SMALL_TARGETS)
    finally:
        await context.close()
    assert overflow == {route: 360 for route in overflow}
    assert small == {route: [] for route in small}
