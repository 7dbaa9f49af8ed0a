"""The patient's own diary card on a phone: chosen emotions, own items, sections."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from tests.browser.conftest import (
    close_section,
    fill_note,
    new_phone_context,
    open_section,
    open_skills,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_screenshots import LAPTOP, save_screenshots

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Two screens of a 390x844 phone: a typical day's card fits in them.
TYPICAL_DAY_HEIGHT_MAX = 2 * 845
TYPICAL_DAY_TAPS = 8
PAGE_HEIGHT = "document.documentElement.scrollHeight"

OPEN_SECTIONS = """() => Object.fromEntries([...document.querySelectorAll('details[data-section]')]
    .map((details) => [details.dataset.section, details.open]))"""


async def open_new_diary(page: Page) -> None:
    await page.goto("/journal/new/")
    await wait_until_signed_in_page_is_ready(page)


async def test_chosen_emotions_and_own_items_shape_the_card_and_the_grid(page: Page) -> None:
    await sign_up(page)
    await open_new_diary(page)
    await page.get_by_role("link", name="Choose the emotions and targets your card asks").click()
    await page.wait_for_url("**/journal/card/")
    form = page.locator("#card-settings")
    await expect(form.get_by_role("checkbox", name="Shame")).to_be_checked()
    await form.get_by_role("checkbox", name="Shame").uncheck()
    await form.get_by_role("checkbox", name="Guilt").uncheck()
    await form.get_by_label("Your own emotion 1").fill("Lonely")
    await form.get_by_label("Your own target 1").fill("Skipping meals")
    await form.get_by_role("button", name="Save my card").click()
    await expect(page.locator("#card-saved")).to_have_text(
        "Saved. Your next diary card asks these.")

    # The settings page shows what was saved when it opens again.
    await page.reload()
    await expect(form.get_by_label("Your own emotion 1")).to_have_value("Lonely")
    await expect(form.get_by_role("checkbox", name="Shame")).not_to_be_checked()

    await open_new_diary(page)
    await expect(page.get_by_role("radiogroup", name="Shame", exact=True)).to_have_count(0)
    await expect(page.get_by_role("radiogroup", name="Guilt", exact=True)).to_have_count(0)
    await expect(page.get_by_role("radiogroup", name="Sadness", exact=True)).to_be_visible()
    lonely = page.get_by_role("radiogroup", name="Lonely", exact=True)
    meals = page.get_by_role("radiogroup", name="Skipping meals", exact=True)
    await expect(lonely).to_have_accessible_description("0 = not at all, 5 = extremely")
    await expect(meals).to_have_accessible_description("0 = none, 5 = strongest")
    # Each own item is labelled once, not as a name field above its own scale.
    await expect(page.get_by_text("Lonely", exact=True)).to_have_count(1)
    await expect(page.get_by_text("Skipping meals", exact=True)).to_have_count(1)
    # And there is still a free row for one more today.
    await expect(page.get_by_role("textbox", name="Another emotion today (optional)")
                 ).to_be_visible()

    await page.get_by_label("5, Okay").check()
    await page.get_by_label("Lonely 3", exact=True).check()
    await page.get_by_label("Skipping meals 2", exact=True).check()
    await page.get_by_role("button", name="Save diary card").click()
    await expect(page.locator("#saved")).to_contain_text("Saved at")

    await page.goto("/journal/")
    grid = page.locator("table.week-grid")
    await open_section(page, "journal-grid")
    await expect(grid.locator("tr", has_text="Lonely")).to_contain_text("3")
    await expect(grid.locator("tr", has_text="Skipping meals")).to_contain_text("2")
    await expect(grid.locator("tr", has_text="Shame")).to_have_count(0)
    await expect(grid.locator("tr", has_text="Sadness")).to_have_count(1)


async def test_sections_stay_as_the_patient_left_them_and_open_with_an_answer(
        page: Page) -> None:
    await sign_up(page)
    await open_new_diary(page)
    sections = await page.evaluate(OPEN_SECTIONS)
    assert sections["urges"] and sections["emotions"]
    assert not sections["body"] and not sections["notes"]

    # The patient closes Emotions and opens the body section: kept after a reload.
    await page.locator("details[data-section='emotions'] > summary").click()
    await open_section(page, "body")
    await page.reload()
    await wait_until_signed_in_page_is_ready(page)
    sections = await page.evaluate(OPEN_SECTIONS)
    assert (sections["emotions"], sections["body"], sections["urges"]) == (False, True, True)

    # A ticked skill and a note typed on the phone open their sections after a reload,
    # even though the patient had them closed: restored answers are never hidden.
    await open_skills(page, "distress_tolerance")
    await page.get_by_role("checkbox", name="TIP", exact=True).check()
    await fill_note(page, "Walked it off.")
    await close_section(page, "skills")
    await close_section(page, "notes")
    sections = await page.evaluate(OPEN_SECTIONS)
    assert (sections["skills"], sections["notes"]) == (False, False)
    await page.reload()
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("#note")).to_be_visible()
    await expect(page.locator("#note")).to_have_value("Walked it off.")
    await expect(page.get_by_role("checkbox", name="TIP", exact=True)).to_be_visible()
    await expect(page.get_by_role("checkbox", name="TIP", exact=True)).to_be_checked()


def fold_line(page: Page, key: str) -> Locator:
    """What a fold's title says is filled in it."""
    return page.locator(f"details[data-section='{key}'] > summary [data-fold-summary]")


async def test_a_typical_day_takes_eight_taps_and_two_screens(page: Page) -> None:
    """Mood, two emotions, one urge, a skill used, save: each answer one tap, and opening
    the skills folds the sections already answered, each titled with what it holds."""
    await sign_up(page)
    await open_new_diary(page)
    taps: list[str] = []

    async def tap(target: Locator) -> None:
        # Named before the tap: after it the save button may already say "Saving".
        taps.append(await target.evaluate("(el) => el.getAttribute('aria-label') || "
                                          "el.textContent.trim()"))
        await target.tap()

    for choice in ("5, Okay", "Sadness 3", "Fear 2", "Urge: substance use 2"):
        await tap(page.get_by_label(choice, exact=True))
    skills_title = page.get_by_text("Skills I used", exact=True)
    await skills_title.scroll_into_view_if_needed()
    before = (await skills_title.bounding_box())["y"]
    await tap(skills_title)
    # The answered sections fold, saying what they hold; the tapped title stays put.
    sections = await page.evaluate(OPEN_SECTIONS)
    assert (sections["urges"], sections["emotions"]) == (False, False)
    await expect(fold_line(page, "urges")).to_have_text("Urge: substance use 2")
    await expect(fold_line(page, "emotions")).to_have_text("Sadness 3, Fear 2")
    assert abs((await skills_title.bounding_box())["y"] - before) <= 2
    await tap(page.get_by_text("Distress tolerance", exact=True))
    await tap(page.get_by_role("checkbox", name="TIP", exact=True))
    height = await page.evaluate(PAGE_HEIGHT)
    assert height <= TYPICAL_DAY_HEIGHT_MAX, f"{height} px"
    await tap(page.get_by_role("button", name="Save diary card"))
    await expect(page.locator("#saved")).to_contain_text("Saved at")
    assert len(taps) == TYPICAL_DAY_TAPS, taps
    # Folded to make room is not closed by the patient: the next card opens them again.
    await open_new_diary(page)
    sections = await page.evaluate(OPEN_SECTIONS)
    assert (sections["urges"], sections["emotions"], sections["skills"]) == (True, True, True)


async def test_each_fold_says_what_is_filled_and_scales_take_the_keyboard(page: Page) -> None:
    await sign_up(page)
    await open_new_diary(page)
    # Nothing filled: the titles say only their names.
    await expect(fold_line(page, "urges")).to_have_text("")
    await page.get_by_label("Urge: self-harm 1", exact=True).check()
    await page.locator("input[name='acted_self_harm']").check()
    await page.locator("#custom_urge_name_1").fill("Skipping meals")
    await page.get_by_label("another target 2", exact=True).check()
    await close_section(page, "urges")
    await expect(fold_line(page, "urges")).to_have_text(
        "Urge: self-harm 1 · acted on it, Skipping meals 2")

    # A scale is a radio group: the arrow keys move the answer.
    await page.get_by_label("Joy 0", exact=True).check()
    await page.keyboard.press("ArrowRight")
    await expect(page.get_by_label("Joy 1", exact=True)).to_be_checked()
    await page.get_by_role("button", name="Clear Joy").click()
    await page.get_by_label("Anger 4", exact=True).check()
    await close_section(page, "emotions")
    await expect(fold_line(page, "emotions")).to_have_text("Anger 4")

    await open_section(page, "body")
    await page.get_by_label("Hours of sleep").fill("7.5")
    await page.get_by_label("Took my medications as prescribed: yes").check()
    await close_section(page, "body")
    await expect(fold_line(page, "body")).to_have_text(
        "Took my medications as prescribed Yes, Hours of sleep 7.5")
    await fill_note(page, "A private thought.")
    await close_section(page, "notes")
    await expect(fold_line(page, "notes")).to_have_text("Notes")  # never the note itself

    # After a reload the restored draft fills the titles again.
    await page.reload()
    await wait_until_signed_in_page_is_ready(page)
    await close_section(page, "emotions")
    await expect(fold_line(page, "emotions")).to_have_text("Anger 4")


async def test_own_items_come_first_in_their_section(page: Page) -> None:
    await sign_up(page)
    await page.goto("/journal/card/")
    form = page.locator("#card-settings")
    await expect(form.get_by_role("checkbox", name="Shame")).to_be_checked()  # loaded
    await form.get_by_label("Your own emotion 1").fill("Lonely")
    await form.get_by_label("Your own target 1").fill("Skipping meals")
    await form.get_by_role("button", name="Save my card").click()
    await expect(page.locator("#card-saved")).to_contain_text("Saved.")
    await open_new_diary(page)
    for key, first, then in (("emotions", "Lonely", "Joy"),
                             ("urges", "Skipping meals", "Urge: suicide")):
        labels = page.locator(f"details[data-section='{key}'] .scale-label")
        await expect(page.get_by_text(first, exact=True)).to_have_count(1)
        await expect(labels.nth(0)).to_have_text(first)
        await expect(labels.nth(1)).to_have_text(then)


async def axe_on_the_whole_card(page: Page) -> list[str]:
    """axe on every part of the card at phone width: the viewport as tall as the page,
    so the sticky Save bar covers nothing (a tile half under it is a small target to
    axe's target-size, wherever the patient has scrolled to)."""
    height = await page.evaluate(PAGE_HEIGHT)
    await page.set_viewport_size({"width": 390, "height": height})
    try:
        return await axe_violations(page)
    finally:
        await page.set_viewport_size({"width": 390, "height": 844})


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_the_card_folded_and_open_has_no_axe_violations_and_44_px_targets(
        browser: Browser, scheme: str) -> None:
    context = await new_phone_context(browser, color_scheme=scheme)
    try:
        page = await context.new_page()
        await sign_up(page)
        await open_new_diary(page)
        found, small, shots = {}, {}, {}
        await page.get_by_label("Sadness 3", exact=True).check()
        await page.get_by_label("Urge: suicide 2", exact=True).check()
        await open_skills(page, "distress_tolerance")  # folds urges and emotions
        await page.get_by_role("checkbox", name="TIP", exact=True).check()
        await page.locator("details[data-section='urges']").evaluate(
            "(fold) => window.scrollTo(0, fold.getBoundingClientRect().top + scrollY - 72)")
        shots["diary-card-folded"] = await page.screenshot()
        found["folded"] = await axe_on_the_whole_card(page)
        small["folded"] = await page.evaluate(SMALL_TARGETS)
        # Every fold open at once (opening one by a tap folds the answered ones).
        await page.evaluate("document.querySelectorAll('details[data-section]')"
                            ".forEach((fold) => { fold.open = true; })")
        await page.locator("details[data-section='urges']").scroll_into_view_if_needed()
        shots["diary-card-open"] = await page.screenshot()
        found["open"] = await axe_on_the_whole_card(page)
        small["open"] = await page.evaluate(SMALL_TARGETS)
        # A checked tile looks checked, in both colour schemes.
        tile = page.get_by_label("Sadness 3", exact=True).locator("xpath=..")
        other = page.get_by_label("Sadness 2", exact=True).locator("xpath=..")
        style = "(el) => getComputedStyle(el).backgroundColor + getComputedStyle(el).boxShadow"
        assert await tile.evaluate(style) != await other.evaluate(style)
        await page.set_viewport_size(LAPTOP)
        await page.evaluate("window.scrollTo(0, 0)")
        shots["diary-card-open-desk"] = await page.screenshot()
        await close_section(page, "skills")
        for key in ("urges", "emotions", "body", "notes"):
            await close_section(page, key)
        shots["diary-card-folded-desk"] = await page.screenshot()
        save_screenshots(shots, scheme)
        assert found == {"folded": [], "open": []}
        assert small == {"folded": [], "open": []}
    finally:
        await context.close()
