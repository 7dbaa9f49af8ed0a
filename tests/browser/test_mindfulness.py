"""The mindfulness timers in the browser, on a 390x844 phone, with Playwright's
controlled clock (`page.clock`): bells on their moments, pause and resume, a
hidden tab, a reload, a whole session offline and logged once, reduced motion,
bad input, forged logs over a raw websocket, offline bells, third-party hosts,
axe light and dark, 44 px targets at 360 px, and the screenshots."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from skills_app import text
from skills_app.core import mindfulness
from skills_app.state.mindfulness import MindfulnessState
from skills_app.text import formats
from skills_app.text.problems import say
from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_raw_websocket import call_event, http_sign_up, users

pytestmark = pytest.mark.asyncio(loop_scope="session")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MINUTE = 60_000
# Every bell that really starts playing (a decoded bell file), at the page's clock.
RECORD_BELLS = """
window.__bells = [];
const start = AudioBufferSourceNode.prototype.start;
AudioBufferSourceNode.prototype.start = function (...args) {
  window.__bells.push({at: Date.now(), seconds: this.buffer ? this.buffer.duration : 0});
  return start.apply(this, args);
};"""
RUN = "JSON.parse(localStorage.getItem('skills.mindful.run'))"


def sessions(app_data: Path, user_id: int | None = None) -> list[tuple]:
    """(user id, key, practice, started, ended, seconds, ended early) of each logged session."""
    with sqlite3.connect(app_data / "browser.db") as connection:
        rows = connection.execute(
            "SELECT user_id, idempotency_key, practice, started_at, ended_at, seconds, "
            "ended_early FROM mindfulness_session ORDER BY id").fetchall()
    return [(*row[:3], datetime.fromisoformat(row[3]), datetime.fromisoformat(row[4]), *row[5:])
            for row in rows if user_id is None or row[0] == user_id]


async def patient_on(browser: Browser, route: str, **options: object
                     ) -> tuple[BrowserContext, Page, str]:
    context = await new_phone_context(browser, timezone_id="America/Chicago", **options)
    page = await context.new_page()
    await page.add_init_script(RECORD_BELLS)
    email = await sign_up(page)
    # Two hours behind the server: a session the page's clock runs through ends in
    # the server's past, as it would for real.
    await page.clock.install(time=datetime.now(UTC) - timedelta(hours=2))
    await page.goto(route)
    await wait_until_signed_in_page_is_ready(page)
    await page.wait_for_load_state("networkidle")
    return context, page, email


async def freeze(page: Page) -> None:
    """Stop the page's clock: from here on it moves only when the test says."""
    # A number is Unix time in seconds for Playwright's Python clock.
    await page.clock.pause_at((await page.evaluate("Date.now()") + 1000) / 1000)


async def open_settings(page: Page) -> None:
    """Open the settings folded under Start, as a person does."""
    fold = page.locator("#mindful-settings")
    if await fold.get_attribute("open") is None:
        await fold.locator("summary").click()


async def set_up_timer(page: Page, minutes: str, *, prep: str = "0", mode: str = "none",
                       every: str = "", at: str = "") -> None:
    await page.get_by_label("Minutes (1 to 120)").fill(minutes)
    await open_settings(page)
    await page.get_by_label("Time to settle first").select_option(prep)
    await page.locator(f"input[name='interval_mode'][value='{mode}']").check()
    if every:
        await page.get_by_label("Every how many minutes").fill(every)
    if at:
        await page.get_by_label("At which minutes").fill(at)


async def bells(page: Page) -> list[int]:
    return [bell["at"] for bell in await page.evaluate("window.__bells")]


async def test_a_10_minute_timer_ends_and_rings_within_50_ms_of_its_deadline(
        browser: Browser) -> None:
    context, page, _ = await patient_on(browser, "/mindfulness/timer/")
    try:
        await set_up_timer(page, "10")
        await freeze(page)
        await page.get_by_role("button", name="Start the timer").click()
        created = (await page.evaluate(RUN))["createdAt"]
        await page.wait_for_function("window.__bells.length === 1")  # the start bell, decoded
        await page.clock.run_for(2100)  # frames come every 16 ms
        assert await bells(page) == [created]
        await expect(page.locator("#mindful-remaining")).to_have_text("9:58")
        await page.clock.fast_forward(MINUTE * 9 + 50_000)  # 9:52 in, the tab dozing
        await page.clock.run_for(10_000)
        deadline = created + 10 * MINUTE
        rung = await bells(page)
        assert len(rung) == 2 and abs(rung[1] - deadline) <= 50, (rung[1] - deadline)
        await expect(page.locator("#mindful-finished-at")).to_contain_text("Finished at ")
    finally:
        await context.close()


async def test_interval_bells_ring_at_their_times(browser: Browser) -> None:
    context, page, _ = await patient_on(browser, "/mindfulness/timer/")
    try:
        await set_up_timer(page, "10", mode="every", every="3")
        await freeze(page)
        await page.get_by_role("button", name="Start the timer").click()
        created = (await page.evaluate(RUN))["createdAt"]
        await page.wait_for_function("window.__bells.length === 1")
        for _ in range(10):
            await page.clock.run_for(MINUTE)
        expected = [created + m * MINUTE for m in (0, 3, 6, 9, 10)]
        rung = await bells(page)
        assert len(rung) == len(expected), rung
        assert all(abs(a - b) <= 50 for a, b in zip(rung, expected, strict=True)), (
            [a - b for a, b in zip(rung, expected, strict=True)])
        # At set minutes, with 30 seconds to settle first: the start bell ends them.
        await page.get_by_role("button", name="Done").click()
        await set_up_timer(page, "5", prep="30", mode="at", at="4, 2")
        await page.get_by_role("button", name="Start the timer").click()
        created = (await page.evaluate(RUN))["createdAt"]
        await expect(page.locator("#mindful-remaining-label")).to_have_text("Get ready")
        for _ in range(12):
            await page.clock.run_for(30_000)
        expected = [created + 30_000 + m * MINUTE for m in (0, 2, 4, 5)]
        assert (await bells(page))[5:] == expected
    finally:
        await context.close()


async def test_pause_and_resume_shift_the_deadline(browser: Browser, app_data: Path) -> None:
    context, page, email = await patient_on(browser, "/mindfulness/timer/")
    try:
        await set_up_timer(page, "10")
        await freeze(page)
        await page.get_by_role("button", name="Start the timer").click()
        created = (await page.evaluate(RUN))["createdAt"]
        await page.clock.fast_forward(2 * MINUTE)
        await page.get_by_role("button", name="Pause").click()
        await page.clock.fast_forward(3 * MINUTE)  # paused: nothing moves
        await expect(page.locator("#mindful-remaining")).to_have_text("8:00")
        await expect(page.locator("#mindful-remaining-label")).to_have_text("Paused: time left")
        await page.get_by_role("button", name="Resume").click()
        await page.clock.run_for(MINUTE + 100)
        await expect(page.locator("#mindful-remaining")).to_have_text("7:00")
        await page.clock.fast_forward(7 * MINUTE - 5100)
        await page.clock.run_for(10_000)
        rung = await bells(page)
        assert abs(rung[-1] - (created + 13 * MINUTE)) <= 50
        await expect(page.locator("#mindful-log-status")).to_have_text("Added to your log.")
        user_id = users(app_data)[email][0]
        [row] = sessions(app_data, user_id)
        assert row[2:] == ("timer", _db_time(created), _db_time(created + 13 * MINUTE), 600, 0)
    finally:
        await context.close()


def _db_time(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC).replace(tzinfo=None)


async def hide(page: Page, hidden: bool) -> None:
    await page.evaluate("""hidden => {
        Object.defineProperty(document, 'visibilityState', {configurable: true,
            get: () => hidden ? 'hidden' : 'visible'});
        Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});
        document.dispatchEvent(new Event('visibilitychange'));
    }""", hidden)


async def test_ten_minutes_in_a_hidden_tab_then_a_reload_after_the_end(
        browser: Browser, app_data: Path) -> None:
    context, page, email = await patient_on(browser, "/mindfulness/timer/")
    try:
        await set_up_timer(page, "30")
        await freeze(page)
        await page.get_by_role("button", name="Start the timer").click()
        created = (await page.evaluate(RUN))["createdAt"]
        await page.wait_for_function("window.__bells.length === 1")  # the start bell
        await hide(page, True)
        await page.clock.fast_forward(10 * MINUTE)
        await hide(page, False)
        await expect(page.locator("#mindful-remaining")).to_have_text("20:00")
        # The phone sleeps through the end; the page is reloaded an hour later.
        await hide(page, True)
        await page.clock.fast_forward(60 * MINUTE)
        # The timeout for the end fired when the phone woke, 40 minutes late: it
        # ends the session, but an old bell does not ring out of nowhere.
        await page.wait_for_timeout(500)
        assert await bells(page) == [created]
        await page.reload()
        await wait_until_signed_in_page_is_ready(page)
        end = created + 30 * MINUTE
        shown = await page.evaluate(
            "end => new Date(end).toLocaleTimeString([], {hour: 'numeric', minute: '2-digit'})",
            end)
        await expect(page.locator("#mindful-finished-at")).to_have_text(f"Finished at {shown}")
        await expect(page.locator("#mindful-summary")).to_have_text("30 minutes of meditation.")
        await expect(page.locator("#mindful-log-status")).to_have_text("Added to your log.")
        user_id = users(app_data)[email][0]
        [row] = sessions(app_data, user_id)
        assert row[3:] == (_db_time(created), _db_time(end), 1800, 0)
    finally:
        await context.close()


async def test_a_whole_session_offline_is_logged_once_after_reconnecting(
        browser: Browser, app_data: Path) -> None:
    context, page, email = await patient_on(browser, "/mindfulness/breathe/")
    user_id = users(app_data)[email][0]
    try:
        await open_settings(page)
        await page.locator("input[name='pattern'][value='4-7-8']").check()
        await page.locator("input[name='length_mode'][value='breaths']").check()
        await page.get_by_label("Breaths (1 to 100)").fill("4")
        await freeze(page)
        await context.set_offline(True)
        await page.get_by_role("button", name="Start breathing").click()
        await page.clock.run_for(4100)
        await expect(page.locator("#mindful-word")).to_have_text("Hold")
        await page.clock.run_for(80_000)  # 4 breaths of 19 seconds
        await expect(page.locator("#mindful-log-status")).to_contain_text("Kept on this phone")
        assert sessions(app_data, user_id) == []
        # Kept under this person's owner id (account deletion removes such keys).
        assert await page.evaluate("""() => {
            const owner = document.querySelector('[data-draft-owner]').dataset.draftOwner;
            const kept = JSON.parse(localStorage.getItem('skills.mindful.outbox.' + owner));
            return kept.length; }""") == 1
        await context.set_offline(False)
        await page.clock.resume()
        await expect(page.locator("#mindful-log-status")).to_have_text(
            "Added to your log.", timeout=30_000)
        [row] = sessions(app_data, user_id)
        assert (row[2], row[5], row[6]) == ("breathe.4-7-8", 76, 0)
        # The same record sent twice more (a lost answer): still one row.
        record = {"idempotency_key": row[1], "practice": row[2],
                  "started_at": row[3].isoformat() + "Z", "ended_at": row[4].isoformat() + "Z",
                  "seconds": row[5], "ended_early": False}
        await page.evaluate("""record => {
            const form = document.getElementById('mindful-log-form');
            form.querySelector('input').value = JSON.stringify(record);
            form.requestSubmit(); form.requestSubmit(); }""", record)
        await page.wait_for_timeout(1500)
        assert len(sessions(app_data, user_id)) == 1
        assert await page.evaluate("window.skillsMindful.waiting()") == 0
    finally:
        await context.close()


@pytest.mark.parametrize("reduced", [True, False])
async def test_reduced_motion_shows_a_text_pacer_and_nothing_moves(browser: Browser,
                                                                   reduced: bool) -> None:
    context, page, _ = await patient_on(browser, "/mindfulness/breathe/",
                                        reduced_motion="reduce" if reduced else "no-preference")
    try:
        await page.get_by_role("button", name="Start breathing").click()
        await page.wait_for_timeout(1500)
        await expect(page.locator("#mindful-word")).to_have_text("Breathe in")
        await expect(page.locator("#mindful-count")).to_have_text("2")
        running = await page.evaluate("document.getAnimations().length")
        if reduced:
            await expect(page.locator("#mindful-shape")).to_be_hidden()
            assert running == 0
        else:
            await expect(page.locator("#mindful-shape")).to_be_visible()
            assert running >= 1  # the shape growing: the same check can see motion
    finally:
        await context.close()


@pytest.mark.parametrize("typed", ["0", "-5", "10000", "abc", "NaN", "", "2.5"])
async def test_bad_durations_are_refused_kindly_and_nothing_starts(page: Page,
                                                                   typed: str) -> None:
    await sign_up(page)
    await page.goto("/mindfulness/timer/")
    minutes = page.get_by_label("Minutes (1 to 120)")
    await minutes.fill(typed)
    await page.get_by_role("button", name="Start the timer").click()
    await expect(page.locator("#mindful-setup-error")).to_have_text(
        "Please enter a whole number of minutes from 1 to 120.")
    await expect(minutes).to_have_attribute("aria-invalid", "true")
    await expect(minutes).to_be_focused()
    assert await page.evaluate(RUN) is None
    await expect(page.locator("#mindful-run")).to_be_hidden()
    # The pacer's own numbers too.
    await page.goto("/mindfulness/breathe/")
    await open_settings(page)
    await page.locator("input[name='pattern'][value='custom']").check()
    bad_hold = {"0": "21", "": "20.5", "2.5": "2.3"}.get(typed, typed)
    await page.get_by_label("Hold after breathing in").fill(bad_hold)
    await page.get_by_role("button", name="Start breathing").click()
    await expect(page.locator("#mindful-setup-error")).to_contain_text("0 to 20 seconds")
    assert await page.evaluate(RUN) is None


MINDFULNESS_STATE = MindfulnessState.get_full_name()


async def test_forged_session_logs_over_a_raw_websocket_are_refused(
        app_server: str, app_data: Path) -> None:
    alice_email, alice_token = http_sign_up("Alice")
    bob_email, bob_token = http_sign_up("Bob")
    now = datetime.now(UTC)
    good = {"idempotency_key": str(uuid.uuid4()), "practice": "timer",
            "started_at": (now - timedelta(minutes=11)).isoformat(),
            "ended_at": (now - timedelta(minutes=1)).isoformat(), "seconds": 600,
            "ended_early": False}
    frames = await call_event(f"{MINDFULNESS_STATE}.log_session",
                              {"form_data": {"session": json.dumps(good)}}, bob_token,
                              path="/mindfulness/timer/")
    assert "skillsMindful.logged" in "".join(frames)
    before = sessions(app_data)
    alice_id = users(app_data)[alice_email][0]
    forged = [
        ({"ended_at": (now - timedelta(hours=1)).isoformat()}, mindfulness.END_BEFORE_START),
        ({"started_at": (now - timedelta(hours=26)).isoformat()}, mindfulness.TOO_LONG),
        ({"started_at": (now + timedelta(hours=1)).isoformat(),
          "ended_at": (now + timedelta(hours=2)).isoformat()}, mindfulness.IN_THE_FUTURE),
        ({"user_id": alice_id}, mindfulness.BAD_LOG),
        ({"seconds": "NaN"}, mindfulness.BAD_SECONDS),
        ({"seconds": -5}, mindfulness.BAD_SECONDS),
        ({"seconds": 10_000 * 60}, mindfulness.BAD_SECONDS),
        ({"practice": "guided.<script>"}, mindfulness.UNKNOWN_PRACTICE),
    ]
    for change, message in forged:
        record = {**good, "idempotency_key": str(uuid.uuid4()), **change}
        frames = await call_event(f"{MINDFULNESS_STATE}.log_session",
                                  {"form_data": {"session": json.dumps(record)}}, alice_token,
                                  path="/mindfulness/timer/")
        assert json.dumps(say(message))[1:-1] in "".join(frames), change
    # NaN as JSON's own NaN, a 1.1 MB record, and Bob's key sent by Alice.
    for form_data in ({"session": '{"seconds": NaN}'}, {"session": "x" * 1_100_000},
                      {"session": json.dumps({**good, "seconds": 60})}):
        await call_event(f"{MINDFULNESS_STATE}.log_session", {"form_data": form_data},
                         alice_token, path="/mindfulness/timer/")
    # No session at all: sent to sign in.
    frames = await call_event(f"{MINDFULNESS_STATE}.log_session",
                              {"form_data": {"session": json.dumps(good)}}, None,
                              path="/mindfulness/timer/")
    assert "/signin/" in "".join(frames)
    assert sessions(app_data) == before
    assert bob_email not in "".join(frames)


async def test_the_bells_play_offline_after_one_visit(browser: Browser) -> None:
    context, page, _ = await patient_on(browser, "/mindfulness/timer/")
    try:
        await page.evaluate("navigator.serviceWorker.ready")
        await page.reload()
        await page.wait_for_function("navigator.serviceWorker.controller !== null")
        await wait_until_signed_in_page_is_ready(page)
        for sound in ("bowl", "bell", "chime"):
            assert await page.evaluate(f"caches.match('/sounds/{sound}.wav').then(Boolean)")
        await context.set_offline(True)
        await open_settings(page)
        for sound in ("bowl", "bell", "chime"):
            await page.get_by_label("Bell sound").select_option(sound)
            await page.get_by_role("button", name="Hear it").click()
            await page.wait_for_function(f"window.__bells.length >= "
                                         f"{['bowl', 'bell', 'chime'].index(sound) + 1}")
        lengths = [round(b["seconds"], 1) for b in await page.evaluate("window.__bells")]
        assert lengths == [2.6, 1.8, 1.2]  # each bell file, decoded from the cache
    finally:
        await context.close()


async def test_the_timer_screens_only_contact_the_apps_own_host(browser: Browser) -> None:
    context = await new_phone_context(browser)
    hosts: set[str] = set()
    paths: set[str] = set()

    def seen(url: str) -> None:
        hosts.add(urlparse(url).netloc)
        paths.add(urlparse(url).path)

    context.on("request", lambda request: seen(request.url))
    context.on("websocket", lambda ws: seen(ws.url))
    try:
        page = await context.new_page()
        page.on("websocket", lambda ws: seen(ws.url))
        await sign_up(page)
        await page.get_by_role("link", name="Breathe", exact=False).first.click()
        await page.wait_for_url("**/mindfulness/breathe/")
        await page.get_by_role("button", name="Start breathing").click()
        await page.wait_for_timeout(1000)
        await page.get_by_role("button", name="End now").click()
        for route in ("/mindfulness/", "/mindfulness/timer/", "/mindfulness/guided/grounding/",
                      "/mindfulness/log/"):
            await page.goto(route)
            await page.wait_for_load_state("networkidle")
        await page.goto("/mindfulness/timer/")
        await open_settings(page)
        await page.get_by_role("button", name="Hear it").click()
        await page.get_by_label("Minutes (1 to 120)").fill("1")
        await page.get_by_role("button", name="Start the timer").click()
        await page.wait_for_load_state("networkidle")
    finally:
        await context.close()
    assert hosts == {urlparse(BASE_URL).netloc}
    assert {"/sounds/bowl.wav", "/timer.js"} <= paths


async def test_today_and_the_practice_tab_lead_to_the_timers(page: Page) -> None:
    await sign_up(page)
    await page.locator("#breathe-now").click()  # one tap from Today
    await page.wait_for_url("**/mindfulness/breathe/")
    await expect(page.get_by_role("button", name="Start breathing")).to_be_visible()
    await page.goto("/practice/")
    section = page.locator("#mindfulness")
    for name in ("Breathing pacer", "Meditation timer", "Urge surfing (10 minutes)",
                 "5-4-3-2-1 grounding", "Three-minute breathing space"):
        await expect(section.get_by_role("link", name=name)).to_be_visible()
    await page.locator("#practice-search").fill("meditation")
    await expect(section.get_by_role("link", name="Meditation timer")).to_be_visible()
    await section.get_by_role("link", name="Urge surfing (10 minutes)").click()
    await page.wait_for_url("**/mindfulness/guided/urge-surfing/")


async def test_a_guided_practice_shows_its_steps_in_turn(browser: Browser) -> None:
    context, page, _ = await patient_on(browser, "/mindfulness/guided/breathing-space/")
    try:
        await freeze(page)
        await page.get_by_role("button", name="Start").click()
        await page.wait_for_timeout(500)  # the chime is fetched and decoded in real time
        steps = page.locator("#mindful-run [data-guided-step]:visible")
        await expect(page.locator("#mindful-step")).to_have_text("Step 1 of 3")
        await expect(steps).to_have_count(1)
        await expect(steps).to_contain_text("what is going on for me")
        await page.clock.run_for(61_000)
        await expect(page.locator("#mindful-step")).to_have_text("Step 2 of 3")
        await expect(steps).to_contain_text("attention to your breath")
        assert len(await bells(page)) == 1  # the soft chime between steps
        await page.clock.run_for(MINUTE * 2)
        await expect(page.locator("#mindful-summary")).to_have_text(
            "3 minutes of three-minute breathing space.")
    finally:
        await context.close()


async def _timer_screens(page: Page) -> dict[str, str]:
    """Each mindfulness screen, by label; visited in order (some start a timer)."""
    return {
        "hub": "/mindfulness/",
        "pacer setup": "/mindfulness/breathe/",
        "timer setup": "/mindfulness/timer/",
        "guided": "/mindfulness/guided/urge-surfing/",
        "log": "/mindfulness/log/",
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_no_axe_violations_on_the_timer_screens(browser: Browser, scheme: str) -> None:
    context = await new_phone_context(browser, color_scheme=scheme)
    found: dict[str, list[str]] = {}
    try:
        page = await context.new_page()
        await sign_up(page)
        for label, route in (await _timer_screens(page)).items():
            await page.goto(route)
            await wait_until_signed_in_page_is_ready(page)
            await page.wait_for_load_state("networkidle")
            found[label] = await axe_violations(page)
        await page.goto("/mindfulness/breathe/")
        await page.get_by_role("button", name="Start breathing").click()
        await page.wait_for_timeout(1200)
        found["pacer running"] = await axe_violations(page)
        await page.goto("/mindfulness/timer/")
        await page.get_by_label("Minutes (1 to 120)").fill("1")
        await page.get_by_role("button", name="Start the timer").click()
        await page.get_by_role("button", name="Pause").click()
        found["timer paused"] = await axe_violations(page)
        await page.get_by_role("button", name="End now").click()
        await page.locator("#mindful-done").wait_for()
        found["timer finished"] = await axe_violations(page)
        await page.get_by_label("Minutes (1 to 120)").evaluate("el => el")  # still laid out
        await page.get_by_role("button", name="Done").click()
        await page.get_by_label("Minutes (1 to 120)").fill("abc")
        await page.get_by_role("button", name="Start the timer").click()
        found["timer bad input"] = await axe_violations(page)
    finally:
        await context.close()
    assert found == {label: [] for label in found}


async def test_timer_screens_fit_360_px_with_44_px_targets(browser: Browser) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740},
                                        base_url=BASE_URL, reduced_motion="reduce")
    overflow, small = {}, {}
    try:
        page = await context.new_page()
        await sign_up(page)
        for label, route in (await _timer_screens(page)).items():
            await page.goto(route)
            await wait_until_signed_in_page_is_ready(page)
            await page.wait_for_load_state("networkidle")
            overflow[label] = await page.evaluate("document.documentElement.scrollWidth")
            small[label] = await page.evaluate(SMALL_TARGETS)
        await page.goto("/mindfulness/timer/")
        await page.get_by_role("button", name="Start the timer").click()
        overflow["timer running"] = await page.evaluate("document.documentElement.scrollWidth")
        small["timer running"] = await page.evaluate(SMALL_TARGETS)
        await page.get_by_role("button", name="End now").click()
        small["timer finished"] = await page.evaluate(SMALL_TARGETS)
        await page.goto("/today/")
        await page.locator("#breathe-now").wait_for()
        small["today"] = await page.evaluate(SMALL_TARGETS)
    finally:
        await context.close()
    assert overflow == {label: 360 for label in overflow}
    assert small == {label: [] for label in small}


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_screenshots_of_the_pacer_and_the_timer(browser: Browser, scheme: str) -> None:
    folders = [ARTIFACTS / "screenshots"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folders.append(DOCS)
    context, page, _ = await patient_on(browser, "/mindfulness/breathe/", color_scheme=scheme)
    shots = {}
    try:
        await freeze(page)
        await page.get_by_role("button", name="Start breathing").click()
        await page.clock.run_for(2500)
        await page.wait_for_timeout(2500)  # the shape's growth is real time
        await page.evaluate("window.scrollTo(0, 0)")
        shots["mindfulness-pacer"] = await page.screenshot()
        await page.goto("/mindfulness/timer/")
        await wait_until_signed_in_page_is_ready(page)
        await page.wait_for_load_state("networkidle")
        shots["mindfulness-timer-setup"] = await page.screenshot()
        await set_up_timer(page, "20", mode="every", every="5")
        await page.get_by_role("button", name="Start the timer").click()
        await page.clock.run_for(20_100)  # long runs time out the websocket's pings
        await expect(page.locator("#mindful-next")).to_have_text("Next bell in 4:40")
        await page.evaluate("window.scrollTo(0, 0)")
        shots["mindfulness-timer"] = await page.screenshot()
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
        await page.goto("/mindfulness/guided/urge-surfing/")
        await wait_until_signed_in_page_is_ready(page)
        await page.get_by_role("button", name="Start").click()
        await page.clock.run_for(50_100)
        shots["mindfulness-guided"] = await page.screenshot()
    finally:
        await context.close()
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (folder / f"{name}-{scheme}.png").write_bytes(png)
    assert all(len(png) > 10_000 for png in shots.values())


# What the phone was asked to do, recorded: vibrations and screen wake locks.
RECORD_PHONE = """
window.__vibrations = [];
navigator.vibrate = (pattern) => { window.__vibrations.push(Date.now()); return true; };
window.__wake = [];
Object.defineProperty(navigator, 'wakeLock', {configurable: true, value: {
  request: (kind) => {
    window.__wake.push('request');
    const lock = {released: false, addEventListener() {},
                  release() { window.__wake.push('release'); return Promise.resolve(); }};
    return Promise.resolve(lock);
  }}});"""


async def test_the_pacer_skips_a_zero_hold_vibrates_and_keeps_the_screen_on(
        browser: Browser) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        await page.add_init_script(RECORD_PHONE)
        await sign_up(page)
        await page.clock.install(time=datetime.now(UTC) - timedelta(hours=2))
        await page.goto("/mindfulness/breathe/")
        await wait_until_signed_in_page_is_ready(page)
        await open_settings(page)
        await page.locator("input[name='pattern'][value='custom']").check()
        for label, seconds in (("Breathe in", "2"), ("Hold after breathing in", "0"),
                               ("Breathe out", "3"), ("Hold after breathing out", "1.5")):
            await page.get_by_label(label, exact=True).fill(seconds)
        await page.get_by_label("Vibrate at each change (on phones that can)").check()
        await freeze(page)
        await page.get_by_role("button", name="Start breathing").click()
        seen = []
        await page.clock.run_for(100)
        for _ in range(6):  # at 0.1, 1.1 ... 5.1 seconds
            seen.append(await page.locator("#mindful-word").text_content())
            await page.clock.run_for(1000)
        assert seen == ["Breathe in", "Breathe in", "Breathe out", "Breathe out",
                        "Breathe out", "Hold"]  # the hold of 0 after breathing in: skipped
        await page.clock.run_for(1000)  # 7.1 s: the second breath in (a cycle of 6.5 s)
        await expect(page.locator("#mindful-word")).to_have_text("Breathe in")
        assert len(await page.evaluate("window.__vibrations")) == 4  # in, out, hold, in
        await page.get_by_role("button", name="Pause").click()
        await page.get_by_role("button", name="Resume").click()
        await page.get_by_role("button", name="End now").click()
        await page.wait_for_function("window.__wake.length >= 4")
        assert await page.evaluate("window.__wake") == ["request", "release", "request",
                                                        "release"]
    finally:
        await context.close()


async def test_screen_readers_hear_the_time_at_whole_minutes_only(browser: Browser) -> None:
    context, page, _ = await patient_on(browser, "/mindfulness/timer/")
    try:
        await set_up_timer(page, "3")
        await freeze(page)
        await page.get_by_role("button", name="Start the timer").click()
        announce = page.locator("#mindful-announce")
        await expect(announce).to_have_text("Started.")
        heard = []
        await page.clock.run_for(100)  # frames come every 16 ms
        for _ in range(7):  # every 30 seconds: 0:30 ... 3:30
            await page.clock.run_for(30_000)
            heard.append(await announce.text_content())
        assert heard == ["Started.", "2 minutes left.", "2 minutes left.", "1 minute left.",
                         "1 minute left.", "Finished.", "Finished."]
        # The time shown is not itself a live region: it would speak every second.
        assert await page.locator("#mindful-remaining").get_attribute("aria-live") is None
        assert await page.locator("#mindful-remaining").get_attribute("role") == "timer"
    finally:
        await context.close()


async def test_a_timer_page_seen_before_reloads_offline_and_goes_on(browser: Browser) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        await sign_up(page)
        await page.goto("/mindfulness/timer/")
        await page.evaluate("navigator.serviceWorker.ready")
        await page.reload()  # now through the service worker, which keeps the page
        await page.wait_for_function("navigator.serviceWorker.controller !== null")
        await wait_until_signed_in_page_is_ready(page)
        await page.wait_for_load_state("networkidle")
        await page.get_by_label("Minutes (1 to 120)").fill("5")
        await open_settings(page)
        await page.get_by_label("Time to settle first").select_option("0")
        await page.get_by_role("button", name="Start the timer").click()
        await context.set_offline(True)
        await page.wait_for_timeout(2000)
        await page.reload()
        await expect(page.get_by_role("heading", name="Meditation timer")).to_be_visible()
        remaining = page.locator("#mindful-remaining")
        await expect(remaining).to_have_text(re.compile(r"^4:5\d$"))
        first = await remaining.text_content()
        await page.wait_for_timeout(2100)
        assert await remaining.text_content() != first  # still counting down, offline
    finally:
        await context.close()


def _set_account(app_data: Path, user_id: int, **columns: str) -> None:
    """Change the account as its owner would in Account (the server reads it per event)."""
    with sqlite3.connect(app_data / "browser.db") as connection:
        for column, value in columns.items():
            assert column in ("time_zone", "language")
            connection.execute(f"UPDATE user_account SET {column} = ? WHERE id = ?",  # noqa: S608
                               (value, user_id))


def _same_spaces(words: str) -> str:
    """CLDR writes "4:45 PM" with a narrow no-break space; browsers differ on which space."""
    return re.sub(r"[\u00a0\u202f]", " ", words)


@pytest.mark.parametrize(("language", "route", "finished"), [
    ("en", "/mindfulness/timer/", "Ended at {time}"),
    ("es", "/es/mindfulness/timer/", "Paraste: {time}"),
])
async def test_the_finished_time_is_the_accounts_clock_in_the_pages_language(
        browser: Browser, app_data: Path, language: str, route: str, finished: str) -> None:
    """A phone set to Tokyo, an account in Chicago: the timer says when the session ended
    on the account's clock, written as the journal writes times (text.formats.clock),
    in the page's language; never the phone's own time of day."""
    context = await new_phone_context(browser, timezone_id="Asia/Tokyo")
    page = await context.new_page()
    try:
        email = await sign_up(page)
        _set_account(app_data, users(app_data)[email][0], time_zone="America/Chicago",
                     language=language)
        await page.goto(route)
        await wait_until_signed_in_page_is_ready(page)
        await page.wait_for_load_state("networkidle")
        shell = page.locator("[data-time-zone]").first
        await expect(shell).to_have_attribute("data-time-zone", "America/Chicago")
        await page.locator("#mindful-minutes").fill("1")
        await open_settings(page)
        await page.locator("#mindful-prep").select_option("0")
        await page.locator("#mindful-start").click()
        await page.wait_for_timeout(1200)
        await page.locator("#mindful-stop").click()
        ended_ms = (await page.evaluate(RUN))["done"]["endedAt"]
        ended = datetime.fromtimestamp(ended_ms / 1000, UTC)
        with text.language(language):
            journal_time = formats.clock(ended, "America/Chicago")
            phone_time = formats.clock(ended, "Asia/Tokyo")
        shown = _same_spaces(await page.locator("#mindful-finished-at").inner_text())
        assert shown == _same_spaces(finished.format(time=journal_time))
        assert _same_spaces(phone_time) not in shown
    finally:
        await context.close()


TAPS = ("window.__taps = 0; document.addEventListener('pointerdown', "
        "() => { window.__taps += 1; }, true)")


async def start_is_above_the_fold(page: Page) -> None:
    """Start is on the first screen at 390x844, above the bottom tab bar."""
    start = await page.locator("#mindful-start").bounding_box()
    nav = await page.get_by_role("navigation", name="Main").bounding_box()
    assert start and nav and start["y"] + start["height"] <= nav["y"], (start, nav)


async def test_a_practice_starts_in_two_taps_from_today_and_the_mindfulness_list(
        browser: Browser) -> None:
    """Today's Breathe card, then Start; the Mindfulness list's timer, then Start: the
    settings are folded under Start, with the last ones used kept for next time."""
    context, page, _email = await patient_on(browser, "/today/")
    try:
        await page.evaluate(TAPS)
        await page.locator("#breathe-now").tap()
        await page.wait_for_url("**/mindfulness/breathe/")
        await wait_until_signed_in_page_is_ready(page)
        await start_is_above_the_fold(page)
        await page.get_by_role("button", name="Start breathing").tap()
        await expect(page.locator("#mindful-run")).to_be_visible()
        assert await page.evaluate("window.__taps") == 2
        await page.locator("#mindful-stop").click()
        await page.locator("#mindful-again").click()

        await page.goto("/mindfulness/")
        await wait_until_signed_in_page_is_ready(page)
        await page.evaluate(TAPS)
        await page.get_by_role("link", name=re.compile("^Meditation timer")).tap()
        await page.wait_for_url("**/mindfulness/timer/")
        await wait_until_signed_in_page_is_ready(page)
        await start_is_above_the_fold(page)
        # The bells' minute fields show only for the choice they belong to.
        await open_settings(page)
        every = page.get_by_label("Every how many minutes")
        await expect(every).to_be_hidden()
        await page.locator("input[name='interval_mode'][value='every']").check()
        await expect(every).to_be_visible()
        await expect(page.get_by_label("At which minutes")).to_be_hidden()
        await every.fill("2")
        await page.get_by_label("Minutes (1 to 120)").fill("7")
        await page.get_by_label("Time to settle first").select_option("0")
        await page.get_by_role("button", name="Start the timer").tap()
        await expect(page.locator("#mindful-run")).to_be_visible()
        await page.locator("#mindful-stop").click()
        await page.locator("#mindful-again").click()

        # Next time: the same settings, folded away, and one tap starts them.
        await page.goto("/mindfulness/timer/")
        await wait_until_signed_in_page_is_ready(page)
        await expect(page.get_by_label("Minutes (1 to 120)")).to_have_value("7")
        await expect(page.locator("#mindful-settings")).not_to_have_attribute("open", "")
        assert await page.locator("input[name='interval_mode'][value='every']").is_checked()
        await expect(page.locator("#mindful-prep")).to_have_value("0")
        await page.get_by_role("button", name="Start the timer").tap()
        await expect(page.locator("#mindful-run")).to_be_visible()
        plan = await page.evaluate(RUN)
        assert plan["lengthMs"] == 7 * 60_000 and plan["intervals"] == [120, 240, 360]
    finally:
        await context.close()
