"""Homework on the patient's phone (390x844): what the therapist asked comes first on
Today, one tap starts it, finishing it the usual way ticks it, the week view shows it,
and "Not for me this week" works (and is undone), in English and Spanish, light and
dark. The therapist, the program, the grant and the assignments are seeded through
core functions, as the therapist's screens would make them.

Screenshots of Today with homework and of /homework/ go to /work/brief/shots/
(SKILLS_SHOTS overrides the folder).
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect
from sqlalchemy import delete, select

from skills_app import text
from skills_app.core import auth, db, exercises, homework, programs
from skills_app.core.dates import local_today
from skills_app.core.models import Assignment, PlanReview, User
from skills_app.text import _
from tests.browser.conftest import (
    STRONG_PASSWORD,
    new_phone_context,
    sign_in,
    unique_email,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_practice_flow import DEAR_MAN, screen
from tests.browser.test_today import LAYOUT_SHIFTS
from tests.sharing_helpers import safety_plan, share

pytestmark = pytest.mark.asyncio(loop_scope="session")

SHOTS = Path(os.environ.get("SKILLS_SHOTS", "/work/brief/shots"))
ZONE = "America/Chicago"
NOTE = "Try it with your landlord before Thursday's group."


def seed(app_data: Path, language: str) -> str:
    """A program, its therapist, a patient sharing with them, DEAR MAN due today and a
    daily diary card; the patient's email."""
    engine = db.make_engine(f"sqlite:///{app_data / 'browser.db'}")
    db.use_engine(engine)
    try:
        program_id, _ = programs.create_program(f"Program {uuid.uuid4().hex[:6]}")
        therapist = auth.sign_up({
            "display_name": "Dr. Rivera", "email": unique_email("ther"),
            "password": "seven orange kites above the meadow", "role": "therapist",
            "time_zone": "America/New_York",
            "invitation": programs.create_invitation(program_id, programs.ProgramRole.THERAPIST),
        }, address="10.9.9.9")
        email = unique_email("sam")
        patient = auth.sign_up({"display_name": "Sam", "email": email,
                                "password": STRONG_PASSWORD, "role": "patient",
                                "time_zone": ZONE, "language": language}, address="10.9.9.9")
        assert therapist.ok and patient.ok
        share(SimpleNamespace(identity=patient.identity),
              SimpleNamespace(identity=therapist.identity), ("mood", "exercises", "homework"))
        today = local_today(ZONE).isoformat()
        for fields in ({"kind": "exercise", "exercises": ["dear-man"], "repeat": "once",
                        "end_day": today, "note": NOTE},
                       {"kind": "diary_card", "repeat": "daily"}):
            ids, problems = homework.assign(therapist.identity.user_id,
                                            patient.identity.user_id,
                                            {"idempotency_key": str(uuid.uuid4()), **fields})
            assert ids and not problems, problems
        return email
    finally:
        db.use_engine(None)
        engine.dispose()


async def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.evaluate("window.scrollTo(0, 0)")
    await page.screenshot(path=str(SHOTS / f"homework-{name}.png"), full_page=True)


async def card_first(page: Page) -> None:
    """The homework card is the first card of Today, above the check-in."""
    card = page.locator("#today-homework")
    await expect(card).to_be_visible()
    first = await page.locator("main .card").first.get_attribute("id")
    assert first == "today-homework"
    homework_top = (await card.bounding_box())["y"]
    assert homework_top < (await page.locator("#checkin-form").bounding_box())["y"]


WORDS = {
    "en": {"prefix": "", "from": "From your therapist", "done": "Done today",
           "not_for_me": "Not for me this week", "skipped": "Not for you this week.",
           "undo": "Undo: put it back on my week", "diary": "Fill in your diary card",
           "reason": "Why not this week? (optional)", "week": "This week"},
    "es": {"prefix": "/es", "from": "De tu terapeuta", "done": "Hecho hoy",
           "not_for_me": "Esta semana no es para mí", "skipped": "Esta semana no es para ti.",
           "undo": "Deshacer: volver a ponerla en mi semana",
           "diary": "Llena tu tarjeta diaria", "reason": "¿Por qué no esta semana? (opcional)",
           "week": "Esta semana"},
}


@pytest.mark.parametrize("language", ["en", "es"])
async def test_homework_first_on_today_done_the_usual_way_and_the_week(
        browser: Browser, app_data: Path, language: str) -> None:
    words = WORDS[language]
    email = seed(app_data, language)
    context = await new_phone_context(browser, timezone_id=ZONE, color_scheme="light")
    try:
        page = await open_today(context, language, email)
        card = page.locator("#today-homework")
        await expect(card.get_by_role("heading", name=words["from"])).to_be_visible()
        await expect(card.locator("li")).to_have_count(2)
        await expect(card).to_contain_text(words["diary"])
        await expect(card).not_to_contain_text(words["done"])
        assert await axe_violations(page) == []
        await shot(page, f"today-{language}-light")

        # One tap starts DEAR MAN; finishing it the usual way is what ticks it.
        await card.locator("a", has_text="DEAR MAN").click()
        await page.wait_for_url("**/practice/do/?id=dear-man")
        await wait_until_signed_in_page_is_ready(page)
        await finish_dear_man(page, language)
        await expect(page.locator("#finished-view")).to_be_visible()
        await page.goto(f"{words['prefix']}/today/")
        dear_man = page.locator("#today-homework li", has_text="DEAR MAN")
        await expect(dear_man).to_contain_text(words["done"])
        await expect(dear_man.locator("svg")).to_have_count(1)  # a tick beside the word
        await card_first(page)
        await shot(page, f"today-{language}-done")
        # Opened again, the card's slot holds its height until the card arrives: nothing
        # under it moves.
        await page.reload()
        await expect(dear_man).to_contain_text(words["done"])
        shifts = await page.evaluate(LAYOUT_SHIFTS)
        assert sum(value for value, _ in shifts) < 0.01, shifts

        # The week view: Mon-Sun, today's cell done for DEAR MAN, the therapist's note.
        await card.get_by_role("link", name="See your week" if language == "en"
                               else "Ver tu semana").click()
        await page.wait_for_url(f"**{words['prefix']}/homework/")
        await expect(page.locator("#homework-week-label")).to_have_text(words["week"])
        dear_man_card = page.locator("article.homework-week-card", has_text="DEAR MAN")
        await expect(dear_man_card).to_contain_text(NOTE)
        await expect(dear_man_card.locator(".homework-days li")).to_have_count(7)
        await expect(dear_man_card.locator(".homework-day.today [data-done='true']")
                     ).to_have_count(1)
        assert await axe_violations(page) == []
        await shot(page, f"week-{language}-light")

        # Not for me this week, with a reason; then undone.
        diary = page.locator("article.homework-week-card", has_text=words["diary"])
        await diary.get_by_role("button", name=words["not_for_me"]).click()
        await diary.get_by_label(words["reason"]).fill("Visiting my sister")
        await diary.get_by_role("button", name=words["not_for_me"]).click()
        await expect(diary).to_contain_text(words["skipped"])
        await expect(diary).to_contain_text("Visiting my sister")
        await diary.get_by_role("button", name=words["undo"]).click()
        await expect(diary).not_to_contain_text(words["skipped"])
        await expect(diary.get_by_role("button", name=words["not_for_me"])).to_be_visible()
    finally:
        await context.close()


async def open_today(context: BrowserContext, language: str, email: str) -> Page:
    """Sign in on the sign-in page of `language`; Today, its homework card first."""
    prefix = WORDS[language]["prefix"]
    page = await context.new_page()
    await page.goto(f"{prefix}/signin/")
    with text.language(language):
        email_label, password_label, button = _("Email"), _("Password"), _("Sign in")
    await page.get_by_label(email_label).fill(email)
    await page.get_by_label(password_label, exact=True).fill(STRONG_PASSWORD)
    await page.get_by_role("button", name=button).click()
    await page.wait_for_url(f"**{prefix}/today/")
    await wait_until_signed_in_page_is_ready(page)
    await card_first(page)
    return page


async def finish_dear_man(page: Page, language: str) -> None:
    """DEAR MAN from its first screen to Finish, in the page's language."""
    with text.language(language):
        next_word, finish = _("Next"), _("Finish")
        now, after = _("Distress now"), _("Distress after")
    await page.get_by_label(f"{now} 7", exact=True).check()
    await screen(page).get_by_role("button", name=next_word).click()
    for step in exercises.exercise("dear-man").steps:
        if step.key in DEAR_MAN:
            await screen(page).locator("input:not([type=hidden]), textarea").fill(
                DEAR_MAN[step.key])
        elif step.key == "how":
            await screen(page).locator("input[type=checkbox]").first.check()
        await screen(page).get_by_role("button", name=next_word).click()
    await page.get_by_label(f"{after} 3", exact=True).check()
    await page.get_by_role("button", name=finish).click()


@pytest.mark.parametrize("language", ["en", "es"])
async def test_homework_screens_in_dark_mode(browser: Browser, app_data: Path,
                                             language: str) -> None:
    words = WORDS[language]
    email = seed(app_data, language)
    context = await new_phone_context(browser, timezone_id=ZONE, color_scheme="dark")
    try:
        page = await open_today(context, language, email)
        await shot(page, f"today-{language}-dark")
        await page.goto(f"{words['prefix']}/homework/")
        await expect(page.locator("article.homework-week-card")).to_have_count(2)
        assert await axe_violations(page) == []
        await shot(page, f"week-{language}-dark")
    finally:
        await context.close()


async def test_i_read_my_plan_today_offline_counts_once_back_online(
        browser: Browser, app_data: Path) -> None:
    """A "read your safety plan" homework: the tap made with no signal is kept on the
    phone and counts once when it is back."""
    email = seed(app_data, "en")
    engine = db.make_engine(f"sqlite:///{app_data / 'browser.db'}")
    db.use_engine(engine)
    try:
        with db.read() as session:
            patient_id, = session.execute(select(User.id).where(User.email == email)).one()
            therapist_id = session.execute(select(Assignment.assigned_by).where(
                Assignment.patient_id == patient_id)).scalars().first()
        safety_plan(SimpleNamespace(identity=SimpleNamespace(user_id=patient_id)))
        with db.transaction() as session:  # the plan saved just now counts as read today
            session.execute(delete(PlanReview).where(PlanReview.user_id == patient_id))
        ids, problems = homework.assign(therapist_id, patient_id, {
            "idempotency_key": str(uuid.uuid4()), "kind": "plan_review", "target": "safety",
            "repeat": "daily"})
        assert ids and not problems, problems
    finally:
        db.use_engine(None)
        engine.dispose()
    context = await new_phone_context(browser, timezone_id=ZONE)
    try:
        page = await context.new_page()
        await page.goto("/signin/")
        await sign_in(page, email)
        await page.wait_for_url("**/today/")
        plan = page.locator("#today-homework li", has_text="Read your safety plan")
        await expect(plan).not_to_contain_text("Done today")
        await plan.locator("a").click()
        await page.wait_for_url("**/safety-plan/")
        await wait_until_signed_in_page_is_ready(page)
        read_today = page.get_by_role("button", name="I read my plan today")
        await expect(read_today).to_be_enabled()  # the plan has arrived
        await page.context.set_offline(True)
        await read_today.click()
        await expect(page.locator("[data-draft-status='safety-review']")).to_contain_text(
            "offline")
        await page.context.set_offline(False)
        await expect(page.get_by_text("Thanks. You read your plan today.")).to_be_visible(
            timeout=30_000)
        with sqlite3.connect(app_data / "browser.db") as connection:
            assert connection.execute("SELECT count(*) FROM plan_review WHERE user_id = ?",
                                      (patient_id,)).fetchone() == (1,)
        await shot(page, "plan-read-today-en-light")
        await page.goto("/today/")
        await expect(plan).to_contain_text("Done today")
    finally:
        await context.close()
