"""Browser tests: a real production server and Debian's Chromium on a phone viewport.

One `reflex run --env prod` process serves the whole session on its own port
with its own SQLite file, so it never touches a developer's database or the
app on port 3000.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("SKILLS_TEST_PORT", "3111"))
BASE_URL = f"http://localhost:{PORT}"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
STRONG_PASSWORD = "lanterns drift over quiet harbours"
ARTIFACTS = ROOT / "test-artifacts"
# The test server's database URL, once it has started (for the admin command).
APP_DB_URL: list[str] = []


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local test server)
            return response.status
    except OSError:
        return 0


def _stop(process: subprocess.Popen) -> None:
    """End the server and everything it started (its process group)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def app_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the test server's SQLite database and log."""
    return tmp_path_factory.mktemp("app")


@pytest.fixture(scope="session")
def app_server(app_data: Path) -> Iterator[str]:
    data = app_data
    if _get(f"{BASE_URL}/ping"):
        pytest.fail(f"port {PORT} is already serving something: stop it or set SKILLS_TEST_PORT")
    log_path = data / "server.log"
    APP_DB_URL[:] = [f"sqlite:///{data / 'browser.db'}"]
    env = {
        **os.environ,
        "REFLEX_DB_URL": APP_DB_URL[0],
        "SKILLS_ALLOWED_ORIGINS": f"http://localhost:{PORT},http://127.0.0.1:{PORT}",
        # Every test signs up from 127.0.0.1: far more than the default 50 an hour.
        "SKILLS_SIGNUPS_PER_ADDRESS_HOUR": "100000",
        # The Web Push test's push service runs on 127.0.0.1 (tests/browser/test_push.py).
        "SKILLS_PUSH_ALLOW_LOCAL": "1",
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod",
             "--frontend-port", str(PORT), "--backend-port", str(PORT)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the app stopped while starting:\n{log_path.read_text()[-3000:]}")
            if _get(f"{BASE_URL}/signin/") == 200 and _get(f"{BASE_URL}/ping") == 200:
                break
            time.sleep(2)
        else:
            pytest.fail(f"the app did not start in time:\n{log_path.read_text()[-3000:]}")
        yield BASE_URL
    finally:
        _stop(process)
        server_log = log_path.read_text(errors="replace")
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "server.log").write_text(server_log)
    # Checked once the whole session went through the server, whatever the test order.
    if "Traceback" in server_log:
        pytest.fail("the server log has a traceback: see test-artifacts/server.log")


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def browser(app_server: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


async def new_phone_context(browser: Browser, **options: object) -> BrowserContext:
    options = {"base_url": BASE_URL, **options}
    context = await browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                        has_touch=True, **options)
    context.set_default_timeout(15_000)
    return context


@pytest_asyncio.fixture(loop_scope="session")
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    yield context
    await context.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(context: BrowserContext) -> AsyncIterator[Page]:
    page = await context.new_page()
    yield page


def unique_email(name: str = "pat") -> str:
    return f"{name.lower()}-{uuid.uuid4().hex[:10]}@example.org"


def admin_command(*args: str) -> str:
    """Run `python -m skills_app.admin ...` on the test server's database; its output."""
    result = subprocess.run(
        [sys.executable, "-m", "skills_app.admin", *args, "--base-url", BASE_URL],
        cwd=ROOT, env={**os.environ, "REFLEX_DB_URL": APP_DB_URL[0]}, capture_output=True,
        text=True, timeout=120, check=True)
    return result.stdout


def new_program_link(name: str = "Riverside IOP") -> str:
    """A fresh program's one-time setup link (the documented server command)."""
    out = admin_command("create-program", "--name", name, "--admin-email", "lead@example.org")
    return next(word for word in out.split() if word.startswith(BASE_URL))


async def sign_up(page: Page, *, name: str = "Jordan", email: str | None = None,
                  password: str = STRONG_PASSWORD, role: str = "patient",
                  invitation: str | None = None) -> str:
    """Create an account through the page; returns the email.

    Patients sign up on /signup/; a therapist from an invitation link (a program
    of their own, made with the server command, unless `invitation` is given).
    """
    email = email or unique_email()
    if role == "therapist":
        await page.goto(invitation or new_program_link())
        button = "Create therapist account"
    else:
        await page.goto("/signup/")
        button = "Create account"
    await page.get_by_label("Your name").fill(name)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password", exact=True).fill(password)
    await page.get_by_role("button", name=button).click()
    home = "/today/" if role == "patient" else "/patients/"
    await page.wait_for_url(f"**{home}")
    return email


async def sign_in(page: Page, email: str, password: str = STRONG_PASSWORD) -> None:
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password", exact=True).fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def wait_until_signed_in_page_is_ready(page: Page) -> None:
    """Until the page knows whose drafts it keeps (its forms are disabled before that)."""
    await page.wait_for_function(
        "document.querySelector('[data-draft-owner]')?.getAttribute('data-draft-owner')")


async def open_section(page: Page, key: str) -> None:
    """Open a section of the diary card (details[data-section]) if it is closed."""
    section = page.locator(f"details[data-section='{key}']")
    if not await section.evaluate("(details) => details.open"):
        await section.locator(":scope > summary").click()


async def close_section(page: Page, key: str) -> None:
    """Close a section of the diary card if it is open."""
    section = page.locator(f"details[data-section='{key}']")
    if await section.evaluate("(details) => details.open"):
        await section.locator(":scope > summary").click()


async def open_skills(page: Page, *modules: str) -> None:
    """Open the diary card's skills and the named modules of it (every module if none
    is named): each module is a fold of its own."""
    await open_section(page, "skills")
    keys = modules or await page.locator("details[data-section^='skills-']").evaluate_all(
        "(folds) => folds.map((fold) => fold.dataset.section.slice('skills-'.length))")
    for key in keys:
        await open_section(page, f"skills-{key}")


async def fill_note(page: Page, text: str) -> None:
    await open_section(page, "notes")
    await page.locator("#note").fill(text)


async def fill_triggers(page: Page, text: str) -> None:
    await open_section(page, "notes")
    await page.locator("#triggers").fill(text)
