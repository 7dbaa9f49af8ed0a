"""The schedule's handlers called directly: the admin sets the zone, tracks and days off
(kind messages, nothing half-saved), the therapist puts a patient on a track, the
patient reads "Next group" and the week in their own zone (English and Spanish), and
the calendar route serves only the caller's own track."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from icalendar import Calendar
from sqlmodel import select
from starlette.applications import Starlette

from skills_app import calendar_routes
from skills_app.core import db, schedule
from skills_app.core.clock import frozen_clock
from skills_app.core.models import AuditEvent, Track, TrackMember
from skills_app.core.settings import SESSION_COOKIE
from skills_app.state.groups import GroupsState, NextGroupState
from skills_app.state.program import ScheduleState
from skills_app.state.therapist import GroupTrackState
from tests.conftest import Account, make_account, make_program
from tests.sharing_helpers import share
from tests.state.conftest import redirect_target, state_for

# Monday 7 December 2026, 08:00 in New York (13:00 in London).
MONDAY_8AM = datetime(2026, 12, 7, 13, tzinfo=UTC)
TRACK_FORM = {"track_id": "", "name": "Morning IOP", "weekday_0": "on", "weekday_2": "on",
              "weekday_3": "on", "start": "09:00", "end": "12:00", "first_day": "2026-12-01",
              "last_day": ""}


@pytest.fixture
def people(database: str) -> dict[str, Account]:
    with frozen_clock(MONDAY_8AM):
        program_id = make_program("Riverside")
        dave = make_account("dave", "therapist", program_id=program_id, program_role="admin")
        carol = make_account("carol", "therapist", program_id=program_id)
        alice = make_account("alice", "patient", "Europe/London")
        share(alice, carol, ("mood",))
    return {"admin": dave, "therapist": carol, "patient": alice}


async def admin_state(people: dict[str, Account]) -> ScheduleState:
    state = state_for(ScheduleState, people["admin"].token, "/program/schedule/")
    assert await state.load_schedule() is None
    return state


async def test_the_admin_needs_a_zone_then_adds_and_edits_a_track(people) -> None:  # noqa: ANN001
    with frozen_clock(MONDAY_8AM):
        state = await admin_state(people)
        assert state.program_zone == "" and state.tracks == []
        await state.save_zone({"time_zone": "Mars/Olympus"})
        assert "time zone" in state.zone_error and state.program_zone == ""
        await state.save_zone({"time_zone": "America/New_York"})
        assert state.program_zone == "America/New_York" and state.message == "Time zone saved."
        # Bad input: every problem said, nothing saved.
        await state.save_track(TRACK_FORM | {"name": "", "weekday_0": None, "weekday_2": None,
                                             "weekday_3": None, "end": "08:00"})
        assert set(state.track_errors) == {"name", "weekdays", "end"}
        assert "at least one day" in state.track_errors["weekdays"]
        assert "after the start time" in state.track_errors["end"]
        assert state.tracks == []
        await state.save_track(TRACK_FORM)
        assert state.message == "Track saved." and state.track_errors == {}
        [row] = state.tracks
        assert row["summary"] == "Morning IOP: Mon, Wed, Thu, 9:00\u202fAM to 12:00\u202fPM"
        state.edit_track(row["id"])
        assert state.form["name"] == "Morning IOP" and state.form["weekdays"] == ["0", "2", "3"]
        await state.save_track(state.form | {"weekday_0": "on", "weekday_2": "on",
                                             "weekday_3": "on", "start": "09:30"})
        assert state.tracks[0]["summary"].startswith("Morning IOP: Mon, Wed, Thu, 9:30")
        await state.add_exception({"exception_track": "all", "exception_day": "2026-12-24",
                                   "exception_note": "Holiday"})
        assert state.tracks[0]["exceptions"][0]["text"] == "Dec 24, 2026: Holiday"
        await state.add_exception({"exception_track": str(row["id"]),
                                   "exception_day": "2026-11-30", "exception_note": ""})
        assert "outside" in state.exception_error
        await state.remove_exception(state.tracks[0]["exceptions"][0]["id"])
        assert state.tracks[0]["exceptions"] == []
        await state.archive_track(row["id"])
        assert state.tracks == [] and len(state.archived) == 1


async def test_a_therapist_is_sent_away_from_the_admin_page(people) -> None:  # noqa: ANN001
    # On the fixture's clock: a therapist's session made at MONDAY_8AM has ended by the
    # wall clock of a later day (or later the same day), and the refusal is a sign-in.
    with frozen_clock(MONDAY_8AM):
        state = state_for(ScheduleState, people["therapist"].token, "/program/schedule/")
        assert redirect_target(await state.load_schedule()) == "/patients/"
        assert state.tracks == []


async def test_therapist_places_and_patient_sees_next_group_in_london_time(
        people) -> None:  # noqa: ANN001
    with frozen_clock(MONDAY_8AM):
        state = await admin_state(people)
        await state.save_zone({"time_zone": "America/New_York"})
        await state.save_track(TRACK_FORM)
        track_id = state.tracks[0]["id"]
        alice = people["patient"]
        path = f"/patients/view/?id={alice.identity.user_id}"
        section = state_for(GroupTrackState, people["therapist"].token, path)
        await section.load_group_track()
        assert section.shown and section.current == ""
        assert [choice["id"] for choice in section.choices] == [str(track_id)]
        await section.place({"track_id": str(track_id)})
        assert section.error == "" and section.current.startswith("Morning IOP")
        assert section.message.startswith("Saved: on Morning IOP")
        with db.read() as session:
            assert session.exec(select(AuditEvent.action).where(
                AuditEvent.patient_id == alice.identity.user_id,
                AuditEvent.allowed.is_(True))).all()[-1] == "group_track"

        line = state_for(NextGroupState, alice.token, "/today/")
        await line.load_next_group()
        assert line.next_group == "Next group: today 2:00\u202fPM"  # 9:00 in New York
        spanish = state_for(NextGroupState, alice.token, "/es/today/")
        from skills_app import text
        with text.language("es"):
            await spanish.load_next_group()
        assert spanish.next_group.startswith("Próximo grupo: hoy 2:00")

        page = state_for(GroupsState, alice.token, "/groups/")
        assert await page.load_groups() is None
        screen = page.screen
        assert screen["track_line"] == "Your group: Morning IOP"
        this_week = screen["weeks"][0]
        assert [row["day"] for row in this_week["rows"]] == [
            "Monday, December 7", "Wednesday, December 9", "Thursday, December 10"]
        assert this_week["rows"][0]["text"] == "2:00\u202fPM to 5:00\u202fPM"

        # Off the track: nothing on Today.
        await section.place({"track_id": "0"})
        await line.load_next_group()
        assert line.next_group == "" and line.next_group_loaded


async def test_a_therapist_without_the_grant_sees_no_section_and_changes_nothing(
        people) -> None:  # noqa: ANN001
    with frozen_clock(MONDAY_8AM):
        state = await admin_state(people)
        await state.save_zone({"time_zone": "America/New_York"})
        await state.save_track(TRACK_FORM)
        other = make_account("erin", "therapist", program_id=None)
        path = f"/patients/view/?id={people['patient'].identity.user_id}"
        section = state_for(GroupTrackState, other.token, path)
        await section.load_group_track()
        assert not section.shown and section.choices == []
        await section.place({"track_id": str(state.tracks[0]["id"])})
        with db.read() as session:
            assert session.exec(select(TrackMember)).all() == []
            assert session.exec(select(Track)).all()[0].archived_at is None


async def test_the_calendar_route_serves_the_patients_own_track(people) -> None:  # noqa: ANN001
    with frozen_clock(MONDAY_8AM):
        state = await admin_state(people)
        await state.save_zone({"time_zone": "America/New_York"})
        await state.save_track(TRACK_FORM)
        assert schedule.place_patient(people["therapist"].identity.user_id,
                                      people["patient"].identity.user_id,
                                      state.tracks[0]["id"]) is None
        transport = httpx.ASGITransport(app=Starlette(routes=calendar_routes.routes))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
            answer = await http.get("/calendar/groups.ics", headers={
                "Cookie": f"{SESSION_COOKIE}={people['patient'].token}"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="groups.ics"'
    calendar = Calendar.from_ical(answer.content)
    events = calendar.walk("VEVENT")
    assert events[0].decoded("DTSTART") == datetime(2026, 12, 7, 14, tzinfo=UTC)
    assert {str(event["SUMMARY"]) for event in events} == {"Group · Riverside"}
    assert "Morning IOP" not in answer.text
