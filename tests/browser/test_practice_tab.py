"""The Practice tab and Today's practice card, on a 390x844 phone."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import (
    BASE_URL,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_today import LAYOUT_SHIFTS

pytestmark = pytest.mark.asyncio(loop_scope="session")

SITUATIONS = ("A hard conversation is coming", "I have an urge to use",
              "I feel overwhelmed right now", "I can't sleep", "I'm angry at someone")
VISIBLE_CARDS = "main [data-search]:not([hidden])"


async def open_practice(page: Page) -> None:
    await page.goto("/practice/")
    await wait_until_signed_in_page_is_ready(page)
    await page.wait_for_load_state("networkidle")


async def test_each_situation_leads_to_two_or_three_exercises(page: Page) -> None:
    await sign_up(page)
    await open_practice(page)
    for label in SITUATIONS:
        await page.locator("summary", has_text=label).click()
        situation = page.locator("details.situation", has=page.locator("summary",
                                                                         has_text=label))
        links = situation.get_by_role("link")
        await expect(links.first).to_be_visible()
        count = await links.count()
        assert 2 <= count <= 3, (label, count)
        for href in await links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            assert href.startswith("/practice/do/?id="), href
    await page.locator("summary", has_text="I can't sleep").click()  # closed again
    sleep = page.locator("details.situation[data-situation='cant_sleep']")
    await sleep.locator("summary").click()
    await expect(sleep.get_by_role("link", name="Paced breathing")).to_be_visible()


async def test_search_finds_exercises_by_name_and_by_situation(page: Page) -> None:
    await sign_up(page)
    await open_practice(page)
    search = page.get_by_label("Search exercises")
    total = await page.locator(VISIBLE_CARDS).count()
    assert total == 30 + 7  # the exercises, and the Mindfulness section's pacer, timer and 5

    await search.fill("dear man")
    await expect(page.locator(VISIBLE_CARDS)).to_have_count(1)
    await expect(page.locator(VISIBLE_CARDS)).to_contain_text("DEAR MAN")
    # Sections left without a match fold away; the one with it stays.
    await expect(page.locator("#module-distress_tolerance")).to_be_hidden()
    await expect(page.locator("#module-interpersonal_effectiveness")).to_be_visible()

    await search.fill("cant sleep")  # a situation's words, typed the quick way
    titles = await page.locator(f"{VISIBLE_CARDS} .exercise-title").all_inner_texts()
    assert sorted(titles) == ["Paced breathing", "Self-soothe with your five senses"]

    await search.fill("urge to use")
    titles = await page.locator(f"{VISIBLE_CARDS} .exercise-title").all_inner_texts()
    assert "Urge surfing" in titles and "HALT check: hungry, angry, lonely, tired?" in titles

    await search.fill("wise mind")
    # The mindfulness module's exercise sits in the one Mindfulness section, by the timers.
    await expect(page.locator("#mindfulness .exercise-title").filter(
        has_text="Wise mind: find what you know deep down")).to_be_visible()
    await expect(page.get_by_role("heading", name="Mindfulness", exact=True)).to_have_count(1)

    await search.fill("zebra")
    await expect(page.locator(VISIBLE_CARDS)).to_have_count(0)
    await expect(page.locator("#practice-no-match")).to_be_visible()
    await expect(page.locator("#practice-no-match")).to_contain_text("Nothing matches")

    await search.fill("")
    await expect(page.locator(VISIBLE_CARDS)).to_have_count(total)
    await expect(page.locator("#practice-no-match")).to_be_hidden()


async def test_a_starred_exercise_is_a_favourite_after_a_reload(page: Page) -> None:
    await sign_up(page)
    await open_practice(page)
    await expect(page.locator("#favourites")).to_have_count(0)
    star = page.locator("#module-distress_tolerance").get_by_role(
        "button", name="Save to favourites: Urge surfing")
    await expect(star).to_have_attribute("aria-pressed", "false")
    await star.click()
    await expect(star).to_have_attribute("aria-pressed", "true")
    favourites = page.locator("#favourites")
    await expect(favourites.locator(".exercise-title")).to_have_text(["Urge surfing"])
    assert await favourites.get_by_role("link").first.get_attribute("href") == (
        "/practice/do/?id=urge-surfing")

    await page.reload()
    await wait_until_signed_in_page_is_ready(page)
    await expect(favourites.locator(".exercise-title")).to_have_text(["Urge surfing"])
    await expect(star).to_have_attribute("aria-pressed", "true")

    # Unstarred from the favourites section itself: the section goes away.
    await favourites.get_by_role("button", name="Save to favourites: Urge surfing").click()
    await expect(favourites).to_have_count(0)
    await expect(star).to_have_attribute("aria-pressed", "false")


async def test_today_shows_the_plan_and_the_weekly_line(page: Page) -> None:
    await sign_up(page)
    await wait_until_signed_in_page_is_ready(page)
    card = page.locator("#todays-practice")
    links = card.locator("a.plan-link")
    await expect(links.first).to_be_visible()
    assert 1 <= await links.count() <= 3
    for href in await links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert href.startswith("/practice/do/?id="), href
    await expect(card.locator(".week-line")).to_have_text(
        "A few minutes of practice can help. Pick one when you're ready.")
    # The same plan after a reload (one plan all day).
    first = await links.all_inner_texts()
    await page.reload()
    await expect(links.first).to_be_visible()
    assert await links.all_inner_texts() == first


async def test_todays_plan_arrives_without_moving_anything(browser: Browser) -> None:
    """A phone tall enough to show the whole of Today, so every shift is seen."""
    context = await browser.new_context(viewport={"width": 390, "height": 2000},
                                        base_url=BASE_URL)
    try:
        page = await context.new_page()
        await sign_up(page)
        await page.reload()
        await page.locator("#todays-practice a.plan-link").first.wait_for()
        await expect(page.locator("#todays-practice .week-line")).not_to_be_empty()
        shifts = await page.evaluate(LAYOUT_SHIFTS)
    finally:
        await context.close()
    # None at all: on so tall a screen even a real jump scores under test_today's 0.01.
    assert shifts == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_no_axe_violations_on_practice_and_today(browser: Browser, scheme: str) -> None:
    context = await new_phone_context(browser, color_scheme=scheme)
    try:
        page = await context.new_page()
        await sign_up(page)
        found = {}
        await wait_until_signed_in_page_is_ready(page)
        await page.locator("#todays-practice a.plan-link").first.wait_for()
        found["/today/"] = await axe_violations(page)
        await open_practice(page)
        await page.locator("#module-recovery").get_by_role(
            "button", name="Save to favourites: Play the tape through").click()
        await page.locator("#favourites").wait_for()
        await page.locator("summary", has_text="I have an urge to use").click()
        found["/practice/ (a situation open, a favourite)"] = await axe_violations(page)
        await page.get_by_label("Search exercises").fill("nothing like this")
        await page.locator("#practice-no-match").wait_for()
        found["/practice/ (nothing matches)"] = await axe_violations(page)
    finally:
        await context.close()
    assert found == {label: [] for label in found}


async def test_practice_and_today_fit_360_px_with_44_px_targets(browser: Browser) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740},
                                        base_url=BASE_URL, reduced_motion="reduce")
    try:
        page = await context.new_page()
        await sign_up(page)
        await wait_until_signed_in_page_is_ready(page)
        await page.locator("#todays-practice a.plan-link").first.wait_for()
        overflow = {"/today/": await page.evaluate("document.documentElement.scrollWidth")}
        small = {"/today/": await page.evaluate(SMALL_TARGETS)}
        await open_practice(page)
        await page.locator("#module-emotion_regulation").get_by_role(
            "button", name="Save to favourites: Opposite action").click()
        await page.locator("#favourites").wait_for()
        for situation in await page.locator("details.situation summary").all():
            await situation.click()
        overflow["/practice/"] = await page.evaluate("document.documentElement.scrollWidth")
        small["/practice/"] = await page.evaluate(SMALL_TARGETS)
    finally:
        await context.close()
    assert overflow == {label: 360 for label in overflow}
    assert small == {label: [] for label in small}
