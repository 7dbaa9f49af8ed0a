"""The safety plan is never empty when it is needed: a patient with none who opens
it gets a guided start that saves after its first step, the help page offers it,
and "Thoughts of hurting myself" on the Practice tab leads to it with 988 in view.
On a 390x844 phone (and 360 px for fit), light and dark for axe."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from skills_app.core.plans import NO_PLAN_YET, SAFETY_START
from tests.browser.conftest import (
    BASE_URL,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_safety import (
    controlled_by_the_service_worker,
    offline_page_plan,
    wait_until_help_knows_the_patient,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

QUESTIONS = [step.question for step in SAFETY_START]


def stored_plan(app_data: Path, email: str) -> dict | None:
    """The patient's safety plan as stored (None when there is none)."""
    with sqlite3.connect(app_data / "browser.db") as connection:
        row = connection.execute(
            "SELECT p.content, p.version FROM personal_plan p JOIN user_account u "
            "ON u.id = p.user_id WHERE u.email = ? AND p.kind = 'safety'", (email,)).fetchone()
    return None if row is None else {**json.loads(row[0]), "version": row[1]}


def step_box(page: Page, number: int):  # noqa: ANN201 (a Locator)
    return page.locator(f"#start-step-{number}")


def answer(page: Page, number: int):  # noqa: ANN201
    return page.get_by_role("textbox", name=QUESTIONS[number - 1])


async def open_plan(page: Page) -> None:
    await page.goto("/safety-plan/")
    await wait_until_signed_in_page_is_ready(page)


async def test_the_first_step_alone_saves_a_plan_that_a_reload_shows(
        page: Page, app_data: Path) -> None:
    email = await sign_up(page)
    await page.goto("/help/")
    await wait_until_help_knows_the_patient(page)
    offer = page.get_by_role("link", name=NO_PLAN_YET)
    await expect(offer).to_have_attribute("href", "/safety-plan/")
    await offer.click()
    await page.wait_for_url("**/safety-plan/")
    await wait_until_signed_in_page_is_ready(page)

    # One question, a big Save, 988 in view; nothing else to read first.
    await expect(step_box(page, 1)).to_be_visible()
    await expect(step_box(page, 1)).to_contain_text("Step 1 of 3")
    for number in (2, 3):
        await expect(step_box(page, number)).to_be_hidden()
    await expect(page.locator("#start-lifeline").get_by_role("link", name="Call 988")
                 ).to_have_attribute("href", "tel:988")
    await expect(page.locator("#start-lifeline").get_by_role("link", name="Text 988")
                 ).to_have_attribute("href", "sms:988")
    await expect(page.locator("#plan-edit")).not_to_have_attribute("open", "")
    save = page.get_by_role("button", name="Save and go on")
    box = await save.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300

    await answer(page, 1).fill("I stop answering texts")
    await save.click()
    await expect(step_box(page, 2)).to_be_visible()
    await expect(page.locator("#plan-saved")).to_contain_text("You have a safety plan now")
    await expect(page.locator("#start-step-2-title")).to_be_focused()
    plan = stored_plan(app_data, email)
    assert plan["warning_signs"] == ["I stop answering texts"] and plan["version"] == 1
    assert plan["professionals"][0] == {"name": "988 Suicide & Crisis Lifeline (call or text)",
                                        "phone": "988"}

    # The patient stops here (closes the app): the plan is there, with that step.
    await page.reload()
    await wait_until_signed_in_page_is_ready(page)
    read = page.locator("#plan-read")
    await expect(read).to_contain_text("I stop answering texts")
    await expect(read.get_by_role("link", name="Call 988 Suicide & Crisis Lifeline "
                                               "(call or text)")).to_have_attribute(
        "href", "tel:988")
    # A later visit: the plan as read, and one tap to go on where the start stopped.
    await page.goto("/today/")
    await wait_until_signed_in_page_is_ready(page)
    await page.wait_for_load_state("networkidle")
    await open_plan(page)
    await expect(read).to_contain_text("I stop answering texts")
    await expect(step_box(page, 2)).to_be_hidden()
    await page.get_by_role("button", name=f"Go on: {QUESTIONS[1]}").click()
    await expect(step_box(page, 2)).to_be_visible()
    await answer(page, 2).fill("Walk around the block")
    await page.get_by_role("button", name="Save and go on").click()
    await expect(step_box(page, 3)).to_be_visible()
    await step_box(page, 3).get_by_role("button", name="Stop here — my plan is saved").click()
    await expect(step_box(page, 3)).to_be_hidden()
    await expect(read).to_contain_text("Walk around the block")
    assert stored_plan(app_data, email)["version"] == 2

    # The help page now shows the plan, not the offer.
    await page.goto("/help/")
    await wait_until_help_knows_the_patient(page)
    await expect(page.locator("#safety-plan-copy")).to_contain_text("I stop answering texts")
    await expect(page.get_by_role("link", name=NO_PLAN_YET)).to_have_count(0)
    await expect(page.get_by_role("link", name="My safety plan")).to_be_visible()


async def test_a_step_sent_with_no_connection_is_saved_when_it_comes_back(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        email = await sign_up(page)
        await controlled_by_the_service_worker(page)
        await open_plan(page)
        await answer(page, 1).fill("Racing thoughts at night")
        await context.set_offline(True)
        await page.locator("#connection-banner").wait_for()
        await page.get_by_role("button", name="Save and go on").click()
        await expect(step_box(page, 1).locator("[data-draft-status]")).to_contain_text(
            "You're offline")
        assert stored_plan(app_data, email) is None
        await context.set_offline(False)
        await expect(step_box(page, 2)).to_be_visible(timeout=30_000)
        assert stored_plan(app_data, email)["warning_signs"] == ["Racing thoughts at night"]

        # Typing the next step when the phone drops off: the words stay on the phone,
        # the offline page shows the plan saved so far, the plan's own page opens from
        # the phone's copy (issue 22), and the step comes back filled in.
        await answer(page, 2).fill("Hold something cold")
        await context.set_offline(True)
        assert "Racing thoughts at night" in await offline_page_plan(context, page)
        await context.set_offline(True)
        await page.goto("/safety-plan/")
        await expect(page.get_by_role("heading", name="My safety plan")).to_be_visible()
        await expect(page.get_by_role("heading", name="You're offline")).to_have_count(0)
        await context.set_offline(False)
        await open_plan(page)
        await expect(step_box(page, 2)).to_be_visible()
        await expect(answer(page, 2)).to_have_value("Hold something cold")
        await page.get_by_role("button", name="Save and go on").click()
        await expect(step_box(page, 3)).to_be_visible()
        await step_box(page, 3).get_by_label("Name").fill("Sam")
        await step_box(page, 3).get_by_label("Phone number").fill("555-010-2000")
        await page.get_by_role("button", name="Save my plan").click()
        await expect(page.locator("#plan-saved")).to_contain_text("Saved")
        await expect(page.locator("#plan-read").get_by_role("link", name="Call Sam")
                     ).to_have_attribute("href", "tel:5550102000")
        plan = stored_plan(app_data, email)
        assert plan["on_my_own"] == ["Hold something cold"] and plan["version"] == 3
        assert plan["people_to_ask"] == [{"name": "Sam", "phone": "555-010-2000"}]
        # Nothing left unsent on the phone.
        assert await page.evaluate(
            "Object.keys(localStorage).filter(k => k.includes('.safety-start-'))") == []
    finally:
        await context.close()


async def test_a_bad_step_is_refused_with_a_message_and_the_words_kept(
        page: Page, app_data: Path) -> None:
    email = await sign_up(page)
    await open_plan(page)
    await page.get_by_role("button", name="Save and go on").click()
    await expect(page.locator("#start-warning_signs-error")).to_contain_text(
        "Please write one warning sign")
    assert stored_plan(app_data, email) is None
    # Far over the limit: refused in the page before sending, the text kept.
    await answer(page, 1).evaluate(
        "(el) => { el.value = 'x'.repeat(100000); el.dispatchEvent(new Event('input', "
        "{bubbles: true})); }")
    await page.get_by_role("button", name="Save and go on").click()
    await expect(page.locator("#start-warning_signs-client-error")).to_contain_text("too long")
    await expect(answer(page, 1)).to_have_value("x" * 100000)
    assert stored_plan(app_data, email) is None
    await answer(page, 1).fill("Can't sleep")
    await page.get_by_role("button", name="Save and go on").click()
    await expect(step_box(page, 2)).to_be_visible()
    await page.get_by_role("button", name="Save and go on").click()  # nothing typed
    await expect(page.locator("#start-on_my_own-error")).to_contain_text("one thing you can do")
    await step_box(page, 2).get_by_role("button", name="Stop here — my plan is saved").click()
    await page.get_by_role("button", name=f"Go on: {QUESTIONS[1]}").click()
    await answer(page, 2).fill("Music")
    await page.get_by_role("button", name="Save and go on").click()
    await step_box(page, 3).get_by_label("Name").fill("Sam")
    await step_box(page, 3).get_by_label("Phone number").fill("CALL-SAM")
    await page.get_by_role("button", name="Save my plan").click()
    await expect(page.locator("#start-people_to_ask-error")).to_contain_text("only numbers")
    await expect(step_box(page, 3).get_by_label("Name")).to_have_value("Sam")
    plan = stored_plan(app_data, email)
    assert plan["people_to_ask"] == [] and plan["version"] == 2


async def test_the_help_page_offers_the_start_only_to_a_patient_the_server_knows_has_none(
        browser: Browser) -> None:
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        await page.goto("/help/")
        await page.wait_for_load_state("networkidle")
        await expect(page.get_by_role("link", name=NO_PLAN_YET)).to_have_count(0)
        await sign_up(page)
        await controlled_by_the_service_worker(page)
        await page.goto("/help/")
        await wait_until_help_knows_the_patient(page)
        await expect(page.get_by_role("link", name=NO_PLAN_YET)).to_be_visible()
        # Offline the cached page knows nobody: it makes no claim about a plan.
        await context.set_offline(True)
        await page.reload()
        await expect(page.get_by_role("heading", name="Get help now")).to_be_visible()
        await expect(page.locator("#overdose-safety")).to_be_visible()
        await expect(page.get_by_role("link", name=NO_PLAN_YET)).to_have_count(0)
        await context.set_offline(False)
    finally:
        await context.close()


async def test_thoughts_of_hurting_myself_shows_988_and_opens_the_plan(page: Page) -> None:
    await sign_up(page)
    await page.goto("/practice/")
    await wait_until_signed_in_page_is_ready(page)
    item = page.locator("details.situation[data-situation='hurting_myself']")
    summary = item.locator("summary")
    await expect(summary).to_have_text("Thoughts of hurting myself")
    # First in the list.
    await expect(page.locator("details.situation").first).to_have_attribute(
        "data-situation", "hurting_myself")
    await summary.click()
    await expect(item.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    await expect(item.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")
    await expect(item).to_contain_text("Nobody sees this right away")
    # No exercises here.
    await expect(item.locator("a[href^='/practice/do/']")).to_have_count(0)
    await item.get_by_role("link", name="Open my safety plan").click()
    await page.wait_for_url("**/safety-plan/")
    await wait_until_signed_in_page_is_ready(page)
    await expect(step_box(page, 1)).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_the_start_fits_360_px_with_44_px_targets_and_no_axe_violations(
        browser: Browser, scheme: str) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740},
                                        base_url=BASE_URL, reduced_motion="reduce",
                                        color_scheme=scheme)
    try:
        page = await context.new_page()
        overflow, small, axe = {}, {}, {}

        async def measure(label: str) -> None:
            await page.wait_for_load_state("networkidle")
            overflow[label] = await page.evaluate("document.documentElement.scrollWidth")
            small[label] = await page.evaluate(SMALL_TARGETS)
            axe[label] = await axe_violations(page)

        await sign_up(page)
        await page.goto("/help/")
        await wait_until_help_knows_the_patient(page)
        await measure("/help/ (no plan yet)")
        await open_plan(page)
        await measure("step 1")
        await answer(page, 1).fill("A" * 300)  # a long unbroken line
        await page.get_by_role("button", name="Save and go on").click()
        await expect(step_box(page, 2)).to_be_visible()
        await measure("step 2, with the plan so far")
        await answer(page, 2).fill("Music")
        await page.get_by_role("button", name="Save and go on").click()
        await expect(step_box(page, 3)).to_be_visible()
        await measure("step 3")
        await step_box(page, 3).get_by_role("button", name="Stop here — my plan is saved").click()
        await expect(page.locator("#start-go-on")).to_be_visible()
        await measure("stopped, with the way to go on")
        await page.goto("/practice/")
        await wait_until_signed_in_page_is_ready(page)
        await page.locator("details[data-situation='hurting_myself'] summary").click()
        await measure("/practice/ (thoughts of hurting myself)")
    finally:
        await context.close()
    assert overflow == {label: 360 for label in overflow}
    assert small == {label: [] for label in small}
    assert axe == {label: [] for label in axe}
