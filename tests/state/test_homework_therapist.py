"""The therapist assigns and ends homework on a patient's detail page, called as a
browser would: kind errors next to each field and nothing half-saved; a double
tap makes one set; and every forged event (another program's therapist, a
deactivated one, a revoked grant, a patient, another patient's assignment id) is
refused, changes nothing and is in the audit log."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from skills_app.core import db, programs, sharing
from skills_app.core.dates import local_today
from skills_app.core.models import Assignment, AuditEvent
from skills_app.state.homework_therapist import HomeworkAssignState, assign_form
from skills_app.state.therapist import PatientDetailState
from tests.conftest import Account, make_account, make_program
from tests.sharing_helpers import finished_exercise, share
from tests.state.conftest import state_for


def today() -> date:
    return local_today("America/Chicago")


def form(**fields: object) -> dict[str, object]:
    """The assign form as the browser sends it: its defaults, then `fields`."""
    return {"idempotency_key": str(uuid.uuid4()), "kind": "exercise", "repeat": "daily",
            "practice": "", "minutes": "10", "checkup": "phq9", "plan": "safety",
            "times_per_week": "3", "start_day": today().isoformat(), "end_day": "",
            "due_day": "", "note": ""} | fields


def dear_man_on(*weekdays: int, **fields: object) -> dict[str, object]:
    return form(**{"exercise.dear-man": "on", "repeat": "weekdays",
                   **{f"weekday.{n}": "on" for n in weekdays}}, **fields)


def assignments(patient: Account) -> list[Assignment]:
    with db.read() as session:
        return list(session.execute(select(Assignment).where(
            Assignment.patient_id == patient.identity.user_id)
            .order_by(Assignment.id)).scalars())


def last_audit() -> AuditEvent:
    with db.read() as session:
        return session.execute(select(AuditEvent).order_by(AuditEvent.id.desc())
                               ).scalars().first()


def audit_count() -> int:
    with db.read() as session:
        return session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def audits_since(count: int) -> list[AuditEvent]:
    with db.read() as session:
        return list(session.execute(select(AuditEvent).order_by(AuditEvent.id)
                                    .offset(count)).scalars())


async def detail_of(therapist: Account, patient: Account) -> PatientDetailState:
    detail = state_for(PatientDetailState, therapist.token,
                       f"/patients/view/?id={patient.identity.user_id}")
    await detail.load_detail()
    return detail


async def assign_as(therapist: Account | None, patient: Account, data: dict
                    ) -> HomeworkAssignState:
    state = state_for(HomeworkAssignState, therapist.token if therapist else None,
                      f"/patients/view/?id={patient.identity.user_id}")
    await (await state.get_state(PatientDetailState)).load_detail()  # the page loaded
    state.open_form()
    await state.assign(data)
    return state


def test_the_form_sends_on_only_the_fields_of_the_chosen_kind_and_repeat() -> None:
    sent = assign_form(dear_man_on(0, 2, **{"exercise.tip": "on", "exercise.fast": "",
                                             "due_day": "2030-01-01"}))
    assert sent["exercises"] == ["dear-man", "tip"] and sent["weekdays"] == ["0", "2"]
    assert sent["end_day"] == "" and sent["target"] == ""
    once = assign_form(form(kind="checkup", checkup="gad7", repeat="once",
                            due_day="2030-01-01", end_day="2031-01-01"))
    assert once["target"] == "gad7" and once["end_day"] == "2030-01-01"
    assert assign_form(form(kind="mindfulness", practice="timer"))["target"] == "timer"
    assert assign_form("junk")["kind"] is None and assign_form(["x"])["exercises"] == []


async def test_assigning_dear_man_and_the_diary_card_lists_them(
        alice: Account, carol: Account) -> None:
    share(alice, carol, ("exercises", "homework"))
    state = await assign_as(carol, alice, dear_man_on(0, 2, note="Before Friday's talk"))
    assert state.errors == {} and state.message.startswith("Assigned.")
    assert not state.form_open
    state.open_form()
    await state.assign(form(kind="diary_card"))
    rows = assignments(alice)
    assert [(r.kind, r.target, r.repeat, r.weekdays) for r in rows] == [
        ("exercise", "dear-man", "weekdays", [0, 2]), ("diary_card", "", "daily", [])]
    assert rows[0].note == "Before Friday's talk"
    assert rows[0].assigned_by_name == "Carol"
    detail = await state.get_state(PatientDetailState)
    listed = detail.screen["homework"]["rows"]
    assert [row["what"] for row in listed] == ["DEAR MAN: ask for what you want", "Diary card"]
    assert listed[0]["when"].startswith("On Mon, Wed, from ")
    assert listed[1]["when"].startswith("Every day, from ")
    assert all(row["active"] for row in listed)
    assert last_audit().action == "detail"  # the list was read again, audited
    state.open_form()
    state.start_page()  # another patient's detail: nothing of this one's form or message
    assert (state.message, state.form_open, state.errors) == ("", False, {})


async def test_a_double_tap_makes_one_set(alice: Account, carol: Account) -> None:
    share(alice, carol, ("homework",))
    data = dear_man_on(1, 3, **{"exercise.tip": "on"})
    state = await assign_as(carol, alice, data)
    await state.assign(data)
    assert len(assignments(alice)) == 2  # one row per exercise, once


async def test_each_problem_is_said_next_to_its_field_and_nothing_is_saved(
        alice: Account, carol: Account) -> None:
    share(alice, carol, ("homework",))
    state = await assign_as(carol, alice, form())  # no exercise ticked
    assert set(state.errors) == {"target"} and state.form_open
    await state.assign(form(kind="diary_card", repeat="once"))
    assert set(state.errors) == {"due_day"}  # "Due by" holds a once-only's day
    await state.assign(form(**{"exercise.tip": "on"}, repeat="weekdays",
                            start_day=(today() - timedelta(days=3)).isoformat(),
                            note="x" * 201))
    assert set(state.errors) == {"weekdays", "start_day", "note"}
    await state.assign(form(kind="mindfulness", minutes="500", end_day="not a day"))
    assert set(state.errors) == {"minutes", "end_day"}
    assert all(state.errors.values()) and assignments(alice) == []


async def test_ending_asks_first_then_ends_and_the_weeks_before_stay(
        alice: Account, carol: Account) -> None:
    share(alice, carol, ("exercises",))
    state = await assign_as(carol, alice, dear_man_on(today().weekday()))
    detail = await state.get_state(PatientDetailState)
    shown = detail.screen["homework"]["rows"][0]
    await state.ask_end(shown["id"] + 1000)  # not on the screen
    assert state.confirm_end_id == 0
    await state.ask_end(shown["id"])
    assert state.confirm_end_what == "DEAR MAN: ask for what you want"
    state.cancel_end()
    assert assignments(alice)[0].ended_at is None
    await state.ask_end(shown["id"])
    await state.end()
    assert assignments(alice)[0].ended_at is not None
    assert state.message.startswith("Ended: DEAR MAN")
    assert not detail.screen["homework"]["rows"] or not detail.screen["homework"]["rows"][0][
        "active"]


async def test_the_detail_shows_the_distress_change_only_with_exercises_shared(
        alice: Account, bob: Account, carol: Account) -> None:
    share(alice, carol, ("exercises",))
    share(bob, carol, ("homework",))
    for patient in (alice, bob):
        await assign_as(carol, patient, dear_man_on(today().weekday()))
        finished_exercise(patient, "dear-man", "America/Chicago")
    full = (await detail_of(carol, alice)).screen["homework"]["rows"][0]
    assert full["completions"] and "distress 6 → 3" in full["completions"][0]
    assert "helped: Yes" in full["completions"][0]
    assert full["progress"] == "1 of 1 so far this week"
    done_only = (await detail_of(carol, bob)).screen["homework"]["rows"][0]
    assert done_only["completions"] == [] and done_only["progress"] == "1 of 1 so far this week"
    assert "✓" in [cell["text"] for cell in done_only["days"]]


# --- forged events ---------------------------------------------------------------

async def test_other_therapists_and_patients_cannot_assign(
        alice: Account, bob: Account, carol: Account) -> None:
    program = make_program("Elsewhere IOP")
    other = make_account("iris", "therapist", program_id=program)
    deactivated = make_account("gina", "therapist", program_id=program)
    admin = make_account("hank", "therapist", program_id=program, program_role="admin")
    share(alice, deactivated, ("homework",))
    assert programs.set_therapist_active(admin.identity.user_id, deactivated.identity.user_id,
                                         False) is None
    revoked = make_account("erin", "therapist")
    grant = share(alice, revoked, ("homework",))
    assert sharing.revoke(alice.identity.user_id, grant) is None
    share(alice, carol, ("homework",))
    for caller in (other, deactivated, revoked, bob, None):
        before = audit_count()
        state = await assign_as(caller, alice, dear_man_on(0))
        assert assignments(alice) == [], caller
        refusals = [row for row in audits_since(before) if not row.allowed]
        # Issue 23: on Alice's trail only from callers related to her (a past grant,
        # her program's staff); anyone else's refusal is logged against the caller alone.
        on_trail = alice.identity.user_id if caller in (other, deactivated, revoked) else None
        assert refusals and all(row.patient_id == on_trail for row in refusals), caller
        assert not any(row.allowed for row in audits_since(before)), caller
        assert "DEAR MAN" not in repr(state.dict()), caller


async def test_another_patients_assignment_cannot_be_ended(
        alice: Account, bob: Account, carol: Account) -> None:
    share(alice, carol, ("homework",))
    await assign_as(carol, alice, dear_man_on(0))
    alices = assignments(alice)[0]
    dave = make_account("dave", "therapist")
    share(bob, dave, ("homework",))
    for caller in (dave, bob):
        # On Bob's page, Alice's assignment id, with no "End?" asked first.
        state = state_for(HomeworkAssignState, caller.token,
                          f"/patients/view/?id={bob.identity.user_id}")
        state.confirm_end_id = alices.id
        before = audit_count()
        await state.end()
        assert assignments(alice)[0].ended_at is None, caller.name
        # Dave by the homework rule; Bob, a patient, before it (wrong role).
        assert any(not row.allowed and (row.action == "homework_end" or caller is bob)
                   for row in audits_since(before)), caller.name
