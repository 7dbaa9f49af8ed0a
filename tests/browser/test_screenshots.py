"""Phone screenshots of the main screens, light and dark, and the therapist's
risk-first patient list on a phone (390x844, light) and a desk (1280x800, dark).

They land in test-artifacts/screenshots/ on every run (for review), and in
docs/screenshots/ when UPDATE_SCREENSHOTS=1 (the README shows those).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from skills_app import demo
from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    admin_command,
    fill_note,
    new_phone_context,
    open_section,
    open_skills,
    sign_in,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_practice_flow import go_to_step, screen

pytestmark = pytest.mark.asyncio(loop_scope="session")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP = {"width": 1280, "height": 800}


def _folders() -> list[Path]:
    folders = [ARTIFACTS / "screenshots"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folders.append(DOCS)
    return folders


def save_screenshots(shots: dict[str, bytes], scheme: str) -> None:
    """Each shot as `<name>-<scheme>.png`, in docs/screenshots/ too with UPDATE_SCREENSHOTS=1."""
    folders = _folders()
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (folder / f"{name}-{scheme}.png").write_bytes(png)


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_main_screens_render_on_a_phone(browser: Browser, scheme: str) -> None:
    context = await new_phone_context(browser, color_scheme=scheme, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        shots = {}
        await page.goto("/signin/")
        await page.wait_for_load_state("networkidle")
        shots["sign-in"] = await page.screenshot()
        await sign_up(page, name="Jordan")
        await page.wait_for_load_state("networkidle")
        shots["today"] = await page.screenshot()
        await page.get_by_label("6, Fine").check()
        await page.get_by_role("button", name="Save check-in").click()
        await page.locator("#checkin-saved").get_by_text("Saved at").wait_for()
        await page.goto("/journal/new/")
        await page.wait_for_load_state("networkidle")
        await page.get_by_label("Sadness 3").check()
        await page.get_by_label("Urge: substance use 2").check()
        await page.evaluate("window.scrollTo(0, 0)")  # the card's top
        shots["diary-card"] = await page.screenshot()
        await page.get_by_role("button", name="Save diary card").click()
        await page.locator("#saved").get_by_text("Saved at").wait_for()
        await page.goto("/journal/")
        await page.locator("article.entry").first.wait_for()
        shots["journal"] = await page.screenshot(full_page=True)
        await page.get_by_role("button", name="Delete").first.click()
        await page.get_by_role("alertdialog").wait_for()
        shots["delete-dialog"] = await page.screenshot()
        await page.get_by_role("button", name="Cancel").click()
        await page.goto("/journal/new/")
        await page.wait_for_load_state("networkidle")
        await fill_note(page, "Written on the bus.")
        await context.set_offline(True)
        await page.get_by_role("button", name="Save diary card").click()
        await page.wait_for_timeout(3000)  # let any connection message appear
        shots["offline"] = await page.screenshot()
        await context.set_offline(False)
        await page.goto("/help/")
        await page.wait_for_load_state("networkidle")
        shots["help"] = await page.screenshot()
        await page.goto("/practice/")
        await page.locator("#practice-search").wait_for()
        await page.wait_for_load_state("networkidle")
        shots["practice"] = await page.screenshot()
        await page.goto("/today/")
        await page.locator("#todays-practice a.plan-link").first.wait_for()
        await page.locator("#todays-practice").scroll_into_view_if_needed()
        shots["today-practice"] = await page.screenshot()
        # Nothing is wider than the phone: no sideways scrolling.
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        await context.close()
    save_screenshots(shots, scheme)
    assert all(len(png) > 10_000 for png in shots.values())


async def test_the_empty_safety_plan_start(browser: Browser) -> None:
    """A patient with no safety plan opens it: the guided start, on a phone (light and
    dark) and a laptop; on the phone also the help page's overdose section."""
    folders = _folders()
    shots = {}
    for name, viewport, scheme in (("safety-plan-start-light", None, "light"),
                                   ("safety-plan-start-dark", None, "dark"),
                                   ("safety-plan-start-laptop", {"width": 1280, "height": 800},
                                    "light")):
        context = await new_phone_context(browser, color_scheme=scheme) if viewport is None \
            else await browser.new_context(viewport=viewport, base_url=BASE_URL,
                                           color_scheme=scheme)
        try:
            page = await context.new_page()
            await sign_up(page)
            await page.goto("/safety-plan/")
            await page.locator("#start-step-1").wait_for()
            await page.wait_for_load_state("networkidle")
            shots[name] = await page.screenshot()
            if viewport is None:
                await page.goto("/help/")
                await page.locator("#overdose-safety").wait_for()
                await page.wait_for_load_state("networkidle")
                # The section from a full-page shot: an element taller than the screen
                # would be stitched with the sticky header over it.
                box = await page.locator("#overdose-safety").evaluate(
                    "el => { const r = el.getBoundingClientRect(); return {x: r.x, "
                    "y: r.y + window.scrollY, width: r.width, height: r.height}; }")
                shots[name.replace("safety-plan-start", "help-overdose")] = \
                    await page.screenshot(full_page=True, clip=box)
                await page.goto("/safety-plan/")
                await page.locator("#start-step-1").wait_for()
                await page.get_by_role("textbox").fill("I stop answering texts")
                await page.get_by_role("button", name="Save and go on").click()
                await page.locator("#start-step-2").wait_for()
                await page.wait_for_load_state("networkidle")
                shots[name.replace("start", "start-step-2")] = await page.screenshot()
        finally:
            await context.close()
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (folder / f"{name}.png").write_bytes(png)


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_skill_hints_and_a_new_exercise_step_on_a_phone(
        browser: Browser, scheme: str) -> None:
    """The diary card's skills, each with its hint, and a step of a new exercise
    with its caution: screenshots, and axe and tap targets on both screens."""
    context = await new_phone_context(browser, color_scheme=scheme, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        shots, found, small = {}, {}, {}
        await sign_up(page, name="Jordan")
        await page.goto("/journal/new/")
        await wait_until_signed_in_page_is_ready(page)
        await open_skills(page, "distress_tolerance")
        await page.get_by_role("checkbox", name="TIP", exact=True).check()
        skills = page.locator("details[data-section='skills']")
        await skills.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top"
                              " + window.scrollY - 64)")
        shots["diary-skills"] = await page.screenshot()
        found["diary card, skills open"] = await axe_violations(page)
        small["diary card, skills open"] = await page.evaluate(SMALL_TARGETS)
        await go_to_step(page, "burning-bridges", 4)
        await expect(screen(page).locator(".flow-caution")).to_contain_text("one last time")
        shots["practice-burning-bridges"] = await page.screenshot()
        found["burning bridges step 4"] = await axe_violations(page)
        small["burning bridges step 4"] = await page.evaluate(SMALL_TARGETS)
        await go_to_step(page, "tip", 3)
        await expect(screen(page).locator(".flow-caution")).to_contain_text("alcohol or drugs")
        shots["practice-tip-caution"] = await page.screenshot()
        assert {k: v for k, v in found.items() if v} == {}
        assert {k: v for k, v in small.items() if v} == {}
    finally:
        await context.close()
    save_screenshots(shots, scheme)


@pytest.fixture(scope="module")
def demo_caseload(app_server: str) -> None:
    """The demo program (`python -m skills_app.admin seed-demo`) on the test server's
    database, once: its therapist's list has a patient in each part of the tiers.
    Other tests' accounts are there too (some not at example.org): --force."""
    try:
        admin_command("seed-demo", "--force")
    except subprocess.CalledProcessError as error:
        if "already" not in error.stderr:
            raise


async def show_from(page: Page, selector: str) -> None:
    """Scroll so `selector` starts just under the sticky header (and nothing has focus)."""
    await page.evaluate("""selector => {
        document.activeElement?.blur();
        const header = document.querySelector('.app-header')?.offsetHeight || 0;
        const top = document.querySelector(selector).getBoundingClientRect().top;
        window.scrollTo(0, top + window.scrollY - header - 8);
    }""", selector)


async def _whole_width(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= await page.evaluate("window.innerWidth"), "the page scrolls sideways"


@pytest.mark.parametrize(("viewport", "scheme"), [("phone", "light"), ("laptop", "dark")])
async def test_the_risk_first_caseload_and_what_is_not_shared(
        browser: Browser, demo_caseload: None, viewport: str, scheme: str) -> None:
    if viewport == "phone":
        context = await new_phone_context(browser, color_scheme=scheme,
                                          timezone_id="America/Chicago")
    else:
        context = await browser.new_context(base_url=BASE_URL, viewport=LAPTOP,
                                            color_scheme=scheme, timezone_id="America/Chicago")
        context.set_default_timeout(15_000)
    suffix = f"{viewport}-{scheme}"
    shots: dict[str, bytes] = {}
    try:
        page = await context.new_page()
        await page.goto("/signin/")
        await sign_in(page, demo.THERAPIST[1], demo.DEMO_PASSWORD)
        await page.wait_for_url("**/patients/")
        rows = page.locator("#caseload > tbody > tr")
        await rows.first.wait_for()
        await page.wait_for_load_state("networkidle")
        names = [name.strip() for name in await page.locator(
            "#caseload .patient-name").all_inner_texts()]
        assert names == ["Drew Patel", "Jordan Lee", "Casey Morgan", "Riley Chen",
                         "Sam Rivera"]
        assert await page.locator("#sort").input_value() == "flags"
        assert await page.locator("#sort option[value=flags]").inner_text() == "Risk first"
        texts = dict(zip(names, await rows.all_inner_texts(), strict=True))
        assert "Tier 1" in texts["Drew Patel"] and "PHQ-9 item 9" in texts["Drew Patel"]
        assert "Tier 2" in texts["Jordan Lee"] and "Self-harm urge 4" in texts["Jordan Lee"]
        assert "Tier 6" in texts["Casey Morgan"]
        assert "No check-in for 5 days" in texts["Casey Morgan"]
        # Riley acted on self-harm and marked PHQ-9 item 9, shared with mood only.
        assert "Safety: not shared by this patient" in texts["Riley Chen"]
        assert "Substance use: not shared by this patient" in texts["Riley Chen"]
        assert "No flags" not in texts["Riley Chen"] and "Tier" not in texts["Riley Chen"]
        assert "No flags" in texts["Sam Rivera"]
        await _whole_width(page)
        assert await axe_violations(page) == []
        await page.evaluate("document.activeElement?.blur()")
        shots["caseload-tiers-full"] = await page.screenshot(full_page=True)
        await show_from(page, "#caseload")
        shots["caseload-tiers"] = await page.screenshot()

        await rows.filter(has_text="Riley Chen").get_by_role("link").click()
        await page.locator("#patient-name", has_text="Riley Chen").wait_for()
        await page.locator("#diary-review").wait_for()
        await page.wait_for_load_state("networkidle")
        risk = await page.locator("#patient-risk").inner_text()
        assert "Safety: not shared by this patient" in risk and "No flags" not in risk
        review = await page.locator("#diary-review").inner_text()
        assert "Life-threatening" in review and "Self-harm" not in review
        assert review.count("Safety: not shared by this patient") == 2
        checkups = await page.locator("#patient-checkups").inner_text()
        assert "Check-ups: not shared by this patient" in checkups
        plan = await page.locator("#patient-safety-plan").inner_text()
        assert "Safety plan: not shared by this patient" in plan
        await _whole_width(page)
        assert await axe_violations(page) == []
        await show_from(page, "#patient-name")
        shots["patient-not-shared"] = await page.screenshot()

        await page.get_by_role("link", name="← All patients").click()
        await rows.filter(has_text="Drew Patel").get_by_role("link").click()
        await page.locator("#patient-name", has_text="Drew Patel").wait_for()
        await page.get_by_role("link", name="Printable page").click()
        await page.locator("#patient-name", has_text="Drew Patel").wait_for()
        await page.locator("#redisclosure").wait_for()
        await page.wait_for_load_state("networkidle")
        report = await page.locator("article.report").inner_text()
        assert "PHQ-9:" in report and "GAD-7:" in report
        assert "Has a safety plan: yes" in report
        assert "Substance use: not shared by this patient" in report
        await _whole_width(page)
        await page.evaluate("document.activeElement?.blur()")
        shots["report-checkups"] = await page.screenshot(full_page=True)
    finally:
        await context.close()
    for folder in _folders():
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (folder / f"{name}-{suffix}.png").write_bytes(png)


@pytest.mark.parametrize(("scheme", "viewport"), [("light", "phone"), ("dark", "phone"),
                                                  ("light", "laptop"), ("dark", "laptop")])
async def test_the_craving_card_on_the_diary_card_and_on_today(browser: Browser, scheme: str,
                                                               viewport: str) -> None:
    """A craving of 8 saved on the diary card: the card at Save, and on Today."""
    options: dict[str, object] = {"color_scheme": scheme, "timezone_id": "America/Chicago"}
    if viewport == "laptop":
        context = await browser.new_context(viewport=LAPTOP, base_url=BASE_URL, **options)
    else:
        context = await new_phone_context(browser, **options)
    suffix = scheme if viewport == "phone" else f"laptop-{scheme}"
    try:
        page = await context.new_page()
        shots = {}
        await sign_up(page, name="Jordan")
        await page.goto("/journal/new/")
        await wait_until_signed_in_page_is_ready(page)
        await open_section(page, "body")
        await page.get_by_label("Craving 8", exact=True).check()
        await page.get_by_role("button", name="Save diary card").click()
        await page.locator("#risk-prompt").wait_for()
        await page.locator("#saved").get_by_text("Saved at").wait_for()
        shots["craving-card-diary"] = await page.screenshot()
        await page.goto("/today/")
        await page.locator("#today-risk").wait_for()
        await page.locator("#todays-practice a.plan-link").first.wait_for()
        await page.wait_for_load_state("networkidle")
        await page.locator("#today-risk").evaluate(
            "(card) => card.scrollIntoView({block: 'start'})")
        shots["craving-card-today"] = await page.screenshot()
        width = LAPTOP["width"] if viewport == "laptop" else 390
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        await context.close()
    save_screenshots(shots, suffix)


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_a_check_up_step_the_timer_and_the_time_zone_picker_at_a_desk(
        browser: Browser, scheme: str) -> None:
    """At 1280x800 the screens the short-forms work touched (a check-up question, the
    timer's Start, the time-zone search) keep a readable column, pass axe and keep
    44 px targets; photographed for review."""
    context = await browser.new_context(viewport=LAPTOP, base_url=BASE_URL,
                                        color_scheme=scheme, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        found, small, widths, shots = {}, {}, {}, {}

        async def look(name: str) -> None:
            found[name] = await axe_violations(page)
            small[name] = await page.evaluate(SMALL_TARGETS)
            widths[name] = await page.evaluate("document.documentElement.scrollWidth")
            shots[f"desk-{name}-1280x800"] = await page.screenshot()

        await page.goto("/signup/")
        await page.get_by_label("Not in the list? Find your city").fill("chica")
        await expect(page.locator("#time_zone-results button")).to_have_text(
            "Central Time — Chicago")
        await look("time-zone-search")
        await sign_up(page)
        await page.goto("/measures/take/?id=phq9")
        await wait_until_signed_in_page_is_ready(page)
        await expect(screen(page)).to_contain_text("Question 1 of 9")
        await screen(page).get_by_role("radio", name="Several days", exact=True).click()
        await expect(screen(page)).to_contain_text("Question 2 of 9")
        await look("check-up-step")
        await page.goto("/mindfulness/timer/")
        await wait_until_signed_in_page_is_ready(page)
        start = page.get_by_role("button", name="Start the timer")
        await expect(start).to_be_visible()
        box = await start.bounding_box()
        assert box and box["y"] + box["height"] <= LAPTOP["height"]  # above the fold
        await look("timer-start")
    finally:
        await context.close()
    save_screenshots(shots, scheme)
    assert found == {name: [] for name in found}
    assert small == {name: [] for name in small}
    assert widths == {name: LAPTOP["width"] for name in widths}
