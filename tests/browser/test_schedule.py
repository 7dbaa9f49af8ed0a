"""The program's schedule in a real browser, on a phone.

An admin (server command's link) sets the program's zone (New York), adds a track
that meets every day at 9:00 and a program-wide day off, invites a therapist; a
patient in London shares with the therapist, who puts them on the track. The
patient sees "Next group" under Today's greeting in their own time (English and
Spanish), the week on /groups/ with the day off said plainly, and downloads the
.ics (parsed back with icalendar). axe-core runs on every new screen; screenshots
go to /work/brief/shots/schedule-*.png (and test-artifacts/screenshots/).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.async_api import Browser, BrowserContext, Page

from tests.browser.conftest import (
    ARTIFACTS,
    BASE_URL,
    new_phone_context,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_today import LAYOUT_SHIFTS

pytestmark = pytest.mark.asyncio(loop_scope="session")

SHOTS = [ARTIFACTS / "screenshots", Path("/work/brief/shots")]
LAPTOP = {"width": 1280, "height": 800}
NEW_YORK, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")
# Times are written with CLDR's narrow no-break space before AM/PM.
TRACK = "Morning IOP: every day, 9:00\u202fAM to 12:00\u202fPM"


async def shoot(page: Page, name: str, *, full_page: bool = False) -> None:
    await page.wait_for_load_state("networkidle")
    if full_page:  # from the top, no focus ring on the skip link
        await page.evaluate("document.activeElement?.blur(); window.scrollTo(0, 0)")
    image = await page.screenshot(full_page=full_page)
    for folder in SHOTS:
        if folder.parent.exists():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"schedule-{name}.png").write_bytes(image)


async def no_overflow(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= await page.evaluate("window.innerWidth"), "the page scrolls sideways"


def london_clock(day: date) -> str:
    """9:00 in New York on `day`, as a London clock ("2:00 PM")."""
    moment = datetime.combine(day, time(9), tzinfo=NEW_YORK).astimezone(LONDON)
    return f"{moment.hour % 12 or 12}:{moment.minute:02d}"


async def test_admin_defines_therapist_places_patient_sees_and_downloads(
        browser: Browser) -> None:
    admin_ctx = await new_phone_context(browser, timezone_id="America/New_York")
    therapist_ctx = await new_phone_context(browser, timezone_id="America/New_York")
    patient_ctx: BrowserContext = await new_phone_context(browser, timezone_id="Europe/London",
                                                          accept_downloads=True)
    axe: dict[str, list] = {}
    ny_today = datetime.now(UTC).astimezone(NEW_YORK).date()
    day_off = ny_today + timedelta(days=2)
    try:
        # The admin sets the zone, a track and a program holiday.
        admin = await admin_ctx.new_page()
        await sign_up(admin, name="Morgan Admin", role="therapist")
        await admin.goto("/program/")
        await admin.get_by_role("link", name="Group schedule").click()
        await admin.wait_for_url("**/program/schedule/")
        await admin.get_by_text("Set the time zone your groups meet in").wait_for()
        await admin.get_by_label("Program time zone").select_option("America/New_York")
        await admin.get_by_role("button", name="Save time zone").click()
        await admin.get_by_text("Groups meet in America/New_York time").wait_for()
        # A bad form first: nothing saved, each problem said.
        await admin.get_by_role("button", name="Save track").click()
        await admin.locator("#weekdays-error").get_by_text("at least one day").wait_for()
        assert await admin.locator("#tracks").get_by_text("No tracks yet.").is_visible()
        await admin.get_by_label("Name (for example Morning IOP)").fill("Morning IOP")
        for weekday in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                        "Sunday"):
            await admin.get_by_label(weekday).check()
        await admin.get_by_label("Starts").fill("09:00")
        await admin.get_by_label("Ends").fill("12:00")
        await admin.get_by_label("First day").fill(ny_today.isoformat())
        await admin.get_by_role("button", name="Save track").click()
        await admin.get_by_text("Track saved.").wait_for()
        track = admin.locator("#tracks .track-row").first
        assert TRACK in await track.inner_text()
        await admin.get_by_label("Which track").select_option("all")
        await admin.get_by_label("Day", exact=True).fill(day_off.isoformat())
        await admin.get_by_label("Note (for example Thanksgiving)").fill("Staff training")
        await admin.get_by_role("button", name="Add day off").click()
        await admin.get_by_text("Day off saved.").wait_for()
        await track.get_by_text("Staff training").wait_for()
        await no_overflow(admin)
        axe["/program/schedule/"] = await axe_violations(admin)
        await shoot(admin, "admin-track", full_page=True)
        await admin.set_viewport_size(LAPTOP)
        await shoot(admin, "admin-track-1280", full_page=True)
        await admin.set_viewport_size({"width": 390, "height": 844})

        # A therapist of the program, and a patient in London who shares with them.
        await admin.goto("/program/")
        await admin.get_by_label("Who is it for? (only you see this)").fill("Dr. Lee")
        await admin.get_by_role("button", name="Make invitation link").click()
        link = (await admin.locator("#invitation-link").inner_text()).strip()
        therapist = await therapist_ctx.new_page()
        await sign_up(therapist, name="Dr. Lee", role="therapist", invitation=link)
        await therapist.get_by_role("button", name="Show a connect code").click()
        code = (await therapist.locator("#connect-code").inner_text()).strip()

        patient = await patient_ctx.new_page()
        await sign_up(patient, name="Riley")
        await patient.wait_for_load_state("networkidle")
        assert await patient.locator("#next-group").count() == 0  # on no track: nothing
        await patient.goto("/groups/")
        await patient.locator("#groups-none").wait_for()
        await patient.goto("/sharing/")
        await patient.get_by_label("Code from your therapist").fill(code)
        await patient.get_by_role("button", name="Continue").click()
        await patient.get_by_text("Share with Dr. Lee").wait_for()
        await patient.locator("#choose-form input[name=share_mood]").check()
        await patient.get_by_role("button", name="Continue to consent").click()
        await patient.get_by_label("Type your name to sign").fill("Riley")
        await patient.get_by_role("button", name="Sign and share").click()
        await patient.get_by_text("Signed. You now share with Dr. Lee.").wait_for()

        # The therapist puts the patient on the track.
        await therapist.goto("/patients/")
        await therapist.locator("#caseload > tbody > tr").filter(has_text="Riley").get_by_role(
            "link").click()
        section = therapist.locator("#group-track")
        await section.get_by_text("Not on a group track.").wait_for()
        await section.get_by_label("Put on a track (from today)").select_option(
            label=TRACK)
        await section.get_by_role("button", name="Save group track").click()
        await section.get_by_text("Saved: on Morning IOP").wait_for()
        axe["/patients/view/ (group track)"] = await axe_violations(therapist)
        await therapist.set_viewport_size(LAPTOP)
        await section.evaluate("(node) => window.scrollTo(0, node.offsetTop - 90)")
        await shoot(therapist, "therapist-group-track-1280")

        # The patient: "Next group" on Today, in London time.
        await patient.goto("/today/")
        line = patient.locator("#next-group")
        await line.wait_for()
        words = (await line.inner_text()).strip()
        now_ny = datetime.now(UTC).astimezone(NEW_YORK)
        if time(9) <= now_ny.time() < time(12):
            assert words.startswith("Group now, until"), words
        else:
            assert re.fullmatch(r"Next group: (today|tomorrow) \d{1,2}:\d{2}\s[AP]M", words), \
                words
            meeting_day = ny_today if now_ny.time() < time(9) else ny_today + timedelta(days=1)
            assert london_clock(meeting_day) in words, words
        greeting_box = await patient.locator(".lead").first.bounding_box()
        line_box = await line.bounding_box()
        assert line_box["y"] >= greeting_box["y"] + greeting_box["height"] - 1
        axe["/today/ (next group)"] = await axe_violations(patient)
        await shoot(patient, "today-en")
        # Opened again, the phone remembers the line: its place is held, nothing moves.
        await patient.reload()
        await patient.locator("#next-group").wait_for()
        await patient.locator(".lead").get_by_text("Hi Riley.").wait_for()
        shifts = await patient.evaluate(LAYOUT_SHIFTS)
        assert sum(value for value, _ in shifts) < 0.01, shifts

        # /groups/: the week in London time, the day off said plainly; the .ics.
        await line.click()
        await patient.wait_for_url("**/groups/")
        await patient.get_by_text("Your group: Morning IOP").wait_for()
        page_text = await patient.locator("main").inner_text()
        assert "Times are in your time zone (Europe/London)." in page_text
        assert "No group this day: Staff training" in page_text
        assert "This week" in page_text and "Next week" in page_text
        await no_overflow(patient)
        axe["/groups/"] = await axe_violations(patient)
        await shoot(patient, "groups-en", full_page=True)
        async with patient.expect_download() as download_info:
            await patient.get_by_role("link", name="Add to my calendar").click()
        download = await download_info.value
        assert download.suggested_filename == "groups.ics"
        calendar = Calendar.from_ical(Path(await download.path()).read_bytes())
        starts = [event.decoded("DTSTART") for event in calendar.walk("VEVENT")]
        assert starts and all(start.astimezone(NEW_YORK).time() == time(9)
                              for start in starts)
        assert day_off not in {start.astimezone(NEW_YORK).date() for start in starts}
        # new_program_link's program: a neutral title, no track name.
        assert {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")} == {
            "Group · Riverside IOP"}
        response = await patient.request.get(f"{BASE_URL}/calendar/groups.ics")
        assert response.headers["content-type"].startswith("text/calendar")

        # In Spanish: the same line and page.
        await patient.goto("/account/")
        # Chosen once the page is live: a choice made before it hydrates is drawn over.
        await wait_until_signed_in_page_is_ready(patient)
        await patient.get_by_label("Language / Idioma").select_option("es")
        await patient.get_by_role("button", name="Save details").click()
        await patient.wait_for_url("**/es/account/?language=1")
        await patient.goto("/es/today/")
        line = patient.locator("#next-group")
        await line.wait_for()
        words = (await line.inner_text()).strip()
        assert words.startswith(("Próximo grupo: hoy", "Próximo grupo: mañana",
                                 "Grupo ahora")), words
        axe["/es/today/ (next group)"] = await axe_violations(patient)
        await shoot(patient, "today-es")
        await patient.goto("/es/groups/")
        await patient.get_by_text("Tu grupo: Morning IOP").wait_for()
        assert "No hay grupo este día: Staff training" in \
            await patient.locator("main").inner_text()
        axe["/es/groups/"] = await axe_violations(patient)
        await shoot(patient, "groups-es", full_page=True)
        await patient.emulate_media(color_scheme="dark")
        await shoot(patient, "groups-es-dark", full_page=True)
        assert {route: found for route, found in axe.items() if found} == {}
    finally:
        for context in (admin_ctx, therapist_ctx, patient_ctx):
            await context.close()

