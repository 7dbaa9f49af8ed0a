"""The therapist's side of homework in a real browser, at 390x844 and 1280x800.

A therapist assigns DEAR MAN on two weekdays (today's one of them, so it is due
today) and the diary card every day to a patient sharing mood and exercises,
and sees them listed. A finished DEAR MAN is then stored through the practice
core (distress 6 -> 3): the caseload row says "Homework 1 of 2 this week", the
detail shows the distress change, and the printable summary has the week's
homework. axe-core checks the assign form, the caseload and the report; the
assign form, the caseload row and the report page are photographed into
test-artifacts/screenshots/ (and /work/brief/shots/ when that folder exists).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from skills_app.core.dates import local_today
from tests.browser.conftest import ARTIFACTS, sign_up
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_sharing_journey import app_patient, new_context, no_overflow
from tests.sharing_helpers import finished_exercise

pytestmark = pytest.mark.asyncio(loop_scope="session")

SHOTS = [ARTIFACTS / "screenshots", Path("/work/brief/shots")]
ZONE = "America/Chicago"
SHARED = ("mood", "exercises")


async def shot(page: Page, name: str, viewport: str, *, full_page: bool = False,
               part: str = "") -> None:
    """The page (or the element `part`) as a PNG."""
    await page.wait_for_load_state("networkidle")
    image = await (page.locator(part).screenshot() if part
                   else page.screenshot(full_page=full_page))
    for folder in SHOTS:
        if folder.parent.exists():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"therapist-homework-{name}-{viewport}.png").write_bytes(image)


def seed_finished_dear_man(app_data: Path, email: str) -> None:
    """A DEAR MAN finished today through the practice core, on the test server's database."""
    with app_patient(app_data, email) as patient:
        finished_exercise(patient, "dear-man", ZONE)


async def connect(therapist: Page, patient: Page, shared: tuple[str, ...] = SHARED, *,
                  name: str = "Riley") -> str:
    """The patient (called `name`) signs up and shares `shared` (mood and exercises)
    with the therapist."""
    await therapist.get_by_role("button", name="Show a connect code").click()
    code = (await therapist.locator("#connect-code").inner_text()).strip()
    email = await sign_up(patient, name=name)
    await patient.goto("/sharing/")
    await patient.get_by_label("Code from your therapist").fill(code)
    await patient.get_by_role("button", name="Continue").click()
    await patient.locator("#choose-form").wait_for()
    for box in await patient.locator("#choose-form input[type=checkbox]").all():
        field = await box.get_attribute("name")
        if (field.removeprefix("share_") in shared) != await box.is_checked():
            await box.click()
    await patient.get_by_role("button", name="Continue to consent").click()
    await patient.get_by_label("Type your name to sign").fill(name)
    await patient.get_by_role("button", name="Sign and share").click()
    await patient.get_by_text("Signed. You now share with").wait_for()
    await therapist.get_by_role("button", name="Hide code").click()  # ready for the next one
    await therapist.locator("#show-code").wait_for()
    return email


@pytest.mark.parametrize(("viewport", "scheme"), [("phone", "light"), ("laptop", "dark")])
async def test_assign_then_see_it_done_on_the_caseload_and_the_detail(
        browser: Browser, app_data: Path, viewport: str, scheme: str) -> None:
    therapist_ctx = await new_context(browser, viewport, scheme)
    patient_ctx = await new_context(browser, viewport, scheme)
    axe: dict[str, list[str]] = {}
    try:
        therapist = await therapist_ctx.new_page()
        await sign_up(therapist, name="Dr. Lee", role="therapist")
        patient = await patient_ctx.new_page()
        email = await connect(therapist, patient)

        await therapist.goto("/patients/")
        row = therapist.locator("#caseload > tbody > tr").filter(has_text="Riley")
        await row.wait_for()
        assert "Homework" not in await row.inner_text()  # nothing assigned yet
        await row.get_by_role("link").click()
        await therapist.locator("#homework").wait_for()

        # DEAR MAN on today's weekday and two days later: found by searching.
        today = local_today(ZONE).weekday()
        await therapist.get_by_role("button", name="Assign homework").click()
        form = therapist.locator("#assign-form")
        await form.wait_for()
        await form.get_by_label("Find an exercise").fill("dear")
        await form.get_by_label("TIP: calm your body fast").wait_for(state="hidden")
        await form.get_by_label("DEAR MAN: ask for what you want").check()
        await form.get_by_label("On chosen days").check()
        toggles = form.locator(".day-toggle")
        await toggles.nth(today).click()
        await toggles.nth((today + 2) % 7).click()
        axe["assign form"] = await axe_violations(therapist)
        await no_overflow(therapist)
        await shot(therapist, "assign-form", viewport, part="#homework")
        await form.get_by_role("button", name="Assign").click()
        await therapist.locator("#hw-message").get_by_text("Assigned.").wait_for()

        # The diary card every day: the defaults need one tap for the kind.
        await therapist.get_by_role("button", name="Assign homework").click()
        await form.get_by_label("Diary card").check()
        await form.get_by_role("button", name="Assign").click()
        listed = therapist.locator("#hw-list")
        await listed.get_by_text("Diary card").wait_for()
        text = await listed.inner_text()
        assert "DEAR MAN: ask for what you want" in text and "Every day, from" in text
        assert "0 of 1 so far this week" in text

        # Done through the practice core: the caseload counts it, the detail shows how.
        seed_finished_dear_man(app_data, email)
        await therapist.goto("/patients/")
        await row.wait_for()
        await row.get_by_text("Homework 1 of 2 this week").wait_for()
        axe["caseload"] = await axe_violations(therapist)
        await no_overflow(therapist)
        await row.scroll_into_view_if_needed()
        await shot(therapist, "caseload", viewport)
        await row.get_by_role("link").click()
        await listed.get_by_text("distress 6 → 3").wait_for()
        await therapist.get_by_role("link", name="Printable page").click()
        report = therapist.locator("#report-homework")
        await report.wait_for()
        assert "distress 6 → 3" in await report.inner_text()
        axe["report"] = await axe_violations(therapist)
        await no_overflow(therapist)
        await shot(therapist, "report", viewport, full_page=True)
        await shot(therapist, "report-part", viewport, part="#report-homework")
        assert {where: found for where, found in axe.items() if found} == {}
    finally:
        for context in (therapist_ctx, patient_ctx):
            await context.close()
