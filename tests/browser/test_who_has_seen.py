"""Issue 23: "Who has seen my data" in a real browser at 390x844, English and
Spanish. A therapist's real downloads sit in their own list first, a flood of
refusals from strangers never shows, views are one sentence per person and day,
and "Earlier" pages back. axe-core runs on the page; screens are photographed
under /work/brief/shots/ when that folder exists.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.async_api import Browser

from skills_app.core import audit, auth, db, programs, sharing
from skills_app.core.clock import utcnow
from skills_app.core.models import ProgramRole
from tests.browser.conftest import (
    APP_DB_URL,
    STRONG_PASSWORD,
    new_phone_context,
    sign_in,
    unique_email,
)
from tests.browser.test_accessibility import axe_violations
from tests.sharing_helpers import share

pytestmark = pytest.mark.asyncio(loop_scope="session")
SHOTS = Path("/work/brief/shots")


def _seed(speaks: str) -> SimpleNamespace:
    engine = db.make_engine(APP_DB_URL[0])
    db.use_engine(engine)
    try:
        program_id, _ = programs.create_program(f"Trail IOP {speaks}")

        def account(name: str, role: str) -> SimpleNamespace:
            raw = {"display_name": name, "email": unique_email(name.split()[0].lower()),
                   "password": STRONG_PASSWORD, "role": role, "time_zone": "America/Chicago",
                   "language": speaks}
            if role == "therapist":
                raw["invitation"] = programs.create_invitation(program_id,
                                                               ProgramRole("therapist"))
            result = auth.sign_up(raw, address="10.9.9.8")
            assert result.ok, result.errors
            return SimpleNamespace(email=raw["email"], identity=result.identity, token="")

        patient = account("Jordan Lee", "patient")
        taylor = account("Taylor Therapist", "therapist")
        share(patient, taylor, ("mood",))
        pid, tid = patient.identity.user_id, taylor.identity.user_id
        now = utcnow()
        with db.transaction() as session:
            # Many days of views (more than one page), and today: 3 views, 1 PDF.
            for n in range(audit.PAGE_ROWS + 20):
                audit.record(session, actor_id=tid, patient_id=pid, action="detail",
                             categories=["mood"], allowed=True,
                             at=now - timedelta(days=1 + n // 5, minutes=n))
            for n in range(3):
                audit.record(session, actor_id=tid, patient_id=pid, action="detail",
                             categories=["mood"], allowed=True, at=now - timedelta(minutes=n))
            audit.record(session, actor_id=tid, patient_id=pid, action="report_pdf",
                         categories=["mood"], allowed=True, report_id="r1", at=now)
        for n in range(300):  # strangers asking for Jordan's summary
            sharing.record_refusal(None, pid, "report_csv", "not_signed_in",
                                   address=f"203.0.113.{n % 5}")
        return patient
    finally:
        db.use_engine(None)
        engine.dispose()


@pytest.mark.parametrize("speaks", ["en", "es"])
async def test_who_has_seen_shows_downloads_first_and_pages_back(browser: Browser,
                                                                 speaks: str) -> None:
    patient = _seed(speaks)
    context = await new_phone_context(browser)
    try:
        page = await context.new_page()
        await page.goto("/signin/")
        await sign_in(page, patient.email)
        await page.wait_for_url("**/today/")
        prefix = "/es" if speaks == "es" else ""
        await page.goto(f"{prefix}/sharing/log/")
        trail = page.locator("#who-has-seen")
        await trail.wait_for()
        lists = trail.locator(".log-list")
        first = await lists.first.inner_text()
        if speaks == "en":
            assert "Taylor Therapist downloaded a session summary (PDF) once" in first
            views = await lists.nth(1).inner_text()
            assert "Taylor Therapist opened your progress 3 times" in views
            assert "not signed in" not in await trail.inner_text()
            before = await lists.nth(1).locator("li").count()
            await page.get_by_role("button", name="Earlier", exact=True).click()
            await page.wait_for_function(
                f"document.querySelectorAll('#who-has-seen .log-list')[1]"
                f".querySelectorAll('li').length > {before}")
            assert await page.get_by_role("button", name="Earlier", exact=True).count() == 0
        else:
            assert "descargó un resumen de sesión (PDF) una vez" in first
        assert await axe_violations(page) == []
        if SHOTS.is_dir():
            await page.screenshot(path=str(SHOTS / f"audit-who-has-seen-{speaks}.png"),
                                  full_page=True)
    finally:
        await context.close()
