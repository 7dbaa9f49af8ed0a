"""Reminders in the browser: the question after the first check-in, the Account ->
Reminders page (a daily check-in at 20:30 on weekdays, saved and kept after a
reload; a bad time refused kindly), the sent log and Today's due list from rows
the scheduler would have written, the Spanish page, light and dark, 390 and 360
wide, with axe and 44 px targets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from sqlmodel import select

from skills_app.core import db
from skills_app.core.clock import utcnow
from skills_app.core.models import DeliveryStatus, User
from tests.browser.conftest import (
    APP_DB_URL,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.reminder_helpers import add_delivery

pytestmark = pytest.mark.asyncio(loop_scope="session")

SHOTS = Path("/work/brief/shots")
PAGE = "/account/reminders/"


async def shot(page: Page, name: str, *, full: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"remui-{name}.png"), full_page=full)


@contextmanager
def app_database() -> Iterator[None]:
    engine = db.make_engine(APP_DB_URL[0])
    db.use_engine(engine)
    try:
        yield
    finally:
        db.use_engine(None)
        engine.dispose()


def user_id_of(email: str) -> int:
    with app_database(), db.read() as session:
        return session.exec(select(User.id).where(User.email == email)).one()


def add_deliveries(user_id: int) -> None:
    """What the scheduler would have written today: sent by phone, by email, in the app,
    and dropped for quiet hours and the daily limit."""
    now = utcnow().replace(second=0, microsecond=0)
    rows = [("checkin", 2, DeliveryStatus.SENT, "push", ""),
            ("practice", 3, DeliveryStatus.SENT, "email", ""),
            ("mindfulness", 4, DeliveryStatus.DROPPED, "", "quiet"),
            ("checkup", 5, DeliveryStatus.DROPPED, "", "cap"),
            ("checkin", 26, DeliveryStatus.DROPPED, "", "stale")]
    with app_database():
        for kind, minutes_ago, status, channel, reason in rows:
            add_delivery(user_id, kind, now - timedelta(minutes=minutes_ago), status, channel,
                         reason)


def set_language(user_id: int, language: str) -> None:
    with app_database(), db.transaction() as session:
        user = session.get(User, user_id)
        user.language = language
        session.add(user)


async def test_ask_once_then_set_a_weekday_check_in_at_2030(browser: Browser) -> None:
    context = await new_phone_context(browser, timezone_id="America/Chicago")
    page = await context.new_page()
    email = await sign_up(page, name="Robin")
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("#reminder-ask")).to_have_count(0)  # nothing saved yet

    # The first check-in brings the question, once.
    await page.get_by_label("7, Good").check()
    await page.get_by_role("button", name="Save check-in").click()
    ask = page.locator("#reminder-ask")
    await expect(ask).to_contain_text("Want a gentle reminder to check in each day?")
    await ask.evaluate("card => card.scrollIntoView({block: 'center'})")
    await shot(page, "today-ask", full=False)
    await ask.get_by_role("button", name="Set a reminder").click()
    await page.wait_for_url(f"**{PAGE}")

    # Everything is off until chosen.
    checkin = page.locator("#reminder-checkin")
    switch = checkin.get_by_role("switch", name="Daily check-in")
    await expect(switch).not_to_be_checked()
    preview = page.locator("#wording-preview .wording-preview:visible")
    await expect(preview).to_have_count(1)
    await expect(preview).to_contain_text("Your phone will show: Time for your practice")
    # The preview follows the wording ticked, before anything is saved.
    await page.get_by_role("radio", name="A moment for you").check()
    await expect(preview).to_contain_text("Your phone will show: A moment for you")
    await page.get_by_role("radio", name="Time for your practice").check()
    await switch.check()
    await checkin.get_by_label("Time").fill("20:30")
    await checkin.get_by_label("Saturday").uncheck()
    await checkin.get_by_label("Sunday").uncheck()
    await page.get_by_role("button", name="Save reminders").click()
    await expect(page.locator("#reminders-status")).to_have_text("Saved. Your reminders are set.")

    await page.reload()
    await wait_until_signed_in_page_is_ready(page)
    checkin = page.locator("#reminder-checkin")
    await expect(checkin.get_by_role("switch", name="Daily check-in")).to_be_checked()
    await expect(checkin.get_by_label("Time")).to_have_value("20:30")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        await expect(checkin.get_by_label(day)).to_be_checked()
    await expect(checkin.get_by_label("Saturday")).not_to_be_checked()
    await expect(checkin.get_by_label("Sunday")).not_to_be_checked()

    # A time that cannot be used is refused kindly, next to its field; nothing saved.
    await checkin.get_by_label("Time").fill("")
    await page.get_by_label("At most this many reminders a day").select_option("5")
    await page.get_by_role("button", name="Save reminders").click()
    await expect(page.locator("#checkin_time-error")).to_have_text(
        "Please enter a time between 00:00 and 23:59, like 20:30.")
    await expect(page.locator("#reminders-status")).to_have_text(
        "Nothing was saved. Please fix what is marked above.")
    await expect(checkin.get_by_label("Time")).to_have_attribute("aria-invalid", "true")
    await shot(page, "bad-time", full=False)
    await page.reload()
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("#reminder-checkin").get_by_label("Time")).to_have_value("20:30")
    await expect(page.get_by_label("At most this many reminders a day")).to_have_value("3")

    # The question never comes back.
    await page.goto("/today/")
    await wait_until_signed_in_page_is_ready(page)
    await page.get_by_label("5, Okay").check()
    await page.get_by_role("button", name="Save check-in").click()
    await expect(page.locator("#checkin-saved")).to_contain_text("Saved at")
    await expect(page.locator("#reminder-ask")).to_have_count(0)

    # The sent log and Today's due list, from rows the scheduler would have written.
    user_id = user_id_of(email)
    add_deliveries(user_id)
    await page.reload()
    due = page.locator("#reminders-due")
    await expect(due.locator("li")).to_have_count(2)
    await expect(due).to_contain_text("Time for your practice")
    await due.evaluate("card => card.scrollIntoView({block: 'center'})")
    await shot(page, "today-due", full=False)
    await due.locator("a[href='/practice/']").click()
    await page.wait_for_url("**/practice/")

    # Account links to the page.
    await page.goto("/account/")
    await wait_until_signed_in_page_is_ready(page)
    await page.locator("#reminders-link").click()
    await page.wait_for_url(f"**{PAGE}")
    await wait_until_signed_in_page_is_ready(page)
    log = page.locator("#sent-log li")
    await expect(log).to_have_count(5)
    await expect(log.nth(0)).to_contain_text("On your phone")
    await expect(log.nth(1)).to_contain_text("By email")
    await expect(log.nth(2)).to_contain_text("Not sent: quiet hours")
    await expect(log.nth(3)).to_contain_text("Not sent: daily limit")
    await expect(log.nth(4)).to_contain_text("Not sent: too late")
    await page.locator("#sent-log").evaluate("card => card.scrollIntoView({block: 'center'})")
    await shot(page, "sent-log", full=False)

    # The calendar link: shown once, then a new one replaces it.
    await page.get_by_role("button", name="Make a link").click()
    link = page.get_by_label("Your calendar link")
    await expect(link).to_have_value(
        re.compile(r"^http://localhost:\d+/calendar/feed/[\w-]+\.ics$"))
    first = await link.input_value()
    await expect(page.locator("#calendar-subscribe")).to_have_attribute(
        "href", "webcal://" + first.split("://", 1)[1])
    await page.locator("#calendar-feed").evaluate(
        "card => card.scrollIntoView({block: 'center'})")
    await shot(page, "calendar-link", full=False)
    feed = await page.request.get(first)
    assert feed.status == 200 and b"BEGIN:VCALENDAR" in await feed.body()
    await page.get_by_role("button", name="Make a new link").click()
    await expect(link).not_to_have_value(first)
    assert (await page.request.get(first)).status == 404
    await page.get_by_role("button", name="Turn off").click()
    await expect(link).to_have_count(0)

    # Light and dark, 390 and 360 wide: no violations, every target at least 44 px.
    for scheme in ("light", "dark"):
        await page.emulate_media(color_scheme=scheme)
        await page.reload()
        await wait_until_signed_in_page_is_ready(page)
        await expect(page.locator("#reminder-checkin")).to_be_visible()
        assert await axe_violations(page) == [], scheme
        assert await page.evaluate(SMALL_TARGETS) == [], scheme
        await shot(page, f"page-{scheme}-390")
    await page.set_viewport_size({"width": 360, "height": 800})
    await page.reload()
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("#reminder-checkin")).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    assert await page.evaluate(SMALL_TARGETS) == []
    await shot(page, "page-dark-360")
    await page.emulate_media(color_scheme="light")
    await page.reload()
    await expect(page.locator("#reminder-checkin")).to_be_visible()
    await shot(page, "page-light-360")

    # The Spanish page, for a patient who reads Spanish.
    set_language(user_id, "es")
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto("/es" + PAGE)
    await wait_until_signed_in_page_is_ready(page)
    await expect(page.locator("h1")).to_contain_text("Recordatorios")
    checkin = page.locator("#reminder-checkin")
    await expect(checkin.get_by_role("switch", name="Registro diario")).to_be_checked()
    await expect(page.locator("#sent-log li").nth(2)).to_contain_text(
        "No enviado: horas de silencio")
    assert await axe_violations(page) == []
    await shot(page, "page-es")
    await context.close()
