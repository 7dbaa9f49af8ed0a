"""Account journeys on a phone: sign up, sign out, sign in, mistakes and lockout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from skills_app.core.settings import SESSION_COOKIE
from tests.browser.conftest import (
    PORT,
    STRONG_PASSWORD,
    new_phone_context,
    sign_in,
    sign_up,
    unique_email,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_sign_up_detects_the_time_zone_and_lands_on_today(page: Page) -> None:
    await page.goto("/signup/")
    await expect(page.get_by_label("Time zone")).to_have_value("America/Chicago")
    await sign_up(page, name="Jordan")
    await expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    await expect(page.get_by_text("Hi Jordan.")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    for tab in ("Today", "Practice", "Journal", "Progress", "More"):
        await expect(nav.get_by_role("link", name=tab)).to_be_visible()
    await expect(nav.get_by_role("link", name="Today")).to_have_attribute("aria-current", "page")


async def test_sign_out_then_sign_in_again(page: Page) -> None:
    email = await sign_up(page)
    await page.get_by_role("link", name="More", exact=True).click()
    await page.get_by_role("link", name=re.compile("Account and security")).click()
    await page.get_by_role("button", name="Sign out", exact=True).click()
    await page.wait_for_url("**/signin/")
    # The old session is gone: a protected page sends us back to sign in.
    await page.goto("/today/")
    await page.wait_for_url("**/signin/?next=/today/")
    await sign_in(page, email)
    await page.wait_for_url("**/today/")
    await expect(page.get_by_text("Hi Jordan.")).to_be_visible()


async def test_a_therapist_gets_their_own_layout(page: Page) -> None:
    await sign_up(page, name="Dr Lee", role="therapist")
    await expect(page.get_by_role("heading", name="Patients", exact=True)).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    await expect(nav.get_by_role("link")).to_have_count(3)
    assert [t.strip() for t in await nav.get_by_role("link").all_inner_texts()] == [
        "Patients", "Attendance", "Account"]
    await page.goto("/today/")
    await page.wait_for_url("**/patients/")


async def test_wrong_password_and_unknown_email_say_the_same_thing(page: Page) -> None:
    email = await sign_up(page)
    await page.context.clear_cookies()
    messages = []
    for address in (email, unique_email("nobody")):
        await page.goto("/signin/")
        await sign_in(page, address, "definitely not the password")
        status = page.locator("#signin-status")
        await expect(status).to_contain_text("don't match")
        messages.append(await status.inner_text())
        # What was typed is still there to correct.
        await expect(page.get_by_label("Email")).to_have_value(address)
    assert messages[0] == messages[1]


async def test_five_wrong_passwords_say_kindly_how_long_to_wait(page: Page, tmp_path: Path) -> None:
    """From one network, the fifth wrong password brings a short wait (core/auth.py);
    the page says how long, in English and in Spanish."""
    email = await sign_up(page)
    await page.context.clear_cookies()
    await page.goto("/signin/")
    status = page.locator("#signin-status")
    for attempt in range(5):
        await sign_in(page, email, f"wrong passphrase number {attempt}")
        await expect(page.get_by_role("button", name="Sign in")).not_to_have_attribute(
            "aria-disabled", "true")
    await expect(status).to_contain_text("please wait 1 minute, then try again")
    await sign_in(page, email, STRONG_PASSWORD)
    await expect(status).to_contain_text("please wait 1 minute, then try again")
    assert "/signin/" in page.url
    await page.screenshot(path=tmp_path / "wait-en.png")
    await page.goto("/es/signin/")
    await page.get_by_label("Correo electrónico").fill(email)
    await page.get_by_label("Contraseña", exact=True).fill(STRONG_PASSWORD)
    await page.get_by_role("button", name="Entrar").click()
    await expect(page.locator("#signin-status")).to_contain_text(
        "espera 1 minuto y vuelve a intentarlo")
    await page.screenshot(path=tmp_path / "wait-es.png")


async def test_a_protected_page_sends_to_sign_in_and_back(page: Page) -> None:
    email = await sign_up(page)
    await page.context.clear_cookies()
    await page.goto("/progress/")
    await page.wait_for_url("**/signin/?next=/progress/")
    await sign_in(page, email)
    await page.wait_for_url("**/progress/")
    await expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()


async def test_sign_out_everywhere_ends_the_other_browsers_session(
        page: Page, browser: Browser) -> None:
    email = await sign_up(page)
    other = await new_phone_context(browser)
    try:
        phone = await other.new_page()
        await phone.goto("/signin/")
        await sign_in(phone, email)
        await phone.wait_for_url("**/today/")

        await page.goto("/account/")
        await page.get_by_role("button", name="Sign out everywhere").click()
        await page.wait_for_url("**/signin/")

        # The other phone's next event (opening a tab) is refused and leads to sign-in.
        await phone.get_by_role("link", name="Journal").click()
        await phone.wait_for_url("**/signin/?next=/journal/")
    finally:
        await other.close()


async def test_change_password_keeps_this_session(page: Page) -> None:
    email = await sign_up(page)
    await page.goto("/account/")
    await page.get_by_label("Current password", exact=True).fill(STRONG_PASSWORD)
    await page.get_by_label("New password", exact=True).fill("password")
    await page.get_by_role("button", name="Change password").click()
    await expect(page.locator("#new_password-error")).to_contain_text("at least 15 characters")
    await page.get_by_label("New password", exact=True).fill("purple elephants dance at noon")
    await page.get_by_role("button", name="Change password").click()
    await page.wait_for_url("**/account/?changed=1")
    await expect(page.get_by_text("Your password was changed.")).to_be_visible()
    await page.context.clear_cookies()
    await page.goto("/signin/")
    await sign_in(page, email, "purple elephants dance at noon")
    await page.wait_for_url("**/today/")


async def test_profile_changes_are_saved_and_bad_input_explained(page: Page) -> None:
    await sign_up(page)
    await page.goto("/account/")
    name = page.get_by_label("Your name")
    await expect(name).to_have_value("Jordan")
    await name.fill("")
    await page.get_by_role("button", name="Save details").click()
    await expect(page.locator("#display_name-error")).to_have_text("Please enter your name.")
    await name.fill("Jo")
    await page.get_by_label("Time zone").select_option("Europe/Lisbon")
    await page.get_by_role("button", name="Save details").click()
    await expect(page.get_by_text("Saved.")).to_be_visible()
    await page.reload()
    await expect(page.get_by_label("Your name")).to_have_value("Jo")
    await expect(page.get_by_label("Time zone")).to_have_value("Europe/Lisbon")


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
async def test_chromium_keeps_the_host_only_session_cookie_on_plain_http(
        browser: Browser, host: str) -> None:
    """__Host- cookies need Secure: Chromium treats localhost and 127.0.0.1 as secure."""
    context = await new_phone_context(browser, base_url=f"http://{host}:{PORT}")
    try:
        page = await context.new_page()
        email = await sign_up(page)
        await expect(page.get_by_text("Hi Jordan.")).to_be_visible()
        cookies = {cookie["name"]: cookie for cookie in await context.cookies()}
        session = cookies[SESSION_COOKIE]
        assert session["domain"] == host  # host-only: no Domain attribute
        assert session["path"] == "/" and session["secure"] and session["httpOnly"]
        assert session["sameSite"] == "Strict"

        await page.goto("/account/")
        await page.get_by_role("button", name="Sign out", exact=True).click()
        await page.wait_for_url("**/signin/")
        assert SESSION_COOKIE not in {cookie["name"] for cookie in await context.cookies()}
        await sign_in(page, email)
        await page.wait_for_url("**/today/")
        await expect(page.get_by_text("Hi Jordan.")).to_be_visible()
    finally:
        await context.close()


async def test_a_malformed_cookie_from_a_page_script_keeps_the_patient_signed_in(
        page: Page) -> None:
    email = await sign_up(page)
    # A cookie without "=": http.cookies gave up on the whole header, session included.
    await page.evaluate("document.cookie = 'no-equals-sign; path=/'")
    assert "no-equals-sign" in await page.evaluate("document.cookie")
    await page.goto("/account/")
    # The email comes from the server only after the websocket's cookie resolved.
    await expect(page.get_by_text(email)).to_be_visible()
    assert "/signin/" not in page.url
