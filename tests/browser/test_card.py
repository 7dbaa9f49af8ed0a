"""The patient's own diary card on a phone: chosen emotions, own items, sections."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import (
    fill_note,
    open_section,
    sign_up,
    wait_until_signed_in_page_is_ready,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

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
    await open_section(page, "skills")
    await page.get_by_role("checkbox", name="TIP", exact=True).check()
    await fill_note(page, "Walked it off.")
    await page.locator("details[data-section='skills'] > summary").click()
    await page.locator("details[data-section='notes'] > summary").click()
    await page.reload()
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("#note")).to_be_visible()
    await expect(page.locator("#note")).to_have_value("Walked it off.")
    await expect(page.get_by_role("checkbox", name="TIP", exact=True)).to_be_visible()
    await expect(page.get_by_role("checkbox", name="TIP", exact=True)).to_be_checked()
