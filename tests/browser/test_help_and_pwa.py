"""Crisis help from every screen, installability, offline, and no third-party hosts."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from skills_app import pwa
from skills_app.content.crisis import CRISIS_RESOURCES
from skills_app.content.overdose import OVERDOSE_SAFETY, all_text
from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

PUBLIC_ROUTES = ["/signin/", "/signup/", "/help/"]
PATIENT_ROUTES = ["/today/", "/practice/", "/journal/", "/progress/", "/more/", "/account/",
                  "/your-data/"]
THERAPIST_ROUTES = ["/patients/", "/account/"]
CRISIS_HREFS = {action.href for resource in CRISIS_RESOURCES for action in resource.actions}


async def assert_help_reachable(page: Page, route: str, *, signed_in: bool = False) -> None:
    await page.goto(route)
    assert urlparse(page.url).path == route, f"{route} redirected to {page.url}"
    if signed_in:  # the shell can change once the page knows who is signed in
        await wait_until_signed_in_page_is_ready(page)
    help_link = page.locator("#get-help-now")
    await expect(help_link).to_be_visible()
    box = await help_link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    await help_link.click()
    await page.wait_for_url("**/help/")
    await expect(page.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")


async def test_get_help_now_is_one_tap_away_on_every_route(page: Page, browser: Browser) -> None:
    for route in PUBLIC_ROUTES:
        await assert_help_reachable(page, route)
    await sign_up(page)
    for route in PATIENT_ROUTES:
        await assert_help_reachable(page, route, signed_in=True)
    therapist = await new_phone_context(browser)
    try:
        therapist_page = await therapist.new_page()
        await sign_up(therapist_page, role="therapist")
        for route in THERAPIST_ROUTES:
            await assert_help_reachable(therapist_page, route, signed_in=True)
    finally:
        await therapist.close()


async def test_the_help_page_lists_every_configured_resource(page: Page) -> None:
    await page.goto("/help/")
    hrefs = set(await page.locator("a.crisis-action").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"))
    assert hrefs == CRISIS_HREFS
    for href in ("tel:988", "sms:988", "tel:911", "sms:741741?&body=HOME", "tel:+18006624357"):
        assert href in hrefs


async def expect_every_crisis_line(page: Page) -> None:
    # The list of lines (the overdose-safety card repeats 911 and Poison Control).
    for label in ("Call 988", "Text 988", "Call 911", "Text HOME to 741741",
                  "Call 1-800-662-4357", "Call Poison Control 1-800-222-1222"):
        await expect(page.locator(".crisis-list").get_by_role("link", name=label)
                     ).to_be_visible()


async def test_the_help_page_keeps_a_signed_in_patients_tabs(browser: Browser) -> None:
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        tabs = page.get_by_role("navigation", name="Main")
        # Signed out: the public page, with a way into the app.
        await page.goto("/help/")
        await page.wait_for_load_state("networkidle")
        await expect_every_crisis_line(page)
        await expect(page.get_by_role("link", name="Back to the app")).to_be_visible()
        await expect(tabs).to_have_count(0)

        await sign_up(page)
        await page.goto("/help/")
        await expect(tabs).to_be_visible()
        await expect(tabs.get_by_role("link", name="Today")).to_have_attribute("href", "/today/")
        await expect(page.locator("header #get-help-now")).to_be_visible()
        await expect_every_crisis_line(page)
        await expect(page.get_by_role("link", name="Back to the app")).to_have_count(0)

        # Before the page reaches the server (or offline), the crisis lines are there already.
        await page.route_web_socket("**/_event/**", lambda websocket: None)
        await page.goto("/help/")
        await expect_every_crisis_line(page)
    finally:
        await context.close()


async def test_installable_in_chromium(tmp_path: Path) -> None:
    # Chromium never offers installation in an incognito-like context: use a real profile.
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            viewport=PHONE, base_url=BASE_URL)
        try:
            page = context.pages[0] if context.pages else await context.new_page()
            await page.goto("/signin/")
            await page.evaluate("navigator.serviceWorker.ready")
            cdp = await context.new_cdp_session(page)
            result = await cdp.send("Page.getInstallabilityErrors")
            manifest = await cdp.send("Page.getAppManifest")
            head = await page.evaluate("""() => ({
                themeColor: document.querySelector('meta[name=theme-color]')?.content,
                appleIcon: document.querySelector('link[rel=apple-touch-icon]')?.href,
            })""")
        finally:
            await context.close()
    assert result["installabilityErrors"] == []
    assert manifest.get("errors", []) == []
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert head["themeColor"] and head["appleIcon"].endswith("/icons/apple-touch-icon.png")


async def test_offline_reload_shows_the_crisis_resources(browser: Browser) -> None:
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        await page.goto("/signin/")
        await page.evaluate("navigator.serviceWorker.ready")
        await page.reload()  # now controlled by the service worker
        await page.wait_for_function("navigator.serviceWorker.controller !== null")
        await context.set_offline(True)
        await page.reload()
        await expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
        for label in ("Call 988", "Text 988", "Call 911", "Text HOME to 741741",
                      "Call 1-800-662-4357"):
            await expect(page.locator("#crisis-lines").get_by_role("link", name=label)
                         ).to_be_visible()
        # The help page itself was cached and still opens.
        await page.goto("/help/")
        await expect(page.get_by_role("heading", name="Get help now")).to_be_visible()
    finally:
        await context.close()


async def expect_overdose_safety(page: Page) -> str:
    """The overdose and withdrawal section, whole, with its headings and tap-to-call
    links; returns its text."""
    section = page.locator("#overdose-safety")
    await expect(section.get_by_role("heading", name="Overdose safety", level=2)).to_be_visible()
    for part in OVERDOSE_SAFETY.parts:
        await expect(section.get_by_role("heading", name=part.heading, level=3)).to_be_visible()
    await expect(section.get_by_role("link", name="Call 911")).to_have_attribute("href",
                                                                                "tel:911")
    await expect(section.get_by_role("link", name="Call Poison Control 1-800-222-1222")
                 ).to_have_attribute("href", "tel:+18002221222")
    text = " ".join((await section.inner_text()).split())
    missing = [line for line in all_text(OVERDOSE_SAFETY) if " ".join(line.split()) not in text]
    assert missing == []
    # Readable on a small phone: nothing wider than the screen.
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    return "".join(text.split())


async def test_overdose_safety_shows_on_the_help_and_offline_pages_with_no_network(
        browser: Browser) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740},
                                        base_url=BASE_URL)
    try:
        page = await context.new_page()
        await page.goto("/signin/")
        await page.evaluate("navigator.serviceWorker.ready")
        await page.reload()  # now controlled by the service worker, which precached both pages
        await page.wait_for_function("navigator.serviceWorker.controller !== null")
        await context.set_offline(True)
        await page.goto("/help/")
        await expect(page.get_by_role("heading", name="Get help now")).to_be_visible()
        on_help = await expect_overdose_safety(page)
        await page.goto("/journal/")
        await page.reload()
        await expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
        on_offline_page = await expect_overdose_safety(page)
        assert on_offline_page == on_help  # one text, both pages (spacing aside)
        # The slip card's link lands on it.
        await page.goto("/help/#overdose-safety")
        await expect(page.locator("#overdose-safety")).to_be_in_viewport()
    finally:
        await context.close()


async def test_the_service_worker_never_answers_live_channels(browser: Browser) -> None:
    """Offline, the shell still comes from the cache, but the live channels fail
    honestly instead of being answered from a cache."""
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        await page.goto("/signin/")
        await page.evaluate("navigator.serviceWorker.ready")
        await page.reload()
        await page.wait_for_function("navigator.serviceWorker.controller !== null")
        fetch = """async (path) => {
            try { const r = await fetch(path, {cache: "no-store"}); return r.status; }
            catch (e) { return "failed"; } }"""
        live = ("/ping", "/_health", "/_event/?EIO=4&transport=polling", "/auth/login")
        online = {path: await page.evaluate(fetch, path) for path in live}
        assert all(status != "failed" for status in online.values()), online
        await context.set_offline(True)
        assert await page.evaluate(fetch, "/styles.css") == 200  # the shell, from the cache
        for path in live:
            assert await page.evaluate(fetch, path) == "failed", path
    finally:
        await context.close()


async def test_an_installed_phone_gets_the_current_precache_version(browser: Browser) -> None:
    """The worker the browser installed carries the version of what is precached now."""
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        await page.goto("/signin/")
        await page.evaluate("navigator.serviceWorker.ready")
        caches = await page.evaluate("caches.keys()")
    finally:
        await context.close()
    assert f"skills-shell-{pwa.precache_version()}" in caches


async def test_a_signed_in_session_only_contacts_the_apps_own_host(browser: Browser) -> None:
    context = await new_phone_context(browser)
    hosts: set[str] = set()
    context.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    context.on("websocket", lambda ws: hosts.add(urlparse(ws.url).netloc))
    try:
        page = await context.new_page()
        page.on("websocket", lambda ws: hosts.add(urlparse(ws.url).netloc))
        await sign_up(page)
        for tab in ("Practice", "Journal", "Progress", "More", "Today"):
            await page.get_by_role("link", name=tab, exact=True).click()
            await page.wait_for_load_state("networkidle")
        await page.goto("/account/")
        await page.get_by_role("link", name="Get help now").click()
        await page.wait_for_load_state("networkidle")
    finally:
        await context.close()
    assert hosts == {urlparse(BASE_URL).netloc}


# --- Spanish: help and offline pages follow the reader's language -----------------------

SPANISH_988 = "En español: llama al 988 y marca 2, o envía AYUDA por texto al 988."


async def test_before_sign_in_help_follows_a_spanish_browser_and_works_offline(
        browser: Browser) -> None:
    context = await new_phone_context(browser, locale="es-MX")
    try:
        page = await context.new_page()
        # Someone not signed in, on a phone set to Spanish, opens the English address.
        await page.goto("/help/")
        await page.wait_for_url("**/es/help/")
        await expect(page.get_by_role("heading", name="Pedir ayuda ya", level=1)).to_be_visible()
        await expect(page.locator("html")).to_have_attribute("lang", "es")
        await expect(page.get_by_text(SPANISH_988)).to_be_visible()
        await expect(page.get_by_role("link", name="Envía AYUDA al 988").first
                     ).to_have_attribute("href", "sms:988?&body=AYUDA")
        await expect(page.get_by_role("link", name="Llama a Poison Control 1-800-222-1222")
                     .first).to_have_attribute("href", "tel:+18002221222")
        # Visited once: the service worker keeps it, and it reloads in Spanish offline.
        await page.evaluate("navigator.serviceWorker.ready")
        await page.reload()
        await page.wait_for_function("navigator.serviceWorker.controller !== null")
        await context.set_offline(True)
        await page.reload()
        await expect(page.get_by_role("heading", name="Pedir ayuda ya", level=1)).to_be_visible()
        await expect(page.get_by_text(SPANISH_988)).to_be_visible()
        await expect(page.locator("#overdose-safety")).to_contain_text(
            "Dale naloxona (Narcan) si la tienes.")
        # Any other page, offline: the Spanish offline page, with the crisis lines.
        for route in ("/es/journal/", "/"):
            await page.goto(route)
            await expect(page.get_by_role("heading", name="Estás sin conexión")).to_be_visible()
            await expect(page.locator("html")).to_have_attribute("lang", "es")
            await expect(page.locator("#crisis-lines")).to_contain_text(SPANISH_988)
            await expect(page.locator("#crisis-lines").get_by_role(
                "link", name="Llama al 988 y marca 2")).to_have_attribute("href", "tel:988")
            await expect(page.get_by_text("Nadie ve esto de inmediato.")).to_be_visible()
            await expect(page.get_by_role("heading", name="You're offline")).to_have_count(0)
        await page.screenshot(path=str(ARTIFACTS / "offline-es.png"), full_page=True)
    finally:
        await context.close()


async def test_an_english_browser_keeps_the_english_help_and_offline_pages(
        browser: Browser) -> None:
    context = await new_phone_context(browser, locale="en-US")
    try:
        page = await context.new_page()
        await page.goto("/help/")
        await expect(page.get_by_role("link", name="Call 988").first).to_be_visible()
        await page.wait_for_timeout(1500)  # the page's first event has answered by now
        assert urlparse(page.url).path == "/help/"
        await page.evaluate("navigator.serviceWorker.ready")
        await page.reload()
        await page.wait_for_function("navigator.serviceWorker.controller !== null")
        await context.set_offline(True)
        await page.goto("/journal/")
        await expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
        # A Spanish page opened offline still gets the Spanish offline page.
        await page.goto("/es/today/")
        await expect(page.get_by_role("heading", name="Estás sin conexión")).to_be_visible()
    finally:
        await context.close()
