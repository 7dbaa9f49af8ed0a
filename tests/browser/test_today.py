"""Today, as a patient opens it in the middle of their day."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import sign_up, wait_until_signed_in_page_is_ready

pytestmark = pytest.mark.asyncio(loop_scope="session")

# The layout shifts not caused by input since the page started loading (the sum
# is what Lighthouse reports as CLS, before it groups them into windows).
LAYOUT_SHIFTS = """() => new Promise(resolve => {
    const shifts = [];
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) {
                shifts.push([entry.value, entry.sources.map(s => s.node?.outerHTML?.slice(0, 60))]);
            }
        }
        resolve(shifts);
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(shifts), 200);
})"""


async def test_today_stays_still_while_its_entries_arrive(page: Page) -> None:
    await sign_up(page, name="Jordan")
    await wait_until_signed_in_page_is_ready(page)
    await page.get_by_label("7, Good").check()
    await page.get_by_role("button", name="Save check-in").click()
    await expect(page.locator("#checkin-saved")).to_contain_text("Saved at")

    await page.reload()
    await expect(page.locator("#today-so-far")).to_contain_text("Mood 7 · Good")
    await expect(page.locator(".lead")).to_contain_text("Hi Jordan.")
    shifts = await page.evaluate(LAYOUT_SHIFTS)
    assert sum(value for value, _ in shifts) < 0.01, shifts
    # Today's list comes after everything that was on the page before it.
    assert await page.evaluate("document.querySelector('main').lastElementChild.id") == (
        "today-so-far")
