"""Hidden characters in a real browser: a name with a hidden direction mark is refused
on the sign-up page with a kind message (English and Spanish), photographed at
390x844 into test-artifacts/screenshots/ (and /work/brief/shots/ when that folder
exists). Look-alike names on the therapist's side: tests/core/test_look_alike.py."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import STRONG_PASSWORD, unique_email
from tests.browser.test_homework_therapist import SHOTS

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
