"""Bad input on the sign-up page: a clear message next to the field, nothing saved."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import STRONG_PASSWORD, sign_up, unique_email

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def fill_sign_up(page: Page, **values: str) -> None:
    """Set field values directly (bypassing maxlength, as a hostile page could)."""
    await page.goto("/signup/")
    for name, value in values.items():
        await page.locator(f'[name="{name}"]').evaluate("(el, v) => { el.value = v; }", value)
    await page.get_by_role("button", name="Create account").click()


async def test_empty_fields_get_a_message_each(page: Page) -> None:
    await fill_sign_up(page, time_zone="")
    await expect(page.locator("#display_name-error")).to_have_text("Please enter your name.")
    await expect(page.locator("#email-error")).to_contain_text("Please enter your email")
    await expect(page.locator("#password-error")).to_contain_text("at least 15 characters")
    await expect(page.locator("#time_zone-error")).to_contain_text("time zone")
    await expect(page.get_by_label("Your name")).to_be_focused()
    await expect(page.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("display_name", "x" * 10_000, "too long"),
    ("email", "no-at-sign.example.org", "like name@example.com"),
    ("password", "short one", "at least 15 characters"),
    ("password", "passwordpassword", "too common"),
    ("password", "a" * 257, "at most 256 characters"),
])
async def test_each_mistake_is_explained_next_to_its_field(
        page: Page, field: str, value: str, message: str) -> None:
    values = {"display_name": "Sam", "email": unique_email(), "password": STRONG_PASSWORD}
    values[field] = value
    await fill_sign_up(page, **values)
    await expect(page.locator(f"#{field}-error")).to_contain_text(message)
    assert "/signup/" in page.url
    # Nothing typed is lost.
    assert await page.locator(f'[name="{field}"]').input_value() == value


async def test_html_in_a_name_is_shown_as_text(page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await sign_up(page, name="<script>alert(1)</script>")
    await expect(page.get_by_text("Hi <script>alert(1)</script>.")).to_be_visible()
    assert dialogs == []
