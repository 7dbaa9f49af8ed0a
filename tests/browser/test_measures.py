"""Check-ups on a phone: PHQ-9 one question per screen, told before item 9, the
safety panel after item 9 "Several days" online and offline, Today's card, the
history with its chart and table, the FHIR download, axe, 360 px, screenshots."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from skills_app.content.crisis import NOBODY_WATCHES
from skills_app.content.measures import GAD7, PHQ9
from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.browser.test_raw_websocket import call_event, http_sign_up

pytestmark = pytest.mark.asyncio(loop_scope="session")


def results(app_data: Path, email: str) -> list[tuple]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        return connection.execute(
            "SELECT m.questionnaire, m.answers, m.total, m.band, m.item9 FROM measure_result m "
            "JOIN user_account u ON u.id = m.user_id WHERE u.email = ? ORDER BY m.id",
            (email,)).fetchall()


def risk_events(app_data: Path, email: str) -> list[tuple]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        return connection.execute(
            "SELECT r.source, r.prompt FROM risk_event r JOIN user_account u "
            "ON u.id = r.user_id WHERE u.email = ? ORDER BY r.id", (email,)).fetchall()


def screen(page: Page):  # noqa: ANN201 (a Playwright locator)
    return page.locator("#measure-form section[data-screen][data-current]")


async def open_measure(page: Page, questionnaire: str) -> None:
    await page.goto(f"/measures/take/?id={questionnaire}")
    await wait_until_signed_in_page_is_ready(page)
    await expect(screen(page)).to_be_visible()


async def next_screen(page: Page) -> None:
    await screen(page).get_by_role("button", name="Next").click()


async def answer(page: Page, answers: list[str], *, upto: int | None = None) -> None:
    """From the first question, tap each answer by its words: each step moves on by
    itself (one tap per question)."""
    for number, words in enumerate(answers[:upto], 1):
        await expect(screen(page)).to_contain_text(f"Question {number} of {len(answers)}")
        await screen(page).get_by_role("radio", name=words, exact=True).check()
    await expect(screen(page)).not_to_contain_text(
        f"Question {len(answers[:upto])} of {len(answers)}")


ITEM_9_SEVERAL_DAYS = ["Not at all"] * 8 + ["Several days"]


async def check_risk_panel(page: Page) -> None:
    panel = page.locator("#risk-prompt")
    await expect(panel).to_be_visible()
    await expect(panel.get_by_role("link", name="Open my safety plan")).to_have_attribute(
        "href", "/safety-plan/")
    await expect(panel.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    await expect(panel.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    await expect(panel).to_contain_text(NOBODY_WATCHES)


async def test_phq9_step_by_step_told_before_item_9_and_the_safety_panel_at_once(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        # Both are due for a new patient: Today says so.
        await expect(page.locator("#today-measures")).to_contain_text("Mood check (PHQ-9)")
        await expect(page.locator("#today-nobody-watches")).to_have_text(NOBODY_WATCHES)
        await page.locator("#today-measures").get_by_role(
            "link", name="Mood check (PHQ-9)").click()
        await page.wait_for_url("**/measures/take/?id=phq9")
        await wait_until_signed_in_page_is_ready(page)
        await expect(page.locator("main")).to_contain_text(NOBODY_WATCHES)
        await expect(page.locator("#risk-prompt")).to_be_hidden()
        # The first question's screen says what the check-up is: no screen of its own.
        await expect(screen(page)).to_contain_text("There are 9 questions")
        await expect(screen(page)).to_contain_text("Question 1 of 9")
        await expect(screen(page)).to_contain_text(PHQ9.stem)
        await expect(screen(page)).to_contain_text(PHQ9.items[0])
        # Next without an answer: said kindly, and nothing moves.
        await next_screen(page)
        await expect(screen(page)).to_contain_text("Please pick an answer to go on.")
        await expect(screen(page)).to_contain_text("Question 1 of 9")
        await page.goto("/today/")  # leaving and coming back keeps the answers so far
        await open_measure(page, "phq9")
        await answer(page, ITEM_9_SEVERAL_DAYS, upto=8)
        # Item 9's screen says, above the question, what happens with the answer.
        await expect(screen(page)).to_contain_text("Question 9 of 9")
        note = screen(page).locator("#before-item-9")
        await expect(note).to_contain_text("not watched live")
        await expect(note).to_contain_text("safety plan")
        assert await note.evaluate("(n) => n.compareDocumentPosition("
                                   "document.getElementById('phq9-item-9')) & 4") == 4
        await screen(page).get_by_role("radio", name="Several days", exact=True).check()
        await expect(screen(page)).to_contain_text(PHQ9.follow_up)
        await page.get_by_role("button", name="Finish").click()
        await check_risk_panel(page)
        await expect(page.locator("#risk-prompt")).to_be_focused()
        (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=ARTIFACTS / "screenshots" / "measure-risk-prompt.png")
        await expect(page.locator("#measure-score")).to_have_text("Your score: 1 out of 27")
        await expect(page.locator("#measure-band")).to_contain_text("Minimal")
        assert results(app_data, email) == [("phq9", "[0, 0, 0, 0, 0, 0, 0, 0, 1]", 1,
                                             "minimal", 1)]
        assert risk_events(app_data, email) == [("phq9", "crisis")]
        assert await page.evaluate("Object.keys(localStorage).filter(k => "
                                   "k.startsWith('skills.draft.')).length") == 0
        # A reload shows the panel from the server's answer... the result is saved:
        # the history has it, and Today now asks only for the GAD-7.
        await page.goto("/today/")
        await expect(page.locator("#today-measures")).to_contain_text("Anxiety check (GAD-7)")
        await expect(page.locator("#today-measures")).not_to_contain_text("PHQ-9")
    finally:
        await context.close()


async def test_item_9_several_days_offline_shows_the_safety_panel_and_saves_once_back(
        browser: Browser, app_data: Path) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        await open_measure(page, "phq9")
        await answer(page, ITEM_9_SEVERAL_DAYS)
        await context.set_offline(True)
        await page.get_by_role("button", name="Finish").click()
        await check_risk_panel(page)
        await expect(page.locator("[data-draft-status]")).to_contain_text("offline")
        assert results(app_data, email) == []
        await context.set_offline(False)
        await expect(page.locator("#measure-score")).to_have_text("Your score: 1 out of 27",
                                                                  timeout=30_000)
        await check_risk_panel(page)
        assert [row[2] for row in results(app_data, email)] == [1]
        assert risk_events(app_data, email) == [("phq9", "crisis")]
    finally:
        await context.close()


@pytest.mark.parametrize("offline", [False, True])
async def test_phq9_from_start_to_score_in_10_taps(browser: Browser, app_data: Path,
                                                   offline: bool) -> None:
    """Each answer moves on by itself: 9 taps and Finish, online and offline (the score
    arrives when the phone is back online, stored once)."""
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        await open_measure(page, "phq9")
        await page.evaluate("window.__taps = 0; document.addEventListener('pointerdown', "
                            "() => { window.__taps += 1; }, true)")
        if offline:
            await context.set_offline(True)
        else:  # the first question, with what the check-up is above it
            (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=ARTIFACTS / "screenshots" / "measure-first-question.png",
                                  full_page=True)
        for number in range(1, 10):
            await expect(screen(page)).to_contain_text(f"Question {number} of 9")
            await screen(page).get_by_role("radio", name="Several days", exact=True).tap()
        await expect(screen(page)).to_contain_text(PHQ9.follow_up)
        await page.get_by_role("button", name="Finish").tap()
        assert await page.evaluate("window.__taps") == 10
        if offline:
            await check_risk_panel(page)
            await context.set_offline(False)
        await expect(page.locator("#measure-score")).to_have_text("Your score: 9 out of 27",
                                                                  timeout=30_000)
        assert [row[2] for row in results(app_data, email)] == [9]
    finally:
        await context.close()


async def test_not_at_all_on_item_9_shows_no_panel(page: Page, app_data: Path) -> None:
    email = await sign_up(page)
    await open_measure(page, "phq9")
    await answer(page, ["Nearly every day"] * 8 + ["Not at all"])
    await page.get_by_role("button", name="Finish").click()
    await expect(page.locator("#measure-score")).to_have_text("Your score: 24 out of 27")
    await expect(page.locator("#measure-band")).to_contain_text("Severe")
    await expect(page.locator("#risk-prompt")).to_be_hidden()
    assert risk_events(app_data, email) == []


async def test_history_chart_table_and_fhir_download(page: Page) -> None:
    await sign_up(page, name="Robin")
    for words in (["More than half the days"] * 7, ["Several days"] * 7):
        await open_measure(page, "gad7")
        await answer(page, words)
        await page.get_by_role("button", name="Finish").click()
        await expect(page.locator("#measure-score")).to_be_visible()
        await page.get_by_role("link", name="See your check-ups").click()
        await page.wait_for_url("**/measures/")
        # Loaded, so opening the GAD-7 again is a new visit, not a reconnect.
        await expect(page.locator("#measure-due")).to_be_visible()
    gad7 = page.locator("#gad7-results")
    await expect(gad7.locator("tbody tr")).to_have_count(2)
    await expect(gad7.locator("tbody tr").first).to_contain_text("7 of 21")
    await expect(gad7.locator("tbody tr").first).to_contain_text("Mild")
    await expect(gad7.locator("tbody tr").nth(1)).to_contain_text("14 of 21")
    # The chart: a line through both results over the four bands' shading.
    await expect(gad7.locator(".band-area")).to_have_count(len(GAD7.bands))
    await expect(gad7.locator("circle.chart-dot")).to_have_count(2)
    await expect(page.locator("#phq9-results")).to_contain_text("No results yet.")
    # The drawing is no keyboard stop (the table is the way to read the scores).
    surface = gad7.locator("svg.svg-chart")
    assert await surface.get_attribute("tabindex") is None
    await expect(surface.locator("title")).to_have_text("Chart of your GAD-7 scores over time")
    due = page.locator("#measure-due")
    await expect(due).to_contain_text("Next one from")
    # The download is the patient's own FHIR bundle.
    response = await page.request.get(f"{BASE_URL}/measures/export/fhir.json")
    assert response.status == 200
    bundle = json.loads(await response.text())
    totals = [e["resource"]["valueInteger"] for e in bundle["entry"]
              if e["resource"]["resourceType"] == "Observation"]
    assert totals == [14, 7]
    assert {c["code"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
            for c in e["resource"]["code"]["coding"]} == {"70274-6"}
    async with page.expect_download() as download:
        await page.get_by_role("link", name="Download results (FHIR)").click()
    assert (await download.value).suggested_filename == "check-ups-fhir.json"


async def test_an_unknown_questionnaire_is_said_kindly(page: Page) -> None:
    await sign_up(page)
    for forged in ("phq10", "<script>", ""):
        await page.goto(f"/measures/take/?id={forged}")
        await expect(page.locator("#measure-not-found")).to_contain_text(
            "We couldn't find that check-up")
        await expect(page.locator("#measure-form")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_every_check_up_screen_passes_axe_with_44_px_targets(browser: Browser,
                                                                   scheme: str) -> None:
    context = await new_phone_context(browser, color_scheme=scheme)
    try:
        page = await context.new_page()
        await sign_up(page)
        found: dict[str, list] = {}
        small: dict[str, list] = {}

        async def check(where: str) -> None:
            found[where] = await axe_violations(page)
            small[where] = await page.evaluate(SMALL_TARGETS)

        await expect(page.locator("#today-measures")).to_be_visible()
        await check("today with the card")
        await page.goto("/measures/")
        await expect(page.locator("#measure-due")).to_be_visible()
        await check("check-ups, empty")
        await open_measure(page, "phq9")
        await check("intro")
        await answer(page, ITEM_9_SEVERAL_DAYS, upto=8)
        await check("item 9 with its note")
        await screen(page).get_by_role("radio", name="Several days", exact=True).check()
        await check("closing with the follow-up")
        await page.get_by_role("button", name="Finish").click()
        await expect(page.locator("#measure-score")).to_be_visible()
        await check("result with the safety panel")
        await open_measure(page, "gad7")
        await answer(page, ["Several days"] * 7)
        await page.get_by_role("button", name="Finish").click()
        await expect(page.locator("#measure-score")).to_be_visible()
        await page.goto("/measures/")
        await expect(page.locator("#gad7-results .band-area")).to_have_count(4)
        await check("check-ups with history")
        await page.goto("/measures/take/?id=nothing")
        await expect(page.locator("#measure-not-found")).to_be_visible()
        await check("unknown")
        assert {k: v for k, v in found.items() if v} == {}
        assert {k: v for k, v in small.items() if v} == {}
    finally:
        await context.close()


async def test_no_check_up_screen_is_wider_than_a_360_px_phone(browser: Browser) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740},
                                        base_url=BASE_URL, is_mobile=True, has_touch=True)
    try:
        page = await context.new_page()
        await sign_up(page)
        wide = []

        async def measure(where: str) -> None:
            if await page.evaluate("document.documentElement.scrollWidth") > 360:
                wide.append(where)

        await measure("today")
        await open_measure(page, "phq9")
        await measure("intro")
        await answer(page, ITEM_9_SEVERAL_DAYS, upto=8)
        await measure("item 9")
        await screen(page).get_by_role("radio", name="Several days", exact=True).check()
        await measure("closing")
        await page.get_by_role("button", name="Finish").click()
        await expect(page.locator("#measure-score")).to_be_visible()
        await measure("result")
        await page.goto("/measures/")
        await expect(page.locator("#phq9-results .band-area")).to_have_count(5)
        await measure("check-ups")
        assert wide == []
    finally:
        await context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_screenshots_of_a_phq9_step_and_the_history(browser: Browser, scheme: str) -> None:
    """In test-artifacts/screenshots/ on every run, and docs/screenshots/ with
    UPDATE_SCREENSHOTS=1."""
    folders = [ARTIFACTS / "screenshots"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folders.append(Path(__file__).resolve().parents[2] / "docs" / "screenshots")
    context = await new_phone_context(browser, color_scheme=scheme,
                                      timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        await sign_up(page)
        await page.locator("#today-measures").scroll_into_view_if_needed()
        (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=ARTIFACTS / "screenshots" / f"today-measures-{scheme}.png")
        for words in (["Several days"] * 9, ["More than half the days"] * 4 + ["Not at all"] * 5):
            await open_measure(page, "phq9")
            await answer(page, words)
            await page.get_by_role("button", name="Finish").click()
            await expect(page.locator("#measure-score")).to_be_visible()
            await page.goto("/measures/")
            await expect(page.locator("#measure-due")).to_be_visible()
        await open_measure(page, "phq9")
        await answer(page, ["Several days", "Not at all"] + ["Not at all"] * 7, upto=2)
        # Picked from the keyboard, so the step stays for its picture.
        await screen(page).get_by_role("radio", name="More than half the days").focus()
        await page.keyboard.press("Space")
        await page.evaluate("document.activeElement.blur()")
        shots = {"measure-step": await page.screenshot()}
        await page.goto("/measures/")
        await expect(page.locator("#phq9-results circle.chart-dot")).to_have_count(2)
        await page.locator("#phq9-results").evaluate(
            "(e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 72)")
        shots["measure-history"] = await page.screenshot()
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            for name, image in shots.items():
                (folder / f"{name}-{scheme}.png").write_bytes(image)
    finally:
        await context.close()


TAKE_STATE = ("reflex___state____state.skills_app___state___session____session_state"
              ".skills_app___state___measures____measure_take_state")


@pytest.mark.parametrize(("fields", "message"), [
    ({"item_3": "7"}, "Please pick one of the four answers for question 3."),
    ({"item_3": "-1"}, "Please pick one of the four answers for question 3."),
    ({"item_9": None}, "Please answer question 9 before you finish."),
    ({"questionnaire": "phq10"}, "We couldn't find that questionnaire."),
    ({"questionnaire": "gad7"}, "Something went wrong with this questionnaire."),
])
async def test_raw_socket_calls_with_bad_answers_are_refused_with_a_message(
        app_server: str, app_data: Path, fields: dict, message: str) -> None:
    email, token = http_sign_up("Raw")
    form = {"idempotency_key": str(uuid.uuid4()), "questionnaire": "phq9", "difficulty": "3",
            **{f"item_{n}": "1" for n in range(1, 10)}, **fields}
    frames = "".join(await call_event(f"{TAKE_STATE}.finish", {"form_data": form}, token,
                                      path="/measures/take/"))
    assert message in frames and "notSaved" in frames
    assert results(app_data, email) == [] and risk_events(app_data, email) == []
    # Without a session: sent to sign in, nothing stored.
    frames = "".join(await call_event(f"{TAKE_STATE}.finish", {"form_data": form}, None,
                                      path="/measures/take/"))
    assert "/signin/" in frames and results(app_data, email) == []


async def test_a_spanish_patient_takes_the_gad7_in_english_with_everything_else_in_spanish(
        browser: Browser, app_data: Path) -> None:
    """No validated Spanish wording yet: the GAD-7's own words stay English (lang="en"),
    under a one-line Spanish note; buttons, steps, the score and its meaning are Spanish."""
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        with sqlite3.connect(app_data / "browser.db") as connection:
            connection.execute("UPDATE user_account SET language = 'es' WHERE email = ?",
                               (email,))
        await page.goto("/es/measures/take/?id=gad7")
        await wait_until_signed_in_page_is_ready(page)
        await expect(screen(page)).to_be_visible()
        await expect(screen(page).locator("[data-measure-language-note]")).to_have_text(
            "Este cuestionario está en inglés por ahora. Sus preguntas tienen una versión "
            "validada en español que aún no tenemos.")
        await expect(screen(page)).to_contain_text("Hay 7 preguntas")
        await expect(screen(page)).to_contain_text("Pregunta 1 de 7")
        item = screen(page).locator("#gad7-item-1")
        await expect(item).to_have_text(GAD7.items[0])
        await expect(item).to_have_attribute("lang", "en")
        await screen(page).get_by_role("button", name="Siguiente").click()
        await expect(screen(page)).to_contain_text("Elige una respuesta para seguir.")
        (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=ARTIFACTS / "screenshots" / "measure-gad7-es.png")
        for number in range(1, 8):
            await expect(screen(page)).to_contain_text(f"Pregunta {number} de 7")
            await screen(page).get_by_role("radio", name="Several days", exact=True).check()
        await page.get_by_role("button", name="Terminar").click()
        await expect(page.locator("#measure-score")).to_have_text("Tu puntaje: 7 de 21")
        await expect(page.locator("#measure-band")).to_contain_text("Leve")
        await expect(page.locator("#measure-band")).to_contain_text(
            "Algunas señales. Pon atención a cómo te sientes.")
        await page.screenshot(path=ARTIFACTS / "screenshots" / "measure-result-es.png")
        assert results(app_data, email) == [("gad7", "[1, 1, 1, 1, 1, 1, 1]", 7, "mild", None)]
    finally:
        await context.close()
