"""The therapist at a desk and on a phone (issue 22 item 6): at 1,280 px the caseload is a
table with its column headers, a row per patient, using the width; at 390 px it is cards
and the week review's table scrolls sideways inside its own box with the item column
fixed, the page itself never scrolling sideways. axe finds nothing, light and dark.
Screenshots go to test-artifacts/screenshots/ (and /work/brief/shots/ when it exists)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page

from skills_app import demo
from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    PHONE,
    sign_in,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_screenshots import LAPTOP, demo_caseload, show_from  # noqa: F401
from tests.browser.test_today import LAYOUT_SHIFTS

pytestmark = pytest.mark.asyncio(loop_scope="session")

DEMO_NAMES = ["Drew Patel", "Jordan Lee", "Casey Morgan", "Riley Chen", "Sam Rivera"]
BRIEF_SHOTS = Path("/work/brief/shots")


def _save(page_png: bytes, name: str) -> None:
    for folder in (ARTIFACTS / "screenshots", BRIEF_SHOTS):
        if folder == BRIEF_SHOTS and not folder.is_dir():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(page_png)


@asynccontextmanager
async def _caseload(browser: Browser, viewport: dict[str, int], scheme: str
                    ) -> AsyncIterator[tuple[Page, Locator]]:
    """The demo therapist's caseload, signed in, in its own browser context."""
    context = await browser.new_context(base_url=BASE_URL, viewport=viewport,
                                        color_scheme=scheme, timezone_id="America/Chicago")
    context.set_default_timeout(15_000)
    try:
        page = await context.new_page()
        await page.goto("/signin/")
        await sign_in(page, demo.THERAPIST[1], demo.DEMO_PASSWORD)
        await page.wait_for_url("**/patients/")
        await page.locator("#caseload > tbody > tr").first.wait_for()
        await page.wait_for_load_state("networkidle")
        yield page, page.locator("table#caseload")
    finally:
        await context.close()


async def _shifts_on_reload(page: Page) -> list:
    """The layout shifts while the caseload arrives on a fresh load of the page."""
    await page.reload()
    await page.locator("#caseload > tbody > tr").first.wait_for()
    await page.wait_for_load_state("networkidle")
    return await page.evaluate(LAYOUT_SHIFTS)


async def _no_page_overflow(page: Page) -> None:
    assert await page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_the_caseload_is_a_table_at_a_desk(
        browser: Browser, demo_caseload: None, scheme: str) -> None:  # noqa: F811
    async with _caseload(browser, LAPTOP, scheme) as (page, table):
        headers = [h.strip() for h in await table.locator("thead th").all_inner_texts()]
        assert headers[:4] == ["Patient", "Risk", "Last check-in", "Mood, 7 days"]
        assert headers[-1] == "Shares"
        # No demo patient has homework or a group track: no empty columns for them.
        assert "Homework" not in headers and "Groups" not in headers
        assert await table.locator("thead").is_visible()
        assert await table.evaluate("t => getComputedStyle(t).display") == "table"
        rows = table.locator("tbody > tr")
        names = [n.strip() for n in await rows.locator(".patient-name").all_inner_texts()]
        assert names == DEMO_NAMES
        # One line a patient: every cell of a row side by side, in the header's columns.
        for row in await rows.all():
            assert await row.locator("th, td").count() == len(headers)
            tops = await row.evaluate(
                "r => [...r.cells].map(c => Math.round(c.getBoundingClientRect().top))")
            assert len(set(tops)) == 1
        # The labels the phone's cards carry are left to the column headers here.
        assert not await rows.first.locator(".cell-label").first.is_visible()
        width = await table.evaluate("t => t.getBoundingClientRect().width")
        assert width > 900
        # Nothing moves while the caseload arrives (the CLS Lighthouse would see).
        shifts = await _shifts_on_reload(page)
        assert sum(value for value, _ in shifts) < 0.01, shifts
        await _no_page_overflow(page)
        assert await axe_violations(page) == []
        await page.evaluate("document.activeElement?.blur()")
        _save(await page.screenshot(), f"desk-caseload-1280x800-{scheme}")

        # The patient's page uses the width too: the whole week fits without scrolling.
        await table.locator("tbody > tr", has_text="Drew Patel").get_by_role("link").click()
        await page.locator("#diary-review .grid-scroll").first.wait_for()
        await page.wait_for_load_state("networkidle")
        scroller = page.locator("#diary-review .grid-scroll").first
        assert await scroller.evaluate("b => b.scrollWidth <= b.clientWidth")
        assert await scroller.evaluate("b => b.clientWidth") > 900
        assert not await page.locator("#diary-review .scroll-hint").is_visible()
        await _no_page_overflow(page)
        assert await axe_violations(page) == []
        await show_from(page, "#diary-review")
        await page.evaluate("document.activeElement?.blur()")
        _save(await page.screenshot(), f"desk-week-review-1280x800-{scheme}")
        await page.evaluate("window.scrollTo(0, 0)")
        _save(await page.screenshot(full_page=True), f"desk-patient-1280-full-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_the_caseload_cards_and_the_week_review_on_a_phone(
        browser: Browser, demo_caseload: None, scheme: str) -> None:  # noqa: F811
    async with _caseload(browser, PHONE, scheme) as (page, table):
        # Cards: the column headers are for screen readers only, each card says its labels.
        head = await table.locator("thead").bounding_box()
        assert head is not None and head["height"] <= 1 and head["width"] <= 1
        first = table.locator("tbody > tr").first
        assert "Last check-in: " in await first.inner_text()
        box = await first.bounding_box()
        assert box is not None and box["width"] > 300
        shifts = await _shifts_on_reload(page)
        assert sum(value for value, _ in shifts) < 0.01, shifts
        await _no_page_overflow(page)
        assert await axe_violations(page) == []
        assert await page.evaluate(SMALL_TARGETS) == []
        await page.evaluate("document.activeElement?.blur()")
        _save(await page.screenshot(), f"desk-patients-top-390x844-{scheme}")
        await show_from(page, "#caseload")
        _save(await page.screenshot(), f"desk-caseload-390x844-{scheme}")

        await table.locator("tbody > tr", has_text="Drew Patel").get_by_role("link").click()
        await page.locator("#patient-name", has_text="Drew Patel").wait_for()
        await page.locator("#diary-review").wait_for()
        await page.wait_for_load_state("networkidle")
        scroller = page.locator("#diary-review .grid-scroll").first
        sizes = await scroller.evaluate("b => [b.scrollWidth, b.clientWidth]")
        assert sizes[0] > sizes[1], "the week's table fits without scrolling: nothing to test"
        await _no_page_overflow(page)
        assert await page.evaluate(SMALL_TARGETS) == []
        # Said in words too, not by the shadow alone.
        assert await page.locator("#diary-review .scroll-hint").is_visible()
        first_cells = [scroller.locator("tbody th").first, scroller.locator("thead th").first]
        before = [await cell.bounding_box() for cell in first_cells]
        await scroller.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
        assert await scroller.evaluate("b => b.scrollLeft") > 0
        after = [await cell.bounding_box() for cell in first_cells]
        # The item's name (and its header) stays where it was while the days move under it.
        for was, now in zip(before, after, strict=True):
            assert was is not None and now is not None
            assert abs(now["x"] - was["x"]) < 1
        # The last column (last week's total) has come into view beside it.
        last = scroller.locator("thead th").last
        last_box = await last.bounding_box()
        scroller_box = await scroller.bounding_box()
        assert last_box is not None and scroller_box is not None
        assert last_box["x"] + last_box["width"] <= scroller_box["x"] + scroller_box["width"] + 1
        assert await axe_violations(page) == []
        await show_from(page, "#diary-review")
        await page.evaluate("document.activeElement?.blur()")
        _save(await page.screenshot(), f"desk-week-review-scrolled-390x844-{scheme}")
        await scroller.evaluate("b => { b.scrollLeft = 0; }")
        _save(await page.screenshot(), f"desk-week-review-390x844-{scheme}")


async def test_a_patients_pages_stay_a_phone_column_on_a_wide_screen(
        browser: Browser, demo_caseload: None) -> None:  # noqa: F811
    context = await browser.new_context(base_url=BASE_URL, viewport=LAPTOP)
    try:
        page = await context.new_page()
        await page.goto("/signin/")
        await sign_in(page, demo.STEADY[1], demo.DEMO_PASSWORD)
        await wait_until_signed_in_page_is_ready(page)
        assert await page.locator(".app-main").evaluate(
            "m => m.getBoundingClientRect().width") <= 640
    finally:
        await context.close()
