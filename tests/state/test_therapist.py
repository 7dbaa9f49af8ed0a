"""Therapist and program-admin handlers called directly: the caseload shows exactly the
shared categories, forged patient ids show nothing and are logged, the connect code
comes with a QR code, and admins invite and deactivate only in their own program."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from skills_app.core import audit, db, programs
from skills_app.core.clock import utcnow
from skills_app.core.dates import local_today
from skills_app.core.models import AuditEvent
from skills_app.state.program import JoinState, ProgramState
from skills_app.state.therapist import CaseloadState, PatientDetailState
from skills_app.text import formats
from tests.conftest import Account, make_account, make_program
from tests.sharing_helpers import MARKERS, checkup, diary_entry, safety_plan, share
from tests.state.conftest import redirect_target, state_for


def chicago_today() -> date:
    return local_today("America/Chicago")


def during_chicago_today() -> datetime:
    """A moment of the patients' today that is also today in UTC (what `checkup` files
    its result under) and not in the future, whatever the hour the test runs."""
    now, today = utcnow(), chicago_today()
    return now if now.date() == today else datetime(today.year, today.month, today.day, 23,
                                                    tzinfo=UTC)


async def test_the_caseload_lists_sharing_patients_with_their_flags(
        alice: Account, bob: Account, carol: Account) -> None:
    today = chicago_today()
    diary_entry(alice, today, urge_suicide=5)
    share(alice, carol, ("safety", "mood", "substance_use"))
    state = state_for(CaseloadState, carol.token, "/patients/")
    assert await state.load_caseload() is None
    assert [row["name"] for row in state.rows] == ["Alice"]
    assert state.rows[0]["flags"] == [f"Suicide urge 5 — {formats.day(today)}"]
    assert state.rows[0]["tier"] == "Tier 2 · Strong suicide or self-harm urge"
    assert "Bob" not in repr(state.dict())
    await state.sort_by("<script>")
    assert state.sort == "flags"


async def test_mood_only_with_self_harm_and_item9_shows_safety_not_shared(
        alice: Account, bob: Account, carol: Account) -> None:
    """The issue's case: acted-on self-harm today and PHQ-9 item 9 at 2, shared with a
    therapist who sees mood only. The list never says "No flags" for them."""
    today = chicago_today()
    diary_entry(alice, today, urge_self_harm=5, acted_self_harm=True)
    checkup(alice, item9=2, at=during_chicago_today())
    diary_entry(bob, today)
    share(alice, carol, ("mood",))
    share(bob, carol, ("safety", "mood", "substance_use"))
    state = state_for(CaseloadState, carol.token, "/patients/")
    assert await state.load_caseload() is None
    rows = {row["name"]: row for row in state.rows}
    assert rows["Alice"]["not_shared"] == ["Safety: not shared by this patient",
                                           "Substance use: not shared by this patient"]
    assert not rows["Alice"]["no_flags"] and rows["Alice"]["flags"] == []
    assert rows["Bob"]["no_flags"] and rows["Bob"]["not_shared"] == []
    sent = repr(state.dict())  # what a hydrate would send to the therapist's browser
    assert "Self-harm" not in sent and "item 9:" not in sent
    detail = state_for(PatientDetailState, carol.token,
                       f"/patients/view/?id={alice.identity.user_id}")
    await detail.load_detail()
    assert detail.screen["not_shared"] == rows["Alice"]["not_shared"]
    assert not detail.screen["no_flags"]
    titles = {s["title"].split(":")[0]: s["not_shared"] for s in detail.screen["sections"]}
    assert titles["Life-threatening"] == ["Safety: not shared by this patient"]
    assert detail.screen["checkup_lines"] == ["Check-ups: not shared by this patient"]
    assert detail.screen["plan_line"] == "Safety plan: not shared by this patient"


ITEM9 = "PHQ-9 item 9: thoughts of death or self-harm"


async def test_item9_is_a_flag_only_with_measures_shared(
        alice: Account, bob: Account, carol: Account) -> None:
    for patient in (alice, bob):
        diary_entry(patient, chicago_today())
        checkup(patient, item9=2, at=during_chicago_today())
        safety_plan(patient)
    share(alice, carol, ("mood", "safety_plan"))  # no measures
    share(bob, carol, ("mood", "measures"))
    state = state_for(CaseloadState, carol.token, "/patients/")
    assert await state.load_caseload() is None
    assert [row["name"] for row in state.rows] == ["Bob", "Alice"]  # tier 1 first
    assert state.rows[0]["flags"][0].startswith(ITEM9) and state.rows[0]["flagged"]
    assert state.rows[1]["flags"] == [] and not state.rows[1]["flagged"]
    detail = state_for(PatientDetailState, carol.token,
                       f"/patients/view/?id={alice.identity.user_id}")
    await detail.load_detail()
    shown = repr(detail.dict())
    assert detail.found and MARKERS["safety_plan"] in shown  # shared
    assert "PHQ-9" not in shown and MARKERS["measures"] not in shown
    detail = state_for(PatientDetailState, carol.token,
                       f"/patients/view/?id={bob.identity.user_id}")
    await detail.load_detail()
    shown = repr(detail.dict())
    assert detail.screen["checkups"][0]["band"] == MARKERS["measures"]
    assert detail.screen["flags"][0].startswith(ITEM9)
    assert MARKERS["safety_plan"] not in shown and not detail.screen["safety_plan_shared"]
    with db.read() as session:
        last = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert "measures" in last.categories and "safety_plan" not in last.categories


async def test_the_printable_summary_has_checkups_with_bands_and_the_plan(
        alice: Account, carol: Account) -> None:
    checkup(alice, item9=1)
    checkup(alice, questionnaire="gad7")
    safety_plan(alice)
    share(alice, carol, ("safety", "measures"))
    report = state_for(PatientDetailState, carol.token,
                       f"/patients/report/?id={alice.identity.user_id}")
    await report.load_detail()
    assert report.found
    lines = report.screen["checkup_lines"]
    assert lines[0].startswith("PHQ-9: 15 out of 27, Moderately severe, on ")
    assert lines[1].startswith("GAD-7: 7 out of 21, Mild, on ")
    assert report.screen["plan_line"] == "Has a safety plan: yes"
    assert MARKERS["safety_plan"] not in repr(report.dict())  # only that it exists
    assert audit.events_for(alice.identity.user_id)[0].action == "report_view"


async def test_the_connect_code_comes_with_a_qr_code_drawn_here(carol: Account) -> None:
    state = state_for(CaseloadState, carol.token, "/patients/")
    await state.show_code()
    assert len(state.code) == 9 and state.code[4] == "-"
    assert state.code_qr.startswith("data:image/svg+xml")
    assert state.code_until.startswith("Works once, until ")


@pytest.mark.parametrize("forged", ["abc", "-1", "0", "9" * 40, "1 OR 1=1", "", "2.5"])
async def test_forged_patient_ids_show_nothing_and_are_logged(
        alice: Account, carol: Account, forged: str) -> None:
    share(alice, carol, ("mood",))
    state = state_for(PatientDetailState, carol.token, f"/patients/view/?id={forged}")
    await state.load_detail()
    assert state.loaded and not state.found and state.screen == {}
    with db.read() as session:
        last = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.allowed, last.reason) == (False, "unknown_patient")


async def test_another_patients_id_without_a_grant_shows_nothing(
        alice: Account, bob: Account, carol: Account) -> None:
    diary_entry(bob, date(2026, 1, 5))
    share(alice, carol, ("mood",))
    state = state_for(PatientDetailState, carol.token,
                      f"/patients/view/?id={bob.identity.user_id}")
    await state.load_detail()
    assert not state.found and MARKERS["mood"] not in repr(state.dict())
    # Issue 23: Carol has no relation to Bob: logged against Carol, not on Bob's trail.
    assert audit.events_for(bob.identity.user_id) == []
    with db.read() as session:
        last = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.actor_id, last.patient_id, last.reason) == (
        carol.identity.user_id, None, "no_grant")


async def test_admins_invite_and_deactivate_in_their_own_program(database: str) -> None:
    program_id = make_program("Riverside IOP")
    lee = make_account("carol", "therapist", program_id=program_id, program_role="admin")
    dave = make_account("dave", "therapist", program_id=program_id)
    state = state_for(ProgramState, lee.token, "/program/")
    assert await state.load_program() is None
    assert state.program_name == "Riverside IOP"
    await state.invite({"note": "For Sam"})
    assert "/join/?invite=" in state.new_link
    join = state_for(JoinState, None, "/join/?invite=" + state.new_link.split("invite=")[1])
    await join.load_invitation()
    assert join.program_name == "Riverside IOP" and join.role == "therapist"
    await state.set_active(dave.identity.user_id, False)
    assert state.error == "" and programs.membership_of(dave.identity.user_id) is None
    await state.invite({"note": "x" * 10_000})
    assert state.error == ("Your note is too long: please keep it to 120 characters "
                           "(it has 10,000).") and state.new_link == ""
    await state.set_active(lee.identity.user_id, False)
    assert state.error == "You cannot deactivate yourself." and state.message == ""
    assert [m["status"] for m in state.members] == ["Active", "Deactivated"]
    assert [m["is_therapist"] for m in state.members] == [False, True]
    # When a link stops working, in the admin's own time zone.
    assert state.pending[0]["ends"].startswith("Link works until ")
    assert state.pending[0]["ends"].endswith(("AM", "PM"))


async def test_a_plain_therapist_cannot_use_the_admin_page(database: str) -> None:
    program_id = make_program()
    make_account("carol", "therapist", program_id=program_id, program_role="admin")
    dave = make_account("dave", "therapist", program_id=program_id)
    state = state_for(ProgramState, dave.token, "/program/")
    assert redirect_target(await state.load_program()) == "/patients/"
    await state.invite({"note": "x"})
    assert state.new_link == "" and state.error == (
        "Only an admin of this program can do that.")


async def test_a_deactivated_therapist_is_sent_to_the_inactive_page(database: str) -> None:
    program_id = make_program()
    lee = make_account("carol", "therapist", program_id=program_id, program_role="admin")
    dave = make_account("dave", "therapist", program_id=program_id)
    programs.set_therapist_active(lee.identity.user_id, dave.identity.user_id, False)
    state = state_for(CaseloadState, dave.token, "/patients/")
    assert redirect_target(await state.load_caseload()) == "/inactive/"
    await state.show_code()
    assert state.code == ""


@pytest.mark.parametrize("token", ["", "forged", "x" * 5000])
async def test_a_bad_invitation_link_shows_no_form(database: str, token: str) -> None:
    join = state_for(JoinState, None, f"/join/?invite={token}")
    await join.load_invitation()
    assert join.checked and join.invitation == "" and join.program_name == ""
