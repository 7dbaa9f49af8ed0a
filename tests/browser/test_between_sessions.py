"""The loop between sessions, end to end, at 390x844 (light) and 1280x800 (dark).

An admin (from the server command's link) sets the program's time zone and
defines two tracks, Morning and Evening, meeting every day. A therapist of the
program connects a patient who shares mood, exercises and homework, assigns
DEAR MAN on two weekdays (today's one of them) and the diary card every day,
and puts the patient on the Morning track. The patient sees "From your
therapist" first on Today with the next group under the greeting, opens
DEAR MAN from there and finishes it with no signal; back online it is sent
once. The therapist then sees "Homework 1 of 2 this week" and the distress
change, marks the patient absent at today's Morning group, moves them to the
Evening track and marks them absent there too: the caseload flags "Missed 2
groups this week" in its tier, and the report page has the homework and the
attendance. Everything is done through the screens, nothing seeded.

Screenshots (test-artifacts/screenshots/, and /work/brief/shots/ when that folder
exists): Today with homework and the next group, the attendance list, the
caseload row, the report page.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS, sign_up
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_homework_therapist import connect
from tests.browser.test_practice_flow import answer_dear_man_up_to, finished_rows, screen
from tests.browser.test_sharing_journey import new_context, no_overflow

pytestmark = pytest.mark.asyncio(loop_scope="session")

ZONE = "America/Chicago"
SHARED = ("mood", "exercises", "homework")
# Times are written with CLDR's narrow no-break space before AM/PM.
MORNING = "Morning IOP: every day, 9:00\u202fAM to 12:00\u202fPM"
EVENING = "Evening IOP: every day, 6:00\u202fPM to 9:00\u202fPM"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


async def shot(page: Page, name: str, viewport: str, *, full_page: bool = False,
               part: str = "") -> None:
    await page.wait_for_load_state("networkidle")
    await page.evaluate("document.activeElement && document.activeElement.blur()")
    image = await (page.locator(part).screenshot() if part
                   else page.screenshot(full_page=full_page))
    for folder in (ARTIFACTS / "screenshots", Path("/work/brief/shots")):
        if folder.parent.exists():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"between-sessions-{name}-{viewport}.png").write_bytes(image)


async def add_track(admin: Page, name: str, starts: str, ends: str, first_day: str) -> None:
    await admin.get_by_label("Name (for example Morning IOP)").fill(name)
    for weekday in WEEKDAYS:
        await admin.get_by_label(weekday).check()
    await admin.get_by_label("Starts").fill(starts)
    await admin.get_by_label("Ends").fill(ends)
    await admin.get_by_label("First day").fill(first_day)
    await admin.get_by_role("button", name="Save track").click()
    await admin.locator("#tracks .track-row", has_text=name).wait_for()


async def mark(page: Page, track: str, name: str, status: str) -> None:
    await page.locator("#attendance-track").select_option(label=track)
    await expect(page.locator("#attendance-heading")).to_contain_text(f"{track}, Today")
    line = page.locator("li.roster-line", has_text=name)
    button = line.get_by_role("button", name=status, exact=True)
    await button.click()
    await expect(button).to_have_attribute("aria-pressed", "true")
    await expect(page.locator("#attendance-saved")).to_contain_text(f"Saved: {name}")


async def place(therapist: Page, track: str) -> None:
    section = therapist.locator("#group-track")
    await section.get_by_label("Put on a track (from today)").select_option(label=track)
    await section.get_by_role("button", name="Save group track").click()
    await section.get_by_text(f"Saved: on {track.split(':')[0]}").wait_for()


@pytest.mark.parametrize(("viewport", "scheme"), [("phone", "light"), ("laptop", "dark")])
async def test_homework_groups_and_attendance_close_the_loop(
        browser: Browser, app_data: Path, viewport: str, scheme: str) -> None:
    admin_ctx = await new_context(browser, viewport, scheme)
    therapist_ctx = await new_context(browser, viewport, scheme)
    patient_ctx = await new_context(browser, viewport, scheme)
    axe: dict[str, list] = {}
    today = datetime.now(ZoneInfo(ZONE)).date()
    try:
        # The admin: the program's zone and two tracks.
        admin = await admin_ctx.new_page()
        await sign_up(admin, name="Morgan Admin", role="therapist")
        await admin.goto("/program/schedule/")
        await admin.get_by_label("Program time zone").select_option(ZONE)
        await admin.get_by_role("button", name="Save time zone").click()
        await admin.get_by_text(f"Groups meet in {ZONE} time").wait_for()
        await add_track(admin, "Morning IOP", "09:00", "12:00", today.isoformat())
        await add_track(admin, "Evening IOP", "18:00", "21:00", today.isoformat())
        await admin.goto("/program/")
        await admin.get_by_label("Who is it for? (only you see this)").fill("Dr. Lee")
        await admin.get_by_role("button", name="Make invitation link").click()
        link = (await admin.locator("#invitation-link").inner_text()).strip()

        # The therapist connects a patient who shares mood, exercises and homework.
        therapist = await therapist_ctx.new_page()
        await sign_up(therapist, name="Dr. Lee", role="therapist", invitation=link)
        patient = await patient_ctx.new_page()
        email = await connect(therapist, patient, SHARED)

        # Homework: DEAR MAN on today's weekday and two days on, the diary card daily.
        await therapist.goto("/patients/")
        row = therapist.locator("#caseload > tbody > tr", has_text="Riley")
        await row.get_by_role("link").click()
        await therapist.locator("#homework").wait_for()
        await therapist.get_by_role("button", name="Assign homework").click()
        form = therapist.locator("#assign-form")
        await form.get_by_label("Find an exercise").fill("dear")
        await form.get_by_label("DEAR MAN: ask for what you want").check()
        await form.get_by_label("On chosen days").check()
        toggles = form.locator(".day-toggle")
        await toggles.nth(today.weekday()).click()
        await toggles.nth((today.weekday() + 2) % 7).click()
        await form.get_by_role("button", name="Assign").click()
        await therapist.locator("#hw-message").get_by_text("Assigned.").wait_for()
        await therapist.get_by_role("button", name="Assign homework").click()
        await form.get_by_label("Diary card").check()
        await form.get_by_role("button", name="Assign").click()
        await therapist.locator("#hw-list").get_by_text("Diary card").wait_for()
        # And the Morning group.
        await place(therapist, MORNING)

        # The patient: what the therapist asked comes first, the next group under the
        # greeting.
        await patient.goto("/today/")
        card = patient.locator("#today-homework")
        await expect(card.locator("li")).to_have_count(2)
        assert await patient.locator("main .card").first.get_attribute("id") == \
            "today-homework"
        assert (await card.bounding_box())["y"] < \
            (await patient.locator("#checkin-form").bounding_box())["y"]
        await expect(card).to_contain_text("DEAR MAN")
        await expect(card).to_contain_text("Fill in your diary card")
        await expect(patient.locator("#next-group")).to_contain_text(
            re.compile(r"Next group: (today|tomorrow) (9:00|6:00)|Group now"))
        await no_overflow(patient)
        axe["/today/ (homework, next group)"] = await axe_violations(patient)
        await shot(patient, "today", viewport)

        # DEAR MAN from Today, finished with no signal, sent once when back.
        await card.locator("a", has_text="DEAR MAN").click()
        await patient.wait_for_url("**/practice/do/?id=dear-man")
        await expect(screen(patient)).to_contain_text("How strong is your distress")
        await answer_dear_man_up_to(patient, 9)
        await expect(screen(patient)).to_contain_text("How did it go?")
        await patient.get_by_label("Distress after 3", exact=True).check()
        await patient.get_by_label("A little", exact=True).check()
        await patient.context.set_offline(True)
        await patient.get_by_role("button", name="Finish").click()
        await expect(patient.locator("[data-draft-status]")).to_contain_text("offline")
        await asyncio.sleep(3)
        assert finished_rows(app_data, email) == []
        await patient.context.set_offline(False)
        await expect(patient.locator("#finished-view")).to_contain_text(
            "Finished at", timeout=30_000)
        await asyncio.sleep(4)  # any resend still on its way has arrived
        assert [r[0] for r in finished_rows(app_data, email)] == ["dear-man"]
        await patient.goto("/today/")
        await expect(patient.locator("#today-homework li", has_text="DEAR MAN")
                     ).to_contain_text("Done today")

        # The therapist: 1 of 2 this week, and how DEAR MAN went.
        await therapist.goto("/patients/")
        await expect(row).to_contain_text("Homework 1 of 2 this week")
        await row.get_by_role("link").click()
        await expect(therapist.locator("#hw-list")).to_contain_text("distress 7 → 3")

        # Attendance: absent at today's Morning group; moved to Evening, absent there too.
        await therapist.goto("/groups/attendance/")
        await mark(therapist, "Morning IOP", "Riley", "Absent")
        await no_overflow(therapist)
        axe["/groups/attendance/"] = await axe_violations(therapist)
        await shot(therapist, "attendance", viewport)
        await therapist.goto("/patients/")
        await row.get_by_role("link").click()
        await therapist.locator("#group-track").wait_for()
        await place(therapist, EVENING)
        await therapist.goto("/groups/attendance/")
        await mark(therapist, "Evening IOP", "Riley", "Absent")

        # The caseload flags it in its tier; the report has homework and attendance.
        await therapist.goto("/patients/")
        await expect(row).to_contain_text("Missed 2 groups this week")
        await expect(row.locator(".tier-badge")).to_have_text("Tier 5 · Missed groups")
        await expect(row).to_contain_text("Homework 1 of 2 this week")
        # Homework and the group track each get their column in the caseload table.
        headers = therapist.locator("#caseload thead th")
        await expect(headers.filter(has_text="Homework")).to_have_count(1)
        await expect(headers.filter(has_text="Groups")).to_have_count(1)
        assert await row.locator("th, td").count() == await headers.count()
        await no_overflow(therapist)
        axe["/patients/ (flags)"] = await axe_violations(therapist)
        await shot(therapist, "caseload-row", viewport, part="#caseload > tbody > tr")
        await row.get_by_role("link").click()
        await expect(therapist.locator("#patient-attendance tbody tr").first.locator("td")
                     .nth(4)).to_have_text("2")
        await therapist.get_by_role("link", name="Printable page").click()
        report = therapist.locator("#report-homework")
        await expect(report).to_contain_text("distress 7 → 3")
        await expect(therapist.locator("#patient-attendance")).to_be_visible()
        await no_overflow(therapist)
        axe["/patients/report/"] = await axe_violations(therapist)
        await shot(therapist, "report", viewport, full_page=True)
        assert {where: found for where, found in axe.items() if found} == {}
    finally:
        for context in (admin_ctx, therapist_ctx, patient_ctx):
            await context.close()
