"""The Progress tab and Your data on a phone (390x844): a patient with two seeded
weeks sees the weekly summary, each chart and its table with the right numbers,
gaps as gaps, acted-on days marked; the range switch works; axe light and dark;
360 px and 44 px targets. Your data: the ZIP downloads and parses, a wrong
password deletes nothing, the right one deletes the account and the phone's
drafts of that person (not another's).

History is put in the app's database with core's own save (the journal's).
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import uuid
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, expect

from skills_app.core import auth, db, journal, practice
from skills_app.core import progress as progress_module
from skills_app.text import formats
from skills_app.text.problems import say
from tests.browser.conftest import (
    ARTIFACTS,
    STRONG_PASSWORD,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_raw_websocket import call_event, http_sign_up

pytestmark = pytest.mark.asyncio(loop_scope="session")

CHICAGO = "America/Chicago"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NOTE = 'Hard day, "really" <script>alert(1)</script>, but I called Sam 💬'


def today() -> date:
    return datetime.now(ZoneInfo(CHICAGO)).date()


def moment_of(days_ago: int) -> datetime:
    """Earlier in the local day `days_ago` days back (never in the future, even just
    after midnight)."""
    now = datetime.now(ZoneInfo(CHICAGO)) - timedelta(seconds=1)
    day = now.date() - timedelta(days=days_ago)
    return min(now - timedelta(days=days_ago),
               datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(CHICAGO))
               + timedelta(hours=12))


def user_id(app_data: Path, email: str) -> int | None:
    with sqlite3.connect(app_data / "browser.db") as connection:
        row = connection.execute("SELECT id FROM user_account WHERE email = ?",
                                 (email,)).fetchone()
    return row[0] if row else None


def seed_two_weeks(app_data: Path, email: str) -> None:
    """This week: mood 7 on four days (skills each), an urge to use of 4 acted on
    yesterday, a 12-minute exercise today; the week before: mood 5 on three days."""
    uid = user_id(app_data, email)
    engine = db.make_engine(f"sqlite:///{app_data / 'browser.db'}")
    db.use_engine(engine)
    try:
        def save(days_ago: int, **fields: object) -> None:
            moment = moment_of(days_ago)
            result = journal.save_entry(uid, CHICAGO, {
                "idempotency_key": str(uuid.uuid4()), "kind": "diary",
                "occurred_at": moment.isoformat(), **fields})
            assert result.ok, result.errors

        for days_ago in (0, 1, 2, 4):
            save(days_ago, mood=7, skills=["mindfulness.observe"],
                 **({"urge_substance_use": 4, "acted_substance_use": True, "craving": 6,
                     "note": NOTE} if days_ago == 1 else {}))
        for days_ago in (7, 8, 9):
            save(days_ago, mood=5)
        finished_at = moment_of(0)
        assert practice.finish_exercise(uid, CHICAGO, {
            "idempotency_key": str(uuid.uuid4()), "exercise_id": "urge-surfing",
            "answers": {"urge": "A drink", "strength_before": 8, "strength_after": 5,
                        "next_step": "Call my sponsor"},
            "started_at": (finished_at - timedelta(minutes=12)).isoformat(),
            "finished_at": finished_at.isoformat()}).ok
    finally:
        db.use_engine(None)
        engine.dispose()


async def open_progress(page: Page) -> None:
    await page.goto("/progress/")
    await page.locator("#weekly-summary").wait_for()
    await page.wait_for_load_state("networkidle")


def weekday(days_ago: int) -> str:
    """A day as the tab writes it (text.formats.day, in English)."""
    return formats.day(today() - timedelta(days=days_ago))


async def table_rows(page: Page, section: str) -> list[list[str]]:
    details = page.locator(f"#{section}-section details.chart-table").first
    if not await details.evaluate("d => d.open"):
        await details.locator("summary").click()
    return await details.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))")


async def test_the_charts_and_tables_show_the_seeded_weeks_and_the_range_switch_works(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id=CHICAGO)
    try:
        page = await context.new_page()
        email = await sign_up(page)
        seed_two_weeks(app_data, email)
        await page.get_by_role("link", name="Progress").click()
        await page.wait_for_url("**/progress/")
        await page.locator("#weekly-summary").wait_for()
        summary = page.locator("#weekly-summary")
        await expect(summary).to_contain_text(
            "Your mood averaged 7 out of 10, up from 5 the week before.")
        await expect(summary).to_contain_text("You used skills on 4 days.")
        for word in ("streak", "missed", "in a row"):
            assert word not in (await summary.inner_text()).lower()

        # 30 days by default: the mood line has a dot for each of the 7 rated days
        # (gaps stay gaps: no dot at 0 for the other 23), and its table says so.
        await expect(page.get_by_role("button", name="30 days")).to_have_attribute(
            "aria-pressed", "true")
        await expect(page.locator("#mood-line")).to_have_text(re.compile(
            r"Mood, \w+, \w+ \d+ to \w+, \w+ \d+: average 6\.1 out of 10 over 7 days with a "
            r"rating, lowest 5, highest 7\."))
        mood = page.locator("[data-chart=mood]")
        await expect(mood.locator("circle.chart-dot")).to_have_count(7)
        assert await mood.get_attribute("aria-hidden") == "true"
        rows = await table_rows(page, "mood")
        assert len(rows) == 30
        # Newest first.
        assert rows[0] == [weekday(0), "7", "7 to 7"]
        assert rows[3] == [weekday(3), "No entry", "No entry"]
        assert rows[7] == [weekday(7), "5", "5 to 5"]

        # The urge acted on: a triangle on the chart, and words in the table.
        urge = page.locator("[data-urge=urge_substance_use]")
        await expect(urge.locator("p.chart-line")).to_contain_text(
            f"highest 4 out of 5; acted on 1 day ({weekday(1)}).")
        await expect(urge.locator(".marked-point")).to_have_count(1)
        await expect(urge.locator(".chart-legend")).to_contain_text("Acted on")
        await urge.locator("summary").click()
        urge_rows = await urge.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))")
        assert urge_rows[1] == [weekday(1), "4", "Yes, acted on"]
        assert urge_rows[0] == [weekday(0), "No entry", "No"]
        await expect(page.locator("#craving-line")).to_have_text(re.compile(
            r"Craving, \w+, \w+ \d+ to \w+, \w+ \d+: average 6 out of 10 over 1 day with a "
            r"rating; used on 1 day\."))
        await expect(page.locator("#skills-line")).to_contain_text("used on 4 days")
        await expect(page.locator("#minutes-line")).to_have_text(
            "Practice: 1 exercise finished, 12 min.")
        assert (await table_rows(page, "minutes"))[0][1:] == ["1", "12 min"]

        # The range switch: 7 days, then a year (week by week).
        await page.get_by_role("button", name="7 days").click()
        await expect(page.get_by_role("button", name="7 days")).to_have_attribute(
            "aria-pressed", "true")
        await expect(page.locator("#mood-section tbody tr")).to_have_count(7)
        await expect(mood.locator("circle.chart-dot")).to_have_count(4)
        await page.get_by_role("button", name="A year").click()
        await expect(page.locator("#mood-section thead th").first).to_have_text("Week")
        week_rows = await table_rows(page, "mood")
        assert 53 <= len(week_rows) <= 54
        assert week_rows[0][0].startswith("Week of ") and week_rows[0][1] == "7"
        # One tap to the diary-card grid, opened there.
        await page.locator("#diary-card-link").click()
        await page.wait_for_url("**/journal/#week-grid")
        await expect(page.locator("#week-grid")).to_have_js_property("open", True)
    finally:
        await context.close()


async def test_no_chart_library_is_shipped_to_progress_or_check_ups(browser: Browser) -> None:
    """The charts are SVG drawn on the server (views/charts.py): none of the scripts
    these pages load is recharts (it was in the chunk every screen preloads)."""
    context = await new_phone_context(browser, timezone_id=CHICAGO)
    try:
        page = await context.new_page()
        scripts: set[str] = set()
        page.on("request", lambda request: scripts.add(request.url)
                if request.resource_type == "script" else None)
        await sign_up(page)
        for path in ("/progress/", "/measures/"):
            await page.goto(path)
            await page.wait_for_load_state("networkidle")
        shipped = {url: await (await context.request.get(url)).body() for url in scripts}
        assert len(shipped) >= 5
        assert [url for url, body in shipped.items() if b"recharts" in body] == []
    finally:
        await context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_progress_and_your_data_pass_axe_fit_360_px_and_are_screenshotted(
        browser: Browser, app_data: Path, scheme: str) -> None:
    folders = [ARTIFACTS / "screenshots"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folders.append(DOCS)
    context = await new_phone_context(browser, color_scheme=scheme, timezone_id=CHICAGO)
    try:
        page = await context.new_page()
        email = await sign_up(page)
        await open_progress(page)
        await expect(page.locator("#progress-empty")).to_be_visible()
        empty_violations = await axe_violations(page)
        seed_two_weeks(app_data, email)
        await open_progress(page)
        await page.locator("[data-chart=mood] circle.chart-dot").first.wait_for()
        shots = {"progress": await page.screenshot()}
        summary_box = await page.locator("#weekly-summary").bounding_box()
        shots["weekly-summary"] = await page.screenshot(clip={
            "x": 0, "y": max(0, summary_box["y"] - 8), "width": 390,
            "height": summary_box["height"] + 16})
        await table_rows(page, "mood")
        # The mood section's top just under the sticky header.
        await page.evaluate("""() => {
            const top = document.getElementById('mood-section').getBoundingClientRect().top;
            window.scrollTo(0, top + window.scrollY - 64);
        }""")
        shots["progress-mood-table"] = await page.screenshot()
        for details in await page.locator("details.chart-table").all():
            if not await details.evaluate("d => d.open"):
                await details.locator("summary").click()
        if scheme == "light":
            (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "screenshots" / "progress-full-light.png").write_bytes(
                await page.screenshot(full_page=True))
        violations = {"progress (empty)": empty_violations,
                      "progress": await axe_violations(page)}
        small = await page.evaluate(SMALL_TARGETS)
        await page.set_viewport_size({"width": 360, "height": 800})
        await page.wait_for_timeout(300)  # the charts redraw at the new width
        wide = await page.evaluate("document.documentElement.scrollWidth")
        await page.set_viewport_size({"width": 390, "height": 844})
        await page.goto("/your-data/")
        await page.locator("#delete-account").wait_for()
        await wait_until_signed_in_page_is_ready(page)
        violations["your data"] = await axe_violations(page)
        small += await page.evaluate(SMALL_TARGETS)
        shots["your-data"] = await page.screenshot()
        review = {"your-data-full": await page.screenshot(full_page=True)}
        await page.goto("/goodbye/")
        await page.locator("#goodbye").wait_for()
        violations["goodbye"] = await axe_violations(page)
        review["goodbye"] = await page.screenshot()
        (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
        for name, shot in review.items():  # for review only, not the docs
            (ARTIFACTS / "screenshots" / f"{name}-{scheme}.png").write_bytes(shot)
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            for name, shot in shots.items():
                (folder / f"{name}-{scheme}.png").write_bytes(shot)
        assert violations == {name: [] for name in violations}
        assert small == []
        assert wide <= 360
    finally:
        await context.close()


async def test_your_data_downloads_everything_and_deletes_the_account_by_password(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id=CHICAGO, accept_downloads=True)
    try:
        page = await context.new_page()
        email = await sign_up(page)
        seed_two_weeks(app_data, email)
        uid = user_id(app_data, email)
        await page.goto("/more/")
        await page.get_by_role("link", name="Your data").click()
        await page.wait_for_url("**/your-data/")
        await wait_until_signed_in_page_is_ready(page)

        async with page.expect_download() as download_info:
            await page.get_by_role("button", name="Download my data").click()
        download = await download_info.value
        assert download.suggested_filename.startswith("skills-practice-my-data-")
        archive = zipfile.ZipFile(io.BytesIO(Path(await download.path()).read_bytes()))
        entries = json.loads(archive.read("json/journal_entry.json"))
        assert len(entries) == 7 and {e["user_id"] for e in entries} == {uid}
        assert [e["note"] for e in entries if e["note"]] == [NOTE]
        assert json.loads(archive.read("json/user_account.json"))[0]["email"] == email
        assert "Your check-ins and diary cards" in archive.read("README.txt").decode()
        await expect(page.locator("#export-status")).to_contain_text("is downloading")

        owner = await page.locator("[data-draft-owner]").get_attribute("data-draft-owner")
        await page.evaluate("""owner => {
            localStorage.setItem('skills.draft.' + owner + '.checkin', '{"values":{"note":"x"}}');
            localStorage.setItem('skills.sections.' + owner, '{}');
            localStorage.setItem('skills.draft.someoneelse.checkin', '{"values":{}}');
            localStorage.setItem('skills.mindful.run', JSON.stringify({owner: owner, v: 1}));
            localStorage.setItem('skills.mindful.outbox', JSON.stringify(
                [{owner: owner, key: 'a'}, {owner: 'someoneelse', key: 'b'}]));
        }""", owner)
        await page.get_by_label("Your password", exact=True).fill("not my password, honestly")
        await page.get_by_role("button", name="Delete my account").click()
        await expect(page.locator("#password-error")).to_have_text(say(auth.WRONG_PASSWORD))
        assert user_id(app_data, email) == uid

        await page.get_by_label("Your password", exact=True).fill(STRONG_PASSWORD)
        await page.get_by_role("button", name="Delete my account").click()
        await page.wait_for_url("**/goodbye/")
        await expect(page.locator("#goodbye")).to_contain_text("were deleted")
        keys = await page.evaluate("Object.keys(localStorage)")
        assert not [key for key in keys if owner in key]
        assert "skills.draft.someoneelse.checkin" in keys
        # Records marked with the person's owner id go too (a timer's run, queued sessions).
        assert "skills.mindful.run" not in keys
        assert await page.evaluate("localStorage.getItem('skills.mindful.outbox')") == (
            '[{"owner":"someoneelse","key":"b"}]')
        assert user_id(app_data, email) is None
        with sqlite3.connect(app_data / "browser.db") as connection:
            assert connection.execute("SELECT count(*) FROM journal_entry WHERE user_id = ?",
                                      (uid,)).fetchone()[0] == 0
        # The session is over: the app sends this phone to sign in.
        await page.goto("/today/")
        await page.wait_for_url("**/signin/**")
    finally:
        await context.close()


PROGRESS_STATE = ("reflex___state____state.skills_app___state___session____session_state"
                  ".skills_app___state___progress____progress_state")


async def test_raw_calls_with_forged_ranges_or_ids_send_nothing_of_another_patient(
        app_server: str, app_data: Path) -> None:
    alice_email, alice_token = http_sign_up("Alice")
    bob_email, _ = http_sign_up("Bob")
    bob_id = user_id(app_data, bob_email)
    engine = db.make_engine(f"sqlite:///{app_data / 'browser.db'}")
    db.use_engine(engine)
    try:
        assert journal.save_entry(bob_id, CHICAGO, {
            "idempotency_key": str(uuid.uuid4()), "kind": "diary", "mood": 9,
            "custom_urges": [{"name": "Bobsecreturge", "rating": 5, "acted_on": True}]}).ok
    finally:
        db.use_engine(None)
        engine.dispose()
    frames: list[str] = []
    for payload in ({"days": bob_id}, {"days": str(bob_id)}, {"days": "abc"}, {"days": 0},
                    {"days": 36_500}, {"days": ["30"]}, {"days": {"user_id": bob_id}},
                    {"days": "30", "user_id": bob_id}, {"days": "30", "patient_id": bob_id}):
        frames += await call_event(f"{PROGRESS_STATE}.set_range", payload, alice_token,
                                   path="/progress/")
    frames += await call_event(f"{PROGRESS_STATE}.load_progress", {}, alice_token,
                               path="/progress/")
    everything = "".join(frames)
    assert say(progress_module.BAD_RANGE) in everything
    assert "Bobsecreturge" not in everything and bob_email not in everything
    assert '"Bob"' not in everything
    # Without a session: sent to sign in, nothing else.
    anonymous = "".join(await call_event(f"{PROGRESS_STATE}.set_range", {"days": "30"}, None,
                                         path="/progress/"))
    assert "/signin/" in anonymous and "Bobsecreturge" not in anonymous
    assert alice_email not in everything
