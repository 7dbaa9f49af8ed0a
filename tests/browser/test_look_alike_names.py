"""Hidden characters in a real browser: a name with a hidden direction mark is refused
on the sign-up page with a kind message (English and Spanish), photographed at
390x844 into test-artifacts/screenshots/ (and /work/brief/shots/ when that folder
exists). Two patients of one therapist whose names look the same ("Sam Lee", and
"sam  lee" spelled with a Cyrillic a) each get the day they joined and a number
beside their name on the caseload and on their page; the rules:
tests/core/test_look_alike.py."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

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


async def test_two_patients_who_look_the_same_are_told_apart_on_the_caseload(
        browser: Browser) -> None:
    therapist_ctx = await new_context(browser, "phone", "light")
    patients = [await new_context(browser, "phone", "light") for _ in range(2)]
    try:
        therapist = await therapist_ctx.new_page()
        await sign_up(therapist, name="Dr. Okafor", role="therapist")
        # The second one's "a" is Cyrillic (U+0430): the same on screen.
        for context, name in zip(patients, ("Sam Lee", "s\u0430m  lee"), strict=True):
            await connect(therapist, await context.new_page(), ("mood",), name=name)
        await therapist.goto("/patients/")
        rows = therapist.locator("#caseload > tbody > tr").filter(has_text="joined")
        await expect(rows).to_have_count(2)
        names = sorted([(await row.get_by_role("link").first.inner_text()).strip()
                        for row in await rows.all()])
        assert re.fullmatch(r"Sam Lee \(joined [^)]+, no\. 1\)", names[0].split("\n")[0])
        assert re.fullmatch(r"s\u0430m\s+lee \(joined [^)]+, no\. 2\)",
                            names[1].split("\n")[0])
        await shot(therapist, "same-name-caseload-phone")
        # The second one's own page says which one it is.
        await rows.filter(has_text="no. 2").get_by_role("link").first.click()
        await expect(therapist.locator("#patient-name")).to_have_text(
            re.compile(r"s\u0430m\s+lee \(joined [^)]+, no\. 2\)"))
        await shot(therapist, "same-name-detail-phone")
    finally:
        for context in (therapist_ctx, *patients):
            await context.close()
