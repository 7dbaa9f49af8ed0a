"""The guided exercise flow on a phone: step by step, nothing lost, saved once, counted."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, expect

from skills_app.core import exercises
from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    new_phone_context,
    sign_in,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations

pytestmark = pytest.mark.asyncio(loop_scope="session")

DEAR_MAN = {
    "goal": "My brother, to pay back the money",
    "describe": "You borrowed 200 dollars in May.",
    "express": "I feel worried about my rent.",
    "assert_": "Please pay me back by Friday.",
    "reinforce": "Then we can both relax about it.",
}
NO_SHARE = "delete Navigator.prototype.share;"
# What the page hands the clipboard, recorded on its way there: the page's
# Permissions-Policy denies clipboard-read, so the test cannot read it back.
RECORD_COPY = """(() => { const write = Clipboard.prototype.writeText;
    Clipboard.prototype.writeText = function (text) {
        window.copied = text; return write.call(this, text); }; })();"""
RECORD_SHARE = """Navigator.prototype.share = function (data) {
    window.sharedWith = data; return Promise.resolve(); };"""


def finished_rows(app_data: Path, email: str) -> list[tuple]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        return connection.execute(
            "SELECT s.exercise_id, s.answers, s.distress_before, s.distress_after, s.helped, "
            "s.started_at FROM exercise_session s JOIN user_account u ON u.id = s.user_id "
            "WHERE u.email = ? ORDER BY s.id", (email,)).fetchall()


async def open_exercise(page: Page, exercise_id: str) -> None:
    await page.goto(f"/practice/do/?id={exercise_id}")
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("section[data-screen][data-current]")).to_be_visible()


def screen(page: Page):  # noqa: ANN201 (a Playwright locator)
    return page.locator("section[data-screen][data-current]")


async def next_step(page: Page) -> None:
    await screen(page).get_by_role("button", name="Next").click()


async def answer_dear_man_up_to(page: Page, last_step: int) -> None:
    """From the distress screen, answer DEAR MAN's steps 1..last_step (and go past them)."""
    await page.get_by_label("Distress now 7", exact=True).check()
    await next_step(page)
    keys = [step.key for step in exercises.exercise("dear-man").steps]
    for number, key in enumerate(keys, 1):
        if number > last_step:
            return
        await expect(screen(page)).to_contain_text(f"Step {number} of {len(keys)}")
        if key in DEAR_MAN:
            await screen(page).locator("input:not([type=hidden]), textarea").fill(DEAR_MAN[key])
        elif key == "how":
            await screen(page).get_by_label("Keep coming back to my ask").check()
        await next_step(page)


async def test_dear_man_end_to_end_builds_copies_shares_and_counts_today(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago",
                                      permissions=["clipboard-write"])
    try:
        page = await context.new_page()
        await page.add_init_script(NO_SHARE)
        await page.add_init_script(RECORD_COPY)
        email = await sign_up(page)
        await open_exercise(page, "dear-man")
        await expect(page.get_by_role("heading", name="DEAR MAN: ask for what you want")
                     ).to_be_visible()
        await expect(screen(page)).to_contain_text("How strong is your distress right now?")
        await expect(screen(page)).to_contain_text("0 = calm, 10 = the worst")
        await next_step(page)
        # The first step spells the acronym out.
        await expect(screen(page)).to_contain_text("Step 1 of 9")
        await expect(screen(page)).to_contain_text("DEAR MAN stands for: Describe, Express")
        await next_step(page)
        # A step that asks needs an answer, said kindly.
        await expect(screen(page)).to_contain_text("Step 2 of 9")
        await next_step(page)
        await expect(screen(page)).to_contain_text("Please write a few words to go on.")
        await expect(screen(page)).to_contain_text("Step 2 of 9")
        # Back goes back with nothing lost.
        await screen(page).locator("input[type=text]").fill(DEAR_MAN["goal"])
        await screen(page).get_by_role("button", name="Back").click()
        await expect(screen(page)).to_contain_text("Step 1 of 9")
        await next_step(page)
        await expect(screen(page).locator("input[type=text]")).to_have_value(DEAR_MAN["goal"])
        await page.goto("/today/")
        await open_exercise(page, "dear-man")
        await screen(page).get_by_role("button", name="Back").click()
        await screen(page).get_by_role("button", name="Back").click()
        await answer_dear_man_up_to(page, 9)
        await expect(screen(page)).to_contain_text("How did it go?")
        await page.get_by_label("Distress after 3", exact=True).check()
        await page.get_by_label("A little", exact=True).check()
        await page.get_by_role("button", name="Finish").click()
        finished = page.locator("#finished-view")
        await expect(finished).to_contain_text("Finished at")
        message = " ".join(DEAR_MAN[k] for k in ("describe", "express", "assert_", "reinforce"))
        await expect(page.locator("#finished-message")).to_have_text(message)
        [(exercise_id, _, before, after, helped, started)] = finished_rows(app_data, email)
        assert (exercise_id, before, after, helped) == ("dear-man", 7, 3, "some")
        assert started is not None
        # Copy.
        await finished.get_by_role("button", name="Copy").click()
        await expect(page.locator("#copy-status")).to_contain_text("Copied")
        assert await page.evaluate("window.copied") == message
        # Share without a share sheet: copies.
        await page.evaluate("window.copied = null")
        await page.evaluate("document.getElementById('copy-status').textContent = ''")
        await finished.get_by_role("button", name="Share").click()
        await expect(page.locator("#copy-status")).to_contain_text("Copied")
        assert await page.evaluate("window.copied") == message
        # With one: the phone's share sheet gets the message.
        await page.evaluate(RECORD_SHARE)
        await finished.get_by_role("button", name="Share").click()
        await expect(page.locator("#copy-status")).to_contain_text("Shared")
        assert await page.evaluate("window.sharedWith") == {"text": message}
        await expect(finished.get_by_role("link", name="Back to practice")).to_have_attribute(
            "href", "/practice/")
        await expect(finished.get_by_role("link", name="Today")).to_have_attribute(
            "href", "/today/")
        # The draft is gone, and today's diary card grid counts the skill.
        assert await page.evaluate("Object.keys(localStorage).filter(k => "
                                   "k.startsWith('skills.draft.')).length") == 0
        await page.goto("/journal/")
        await page.locator("details#week-grid > summary").click()
        grid = page.locator("table.week-grid")
        days = await grid.locator("thead th").all_inner_texts()
        today = datetime.now(ZoneInfo("America/Chicago")).strftime("%a %-d")
        column = days.index(today)
        row = grid.locator("tbody tr", has=page.locator("th", has_text="Skills used"))
        await expect(row.locator("td").nth(column - 1)).to_have_text("1")
        # Today's new diary card has DEAR MAN ticked, its section open, and says why.
        await page.goto("/journal/new/")
        dear_man = page.get_by_role("checkbox", name="DEAR MAN", exact=True)
        await expect(dear_man).to_be_visible()
        await expect(dear_man).to_be_checked()
        await expect(page.locator("#practised-note")).to_contain_text("Ticked for you")
    finally:
        await context.close()


async def test_the_share_sheet_is_used_when_the_phone_has_one(browser: Browser) -> None:
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        await page.add_init_script(RECORD_SHARE)
        await sign_up(page)
        await open_exercise(page, "dear-man")
        await answer_dear_man_up_to(page, 9)
        await page.get_by_role("button", name="Finish").click()
        await page.get_by_role("button", name="Share").click()
        await expect(page.locator("#copy-status")).to_contain_text("Shared")
        shared = await page.evaluate("window.sharedWith")
        assert shared["text"].startswith(DEAR_MAN["describe"])
    finally:
        await context.close()


async def test_a_reload_at_step_4_resumes_there_with_the_answers(page: Page) -> None:
    await sign_up(page)
    await open_exercise(page, "dear-man")
    await answer_dear_man_up_to(page, 3)
    await expect(screen(page)).to_contain_text("Step 4 of 9")
    await screen(page).locator("textarea").fill("I feel")
    await page.reload()
    await expect(screen(page)).to_contain_text("Step 4 of 9")
    await expect(screen(page).locator("textarea")).to_have_value("I feel")
    await screen(page).get_by_role("button", name="Back").click()
    await expect(screen(page).locator("textarea")).to_have_value(DEAR_MAN["describe"])
    await screen(page).get_by_role("button", name="Back").click()
    await expect(screen(page).locator("input[type=text]")).to_have_value(DEAR_MAN["goal"])
    await screen(page).get_by_role("button", name="Back").click()
    await screen(page).get_by_role("button", name="Back").click()
    await expect(page.get_by_label("Distress now 7", exact=True)).to_be_checked()


async def test_an_expired_session_resumes_at_the_step_after_signing_in_again(
        page: Page, app_data: Path) -> None:
    email = await sign_up(page)
    await open_exercise(page, "dear-man")
    await answer_dear_man_up_to(page, 3)
    await screen(page).locator("textarea").fill("I feel")
    with sqlite3.connect(app_data / "browser.db") as connection:
        connection.execute("DELETE FROM auth_session WHERE user_id = "
                           "(SELECT id FROM user_account WHERE email = ?)", (email,))
    await page.reload()
    await page.wait_for_url(re.compile(r"/signin/\?next="))
    await sign_in(page, email)
    await page.wait_for_url("**/practice/do/?id=dear-man")
    await expect(screen(page)).to_contain_text("Step 4 of 9")
    await expect(screen(page).locator("textarea")).to_have_value("I feel")
    # And a finish refused for an expired session is sent again once signed in.
    await answer_rest_of_dear_man(page)
    with sqlite3.connect(app_data / "browser.db") as connection:
        connection.execute("DELETE FROM auth_session WHERE user_id = "
                           "(SELECT id FROM user_account WHERE email = ?)", (email,))
    await page.get_by_role("button", name="Finish").click()
    await page.wait_for_url(re.compile(r"/signin/\?next="))
    await sign_in(page, email)
    await page.wait_for_url("**/practice/do/?id=dear-man")
    await expect(page.locator("#finished-view")).to_contain_text("Finished at")
    assert [row[0] for row in finished_rows(app_data, email)] == ["dear-man"]


async def test_finished_offline_is_saved_exactly_once_when_back(
        page: Page, app_data: Path) -> None:
    email = await sign_up(page)
    await open_exercise(page, "dear-man")
    await answer_dear_man_up_to(page, 9)
    await page.context.set_offline(True)
    await page.get_by_role("button", name="Finish").click()
    await expect(page.locator("[data-draft-status]")).to_contain_text("offline")
    await asyncio.sleep(6)  # past the first resend, still offline
    assert finished_rows(app_data, email) == []
    await page.context.set_offline(False)
    await expect(page.locator("#finished-view")).to_contain_text("Finished at", timeout=30_000)
    await asyncio.sleep(6)  # any resend still on its way has arrived
    assert [row[0] for row in finished_rows(app_data, email)] == ["dear-man"]
    assert await page.evaluate("Object.keys(localStorage).filter(k => "
                               "k.startsWith('skills.draft.')).length") == 0


async def test_an_unknown_exercise_is_said_kindly(page: Page) -> None:
    await sign_up(page)
    for forged in ("no-such-thing", "<script>", ""):
        await page.goto(f"/practice/do/?id={forged}")
        await expect(page.locator("#exercise-not-found")).to_contain_text(
            "We couldn't find that exercise")
        await expect(page.get_by_role("link", name="Go to Practice")).to_be_visible()
        await expect(page.locator("#practice-form")).to_have_count(0)


def _one_step_of_each_input() -> list[tuple[str, int, str]]:
    """(exercise id, step number, input) for the first step of each input type."""
    found: dict[str, tuple[str, int, str]] = {}
    for exercise in exercises.all_exercises():
        for number, step in enumerate(exercise.steps, 1):
            found.setdefault(step.input, (exercise.id, number, step.input))
    return sorted(found.values(), key=lambda item: item[2])


async def go_to_step(page: Page, exercise_id: str, number: int) -> None:
    """Straight to a step, as a restored draft would (the step is part of the form)."""
    await open_exercise(page, exercise_id)
    # Until the page knows whose phone it is, a draft is not kept: set the step
    # again until this form's draft on the phone holds it, then reload.
    await page.wait_for_function("""n => {
        const form = document.querySelector('form[data-flow]');
        const step = form.querySelector('input[name=step]');
        step.value = String(n);
        step.dispatchEvent(new Event('input', {bubbles: true}));
        const suffix = '.' + form.getAttribute('data-draft');
        return Object.keys(localStorage).some(key => {
            if (!key.endsWith(suffix)) return false;
            try { return JSON.parse(localStorage.getItem(key)).values.step === String(n); }
            catch (e) { return false; }
        });
    }""", arg=number, polling=100)
    await page.reload()
    await expect(screen(page)).to_contain_text(f"Step {number} of")


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_every_input_type_and_the_finished_view_pass_axe(
        browser: Browser, scheme: str) -> None:
    context = await new_phone_context(browser, color_scheme=scheme)
    try:
        page = await context.new_page()
        await sign_up(page)
        found: dict[str, list] = {}
        small: dict[str, list] = {}
        await open_exercise(page, "tip")
        found["distress before"] = await axe_violations(page)
        for exercise_id, number, kind in _one_step_of_each_input():
            await go_to_step(page, exercise_id, number)
            where = f"{exercise_id} step {number} ({kind})"
            found[where] = await axe_violations(page)
            small[where] = await page.evaluate(SMALL_TARGETS)
        # A caution above its step.
        await go_to_step(page, "tip", 2)
        await expect(screen(page).locator(".flow-caution")).to_contain_text("heart")
        found["tip step 2 (caution)"] = await axe_violations(page)
        await open_exercise(page, "dear-man")
        await answer_dear_man_up_to(page, 9)
        found["closing screen"] = await axe_violations(page)
        small["closing screen"] = await page.evaluate(SMALL_TARGETS)
        await page.get_by_role("button", name="Finish").click()
        await expect(page.locator("#finished-view")).to_be_visible()
        found["finished"] = await axe_violations(page)
        small["finished"] = await page.evaluate(SMALL_TARGETS)
        await page.goto("/practice/do/?id=nothing-here")
        await expect(page.locator("#exercise-not-found")).to_be_visible()
        found["unknown exercise"] = await axe_violations(page)
        assert {k: v for k, v in found.items() if v} == {}
        assert {k: v for k, v in small.items() if v} == {}
    finally:
        await context.close()


async def test_no_screen_is_wider_than_a_360_px_phone(browser: Browser) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740},
                                        base_url=BASE_URL, is_mobile=True, has_touch=True)
    try:
        page = await context.new_page()
        await sign_up(page)
        wide = []
        for exercise_id, number, _ in _one_step_of_each_input():
            await go_to_step(page, exercise_id, number)
            if await page.evaluate("document.documentElement.scrollWidth") > 360:
                wide.append((exercise_id, number))
        await open_exercise(page, "dear-man")
        await answer_dear_man_up_to(page, 9)
        await page.get_by_role("button", name="Finish").click()
        await expect(page.locator("#finished-view")).to_be_visible()
        if await page.evaluate("document.documentElement.scrollWidth") > 360:
            wide.append(("finished", 0))
        assert wide == []
    finally:
        await context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_screenshots_of_a_dear_man_step_and_the_finished_script(
        browser: Browser, scheme: str) -> None:
    """In test-artifacts/screenshots/ on every run, and docs/screenshots/ with
    UPDATE_SCREENSHOTS=1 (as tests/browser/test_screenshots.py does)."""
    folders = [ARTIFACTS / "screenshots"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folders.append(Path(__file__).resolve().parents[2] / "docs" / "screenshots")
    context = await new_phone_context(browser, color_scheme=scheme,
                                      timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        await sign_up(page)
        await open_exercise(page, "dear-man")
        await answer_dear_man_up_to(page, 2)
        await screen(page).locator("textarea").fill(DEAR_MAN["describe"])
        shots = {"practice-step": await page.screenshot()}
        await page.evaluate("document.activeElement.blur()")
        await next_step(page)
        await answer_rest_of_dear_man(page)
        await page.get_by_role("button", name="Finish").click()
        await expect(page.locator("#finished-view")).to_be_visible()
        shots["practice-finished"] = await page.screenshot()
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            for name, image in shots.items():
                (folder / f"{name}-{scheme}.png").write_bytes(image)
    finally:
        await context.close()


async def answer_rest_of_dear_man(page: Page) -> None:
    """From step 4 to the closing screen."""
    for key in ("express", "assert_", "reinforce"):
        await screen(page).locator("textarea").fill(DEAR_MAN[key])
        await next_step(page)
    for _ in range(3):  # the checklist, the optional middle way, the message
        await next_step(page)
