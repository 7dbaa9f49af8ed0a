"""Offline-first pages (issue 22 item 1): every patient screen opens and reloads
with no network after one visit, showing its own content (the copy the phone
kept, with its "Last updated" line), screens that need the server say so, and
what is made offline is sent from whichever screen is open, once."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import (
    ARTIFACTS,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_practice_flow import answer_dear_man_up_to

pytestmark = pytest.mark.asyncio(loop_scope="session")

SHOTS = Path("/work/brief/shots")
# Every screen a patient opens (the flows with one item each).
PATIENT_SCREENS = (
    "/today/", "/journal/", "/journal/new/", "/practice/", "/practice/do/?id=dear-man",
    "/practice/history/", "/mindfulness/", "/mindfulness/breathe/", "/mindfulness/timer/",
    "/mindfulness/log/", "/progress/", "/measures/", "/measures/take/?id=phq9",
    "/safety-plan/", "/relapse-plan/", "/homework/", "/groups/", "/more/", "/help/",
    "/sharing/", "/account/",
)
# Screens that need the server: offline they say so instead of showing a copy.
NEEDS_SERVER = ("/sharing/", "/account/")


def counts(app_data: Path, email: str) -> tuple[int, int]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        entries = connection.execute(
            "SELECT COUNT(*) FROM journal_entry e JOIN user_account u ON u.id = e.user_id "
            "WHERE u.email = ? AND e.kind = 'checkin'", (email,)).fetchone()[0]
        exercises = connection.execute(
            "SELECT COUNT(*) FROM exercise_session s JOIN user_account u ON u.id = s.user_id "
            "WHERE u.email = ?", (email,)).fetchone()[0]
    return entries, exercises


async def title(page: Page) -> str:
    heading = page.locator("h1:visible").first
    await expect(heading).not_to_be_empty()
    return " ".join((await heading.inner_text()).split())


async def expect_own_screen(page: Page, url: str, heading: str) -> None:
    await expect(page.get_by_role("heading", name="You're offline", exact=True)).to_have_count(0)
    await expect(page.locator("h1:visible").first).to_have_text(heading)
    if url in NEEDS_SERVER:
        await expect(page.locator(".page-copy-note")).to_contain_text("needs a connection")
    elif page.url.split("/", 3)[-1].startswith(("help", "safety", "relapse", "mindfulness/b",
                                                "mindfulness/t")) or url == "/mindfulness/":
        return  # these pages work offline by themselves
    else:
        await expect(page.locator(".page-copy-note")).to_contain_text("Last updated")
        await expect(page.locator(".page-copy-note")).to_contain_text("offline")


async def test_every_patient_screen_opens_and_reloads_offline_and_saves_go_once(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        await page.evaluate("navigator.serviceWorker.ready")
        await page.reload()  # now controlled by the service worker
        await page.wait_for_function("navigator.serviceWorker.controller !== null")
        headings = {}
        for url in PATIENT_SCREENS:
            await page.goto(url)
            if url != "/help/":  # open to everyone: no drafts
                await wait_until_signed_in_page_is_ready(page)
            if url == "/practice/do/?id=dear-man":
                await expect(page.locator("section[data-screen][data-current]")).to_be_visible()
            headings[url] = await title(page)
            await page.wait_for_function(  # the phone's copy of this screen is kept
                "(path) => Object.keys(localStorage).some((k) => k.startsWith('skills.page.') "
                "&& k.endsWith(path)) || !document.querySelector('.app.patient') || "
                "/^\\/(help|safety|relapse|mindfulness\\/(breathe|timer)?\\/?$|sharing|account)/"
                ".test(location.pathname)", arg=url)
        # A guided mindfulness script never opened is kept too (the worker warmed it).
        guided = "/mindfulness/guided/body-scan/"
        await page.wait_for_function(
            "(path) => caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n)"
            ".then((c) => c.match(path))))).then((found) => found.some(Boolean))", arg=guided,
            timeout=30_000)

        await context.set_offline(True)
        for url in PATIENT_SCREENS:
            await page.goto(url)  # opened fresh
            await expect_own_screen(page, url, headings[url])
            await page.reload()  # and reloaded
            await expect_own_screen(page, url, headings[url])
        await page.goto(guided)
        await expect(page.get_by_role("heading", name="Short body scan", exact=True)
                     ).to_be_visible()
        await expect(page.get_by_role("heading", name="You're offline")).to_have_count(0)

        # A check-in on Today's copy, and an exercise finished on its copy.
        await page.goto("/today/")
        await expect(page.locator(".page-copy-note")).to_contain_text("Last updated")
        await page.set_viewport_size({"width": 390, "height": 844})
        await page.screenshot(path=str(SHOTS / "offline-today-last-updated-390x844.png"))
        # (The live page is in the document too, hidden: the copy is what shows.)
        await page.locator("#page-copy").get_by_label("7, Good").check()
        await page.get_by_role("button", name="Save check-in").click()
        await expect(page.locator("[data-draft-status]:visible").first).to_contain_text(
            "offline")
        await page.goto("/practice/do/?id=dear-man")
        await expect(page.locator(".page-copy-note")).to_contain_text("Last updated")
        await answer_dear_man_up_to(page, 9)
        await page.get_by_role("button", name="Finish").click()
        await expect(page.locator("[data-draft-status]:visible").first).to_contain_text(
            "offline")
        # A hard day on the diary card's copy: the crisis prompt shows there at once.
        await page.goto("/journal/new/")
        await expect(page.locator(".page-copy-note")).to_contain_text("Last updated")
        await page.locator('#page-copy input[name="urge_suicide"][value="4"]').check()
        await page.locator("#copy-save-entry").click()
        prompt = page.locator("#copy-risk-prompt")
        await expect(prompt).to_be_visible()
        await expect(prompt.locator("[data-risk-part='crisis']")).to_be_visible()
        await page.goto("/progress/")  # the patient waits on another screen
        await expect(page.locator(".page-copy-note")).to_contain_text("Last updated")
        await asyncio.sleep(2)
        assert counts(app_data, email) == (0, 0)

        await context.set_offline(False)
        back = time.monotonic()
        while counts(app_data, email) != (1, 1) and time.monotonic() - back < 5:
            await asyncio.sleep(0.1)
        took = time.monotonic() - back
        assert counts(app_data, email) == (1, 1), f"after {took:.1f} s"
        print(f"offline saves stored {took:.2f} s after the network came back")
        await asyncio.sleep(6)  # any resend on its way has arrived: still once each
        assert counts(app_data, email) == (1, 1)
        assert await page.evaluate("Object.keys(localStorage).filter((k) => "
                                   "k.startsWith('skills.draft.')).length") == 0
        # The live page is back in place of the copy.
        await expect(page.locator("#page-copy")).to_have_count(0)
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        await context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_offline_screens_pass_axe_with_44_px_targets(browser: Browser, scheme: str) -> None:
    context = await new_phone_context(browser, color_scheme=scheme,
                                      timezone_id="America/Chicago")
    screens = ("/today/", "/journal/new/", "/practice/do/?id=dear-man", "/progress/",
               "/practice/do/?id=urge-surfing", "/sharing/")
    try:
        page = await context.new_page()
        await sign_up(page)
        await page.evaluate("navigator.serviceWorker.ready")
        await page.reload()
        await page.wait_for_function("navigator.serviceWorker.controller !== null")
        for url in screens[:4]:
            await page.goto(url)
            await wait_until_signed_in_page_is_ready(page)
            await page.wait_for_function(
                "(path) => Object.keys(localStorage).some((k) => k.startsWith('skills.page.') "
                "&& k.endsWith(path))", arg=url)
        await page.wait_for_function(  # kept by the worker, never opened
            "() => caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n)"
            ".then((c) => c.match('/sharing/'))))).then((found) => found.some(Boolean))",
            timeout=30_000)
        await context.set_offline(True)
        found, small = {}, {}
        for url in screens:  # kept copies; an exercise never opened; a server-only screen
            await page.goto(url)
            await expect(page.locator(".page-copy-note")).to_be_visible()
            found[url] = await axe_violations(page)
            small[url] = await page.evaluate(SMALL_TARGETS)
        await page.goto("/practice/do/?id=urge-surfing")
        await expect(page.locator(".page-copy-note")).to_contain_text("fills in once you're back")
        await page.screenshot(path=str(SHOTS / f"offline-never-opened-{scheme}-390x844.png"))
    finally:
        await context.close()
    assert found == {url: [] for url in screens}
    assert small == {url: [] for url in screens}
