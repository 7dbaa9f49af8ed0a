"""The practice history on a phone: finished exercises by day with distress and
answers, the DEAR MAN script copied again, delete after a dialog naming the entry,
a kind empty state and no false one while loading; axe, 360 px, 44 px targets.

Finished exercises are put in the app's database with core's own function (the
guided flow that finishes them is built elsewhere)."""

from __future__ import annotations

import re
import sqlite3
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from skills_app.core import db, practice
from skills_app.core.clock import utcnow
from tests.browser.conftest import ARTIFACTS, BASE_URL, new_phone_context, sign_up
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_practice_flow import RECORD_COPY

pytestmark = pytest.mark.asyncio(loop_scope="session")

CHICAGO = "America/Chicago"
DEAR_MAN = {
    "goal": "My sister, to stop calling during work",
    "describe": "You called me four times at work this week.",
    "express": "I feel stressed when my phone rings at my desk.",
    "assert_": "Please text me, and I will call you back after five.",
    "reinforce": "Then I can really listen to you.",
    "how": ["Keep coming back to my ask", "Stand tall and keep a steady voice"],
}
SCRIPT = ("You called me four times at work this week. I feel stressed when my phone rings "
          "at my desk. Please text me, and I will call you back after five. Then I can "
          "really listen to you.")
WEEKDAY = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Records whether the empty-state line ever showed, from the page's first byte.
WATCH_EMPTY = """(() => {
    window.__sawEmpty = false;
    new MutationObserver(() => {
        if (document.body && document.body.innerText.includes('Exercises you finish show up'))
            window.__sawEmpty = true;
    }).observe(document, {childList: true, subtree: true, characterData: true});
})();"""


def user_id(app_data: Path, email: str) -> int:
    with sqlite3.connect(app_data / "browser.db") as connection:
        return connection.execute("SELECT id FROM user_account WHERE email = ?",
                                  (email,)).fetchone()[0]


def finished_ids(app_data: Path, email: str) -> list[int]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        return [row[0] for row in connection.execute(
            "SELECT s.id FROM exercise_session s JOIN user_account u ON u.id = s.user_id "
            "WHERE u.email = ? ORDER BY s.id", (email,)).fetchall()]


def seed(app_data: Path, email: str, exercise_id: str, answers: dict, *,
         ago: timedelta = timedelta(minutes=1), minutes: int | None = 12,
         before: int | None = None, after: int | None = None,
         helped: str | None = None) -> int:
    """A finished exercise stored by core, in the test server's own database."""
    finished_at = utcnow() - ago
    raw = {"idempotency_key": str(uuid.uuid4()), "exercise_id": exercise_id,
           "answers": answers, "distress_before": before, "distress_after": after,
           "helped": helped, "finished_at": finished_at.isoformat(),
           "started_at": (finished_at - timedelta(minutes=minutes)).isoformat()
           if minutes else None}
    engine = db.make_engine(f"sqlite:///{app_data / 'browser.db'}")
    db.use_engine(engine)
    try:
        result = practice.finish_exercise(user_id(app_data, email), CHICAGO, raw)
    finally:
        db.use_engine(None)
        engine.dispose()
    assert result.ok, result.errors
    return result.finished.id


def seed_week(app_data: Path, email: str) -> dict[str, int]:
    return {
        "dear_man": seed(app_data, email, "dear-man", DEAR_MAN, before=7, after=4,
                         helped="some"),
        "soothe": seed(app_data, email, "self-soothe",
                       {"sight": "The sky out of the kitchen window", "helped": ["Sight", "Touch"]},
                       ago=timedelta(minutes=2), minutes=None),
        "urge": seed(app_data, email, "urge-surfing",
                     {"urge": "A drink after the text", "strength_before": 8,
                      "strength_after": 5, "next_step": "Call my sponsor"},
                     ago=timedelta(days=1), before=8, after=5, helped="yes"),
    }


async def open_history(page: Page) -> None:
    await page.goto("/practice/history/")
    await expect(page.get_by_role("heading", name="Practice history", level=1)).to_be_visible()
    await page.locator("#history-list, #history-empty").first.wait_for()


async def test_the_history_shows_each_day_with_distress_and_answers_and_copies_the_script(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id=CHICAGO)
    await context.grant_permissions(["clipboard-write"], origin=BASE_URL)
    try:
        page = await context.new_page()
        await page.add_init_script(RECORD_COPY)
        email = await sign_up(page)
        seed_week(app_data, email)
        # Reached from More, in one tap.
        await page.goto("/more/")
        await page.wait_for_load_state("networkidle")
        # Watching from here, whether the link loads a new document or not.
        await page.add_init_script(WATCH_EMPTY)
        await page.evaluate(WATCH_EMPTY)
        await page.get_by_role("link", name=re.compile("^Practice history")).click()
        await page.wait_for_url("**/practice/history/")
        await page.locator("#history-list").wait_for()
        assert await page.evaluate("window.__sawEmpty") is False, "a false empty state showed"

        days = page.locator("#history-list h2")
        await expect(days).to_have_text(["Today", "Yesterday"])
        cards = page.locator("article.practice-entry")
        await expect(cards.locator("h3")).to_have_text([
            "DEAR MAN: ask for what you want", "Self-soothe with your five senses",
            "Urge surfing"])
        dear_man = cards.nth(0)
        await expect(dear_man).to_contain_text(re.compile(r"\d{1,2}:\d\d.[AP]M · 12 min"))
        await expect(dear_man).to_contain_text("Distress 7 → 4")
        await expect(dear_man).to_contain_text("Helped: A little")
        await expect(dear_man.locator("dt").nth(1)).to_have_text("Describe")
        await expect(dear_man.locator("dd").nth(1)).to_have_text(DEAR_MAN["describe"])
        await expect(dear_man.locator("dd ul li")).to_have_text(DEAR_MAN["how"])
        soothe = cards.nth(1)
        await expect(soothe.locator("dd ul li")).to_have_text(["Sight", "Touch"])
        await expect(soothe).not_to_contain_text("Distress")
        await expect(soothe.get_by_role("button", name="Copy message")).to_have_count(0)
        await expect(cards.nth(2)).to_contain_text("Distress 8 → 5")
        await expect(cards.nth(2)).to_contain_text("8 out of 10")

        # The DEAR MAN script, copied again from the history.
        await expect(dear_man.locator(".message-text")).to_have_text(SCRIPT)
        await dear_man.get_by_role("button", name="Copy message").click()
        await expect(dear_man.get_by_role("status")).to_have_text("Copied")
        assert await page.evaluate("window.copied") == SCRIPT
    finally:
        await context.close()


async def test_delete_asks_naming_the_entry_and_removes_it(browser: Browser,
                                                           app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id=CHICAGO)
    try:
        page = await context.new_page()
        email = await sign_up(page)
        ids = seed_week(app_data, email)
        await open_history(page)
        dear_man = page.locator(f"article[data-finished-id='{ids['dear_man']}']")
        await dear_man.get_by_role("button", name=re.compile("^Delete")).click()
        dialog = page.get_by_role("alertdialog")
        await expect(dialog).to_have_accessible_name(re.compile(
            rf"^Delete your DEAR MAN practice from {WEEKDAY}, [A-Z][a-z]+ \d{{1,2}}, "
            r"\d{1,2}:\d\d.[AP]M\?$"))
        # "Get help now" stays above the backdrop: visible and the top element.
        help_link = page.get_by_role("link", name="Get help now")
        box = await help_link.bounding_box()
        on_top = await page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.textContent",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert on_top == "Get help now"
        # Cancel keeps it; Delete removes it from the screen and the database.
        await dialog.get_by_role("button", name="Cancel").click()
        await expect(dialog).to_have_count(0)
        assert ids["dear_man"] in finished_ids(app_data, email)
        await dear_man.get_by_role("button", name=re.compile("^Delete")).click()
        await dialog.get_by_role("button", name="Delete").click()
        await expect(page.locator("#history-status")).to_have_text("Deleted.")
        await expect(dear_man).to_have_count(0)
        await expect(page.locator("article.practice-entry")).to_have_count(2)
        assert finished_ids(app_data, email) == sorted([ids["soothe"], ids["urge"]])
    finally:
        await context.close()


async def test_an_empty_history_says_so_kindly_and_leads_to_practice(page: Page) -> None:
    await sign_up(page)
    await open_history(page)
    empty = page.locator("#history-empty")
    await expect(empty).to_contain_text("Exercises you finish show up here.")
    await expect(page.get_by_text("Loading…")).to_have_count(0)
    link = empty.get_by_role("link", name="Find an exercise")
    assert await link.get_attribute("href") == "/practice/"
    # Show earlier widens the range (and says so) until a year is shown.
    await page.get_by_role("button", name="Show earlier").click()
    await expect(page.get_by_text("Showing the last 180 days.")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_no_axe_violations_on_the_history_and_its_dialog(browser: Browser, app_data: Path,
                                                               scheme: str) -> None:
    context = await new_phone_context(browser, timezone_id=CHICAGO, color_scheme=scheme)
    try:
        page = await context.new_page()
        email = await sign_up(page)
        found = {}
        await open_history(page)
        found["empty"] = await axe_violations(page)
        seed_week(app_data, email)
        await open_history(page)
        await page.wait_for_load_state("networkidle")
        found["history"] = await axe_violations(page)
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=ARTIFACTS / f"practice-history-{scheme}.png")
        await page.screenshot(path=ARTIFACTS / f"practice-history-{scheme}-full.png",
                              full_page=True)
        await page.get_by_role("button", name="Copy message").click()
        await page.get_by_role("button", name=re.compile("^Delete")).first.click()
        await page.get_by_role("alertdialog").wait_for()
        found["delete dialog"] = await axe_violations(page)
        await page.screenshot(path=ARTIFACTS / f"practice-history-{scheme}-dialog.png")
    finally:
        await context.close()
    assert found == {name: [] for name in found}


async def test_the_history_fits_a_360_px_phone_with_44_px_targets(browser: Browser,
                                                                 app_data: Path) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740},
                                        base_url=BASE_URL, timezone_id=CHICAGO,
                                        reduced_motion="reduce")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        seed_week(app_data, email)
        # A long answer without spaces must wrap, not widen the page.
        seed(app_data, email, "dear-man", {**DEAR_MAN, "describe": "x" * 3000})
        await open_history(page)
        await page.wait_for_load_state("networkidle")
        assert await page.evaluate("document.documentElement.scrollWidth") == 360
        assert await page.evaluate(SMALL_TARGETS) == []
        await page.get_by_role("button", name=re.compile("^Delete")).first.click()
        await page.get_by_role("alertdialog").wait_for()
        assert await page.evaluate("document.documentElement.scrollWidth") == 360
        assert await page.evaluate(SMALL_TARGETS) == []
    finally:
        await context.close()


async def test_copy_works_without_the_clipboard_api(browser: Browser, app_data: Path) -> None:
    """Older phones and some in-app browsers have no navigator.clipboard: the copy
    falls back, and at worst selects the message for the phone's own Copy."""
    context = await new_phone_context(browser, timezone_id=CHICAGO)
    try:
        page = await context.new_page()
        email = await sign_up(page)
        seed(app_data, email, "dear-man", DEAR_MAN)
        await page.add_init_script(
            "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})")
        await open_history(page)
        assert await page.evaluate("navigator.clipboard === undefined")
        await page.get_by_role("button", name="Copy message").click()
        status = page.locator("article.practice-entry").get_by_role("status")
        await expect(status).to_have_text(re.compile(
            r"^(Copied|The message is selected\. Use your phone's Copy to copy it\.)$"))
        if await status.text_content() != "Copied":
            assert await page.evaluate("String(window.getSelection())") == SCRIPT
    finally:
        await context.close()
