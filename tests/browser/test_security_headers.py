"""Security headers on every response of the real prod server, and every screen under
its Content-Security-Policy with no violation.

The HTTP tests read the headers of a page, a 404, a static asset, the manifest, the
service worker, the offline page, an app route and Reflex's own /ping. The browser
test signs a therapist and a patient up, connects them, and walks every screen of
both (and the public and Spanish ones), doing on the way what runs scripts at run
time: a check-in and a diary card saved (the app's `rx.call_script` runs through
Reflex's eval), an exercise started, the mindfulness timer started (wake lock and
sound), the data export downloaded. It listens for `securitypolicyviolation` in
each page and reads the console for Chromium's CSP and Permissions-Policy messages;
any of them fails the test, and the list is printed. A screen served without the
policy fails it too.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, expect

from skills_app import text
from skills_app.core import auth
from skills_app.core.security_headers import PERMISSIONS_POLICY
from skills_app.text.problems import say
from tests.browser.conftest import (
    BASE_URL,
    fill_note,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_account_language import sign_up_in_spanish
from tests.browser.test_homework_therapist import connect
from tests.browser.test_practice_flow import open_exercise

in_the_browser = pytest.mark.asyncio(loop_scope="session")

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ` +
    `${e.sourceFile || location.pathname}:${e.lineNumber} ${(e.sample || '').slice(0, 80)}`));
"""
CONSOLE_SIGNS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy",
                 "Permissions policy", "Unrecognized feature")


def _headers(path: str, **request_headers: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(BASE_URL + path, headers=request_headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as refused:
        return refused.code, {k.lower(): v for k, v in refused.headers.items()}


def _assert_security_headers(headers: dict[str, str]) -> dict[str, list[str]]:
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["permissions-policy"] == PERMISSIONS_POLICY
    policy = {name: values for name, *values in (
        part.split() for part in headers["content-security-policy"].split("; "))}
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    return policy


@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
@pytest.mark.parametrize(("path", "status"), [
    ("/", 200), ("/signin/", 200), ("/es/today/", 200), ("/journal/new/", 200),
    ("/login/", 404), ("/no/such/page/", 404)])
def test_html_pages_and_404s_carry_the_headers_and_their_scripts_hashes(
        app_server: str, path: str, status: int, encoding: str) -> None:
    got, headers = _headers(path, **{"Accept-Encoding": encoding})
    assert got == status
    assert headers["content-type"].startswith("text/html")
    policy = _assert_security_headers(headers)
    # Reflex's and React Router's inline scripts, and the app's two in the head.
    assert sum(value.startswith("'sha256-") for value in policy["script-src"]) >= 5


@pytest.mark.parametrize("path", [
    "/app.js", "/styles.css", "/icons/icon-192.png", "/manifest.webmanifest", "/sw.js",
    "/offline.html", "/es/offline.html", "/ping", "/_health",
    "/reports/session.csv?id=1", "/calendar/groups.ics"])
def test_assets_the_worker_and_app_routes_carry_the_headers(app_server: str, path: str) -> None:
    status, headers = _headers(path)
    assert status < 500
    policy = _assert_security_headers(headers)
    assert not any(value.startswith("'sha256-") for value in policy["script-src"])


def test_a_304_leaves_the_stored_pages_policy_alone(app_server: str) -> None:
    """A revalidated page keeps the policy with its hashes: the 304 names none."""
    _status, first = _headers("/signin/", **{"Accept-Encoding": "gzip"})
    status, again = _headers("/signin/", **{"Accept-Encoding": "gzip",
                                            "If-None-Match": first["etag"]})
    assert status == 304
    assert "content-security-policy" not in again


def test_a_routes_own_headers_are_kept(app_server: str) -> None:
    status, headers = _headers("/reports/session.csv?id=1")
    assert status in (401, 403, 404)
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"
    _status, worker = _headers("/sw.js")
    assert worker["cache-control"] == "no-cache"


class _Violations:
    """What the pages of one tab reported, per screen."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: list[str] = []
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if any(sign in message.text for sign in CONSOLE_SIGNS):
            self.found.append(f"{self.page.url} console: {message.text[:300]}")

    async def collect(self) -> None:
        """The page's violations since it loaded (the list lives in the page)."""
        await self.page.wait_for_load_state("networkidle")
        seen = await self.page.evaluate("window.__csp || []")
        self.found += [f"{self.page.url}: {line}" for line in seen]

    async def visit(self, route: str) -> None:
        """Open a screen, which must come with the policy (else nothing was checked)."""
        response = await self.page.goto(route)
        headers = await response.all_headers() if response else {}
        if "default-src 'self'" not in headers.get("content-security-policy", ""):
            self.found.append(f"{route}: no Content-Security-Policy on the page")
        await self.collect()


async def _tab(browser: Browser) -> tuple[object, Page, _Violations]:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    await context.add_init_script(RECORD_VIOLATIONS)
    page = await context.new_page()
    return context, page, _Violations(page)


PUBLIC_SCREENS = ("/", "/signin/", "/signup/", "/help/", "/join/", "/inactive/", "/goodbye/",
                  "/no/such/page/", "/offline.html", "/es/", "/es/signin/", "/es/signup/",
                  "/es/help/", "/es/offline.html")
PATIENT_SCREENS = (
    "/today/", "/more/", "/practice/", "/practice/history/", "/journal/", "/journal/card/",
    "/mindfulness/", "/mindfulness/breathe/", "/mindfulness/guided/grounding/",
    "/mindfulness/guided/body-scan/", "/mindfulness/log/", "/progress/", "/safety-plan/",
    "/relapse-plan/", "/measures/", "/measures/take/?id=phq9", "/homework/", "/groups/",
    "/account/", "/sharing/", "/sharing/log/", "/your-data/",
    "/es/today/", "/es/journal/", "/es/mindfulness/timer/", "/es/progress/", "/es/account/")
THERAPIST_SCREENS = ("/groups/", "/groups/attendance/", "/program/", "/program/schedule/",
                     "/account/")


@in_the_browser
async def test_every_screen_runs_under_the_policy_without_a_violation(browser: Browser) -> None:
    contexts = []
    try:
        context, anonymous, public = await _tab(browser)
        contexts.append(context)
        for route in PUBLIC_SCREENS:
            await public.visit(route)

        context, therapist, by_therapist = await _tab(browser)
        contexts.append(context)
        context, patient, by_patient = await _tab(browser)
        contexts.append(context)
        await sign_up(therapist, name="Dr. Lee", role="therapist")
        await by_therapist.collect()
        await connect(therapist, patient, ("mood", "diary", "exercises", "mindfulness"))
        await by_patient.collect()

        # The patient: a check-in and a diary card saved, an exercise, the timer.
        await patient.goto("/today/")
        await wait_until_signed_in_page_is_ready(patient)
        await patient.get_by_label("7, Good").check()
        await patient.get_by_role("button", name="Save check-in").click()
        await expect(patient.locator("#checkin-saved")).to_contain_text("Saved at")
        await by_patient.collect()
        await patient.goto("/journal/new/")
        await wait_until_signed_in_page_is_ready(patient)
        await fill_note(patient, "A calm evening walk.")
        await patient.get_by_role("button", name="Save diary card").click()
        await expect(patient.get_by_role("button", name="New diary card")).to_be_visible()
        await by_patient.collect()
        await open_exercise(patient, "dear-man")
        await patient.get_by_label("Distress now 7", exact=True).check()
        await patient.locator("section[data-screen][data-current]").get_by_role(
            "button", name="Next").click()
        await by_patient.collect()
        await patient.goto("/mindfulness/timer/")
        await wait_until_signed_in_page_is_ready(patient)
        await patient.get_by_role("button", name="Start the timer").click()
        await expect(patient.locator("#mindful-remaining")).to_be_visible()
        await patient.wait_for_timeout(1500)
        await by_patient.collect()
        await patient.goto("/your-data/")
        await wait_until_signed_in_page_is_ready(patient)
        async with patient.expect_download() as download:  # fetched, saved from a blob: URL
            await patient.get_by_role("button", name="Download my data").click()
        assert (await download.value).suggested_filename.startswith("skills-practice-my-data-")
        await by_patient.collect()
        for route in PATIENT_SCREENS:
            await by_patient.visit(route)

        # The therapist: the caseload, the patient's detail and report, the program.
        await by_therapist.visit("/patients/")
        row = therapist.locator("#caseload > tbody > tr").filter(has_text="Riley")
        await row.get_by_role("link").click()
        await therapist.locator("#homework").wait_for()
        await by_therapist.collect()
        await therapist.get_by_role("link", name="Printable page").click()
        await therapist.locator("#report-homework").wait_for()
        await by_therapist.collect()
        for route in THERAPIST_SCREENS:
            await by_therapist.visit(route)

        found = public.found + by_therapist.found + by_patient.found
        assert found == [], "\n".join(found)
    finally:
        for context in contexts:
            await context.close()


@in_the_browser
async def test_the_policy_is_really_enforced_on_the_page(browser: Browser) -> None:
    """An injected inline script is refused and reported: the listener above hears."""
    context, page, violations = await _tab(browser)
    try:
        await page.goto("/signin/")
        await page.evaluate("""() => {
            const script = document.createElement('script');
            script.textContent = 'window.__injected = true;';
            document.head.appendChild(script);
        }""")
        await violations.collect()
        assert await page.evaluate("window.__injected === undefined")
        assert any("script-src" in line for line in violations.found), violations.found
    finally:
        await context.close()


@in_the_browser
async def test_a_spanish_page_is_answered_in_spanish_with_no_referer_sent(
        browser: Browser) -> None:
    """With no Referer, the page itself says its language: deleting the account with
    a wrong password on /es/your-data/ is refused in Spanish."""
    context, page, violations = await _tab(browser)
    try:
        referers: list[str | None] = []
        page.on("request", lambda request: referers.append(request.headers.get("referer")))
        await sign_up_in_spanish(page)
        await page.goto("/es/your-data/")
        await wait_until_signed_in_page_is_ready(page)
        form = page.locator("form[data-delete-account]")
        await form.locator("input[name=password]").fill("no es mi contraseña")
        await form.locator("button[type=submit]").click()
        with text.language("es"):
            refused = say(auth.WRONG_PASSWORD)
        await expect(page.locator("#password-error")).to_have_text(refused)
        assert referers and not any(referers)  # no request carried a Referer
        await violations.collect()
        assert violations.found == []
    finally:
        await context.close()
