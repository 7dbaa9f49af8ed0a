"""Safety on a phone: risk prompts decided by the page (online and offline), the
safety plan kept on the phone for offline reading and gone at sign-out or for the
next patient, the plans' pages (bad input, print on one page, axe, 360 px) and
their screenshots."""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, BrowserContext, Locator, Page, WebSocketRoute, expect

from skills_app.core import dates, risk
from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    fill_note,
    new_phone_context,
    open_section,
    sign_in,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_today import LAYOUT_SHIFTS

pytestmark = pytest.mark.asyncio(loop_scope="session")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NOBODY = "Nobody sees this right away. If you are in danger, call 988 or 911."
HURT = "If you have hurt yourself or taken something, call 911 now"


def risk_events(app_data: Path, email: str) -> list[tuple[str, str, str]]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        return connection.execute(
            "SELECT r.source, r.trigger, r.prompt FROM risk_event r "
            "JOIN user_account u ON u.id = r.user_id WHERE u.email = ? ORDER BY r.id",
            (email,)).fetchall()


async def wait_for(check: object, timeout: float = 15) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.1)


async def wait_until_help_knows_the_patient(page: Page) -> None:
    """The help page has no app shell of its own: the plan copy's marker names the owner."""
    await page.wait_for_function(
        "document.querySelector('[data-safety-plan-copy]')?.getAttribute('data-owner')")


async def controlled_by_the_service_worker(page: Page) -> None:
    await page.evaluate("navigator.serviceWorker.ready")
    await page.reload()
    await page.wait_for_function("navigator.serviceWorker.controller !== null")


# --- risk routing ---------------------------------------------------------------

CASES = {
    # name: (choices on the diary card, prompt parts shown, leads with)
    "urge 4": (["Urge: suicide 4"], {"crisis"}, "You don't have to get through this alone"),
    "acted on, urge 0": (["Urge: self-harm 0", "acted_self_harm"], {"acted", "crisis"}, HURT),
    "use acted on": (["Urge: substance use 3", "acted_substance_use"], {"slip"},
                     "A slip is not a failure"),
    "suicide urge 2": (["Urge: suicide 2"], {"safety_plan_link"},
                       "Your safety plan is here if things get harder."),
    "self-harm urge 2": (["Urge: self-harm 2"], {"safety_plan_link"},
                         "Your safety plan is here if things get harder."),
    "craving 8": (["Craving 8"], {"craving"}, "Riding out a craving"),
    "urge to use 4": (["Urge: substance use 4"], {"craving"}, "Riding out a craving"),
    "craving with a suicide urge": (["Urge: suicide 4", "Craving 9"],
                                    {"crisis", "mixed", "craving"},
                                    "You don't have to get through this alone"),
    "quit therapy 4": (["Urge: quit therapy 4"], {"quit"}, "Tell your therapist"),
}
CRAVING_EXERCISES = {"Urge surfing": "urge-surfing",
                     "HALT check: hungry, angry, lonely, tired?": "halt-check",
                     "Play the tape through": "play-the-tape-through"}
LIVE_READER = ("thank you for telling", "thank you for being honest", "we're here",
               "someone will")


async def new_card(page: Page) -> None:
    """An empty diary card (after a save, the same page shows the saved card first)."""
    await page.goto("/journal/new/")
    await wait_until_signed_in_page_is_ready(page)
    await page.wait_for_load_state("networkidle")
    new_card_button = page.get_by_role("button", name="New diary card")
    if await new_card_button.is_visible():
        await new_card_button.click()


async def fill_card(page: Page, choices: list[str]) -> None:
    for choice in choices:
        if choice.startswith("acted_"):
            await page.locator(f'input[name="{choice}"]').check()
        else:
            if choice.startswith("Craving"):
                await open_section(page, "body")
            await page.get_by_label(choice, exact=True).check()


async def shown_parts(prompt: Locator) -> set[str]:
    return set(await prompt.locator("[data-risk-part]:not([hidden])").evaluate_all(
        "parts => parts.map(p => p.dataset.riskPart)"))


async def expect_nobody_sees_this_first(prompt: Locator) -> None:
    """The line is the first thing the prompt says, and nothing implies a live reader."""
    text = await prompt.inner_text()
    assert text.startswith(NOBODY), text[:120]
    assert not [words for words in LIVE_READER if words in text.lower()]


async def expect_the_craving_card(prompt: Locator, *, on_today: bool = False) -> None:
    part = prompt.locator('[data-risk-part="craving"]')
    await expect(part).to_be_visible()
    if on_today:
        # Today's practice, just under it, holds the exercises (not listed twice).
        await expect(part).to_contain_text("Today's practice, just below, starts with skills")
        await expect(part.locator(".risk-exercises")).to_have_count(0)
    for title, exercise_id in ({} if on_today else CRAVING_EXERCISES).items():
        await expect(part.get_by_role("link", name=title)).to_have_attribute(
            "href", f"/practice/do/?id={exercise_id}")
    await expect(part.get_by_role("link", name="Open my relapse-prevention plan")
                 ).to_have_attribute("href", "/relapse-plan/")
    await expect(part).to_contain_text("988 also helps with drug or alcohol crises.")
    await expect(part.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    await expect(part.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")


@pytest.mark.parametrize("offline", [False, True], ids=["online", "offline"])
@pytest.mark.parametrize("case", list(CASES))
async def test_the_diary_card_shows_the_right_prompt(browser: Browser, app_data: Path,
                                                     case: str, offline: bool) -> None:
    choices, parts, lead = CASES[case]
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        await page.goto("/journal/new/")
        await wait_until_signed_in_page_is_ready(page)
        await expect(page.locator("#diary-nobody-watches")).to_have_text(NOBODY)
        if offline:
            await context.set_offline(True)
            await page.locator("#connection-banner").wait_for()
        await fill_card(page, choices)
        await fill_note(page, "A hard evening.")
        await page.get_by_role("button", name="Save diary card").click()
        prompt = page.locator("#risk-prompt")
        await expect(prompt).to_be_visible()
        assert await shown_parts(prompt) == parts
        first = prompt.locator("[data-risk-part]:not([hidden])").first
        await expect(first).to_contain_text(lead)
        await expect_nobody_sees_this_first(prompt)
        # Every prompt, quiet ones too, is brought into view.
        await expect(prompt).to_be_focused()
        await expect(prompt).to_be_in_viewport()
        crisis_links = prompt.get_by_role("link", name="Text HOME to 741741")
        plan_link = prompt.get_by_role("link", name="Open my safety plan")
        if "crisis" in parts:
            await expect(crisis_links).to_be_visible()
            await expect(prompt.get_by_role("link", name="Call 988").first).to_be_visible()
            await expect(plan_link.first).to_have_attribute("href", "/safety-plan/")
            # Treatment referral is never offered as crisis help.
            await expect(prompt).not_to_contain_text("662-4357")
        else:
            await expect(crisis_links).to_be_hidden()
        if "acted" in parts:
            await expect(prompt.get_by_role("link", name="Call Poison Control 1-800-222-1222")
                         ).to_have_attribute("href", "tel:+18002221222")
            await expect(prompt.get_by_role("link", name="Call 911").first).to_be_visible()
        if parts == {"slip"}:
            await expect(prompt.get_by_role("link", name="Open my relapse-prevention plan")
                         ).to_have_attribute("href", "/relapse-plan/")
            await expect(plan_link).to_have_attribute("href", "/safety-plan/")
            for words in ("not a relapse", "tolerance", "Never use alone", "naloxone"):
                await expect(prompt).to_contain_text(words)
            text = (await prompt.inner_text()).lower()
            for shaming in ("clean", "dirty", "failed", "abuse", "relapsed", "addict"):
                assert shaming not in text
        if "craving" in parts:
            await expect_the_craving_card(prompt)
        if "mixed" in parts:
            await expect(prompt.locator('[data-risk-part="mixed"]')).to_have_text(
                "Alcohol and drugs make suicidal urges more dangerous. Stay with someone, and "
                "put distance between you and anything you could use to hurt yourself.")
        if parts == {"quit"}:
            await expect(prompt).to_contain_text(
                "Tell your therapist; wanting to quit is common and worth talking about.")
        if parts == {"safety_plan_link"}:
            await expect(plan_link).to_be_visible()
        if offline:
            await context.set_offline(False)
        await expect(page.locator("#saved")).to_contain_text("Saved at", timeout=30_000)
        await wait_for(lambda: risk_events(app_data, email))
        logged = risk_events(app_data, email)
        assert {source for source, _, _ in logged} == {"diary_card"}
        # The server logged what the page showed.
        assert {shown for _, _, shown in logged} == {"+".join(
            prompt for prompt in (p.value for p in risk.Prompt)
            if prompt in parts and not (prompt == "crisis" and "acted" in parts))}
        # The prompt never blocks: the patient can carry on.
        await prompt.get_by_role("button", name="Continue").click()
        await expect(prompt).to_be_hidden()
    finally:
        await context.close()


async def written_yesterday_evening(page: Page) -> str:
    """Put yesterday 9 pm (Chicago) in the card's written_at, as a draft kept on the
    phone since then carries it; returns yesterday's date."""
    now = datetime.now(ZoneInfo("America/Chicago"))
    yesterday = (now - timedelta(days=1)).replace(hour=21, minute=0, second=0, microsecond=0)
    await page.locator('#diary-form input[name="written_at"]').evaluate(
        "(input, value) => { input.value = value; }", yesterday.isoformat())
    return yesterday.date().isoformat()


async def test_an_act_logged_for_an_earlier_day_gets_the_plan_and_988_not_911_now(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        prompt = page.locator("#risk-prompt")

        async def expect_the_earlier_day_prompt() -> None:
            await expect(prompt).to_be_visible()
            assert await shown_parts(prompt) == {"earlier"}
            await expect_nobody_sees_this_first(prompt)
            await expect(prompt).to_contain_text("After a hard day")
            assert "call 911 now" not in (await prompt.inner_text()).lower()
            await expect(prompt.get_by_role("link", name="Call 911")).to_have_count(0)
            await expect(prompt.get_by_role("link", name="Call 988")).to_have_attribute(
                "href", "tel:988")
            await expect(prompt.get_by_role("link", name="Open my safety plan")
                         ).to_have_attribute("href", "/safety-plan/")

        # A card written yesterday evening and saved today (kept on the phone overnight).
        await new_card(page)
        yesterday = await written_yesterday_evening(page)
        await fill_card(page, ["Urge: self-harm 1", "acted_self_harm"])
        await page.get_by_role("button", name="Save diary card").click()
        await expect_the_earlier_day_prompt()
        await expect(page.locator("#saved")).to_contain_text("Saved at")
        await wait_for(lambda: risk_events(app_data, email))
        assert {shown for _, _, shown in risk_events(app_data, email)} == {"earlier"}

        # Editing that card today: the same.
        await page.get_by_role("link", name="Edit").click()
        await page.wait_for_url("**/journal/edit/?id=*")
        await expect(page.locator("#diary-form")).to_have_attribute("data-entry-day", yesterday)
        await page.locator('input[name="acted_suicide"]').check()
        await page.get_by_role("button", name="Save diary card").click()
        await expect_the_earlier_day_prompt()
        await expect(page.locator("#saved")).to_contain_text("Saved at")
        await wait_for(lambda: len(risk_events(app_data, email)) > 2)
        assert {shown for _, _, shown in risk_events(app_data, email)} == {"earlier"}

        # An act logged for today: "call 911 now", first after the line.
        await new_card(page)
        await fill_card(page, ["acted_self_harm"])
        await page.get_by_role("button", name="Save diary card").click()
        await expect(prompt).to_be_visible()
        assert await shown_parts(prompt) == {"acted", "crisis"}
        await expect_nobody_sees_this_first(prompt)
        await expect(prompt.get_by_role("link", name="Call 911").first).to_be_visible()
    finally:
        await context.close()


async def test_today_shows_the_craving_card_the_same_day(page: Page) -> None:
    await sign_up(page)
    await page.locator("#todays-practice a.plan-link").first.wait_for()
    await expect(page.locator("#today-risk")).to_have_count(0)
    await expect(page.locator("#today-nobody-watches")).to_have_text(NOBODY)
    await new_card(page)
    await fill_card(page, ["Craving 8"])
    await page.get_by_role("button", name="Save diary card").click()
    await expect(page.locator("#saved")).to_contain_text("Saved at")
    await page.goto("/today/")
    card = page.locator("#today-risk")
    await expect(card).to_be_visible()
    assert await shown_parts(card) == {"craving"}
    await expect_nobody_sees_this_first(card)
    await expect_the_craving_card(card, on_today=True)
    # One "nobody sees this" line on the page: the card's.
    await expect(page.locator(".nobody-watches")).to_have_count(1)
    # Today's practice follows the same signal: the craving skills first.
    hrefs = await page.locator("#todays-practice a.plan-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [f"/practice/do/?id={e}" for e in CRAVING_EXERCISES.values()]


def axes_product(axes: list[list[object]]) -> list[tuple[object, ...]]:
    return list(itertools.product(*(values for _, values in axes)))


# Every field the table reads, at and around each boundary; the days as the form sends them.
ROUTING_AXES: list[list[object]] = [
    ["urge_suicide", [0, 1, 3, 4, "5", "9"]],
    ["urge_self_harm", [0, 1, 3, 4]],
    ["urge_substance_use", [0, 3, 4, 5]],
    ["craving", [0, 6, 7, "10"]],
    ["urge_quit_therapy", [0, 3, 4]],
    ["acted_suicide", ["", "on"]],
    ["acted_self_harm", ["", "on"]],
    ["acted_substance_use", ["", "on"]],
    ["phq9_item9", [0, 1]],
    ["days", [{}, {"entry_day": "2026-03-04", "today": "2026-03-04"},
              {"entry_day": "2026-03-03", "today": "2026-03-04"},
              {"entry_day": "2025-12-31", "today": "2026-01-01"},
              {"entry_day": "2026-03-03"}, {"entry_day": "3/3/2026", "today": "3/4/2026"},
              {"entry_day": "2026-03-05", "today": "2026-03-04"}]],
]


def grid_values(combination: tuple[object, ...]) -> dict[str, object]:
    values: dict[str, object] = {}
    for (field, _), value in zip(ROUTING_AXES, combination, strict=True):
        values.update(value if field == "days" else {field: value})
    return values


async def test_the_page_and_the_server_route_every_value_alike(page: Page) -> None:
    await sign_up(page)
    await page.goto("/journal/new/")
    await page.wait_for_function(
        "window.skillsSafety && document.querySelector('[data-risk-cases]')")
    # The whole grid (129,024 combinations) is built in the page in the same order
    # as itertools.product, so only the answers cross over.
    in_page = await page.evaluate("""axes => {
        let grid = [{}];
        for (const [field, values] of axes) {
          const next = [];
          for (const partial of grid) for (const value of values) {
            next.push(Object.assign({}, partial,
                                    field === "days" ? value : {[field]: value}));
          }
          grid = next;
        }
        return grid.map(values => window.skillsSafety.route(values).join("+"));
    }""", ROUTING_AXES)
    in_python = [risk.route(grid_values(combination)).shown
                 for combination in axes_product(ROUTING_AXES)]
    assert len(in_page) == len(in_python) == 129_024
    assert in_page == in_python
    # Every prompt of the table is reached by the grid.
    assert {prompt for shown in in_python for prompt in shown.split("+") if prompt} == {
        prompt.value for prompt in risk.Prompt}
    junk = [{"urge_suicide": value} for value in ("abc", "", "-1", "9", "4.5", None)]
    junk += [{"acted_self_harm": "on", "entry_day": day, "today": "2026-03-04"}
             for day in (None, 20260303, "2026-03-03 ", "2026-3-3", "")]
    assert await page.evaluate(
        "grid => grid.map(values => window.skillsSafety.route(values).join('+'))", junk) == [
        risk.route(values).shown for values in junk]
    # The PHQ-9's item 9 goes through the same prompts (the measures page calls this).
    shown = await page.evaluate("window.skillsSafety.showRisk({phq9_item9: 1})")
    assert shown == ["crisis"]
    await expect(page.locator("#risk-prompt").get_by_role(
        "link", name="Call 988")).to_be_visible()
    await expect(page.locator("#risk-prompt").get_by_role(
        "link", name="Open my safety plan")).to_be_visible()


# Moments where the local day is easy to get wrong: midnight, DST changes, far zones.
DAY_MOMENTS = [
    ("2026-03-05T05:59:59.999Z", "America/Chicago"), ("2026-03-05T06:00:00Z", "America/Chicago"),
    ("2026-03-08T07:59:00Z", "America/Chicago"), ("2026-03-08T08:01:00Z", "America/Chicago"),
    ("2026-11-01T04:30:00Z", "America/Chicago"), ("2026-11-01T05:30:00Z", "America/Chicago"),
    ("2026-11-01T06:30:00Z", "America/Chicago"), ("2026-03-29T00:30:00Z", "Europe/London"),
    ("2026-12-31T10:00:00Z", "Pacific/Kiritimati"), ("2026-12-31T10:00:00Z", "Pacific/Pago_Pago"),
    ("2026-06-30T02:29:00Z", "America/St_Johns"), ("2026-06-30T02:31:00Z", "America/St_Johns"),
    ("2026-04-05T15:29:00Z", "Australia/Lord_Howe"), ("2026-01-01T00:00:00Z", "UTC"),
    ("2024-02-29T23:59:59Z", "Asia/Kolkata"),
]


async def test_the_page_and_the_server_count_the_patients_day_alike(page: Page) -> None:
    """"Today" and a new card's day: the moment's local date in the account's zone."""
    await page.goto("/help/")
    await page.wait_for_function("window.skillsSafety")
    in_page = await page.evaluate(
        "moments => moments.map(([at, zone]) => window.skillsSafety.localDay(new Date(at), zone))",
        DAY_MOMENTS)
    in_python = [dates.local_date_of(datetime.fromisoformat(at), zone).isoformat()
                 for at, zone in DAY_MOMENTS]
    assert in_page == in_python


# --- the safety plan on the phone --------------------------------------------------

async def open_whole_plan_form(page: Page) -> None:
    """A new safety plan opens on its guided start; the whole form is folded below it."""
    await page.goto("/safety-plan/")
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("#start-step-1")).to_be_visible()
    await page.get_by_text("Write my whole plan instead").click()
    await expect(page.locator("#plan-edit")).to_have_attribute("open", "")


async def write_safety_plan(page: Page, *, sign: str = "I stop answering texts") -> None:
    await open_whole_plan_form(page)
    await page.get_by_label("1. My warning signs").fill(sign)
    await page.get_by_label("Name 1").first.fill("Sam (my sister)")
    await page.get_by_label("Phone 1").first.fill("+1 (555) 010-2000")
    await page.get_by_label("My reasons for living").fill("My daughter\nThe ocean")
    await page.get_by_role("button", name="Save my plan").click()
    await expect(page.locator("#plan-saved")).to_contain_text("Saved")


async def test_a_saved_plan_opens_again_with_nothing_moving(
        page: Page) -> None:
    """The saved plan comes with the state, after the page has painted (here: on a weak
    signal, the server's line 1.5 s late): its slot keeps the height it had on this
    phone, or a screen's height on a phone that kept none, so the folded form under it
    stays put."""
    await sign_up(page)
    await write_safety_plan(page)

    async def slow_line(socket: WebSocketRoute) -> None:  # a phone on a weak signal
        await asyncio.sleep(1.5)
        socket.connect_to_server()

    async def opened_without_moving(context: BrowserContext, path: str, shown: str) -> None:
        other = await context.new_page()
        try:
            await other.route_web_socket(re.compile(r"/_event"), slow_line)
            await other.goto(path)
            await expect(other.locator(shown)).to_be_visible()
            await other.wait_for_timeout(500)  # the frame after it is drawn
            shifts = await other.evaluate(LAYOUT_SHIFTS)
            assert sum(value for value, _ in shifts) < 0.01, (path, shifts)
        finally:
            await other.close()

    # Opened again on this phone (a new tab), then on one that kept nothing (a first
    # visit; Lighthouse's fresh profile).
    await opened_without_moving(page.context, "/safety-plan/", "#plan-read")
    kept = await page.evaluate("localStorage.getItem('skills.slot-height.safety')")
    assert int(kept) > 300
    fresh = await new_phone_context(page.context.browser)
    try:
        await fresh.add_cookies(await page.context.cookies())
        await opened_without_moving(fresh, "/safety-plan/", "#plan-read")
        # Account's patient-only parts (language, Reminders) are in the first paint.
        await opened_without_moving(fresh, "/account/", "#reminders-link")
    finally:
        await fresh.close()
    # Signing out takes the kept heights with it.
    await page.goto("/account/")
    await wait_until_signed_in_page_is_ready(page)
    await page.locator("#sign-out").click()
    await page.wait_for_url("**/signin/")
    assert await page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('skills.slot-height.'))") == []


async def device_copies(page: Page) -> list[str]:
    return await page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('skills.safetyplan.'))")


async def offline_page_plan(context: BrowserContext, page: Page, path: str = "/signin/") -> str:
    """What the offline page shows of a safety plan ("" when none). A page the patient
    has opened shows its own kept copy offline (test_offline_first.py); the offline
    page is what the sign-in page (it needs the server) gets."""
    await context.set_offline(True)
    try:
        await page.goto(path)
        # A reload asks the network (a plain visit may come from the browser's cache).
        await page.reload()
        await expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
        view = page.locator("#safety-plan-copy")
        await page.wait_for_timeout(300)  # safety.js draws on DOMContentLoaded
        return await view.inner_text() if await view.is_visible() else ""
    finally:
        await context.set_offline(False)


async def test_the_safety_plan_is_read_offline_and_leaves_with_the_patient(
        browser: Browser) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        email = await sign_up(page, name="Ana")
        await controlled_by_the_service_worker(page)
        await write_safety_plan(page)
        read = page.locator("#plan-read")
        await expect(read).to_contain_text("I stop answering texts")
        await expect(read.get_by_role("link", name="Call Sam (my sister)")).to_have_attribute(
            "href", "tel:+15550102000")
        await expect(read.get_by_role("link", name="Text Sam (my sister)")).to_have_attribute(
            "href", "sms:+15550102000")
        await expect(read.get_by_role("link", name="Call 988 Suicide & Crisis Lifeline "
                                                   "(call or text)")).to_have_attribute(
            "href", "tel:988")
        await expect(read.get_by_role("link", name="Text Crisis Text Line (text HOME)")
                     ).to_have_attribute("href", "sms:741741?&body=HOME")
        await expect(read.get_by_role("link", name="Call Crisis Text Line (text HOME)")
                     ).to_have_count(0)
        assert len(await device_copies(page)) == 1

        # Online, the help page shows it; offline, the cached help page and the offline page too.
        await page.goto("/help/")
        await expect(page.locator("#safety-plan-copy")).to_contain_text("I stop answering texts")
        await expect(page.locator("#safety-plan-copy").get_by_role(
            "link", name="Call Sam (my sister)")).to_have_attribute("href", "tel:+15550102000")
        assert "My daughter" in await offline_page_plan(context, page)
        await context.set_offline(True)
        await page.goto("/help/")
        await expect(page.get_by_role("heading", name="Get help now")).to_be_visible()
        await expect(page.locator("#safety-plan-copy")).to_contain_text("The ocean")
        await context.set_offline(False)

        # Signed out: gone from the phone, the offline page and the help page.
        await page.goto("/account/")
        await wait_until_signed_in_page_is_ready(page)
        await page.get_by_role("button", name="Sign out", exact=True).click()
        await page.wait_for_url("**/signin/")
        assert await device_copies(page) == []
        assert await offline_page_plan(context, page) == ""
        await page.goto("/help/")
        await page.wait_for_load_state("networkidle")
        await expect(page.locator("#safety-plan-copy")).to_be_hidden()

        # A second patient on the same phone never sees Ana's plan, online or offline.
        await sign_up(page, name="Bo")
        await page.wait_for_load_state("networkidle")
        assert await offline_page_plan(context, page) == ""
        await page.goto("/help/")
        await page.wait_for_load_state("networkidle")
        await expect(page.locator("#safety-plan-copy")).to_be_hidden()
        assert "I stop answering texts" not in await page.content()

        # Ana back: her plan comes back to the phone from the server.
        await page.goto("/account/")
        await wait_until_signed_in_page_is_ready(page)
        await page.get_by_role("button", name="Sign out", exact=True).click()
        await page.wait_for_url("**/signin/")
        await sign_in(page, email)
        await page.wait_for_url("**/today/")
        await page.wait_for_function(
            "Object.keys(localStorage).some(k => k.startsWith('skills.safetyplan.'))")
        assert "I stop answering texts" in await offline_page_plan(context, page)
    finally:
        await context.close()


async def test_a_copy_left_by_someone_else_is_removed_and_never_drawn(browser: Browser) -> None:
    """Ana's session ended without a sign-out (it expired); Bo opens the app."""
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        await sign_up(page, name="Bo")
        await page.evaluate("""localStorage.setItem('skills.safetyplan.0123456789abcdef',
            JSON.stringify({owner: '0123456789abcdef', plan: {title: 'My safety plan',
            sections: [{title: 'Warning signs', lines: ['ANA-ONLY']}]}}))""")
        await page.goto("/help/")
        await wait_until_help_knows_the_patient(page)
        await page.wait_for_function(
            "!Object.keys(localStorage).some(k => k.startsWith('skills.safetyplan.'))")
        await expect(page.locator("#safety-plan-copy")).to_be_hidden()
        assert "ANA-ONLY" not in await page.content()
    finally:
        await context.close()


# --- the plan pages: bad input, print, axe, 360 px, screenshots ----------------------

async def test_bad_plan_input_is_refused_with_a_message_and_kept_on_the_phone(
        page: Page, app_data: Path) -> None:
    email = await sign_up(page)
    await open_whole_plan_form(page)
    await page.get_by_label("Name 1").first.fill("Sam")
    await page.get_by_label("Phone 1").first.fill("555-CALL-SAM")
    await page.get_by_label("1. My warning signs").fill("Not sleeping")
    await page.get_by_role("button", name="Save my plan").click()
    await expect(page.locator("#people_to_ask-error")).to_contain_text(
        "Please use only numbers in a phone number")
    await expect(page.get_by_label("1. My warning signs")).to_have_value("Not sleeping")
    # 100,000 characters: refused in the page before sending, the text kept.
    await page.get_by_label("Phone 1").first.fill("555 0100")
    await page.get_by_label("1. My warning signs").evaluate(
        "(el) => { el.value = 'x'.repeat(100000); el.dispatchEvent(new Event('input', "
        "{bubbles: true})); }")
    await page.get_by_role("button", name="Save my plan").click()
    await expect(page.locator("#warning_signs-client-error")).to_contain_text("too long")
    with sqlite3.connect(app_data / "browser.db") as connection:
        assert connection.execute(
            "SELECT count(*) FROM personal_plan p JOIN user_account u ON u.id = p.user_id "
            "WHERE u.email = ?", (email,)).fetchone() == (0,)


@pytest.mark.parametrize("plan", ["safety", "relapse"])
async def test_each_plan_prints_on_one_page(page: Page, plan: str) -> None:
    await sign_up(page)
    if plan == "safety":
        await write_safety_plan(page)
    else:
        await page.goto("/relapse-plan/")
        await wait_until_signed_in_page_is_ready(page)
        fields = {"People": "Old friends from the bar", "Places": "The corner store",
                  "Things": "Payday", "Feelings": "Lonely, tired", "Times": "Friday nights",
                  "Early warning signs": "Skipping meetings\nLying about small things",
                  "Ways I cope with cravings": "Urge surfing\nCall my sponsor",
                  "Things I can do instead": "Run\nCook",
                  "Meetings and groups": "Tuesday 7pm, St. Mark's",
                  "My reasons for recovery": "My kids", "If I slip, I will": "Call Dee"}
        for label, value in fields.items():
            await page.get_by_label(label, exact=True).fill(value)
        await page.get_by_label("Name 1").fill("Dee (sponsor)")
        await page.get_by_label("Phone 1").fill("555 0100")
        await page.get_by_role("button", name="Save my plan").click()
        await expect(page.locator("#plan-saved")).to_contain_text("Saved")
    # Long entries too: every section filled with several lines still fits one page.
    pdf = await page.pdf(format="Letter", print_background=True)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    # The print preview: a Letter page at 96 dpi, in print media.
    await page.set_viewport_size({"width": 816, "height": 1056})
    await page.emulate_media(media="print")
    shot = await page.screenshot()
    await page.emulate_media(media="screen")
    for folder in [ARTIFACTS / "screenshots"] + (
            [DOCS] if os.environ.get("UPDATE_SCREENSHOTS") == "1" else []):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{plan}-plan-print.png").write_bytes(shot)
        if folder == DOCS:
            (folder / f"{plan}-plan-print.pdf").write_bytes(pdf)
    assert pages == 1, f"the {plan} plan printed on {pages} pages"


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_no_axe_violations_on_the_safety_screens(browser: Browser, scheme: str) -> None:
    context = await new_phone_context(browser, color_scheme=scheme)
    try:
        page = await context.new_page()
        found = {}
        await sign_up(page)
        for route in ("/safety-plan/", "/relapse-plan/"):
            await page.goto(route)
            await wait_until_signed_in_page_is_ready(page)
            await page.wait_for_load_state("networkidle")
            found[f"{route} (new, form open)"] = await axe_violations(page)
        await write_safety_plan(page)
        found["/safety-plan/ (saved)"] = await axe_violations(page)
        await page.goto("/relapse-plan/")
        await wait_until_signed_in_page_is_ready(page)
        await page.get_by_label("Places", exact=True).fill("The corner store")
        await page.get_by_label("Name 1").fill("Dee (sponsor)")
        await page.get_by_label("Phone 1").fill("555 0100")
        await page.get_by_role("button", name="Save my plan").click()
        await expect(page.locator("#plan-saved")).to_contain_text("Saved")
        found["/relapse-plan/ (saved)"] = await axe_violations(page)
        await page.goto("/help/")
        await page.locator("#safety-plan-copy").wait_for()
        found["/help/ (with the plan)"] = await axe_violations(page)
        await page.goto("/today/")
        await page.wait_for_load_state("networkidle")
        found["/today/"] = await axe_violations(page)
        for case, (choices, _, _) in CASES.items():
            await new_card(page)
            await fill_card(page, choices)
            await page.get_by_role("button", name="Save diary card").click()
            await page.locator("#risk-prompt").wait_for()
            found[f"prompt: {case}"] = await axe_violations(page)
        await context.set_offline(True)
        await page.goto("/signin/")  # the offline page (a kept page shows its copy)
        await page.reload()
        await page.locator("#safety-plan-copy").wait_for()
        found["offline page (with the plan)"] = await axe_violations(page)
        await context.set_offline(False)
    finally:
        await context.close()
    assert found == {route: [] for route in found}


async def test_safety_screens_fit_a_360_px_phone_with_44_px_targets(browser: Browser) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740},
                                        base_url=BASE_URL, reduced_motion="reduce")
    try:
        page = await context.new_page()
        overflow, small = {}, {}

        async def measure(label: str) -> None:
            await page.wait_for_load_state("networkidle")
            overflow[label] = await page.evaluate("document.documentElement.scrollWidth")
            small[label] = await page.evaluate(SMALL_TARGETS)

        await sign_up(page)
        for route in ("/safety-plan/", "/relapse-plan/", "/more/"):
            await page.goto(route)
            await wait_until_signed_in_page_is_ready(page)
            await measure(route)
        await page.goto("/help/")
        await wait_until_help_knows_the_patient(page)
        await measure("/help/")
        await write_safety_plan(page, sign="A" * 300)
        await measure("/safety-plan/ (saved, a long unbroken line)")
        await page.goto("/help/")
        await page.locator("#safety-plan-copy").wait_for()
        await measure("/help/ (with the plan)")
        for case, (choices, _, _) in CASES.items():
            await new_card(page)
            await fill_card(page, choices)
            await page.get_by_role("button", name="Save diary card").click()
            await page.locator("#risk-prompt").wait_for()
            await measure(f"prompt: {case}")
        await context.set_offline(True)
        await page.goto("/signin/")  # the offline page (a kept page shows its copy)
        await page.reload()
        await page.locator("#safety-plan-copy").wait_for()
        overflow["offline page"] = await page.evaluate("document.documentElement.scrollWidth")
        small["offline page"] = await page.evaluate(SMALL_TARGETS)
        await context.set_offline(False)
    finally:
        await context.close()
    assert overflow == {label: 360 for label in overflow}
    assert small == {label: [] for label in small}


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_screenshots_of_the_safety_plan_and_the_slip_card(browser: Browser,
                                                               scheme: str) -> None:
    folders = [ARTIFACTS / "screenshots"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folders.append(DOCS)
    context = await new_phone_context(browser, color_scheme=scheme)
    try:
        page = await context.new_page()
        shots = {}
        await sign_up(page)
        await page.goto("/relapse-plan/")
        await wait_until_signed_in_page_is_ready(page)
        await page.wait_for_load_state("networkidle")
        shots["relapse-plan-form"] = await page.screenshot()
        await write_safety_plan(page)
        await page.evaluate("window.scrollTo(0, 0)")
        shots["safety-plan"] = await page.screenshot()
        await page.locator("#plan-edit summary").click()
        await page.get_by_label("1. My warning signs").scroll_into_view_if_needed()
        shots["safety-plan-form"] = await page.screenshot()
        await page.goto("/help/")
        await page.locator("#safety-plan-copy").wait_for()
        shots["help-with-plan"] = await page.screenshot(full_page=True)
        await new_card(page)
        await fill_card(page, CASES["use acted on"][0])
        await page.get_by_role("button", name="Save diary card").click()
        await page.locator("#risk-prompt").wait_for()
        await page.locator("#risk-prompt").scroll_into_view_if_needed()
        shots["slip-card"] = await page.screenshot()
        await new_card(page)
        await fill_card(page, CASES["acted on, urge 0"][0])
        await page.get_by_role("button", name="Save diary card").click()
        await page.locator("#risk-prompt").wait_for()
        shots["crisis-prompt"] = await page.screenshot()
    finally:
        await context.close()
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (folder / f"{name}-{scheme}.png").write_bytes(png)


async def test_plans_are_linked_from_more_and_get_help_now(page: Page) -> None:
    await sign_up(page)
    await page.goto("/more/")
    await page.get_by_role("link", name="My safety plan").click()
    await page.wait_for_url("**/safety-plan/")
    await page.goto("/more/")
    await page.get_by_role("link", name="My relapse-prevention plan").click()
    await page.wait_for_url("**/relapse-plan/")
    await page.get_by_role("link", name="Get help now", exact=True).click()
    await page.wait_for_url("**/help/")
    await wait_until_help_knows_the_patient(page)
    # No plan yet: the help page offers its guided start (tests/browser/test_plan_start.py).
    await page.get_by_role("link", name="You have no safety plan yet").click()
    await page.wait_for_url("**/safety-plan/")
    await page.goto("/today/")
    await expect(page.locator("#today-nobody-watches")).to_have_text(NOBODY)


# --- forged calls from a raw client -------------------------------------------------

def plans_of(app_data: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        return connection.execute(
            "SELECT u.email, p.content FROM personal_plan p "
            "JOIN user_account u ON u.id = p.user_id ORDER BY p.id").fetchall()


async def test_forged_plan_saves_change_nothing(app_server: str, app_data: Path) -> None:
    from skills_app.state.plans import SafetyPlanState
    from tests.browser.test_raw_websocket import call_event, http_sign_up

    save = f"{SafetyPlanState.get_full_name()}.save_plan"
    alice_email, alice = http_sign_up("Alice")
    bob_email, bob = http_sign_up("Bob")
    await call_event(save, {"form_data": {"plan_id": "", "version": "",
                                          "warning_signs": "BOB-PRIVATE"}}, bob,
                     path="/safety-plan/")
    with sqlite3.connect(app_data / "browser.db") as connection:
        [(bob_plan_id,)] = connection.execute(
            "SELECT p.id FROM personal_plan p JOIN user_account u ON u.id = p.user_id "
            "WHERE u.email = ?", (bob_email,)).fetchall()
    before = plans_of(app_data)
    forged = [
        ({"form_data": {"warning_signs": "no session"}}, None),
        ({"form_data": {"plan_id": str(bob_plan_id), "version": "1",
                        "warning_signs": "ALICE OVER BOB"}}, alice),
        ({"form_data": {"plan_id": "", "warning_signs": "x" * 100_000}}, alice),
        ({"form_data": {"plan_id": "", "people_to_ask_name_1": "Sam",
                        "people_to_ask_phone_1": "CALL-SAM"}}, alice),
        ({"form_data": ["not", "a", "form"]}, alice),
        ({"form_data": {"plan_id": {"$ne": 0}, "warning_signs": "x"}}, alice),
        ({"form_data": {"warning_signs": "y" * 1_100_000}}, alice),
    ]
    for payload, cookie in forged:
        frames = await call_event(save, payload, cookie, path="/safety-plan/")
        assert "BOB-PRIVATE" not in "".join(frames)
    assert plans_of(app_data) == before
    assert all(email != alice_email for email, _ in plans_of(app_data))


# --- Spanish: the same prompts, in the page's language ------------------------------------

NOBODY_ES = "Nadie ve esto de inmediato. Si estás en peligro, llama al 988 o al 911."


def speaks_spanish(app_data: Path, email: str) -> None:
    """The account's language, as Account sets it (the guard then sends them to /es/)."""
    with sqlite3.connect(app_data / "browser.db") as connection:
        connection.execute("UPDATE user_account SET language = 'es' WHERE email = ?", (email,))


@pytest.mark.parametrize("offline", [False, True], ids=["online", "offline"])
async def test_a_spanish_diary_card_with_a_high_urge_shows_the_spanish_prompt(
        browser: Browser, app_data: Path, offline: bool) -> None:
    """The page's path (safety.js, from the Spanish page's prompts) and the server's
    (Today, from core/day_signal.py) both speak Spanish."""
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        speaks_spanish(app_data, email)
        await page.goto("/journal/new/")
        await page.wait_for_url("**/es/journal/new/")
        await wait_until_signed_in_page_is_ready(page)
        await expect(page.locator("#diary-nobody-watches")).to_have_text(NOBODY_ES)
        if offline:
            await context.set_offline(True)
            await page.locator("#connection-banner").wait_for()
        await page.locator('input[name="urge_suicide"][value="4"]').check()
        await page.locator('input[name="acted_substance_use"]').check()
        await fill_note(page, "Una noche difícil.")
        await page.locator("#save-entry").click()
        prompt = page.locator("#risk-prompt")
        await expect(prompt).to_be_visible()
        assert await shown_parts(prompt) == {"crisis", "mixed", "slip"}
        text = await prompt.inner_text()
        assert text.startswith(NOBODY_ES), text[:120]
        crisis = prompt.locator('[data-risk-part="crisis"]')
        await expect(crisis).to_contain_text("No tienes que pasar por esto a solas")
        await expect(crisis.get_by_role("link", name="Llama al 988 y marca 2")
                     ).to_have_attribute("href", "tel:988")
        await expect(crisis.get_by_role("link", name="Envía AYUDA al 988")
                     ).to_have_attribute("href", "sms:988?&body=AYUDA")
        await expect(crisis.get_by_role("link", name="Abrir mi plan de seguridad")
                     ).to_have_attribute("href", "/es/safety-plan/")
        await expect(prompt.locator('[data-risk-part="mixed"]')).to_contain_text(
            "El alcohol y las drogas hacen más peligrosas las ganas de suicidarte.")
        slip = prompt.locator('[data-risk-part="slip"]')
        await expect(slip).to_contain_text("Un desliz no es una recaída.")
        await expect(slip.get_by_role("link", name="Seguridad ante una sobredosis")
                     ).to_have_attribute("href", "/es/help/#overdose-safety")
        for english in ("Nobody sees this", "Call 988", "alone", "Open my safety plan"):
            assert english not in text, english
        await page.screenshot(path=str(ARTIFACTS / f"risk-prompt-es-{'off' if offline else 'on'}"
                                                    "line.png"), full_page=True)
        if offline:
            await context.set_offline(False)
        await wait_for(lambda: risk_events(app_data, email), timeout=30)
        assert {shown for _, _, shown in risk_events(app_data, email)} == {"crisis+mixed+slip"}
        await prompt.get_by_role("button", name="Seguir").click()
        await expect(prompt).to_be_hidden()
        # Today: the server names the day's prompts, the Spanish page shows them.
        await page.goto("/es/today/")
        today = page.locator("#today-risk")
        await expect(today).to_be_visible()
        await expect(today).to_contain_text(NOBODY_ES)
        await expect(today.locator('[data-risk-part="crisis"]')).to_contain_text(
            "No tienes que pasar por esto a solas")
        await expect(today.locator('[data-risk-part="slip"]')).to_contain_text(
            "Un desliz no es un fracaso")
    finally:
        await context.close()


async def test_the_spanish_safety_plan_is_kept_and_drawn_in_spanish(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        email = await sign_up(page)
        speaks_spanish(app_data, email)
        await page.goto("/es/safety-plan/")
        await wait_until_signed_in_page_is_ready(page)
        await expect(page.get_by_role("heading", name="¿Qué te dice que empieza un momento "
                                                       "difícil?")).to_be_visible()
        await expect(page.locator("#start-lifeline")).to_contain_text("marca 2 o envía AYUDA")
        await page.locator("#start-form-1 textarea").fill("Dejo de comer")
        await page.locator("#start-form-1 button[type=submit]").click()
        await expect(page.locator("#plan-saved")).to_contain_text("Guardado.")
        # The copy on this phone, drawn on the help page offline, is in Spanish.
        await page.goto("/es/help/")
        await wait_until_help_knows_the_patient(page)
        view = page.locator("[data-safety-plan-copy-view]")
        await expect(view).to_contain_text("Mi plan de seguridad")
        await expect(view).to_contain_text("Guardado en este teléfono para que lo leas sin "
                                           "conexión.")
        await expect(view).to_contain_text("1. Mis señales de alerta")
        await expect(view.get_by_role("link", name="Llamar a Emergencias")).to_have_attribute(
            "href", "tel:911")
    finally:
        await context.close()
