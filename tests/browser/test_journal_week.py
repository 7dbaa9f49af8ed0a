"""The journal page on a phone: entries first, no false "no entries", nothing jumps,
the grid folded one tap away with labels whole, and a delete dialog that names the entry."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import (
    BASE_URL,
    fill_note,
    open_section,
    sign_up,
    wait_until_signed_in_page_is_ready,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Records, from the first byte of every page, whether a text ever showed and the
# page's layout shifts (as Lighthouse's CLS counts them: not right after input).
WATCH = """(() => {
    window.__seen = new Set();
    window.__shifts = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) window.__shifts.push(entry.value);
        }
    }).observe({type: 'layout-shift', buffered: true});
    const look = () => {
        const text = document.body ? document.body.innerText : '';
        if (text.includes('No entries this week yet')) window.__seen.add('no entries');
    };
    new MutationObserver(look).observe(document, {childList: true, subtree: true,
                                                   characterData: true});
})();"""

LABEL_WORDS = """() => [...document.querySelectorAll('.week-grid tbody th[scope=row]')].map(th => {
    const box = th.getBoundingClientRect();
    const text = th.firstChild;
    let start = 0;
    return text.textContent.split(' ').map(word => {
        const range = document.createRange();
        range.setStart(text, start);
        range.setEnd(text, start + word.length);
        start += word.length + 1;
        const rects = [...range.getClientRects()];
        return [word, new Set(rects.map(r => Math.round(r.top))).size,
                rects.every(r => r.left >= box.left && r.right <= box.right + 0.5)];
    });
}).flat()"""


async def save_diary_card(page: Page, note: str) -> None:
    await page.goto("/journal/new/")
    await wait_until_signed_in_page_is_ready(page)
    await page.get_by_label("6, Fine").check()
    await page.get_by_label("Urge: substance use 3").check()
    await page.locator("input[name='acted_substance_use']").check()
    await open_section(page, "body")
    await page.get_by_label("Craving 4").check()
    await page.get_by_label("Took my medications as prescribed: yes").check()
    await page.get_by_label("Hours of sleep").fill("7")
    await fill_note(page, note)
    await page.get_by_role("button", name="Save diary card").click()
    await expect(page.locator("#saved-view")).to_be_visible()


async def test_entries_come_first_with_no_false_empty_line_and_no_jump(
        browser: Browser) -> None:
    context = await browser.new_context(viewport={"width": 390, "height": 844},
                                        base_url=BASE_URL, is_mobile=True, has_touch=True)
    try:
        page = await context.new_page()
        await sign_up(page)
        await save_diary_card(page, "Rough shift, called my sponsor.")
        await page.add_init_script(WATCH)
        for _ in range(3):
            await page.goto("/journal/")
            entry = page.locator("article.entry").first
            await expect(entry).to_contain_text("Rough shift, called my sponsor.")
            await page.wait_for_timeout(500)  # any late shift would land by now
            assert await page.evaluate("[...window.__seen]") == []
            shifts = await page.evaluate("window.__shifts")
            assert sum(shifts) <= 0.05, shifts
            # Entries and "New diary card" first; the grid folded under them.
            new_card = await page.get_by_role("link", name="+ New diary card").bounding_box()
            entry_box = await entry.bounding_box()
            fold = page.locator("details#week-grid")
            fold_box = await fold.bounding_box()
            assert new_card["y"] < entry_box["y"] < fold_box["y"]
            assert not await fold.evaluate("(details) => details.open")
            await expect(fold.locator("summary")).to_contain_text(
                "1 day filled in · mood 6 · acted on an urge on 1 day")
            await expect(page.locator("table.week-grid")).to_be_hidden()
    finally:
        await context.close()


async def test_the_grid_is_one_tap_away_remembered_and_no_label_breaks_at_360(
        browser: Browser) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740},
                                        base_url=BASE_URL, is_mobile=True, has_touch=True)
    try:
        page = await context.new_page()
        await sign_up(page)
        await save_diary_card(page, "Sleep was better.")
        await page.goto("/journal/")
        await page.locator("details#week-grid > summary").click()
        grid = page.locator("table.week-grid")
        await expect(grid).to_be_visible()
        await expect(grid.locator("tr", has_text="Medications")).to_contain_text("Yes")
        broken = [(word, lines, inside) for word, lines, inside
                  in await page.evaluate(LABEL_WORDS) if lines != 1 or not inside]
        assert broken == []
        labels = await grid.locator("tbody th[scope=row]").all_inner_texts()
        assert {"Medications", "Craving (0\u201110)", "Substance use"} <= set(labels)
        assert await page.evaluate("document.documentElement.scrollWidth") == 360
        # The header keeps the name and "Get help now" on one line each.
        lines = await page.evaluate("""() => ['.brand', '.get-help'].map(selector => {
            const walker = document.createTreeWalker(document.querySelector(selector),
                                                     NodeFilter.SHOW_TEXT);
            const tops = new Set();
            while (walker.nextNode()) {
                const range = document.createRange();
                range.selectNodeContents(walker.currentNode);
                for (const r of range.getClientRects()) tops.add(Math.round(r.top));
            }
            return tops.size;
        })""")
        assert lines == [1, 1]
        # Opened once, it stays open for this person on this phone.
        await page.reload()
        await expect(grid).to_be_visible()
    finally:
        await context.close()


async def test_the_delete_dialog_names_the_entry_and_leaves_help_in_reach(page: Page) -> None:
    await sign_up(page)
    await save_diary_card(page, "To be deleted.")
    await page.goto("/journal/")
    entry = page.locator("article.entry", has_text="To be deleted.")
    await entry.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("alertdialog", name="Delete this entry?")
    weekday = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    await expect(dialog).to_have_accessible_description(re.compile(
        rf"^Your diary card from {weekday}, [A-Z][a-z]+ \d{{1,2}}, \d{{1,2}}:\d\d\s?[AP]M\. "
        r"You can undo this for \d+ seconds\.$"))
    # "Get help now" is above the dialog's backdrop: visible and the top element.
    help_link = page.get_by_role("link", name="Get help now")
    box = await help_link.bounding_box()
    on_top = await page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.textContent",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert on_top == "Get help now"
    await help_link.click()
    await page.wait_for_url("**/help/")
    await expect(page.get_by_role("link", name=re.compile("988")).first).to_be_visible()
