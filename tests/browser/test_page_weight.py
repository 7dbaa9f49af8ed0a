"""What a phone downloads to open a screen: the scripts and stylesheets each screen
loads, opened fresh (nothing cached), kept under a budget.

The numbers are bytes after decompression, what the phone must parse. Before the
budget they were ~1,540 KB of JavaScript and 734 KB of CSS on every patient
screen: the whole Radix Themes library (for two components) and one 550 KB module
holding every page's memoised parts in both languages. Now (Dec 2026) they are
~620-780 KB and 59 KB; a screen over its budget has pulled a library or another
screen's code back in (see components/typography.py, pages/localized.py).
"""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Response

from tests.browser.conftest import new_phone_context, sign_up

in_the_browser = pytest.mark.asyncio(loop_scope="session")

SCRIPT_BUDGET_KB = 950
STYLE_BUDGET_KB = 100
SCREENS = ("/today/", "/journal/", "/journal/new/", "/practice/", "/progress/", "/account/",
           "/es/today/")


@in_the_browser
async def test_every_screen_loads_under_its_script_and_style_budget(browser: Browser) -> None:
    context = await new_phone_context(browser, service_workers="block")
    try:
        page = await context.new_page()
        await sign_up(page, name="Weigh")
        cookies = await context.cookies()
    finally:
        await context.close()
    weights: dict[str, tuple[int, int]] = {}
    for path in SCREENS:
        fresh = await new_phone_context(browser, service_workers="block")
        try:
            await fresh.add_cookies(cookies)
            loaded: list[Response] = []
            page = await fresh.new_page()
            page.on("response", lambda response, kept=loaded: kept.append(response))
            await page.goto(path)
            await page.wait_for_load_state("networkidle")
            await page.wait_for_selector("#main h1")
            scripts = styles = 0
            for response in loaded:
                kind = response.request.resource_type
                if kind in ("script", "stylesheet") and response.ok:
                    size = len(await response.body())
                    if kind == "script":
                        scripts += size
                    else:
                        styles += size
            weights[path] = (scripts // 1024, styles // 1024)
            # No Radix Themes root or rule on the page.
            assert await page.locator(".radix-themes").count() == 0, path
            assert not await page.evaluate("""() => [...document.styleSheets].some(sheet => {
                try { return [...sheet.cssRules].some(rule => rule.cssText.includes('.rt-')); }
                catch (e) { return false; } })"""), path
        finally:
            await fresh.close()
    print("KB of script, style per screen:", weights)
    for path, (scripts, styles) in weights.items():
        assert scripts <= SCRIPT_BUDGET_KB, (path, scripts)
        assert styles <= STYLE_BUDGET_KB, (path, styles)
        assert scripts > 100 and styles > 5, (path, "the page loaded nothing: not measured")
