"""Look-alike names in a real browser: a name with a hidden direction mark is refused
on the sign-up page with a kind message (English and Spanish), and two patients
who both call themselves "Riley" are told apart on the therapist's caseload by the
day they joined. Photographed at 390x844 and 1280x800 into
test-artifacts/screenshots/ (and /work/brief/shots/ when that folder exists)."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from skills_app.core.dates import local_today
from skills_app.text import formats
from tests.browser.conftest import STRONG_PASSWORD, sign_up, unique_email
from tests.browser.test_homework_therapist import SHOTS, connect
from tests.browser.test_sharing_journey import new_context

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def shot(page: Page, name: str) -> None:
    await page.wait_for_load_state("networkidle")
    image = await page.screenshot(full_page=True)
    for folder in SHOTS:
        if folder.parent.exists():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"text-safety-{name}.png").write_bytes(image)


@pytest.mark.parametrize(("path", "button", "message"), [
    ("/signup/", "Create account", "Your name has a hidden character"),
    ("/es/signup/", "Crear cuenta", "Tu nombre tiene un carácter oculto"),
])
async def test_a_hidden_direction_mark_in_a_name_is_refused_kindly(
        page: Page, path: str, button: str, message: str) -> None:
    await page.goto(path)
    values = {"display_name": "Sam\u202eeeL", "email": unique_email(),
              "password": STRONG_PASSWORD}
    for name, value in values.items():
        await page.locator(f'[name="{name}"]').fill(value)
    await page.get_by_role("button", name=button).click()
    await expect(page.locator("#display_name-error")).to_contain_text(message)
    assert "signup" in page.url
    await shot(page, f"hidden-name-{'es' if path.startswith('/es') else 'en'}-phone")


async def test_two_patients_called_riley_are_told_apart(browser: Browser) -> None:
    contexts = [await new_context(browser, viewport, "light")
                for viewport in ("laptop", "phone", "phone")]
    try:
        therapist, first, second = [await c.new_page() for c in contexts]
        await sign_up(therapist, name="Dr. Lee", role="therapist")
        for patient in (first, second):
            await therapist.goto("/patients/")
            await connect(therapist, patient)
        await therapist.goto("/patients/")
        day = formats.date_with_year(local_today("UTC"))
        for number in (1, 2):
            await expect(therapist.locator("#caseload li").filter(
                has_text=f"Riley (joined {day}, no. {number})")).to_be_visible()
        await shot(therapist, "caseload-look-alikes-laptop")
        await therapist.set_viewport_size({"width": 390, "height": 844})
        await shot(therapist, "caseload-look-alikes-phone")
    finally:
        for context in contexts:
            await context.close()
