"""Programs, consent and the therapist's review in a real browser.

One journey per viewport (390x844 light, 1280x800 dark): an admin made by the
server command invites a therapist; the therapist signs up from the link and
shows a connect code (its QR code drawn by the app); a patient with a unique
marker in every category connects sharing two categories and signs; the
therapist sees exactly those (every websocket frame the therapist's browser
receives is recorded: no marker of a category not shared is ever in one); the
patient revokes; the therapist's next action shows nothing of them; the
patient's "Who has seen my data" lists the views. axe-core runs on every new
screen, and the consent, dashboard, diary-card review and report pages are
photographed (into docs/screenshots/ with UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.async_api import Browser, BrowserContext, Page, WebSocket

from skills_app.core import db
from skills_app.core.dates import local_today
from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    STRONG_PASSWORD,
    new_phone_context,
    sign_up,
    unique_email,
)
from tests.browser.test_accessibility import axe_violations
from tests.sharing_helpers import (
    MARKERS,
    checkup,
    diary_entry,
    finished_exercise,
    safety_plan,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP = {"width": 1280, "height": 800}
SHARED = ("mood", "exercises")
NOT_SHARED_MARKERS = [MARKERS["substance_use"], MARKERS["notes"], MARKERS["measures"],
                      MARKERS["safety_plan"], "PHQ-9 item 9"]


class Frames:
    def __init__(self, page: Page) -> None:
        self.texts: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: self.texts.append(
            payload if isinstance(payload, str) else payload.decode("utf-8", "replace")))

    def joined(self) -> str:
        return "\n".join(self.texts)


@contextmanager
def app_patient(app_data: Path, email: str) -> Iterator[SimpleNamespace]:
    """The test server's patient with this email (as `tests.sharing_helpers` takes an
    account), with the app's database in use meanwhile: to seed data through core."""
    import sqlite3

    with sqlite3.connect(app_data / "browser.db") as connection:
        user_id, = connection.execute("SELECT id FROM user_account WHERE email = ?",
                                      (email,)).fetchone()
    engine = db.make_engine(f"sqlite:///{app_data / 'browser.db'}")
    db.use_engine(engine)
    try:
        yield SimpleNamespace(identity=SimpleNamespace(user_id=user_id))
    finally:
        db.use_engine(None)
        engine.dispose()


def seed_markers(app_data: Path, email: str) -> None:
    """Nine days of diary cards up to the patient's today (so this week has one whatever
    the weekday), an exercise, a PHQ-9 (item 9 above 0) and a safety plan, with a unique
    marker in every category."""
    with app_patient(app_data, email) as patient:
        today = local_today("America/Chicago")
        for days_ago in range(0, 9):
            diary_entry(patient, today - timedelta(days=days_ago),
                        urge_suicide=4 if days_ago == 1 else 1,
                        skills=[] if days_ago == 1 else ["distress_tolerance.tipp"])
        finished_exercise(patient)
        checkup(patient, item9=2)  # measures: not shared in the journey
        safety_plan(patient)


async def new_context(browser: Browser, viewport: str, scheme: str) -> BrowserContext:
    if viewport == "phone":
        return await new_phone_context(browser, color_scheme=scheme,
                                       timezone_id="America/Chicago")
    context = await browser.new_context(base_url=BASE_URL, viewport=LAPTOP,
                                        color_scheme=scheme, timezone_id="America/Chicago")
    context.set_default_timeout(15_000)
    return context


def post_sign_up(body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{BASE_URL}/auth/signup", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Origin": BASE_URL})
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 (local test server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Shots:
    def __init__(self, viewport: str, scheme: str) -> None:
        self.suffix = "" if (viewport, scheme) == ("phone", "light") else f"-{viewport}-{scheme}"
        self.folders = [ARTIFACTS / "screenshots"]
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            self.folders.append(DOCS)

    async def take(self, page: Page, name: str, *, full_page: bool = False) -> None:
        await page.wait_for_load_state("networkidle")
        image = await page.screenshot(full_page=full_page)
        for folder in self.folders:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}{self.suffix}.png").write_bytes(image)


async def no_overflow(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= await page.evaluate("window.innerWidth"), "the page scrolls sideways"


@pytest.mark.parametrize(("viewport", "scheme"), [("phone", "light"), ("laptop", "dark")])
async def test_invite_connect_consent_review_revoke(browser: Browser, app_data: Path,
                                                    viewport: str, scheme: str) -> None:
    shots, axe = Shots(viewport, scheme), {}
    admin_ctx = await new_context(browser, viewport, scheme)
    therapist_ctx = await new_context(browser, viewport, scheme)
    patient_ctx = await new_context(browser, viewport, scheme)
    try:
        # The program's first admin, from the server command's one-time link.
        admin = await admin_ctx.new_page()
        await sign_up(admin, name="Morgan Admin", role="therapist")
        await admin.goto("/program/")
        await admin.get_by_label("Who is it for? (only you see this)").fill("Dr. Lee")
        await admin.get_by_role("button", name="Make invitation link").click()
        link = (await admin.locator("#invitation-link").inner_text()).strip()
        assert "/join/?invite=" in link
        axe["/program/"] = await axe_violations(admin)

        # The therapist signs up from it; the same link never works twice.
        therapist = await therapist_ctx.new_page()
        frames = Frames(therapist)
        await therapist.goto(link)
        axe["/join/"] = await axe_violations(therapist)
        await sign_up(therapist, name="Dr. Lee", role="therapist", invitation=link)
        base = {"display_name": "X", "password": STRONG_PASSWORD, "role": "therapist",
                "time_zone": "UTC"}
        for invitation in (link.split("invite=")[1], "forged-token", None):  # used, forged, none
            body = base | {"email": unique_email()}
            if invitation:
                body["invitation"] = invitation
            status, answer = post_sign_up(body)
            assert status == 400 and "invitation" in answer["errors"]["form"]
        await therapist.get_by_role("button", name="Show a connect code").click()
        code = (await therapist.locator("#connect-code").inner_text()).strip()
        qr = await therapist.locator("img.connect-qr").get_attribute("src")
        assert qr.startswith("data:image/svg+xml")
        axe["/patients/ (code)"] = await axe_violations(therapist)

        # The patient, with a marker in every category, shares two of them.
        patient = await patient_ctx.new_page()
        email = await sign_up(patient, name="Riley")
        seed_markers(app_data, email)
        await patient.goto("/more/")
        await patient.get_by_role("link", name="Sharing with a therapist").click()
        await patient.get_by_label("Code from your therapist").fill(code.lower())
        await patient.get_by_role("button", name="Continue").click()
        await patient.get_by_text("Share with Dr. Lee").wait_for()
        axe["/sharing/ (choose)"] = await axe_violations(patient)
        for box in await patient.locator("#choose-form input[type=checkbox]").all():
            name = await box.get_attribute("name")
            if (name.removeprefix("share_") in SHARED) != await box.is_checked():
                await box.click()
        await patient.get_by_role("button", name="Continue to consent").click()
        await patient.locator("#consent-text").wait_for()
        consent = await patient.locator("#consent-text").inner_text()
        assert "My treatment does not depend on signing this" in consent
        assert "Substance-use information (the urge to use, cravings and use) is NOT shared" \
            in consent
        assert "Safety information (urges to end my life" in consent
        axe["/sharing/ (consent)"] = await axe_violations(patient)
        await shots.take(patient, "consent")
        await patient.get_by_label("Type your name to sign").fill("<b>Riley</b>")
        await patient.get_by_role("button", name="Sign and share").click()
        await patient.locator("#signature-error").get_by_text("as it is on your account"
                                                               ).wait_for()
        await patient.get_by_label("Type your name to sign").fill("Riley")
        await patient.get_by_role("button", name="Sign and share").click()
        await patient.get_by_text("Signed. You now share with Dr. Lee.").wait_for()
        await no_overflow(patient)

        # The therapist sees exactly those two, and nothing of the others, in any frame.
        await therapist.goto("/patients/")
        row = therapist.locator("#caseload > tbody > tr").filter(has_text="Riley")
        await row.wait_for()
        assert "Urge 4" not in await row.inner_text()  # urges are not shared
        await no_overflow(therapist)
        await shots.take(therapist, "dashboard")
        axe["/patients/"] = await axe_violations(therapist)
        await row.get_by_role("link").click()
        await therapist.locator("#diary-review").wait_for()
        shares = await therapist.locator("#patient-shares").inner_text()
        assert shares == "Shares: Mood check-ins and emotions; Skills and exercises"
        review = await therapist.locator("#diary-review").inner_text()
        assert MARKERS["mood"] in review and "TIP" in review
        assert "Suicide" not in review
        await no_overflow(therapist)
        await shots.take(therapist, "diary-review", full_page=True)
        await therapist.get_by_role("link", name="← Earlier week").click()
        await therapist.get_by_text("Week of").wait_for()
        await therapist.locator("#diary-review").wait_for()
        axe["/patients/view/"] = await axe_violations(therapist)
        await therapist.get_by_role("link", name="Printable page").click()
        await therapist.locator("#redisclosure").wait_for()
        await shots.take(therapist, "report", full_page=True)
        axe["/patients/report/"] = await axe_violations(therapist)
        everything = frames.joined()
        assert MARKERS["mood"] in everything  # the recording works
        for marker in NOT_SHARED_MARKERS:
            assert marker not in everything, f"{marker} reached the therapist's browser"

        # The patient revokes; the therapist's next action shows nothing of them.
        await patient.goto("/sharing/")
        await patient.get_by_role("button", name="Stop sharing").click()
        dialog = patient.get_by_role("alertdialog")
        await dialog.wait_for()
        axe["/sharing/ (stop dialog)"] = await axe_violations(patient)
        await dialog.get_by_role("button", name="Stop sharing").click()
        await patient.get_by_text("You stopped sharing with Dr. Lee.").wait_for()
        await therapist.go_back()
        await therapist.goto(therapist.url)
        await therapist.locator("#nothing-shared").wait_for()
        await therapist.goto("/patients/")
        await therapist.get_by_text("No patient shares with you yet").wait_for()

        # "Who has seen my data" lists the views, in plain words.
        await patient.goto("/sharing/log/")
        # Issue 23: two lists (downloads and printouts first, then views), one
        # sentence per person and day, so "saw you in their patient list" follows
        # "opened your progress" in the same sentence.
        log = patient.locator("#who-has-seen")
        await log.get_by_text("Dr. Lee opened your progress").first.wait_for()
        text = await log.inner_text()
        assert "Dr. Lee opened a session summary" in text
        assert "saw you in their patient list" in text
        assert "was stopped" in text  # the view after revoking was refused, and listed
        axe["/sharing/log/"] = await axe_violations(patient)
        assert {route: found for route, found in axe.items() if found} == {}
    finally:
        for context in (admin_ctx, therapist_ctx, patient_ctx):
            await context.close()
