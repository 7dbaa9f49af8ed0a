"""Taking a group's attendance in a real browser, at 390x844 and 1280x800.

The program (made in the test server's database through core, as the server
commands and the admin page would) has two groups meeting every day, Morning and
Evening. Sam and Riley are on the Morning group, Jordan on both (a patient with a
morning skills group and an evening group), so two meetings happen today
whatever the weekday. A therapist who has no grant from Sam or Riley opens
/groups/attendance/, marks the Morning patients with one tap each, then Jordan
absent at the Evening group: the caseload then flags Jordan "Missed 2 groups this
week" in its tier, and Jordan's detail shows attendance by week. axe-core runs on
the page, every control is at least 44x44, and the screens are photographed
under /work/brief/shots/ when that folder exists.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from skills_app.core import attendance, auth, db, programs, schedule
from skills_app.core.dates import week_start
from skills_app.core.models import ProgramRole, TrackMember, User
from skills_app.text import formats, language
from tests.browser.conftest import (
    APP_DB_URL,
    ARTIFACTS,
    BASE_URL,
    STRONG_PASSWORD,
    new_phone_context,
    sign_in,
    unique_email,
)
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.sharing_helpers import share

pytestmark = pytest.mark.asyncio(loop_scope="session")

SHOTS = Path("/work/brief/shots")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}
ZONE = "America/Chicago"


def _seed(tag: str) -> SimpleNamespace:
    """The program, its people and groups, written through core into the server's
    database; returns the emails and ids the journey needs."""
    engine = db.make_engine(APP_DB_URL[0])
    db.use_engine(engine)
    try:
        program_id, _ = programs.create_program(f"Attendance IOP {tag}")

        def account(name: str, role: str, program_role: str = "therapist",
                    speaks: str = "en") -> SimpleNamespace:
            raw = {"display_name": name, "email": unique_email(name.split()[0]),
                   "password": STRONG_PASSWORD, "role": role, "time_zone": ZONE,
                   "language": speaks}
            if role == "therapist":
                raw["invitation"] = programs.create_invitation(
                    program_id, ProgramRole(program_role))
            result = auth.sign_up(raw, address="10.9.9.9")
            assert result.ok, result.errors
            return SimpleNamespace(email=raw["email"], identity=result.identity)

        admin = account("Ada Admin", "therapist", "admin")
        therapist = account("Dave Lopez", "therapist")
        sam, jordan = (account(name, "patient") for name in ("Sam Rivera", "Jordan Lee"))
        riley = account("Riley Chen", "patient", speaks="es")
        assert schedule.set_time_zone(admin.identity.user_id, ZONE) is None
        every_day = list(range(7))
        today = schedule.program_today(ZONE)
        first = (today - timedelta(days=21)).isoformat()
        tracks = {}
        for name, start, end in (("Morning IOP", "09:00", "12:00"),
                                 ("Evening IOP", "18:00", "21:00")):
            tracks[name], errors = schedule.save_track(admin.identity.user_id, None, {
                "name": name, "weekdays": every_day, "start": start, "end": end,
                "first_day": first, "last_day": ""})
            assert not errors, errors
        with db.transaction() as session:
            for patient, names in ((sam, ["Morning IOP"]), (riley, ["Morning IOP"]),
                                   (jordan, ["Morning IOP", "Evening IOP"])):
                for name in names:
                    session.add(TrackMember(track_id=tracks[name],
                                            patient_id=patient.identity.user_id,
                                            first_day=today - timedelta(days=21)))
        # Only Jordan shares with the therapist (mood only): Sam and Riley are names on
        # the group's list, nothing more.
        share(jordan, therapist, ("mood",))
        return SimpleNamespace(therapist=therapist.email, jordan=jordan.email,
                               riley=riley.email, tracks=tracks)
    finally:
        db.use_engine(None)
        engine.dispose()


async def _shot(page: Page, name: str, target: object = None) -> None:
    folder = SHOTS if SHOTS.is_dir() else ARTIFACTS
    folder.mkdir(exist_ok=True)
    path = str(folder / f"attendance-{name}.png")
    await page.evaluate("document.activeElement && document.activeElement.blur()")
    if target is None:
        await page.evaluate("window.scrollTo(0, 0)")
        await page.screenshot(path=path)
    else:
        await target.screenshot(path=path)


async def _mark(page: Page, name: str, status: str) -> None:
    line = page.locator("li.roster-line", has_text=name)
    button = line.get_by_role("button", name=status, exact=True)
    await button.click()
    await expect(button).to_have_attribute("aria-pressed", "true")
    await expect(page.locator("#attendance-saved")).to_contain_text(f"Saved: {name}")
    await expect(line.locator(".roster-status")).to_have_text(status)
    # The other three are not pressed.
    assert await line.locator("button[aria-pressed=true]").count() == 1


@pytest.mark.parametrize("size", list(VIEWPORTS))
async def test_a_therapist_marks_a_group_and_the_caseload_flags_two_missed_groups(
        browser: Browser, app_server: str, size: str) -> None:
    world = _seed(size)
    if size == "phone":
        context = await new_phone_context(browser, timezone_id=ZONE)
    else:
        context = await browser.new_context(base_url=BASE_URL, viewport=VIEWPORTS[size],
                                            timezone_id=ZONE)
        context.set_default_timeout(15_000)
    try:
        page = await context.new_page()
        await page.goto("/signin/")
        await sign_in(page, world.therapist)
        await page.wait_for_url("**/patients/")
        await page.get_by_role("link", name="Attendance", exact=True).click()
        await page.wait_for_url("**/groups/attendance/")
        await expect(page.locator("#roster li")).to_have_count(3)
        await expect(page.locator("#attendance-heading")).to_contain_text("Morning IOP, Today")
        assert await page.locator("#attendance-track").input_value() == str(
            world.tracks["Morning IOP"])
        names = await page.locator(".roster-name").all_inner_texts()
        assert names == ["Jordan Lee", "Riley Chen", "Sam Rivera"]
        # One tap each; the rest present in one tap.
        await _mark(page, "Jordan Lee", "Absent")
        await _mark(page, "Riley Chen", "Late")
        # A change of mind is one more tap.
        await _mark(page, "Riley Chen", "Present")
        await _shot(page, f"list-{VIEWPORTS[size]['width']}x{VIEWPORTS[size]['height']}")
        await page.locator("#mark-rest").click()
        await expect(page.locator("#attendance-saved")).to_have_text(
            "Saved: 1 patient marked present.")
        sam = page.locator("li.roster-line", has_text="Sam Rivera")
        await expect(sam.get_by_role("button", name="Present", exact=True)).to_have_attribute(
            "aria-pressed", "true")
        await expect(page.locator("#mark-rest")).to_have_count(0)
        assert await axe_violations(page) == []
        assert await page.evaluate(SMALL_TARGETS) == []
        group = page.locator("li.roster-line", has_text="Sam Rivera").get_by_role("group")
        assert await group.get_attribute("aria-label") == "Attendance for Sam Rivera"

        # The evening group: Jordan is its only patient; Absent in one tap.
        await page.locator("#attendance-track").select_option(label="Evening IOP")
        await expect(page.locator("#attendance-heading")).to_contain_text("Evening IOP")
        await expect(page.locator("#roster li")).to_have_count(1)
        await _mark(page, "Jordan Lee", "Absent")

        # The caseload: two absences this week put Jordan in tier 5.
        await page.get_by_role("link", name="Patients", exact=True).click()
        await page.wait_for_url("**/patients/")
        row = page.locator("#caseload > tbody > tr", has_text="Jordan Lee")
        await expect(row).to_contain_text("Missed 2 groups this week")
        await expect(row.locator(".tier-badge")).to_have_text("Tier 5 · Missed groups")
        await expect(row).to_contain_text("Next group")
        # Sam and Riley share nothing with this therapist: not on the caseload.
        assert await page.locator("#caseload > tbody > tr").count() == 1
        await _shot(page, f"caseload-{size}", row)

        await row.locator("a").click()
        await page.wait_for_url("**/patients/view/**")
        table = page.locator("#patient-attendance")
        await expect(table).to_contain_text("Week of")
        monday = week_start(schedule.program_today(ZONE))
        with language("en"):
            await expect(table.locator("tbody th").first).to_have_text(formats.day(monday))
        cells = await table.locator("tbody tr").first.locator("td").all_inner_texts()
        # Meetings, present, late, excused, absent, not marked: two meetings today, both
        # marked absent (earlier days this week were not marked).
        assert cells[4] == "2"
        await _shot(page, f"detail-{size}", table)
    finally:
        await context.close()


async def _own_attendance(browser: Browser, email: str, home: str, groups: str) -> Page:
    context = await new_phone_context(browser, timezone_id=ZONE)
    page = await context.new_page()
    await page.goto("/signin/")
    await sign_in(page, email)
    await page.wait_for_url(f"**{home}")
    await page.goto(groups)
    await expect(page.locator("#own-attendance li").first).to_be_visible()
    return page


async def test_patients_see_their_own_attendance_in_neutral_words(
        browser: Browser, app_server: str) -> None:
    """After the journey above: Jordan (English) and Riley (Spanish) on /groups/."""
    world = _seed("patients")
    engine = db.make_engine(APP_DB_URL[0])
    db.use_engine(engine)
    try:
        with db.read() as session:
            ids = {email: session.execute(select(User.id).where(User.email == email)
                                          ).scalar_one()
                   for email in (world.jordan, world.riley)}
            therapist = session.execute(select(User.id).where(
                User.email == world.therapist)).scalar_one()
        today = schedule.program_today(ZONE)
        for track in world.tracks.values():
            attendance.mark(therapist, track, ids[world.jordan], today, "absent")
        attendance.mark(therapist, world.tracks["Morning IOP"], ids[world.riley], today,
                        "present")
    finally:
        db.use_engine(None)
        engine.dispose()
    page = await _own_attendance(browser, world.jordan, "/today/", "/groups/")
    try:
        marks = await page.locator("#own-attendance li").all_inner_texts()
        assert len(marks) == 2 and all("Not marked as there" in mark for mark in marks)
        assert await axe_violations(page) == []
        await _shot(page, "patient-en", page.locator("#own-attendance-section"))
    finally:
        await page.context.close()
    page = await _own_attendance(browser, world.riley, "/es/today/", "/es/groups/")
    try:
        marks = await page.locator("#own-attendance li").all_inner_texts()
        assert len(marks) == 1 and "Estuviste" in marks[0]
        assert await page.locator("#own-attendance-section h2").inner_text() == \
            "Tu asistencia"
        await _shot(page, "patient-es", page.locator("#own-attendance-section"))
    finally:
        await page.context.close()
