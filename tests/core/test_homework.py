"""Homework: assigning, when it is due (recurrence across DST, the year end, a patient
in another zone), what counts as done, "not for me this week", and who may change it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from skills_app.core import db, homework, plans, practice, programs, sharing
from skills_app.core.clock import frozen_clock
from skills_app.core.homework import WeekCount
from skills_app.core.models import (
    Assignment,
    AuditEvent,
    ExerciseSession,
    JournalEntry,
    MeasureResult,
    MindfulnessSession,
    PlanReview,
)
from tests.conftest import Account, make_account
from tests.sharing_helpers import share

# Monday 7 December 2026, 15:00 UTC (09:00 in Chicago).
MONDAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator:
    with frozen_clock(NOW) as frozen:
        yield frozen


def form(**fields: object) -> dict[str, object]:
    return {"idempotency_key": str(uuid.uuid4()), "kind": "exercise",
            "exercises": ["dear-man"], "repeat": "once", "start_day": MONDAY.isoformat(),
            "end_day": MONDAY.isoformat(), "note": ""} | fields


def assign_ok(therapist: Account, patient: Account, **fields: object) -> list[int]:
    ids, errors = homework.assign(therapist.identity.user_id, patient.identity.user_id,
                                  form(**fields))
    assert not errors, errors
    return ids


def exercise_done(patient: Account, day: date, exercise_id: str = "dear-man",
                  **values: object) -> None:
    with db.transaction() as session:
        session.add(ExerciseSession(
            user_id=patient.identity.user_id, idempotency_key=str(uuid.uuid4()),
            exercise_id=exercise_id, finished_at=datetime.combine(day, datetime.min.time(),
                                                                  UTC),
            time_zone="UTC", local_date=day, **values))


def diary_done(patient: Account, day: date, deleted: bool = False) -> None:
    moment = datetime.combine(day, datetime.min.time(), UTC)
    with db.transaction() as session:
        session.add(JournalEntry(user_id=patient.identity.user_id,
                                 idempotency_key=str(uuid.uuid4()), kind="diary",
                                 occurred_at=moment, time_zone="UTC", local_date=day,
                                 deleted_at=moment if deleted else None))


def mindful(patient: Account, day: date, minutes: float, practice_key: str = "timer") -> None:
    moment = datetime.combine(day, datetime.min.time(), UTC)
    with db.transaction() as session:
        session.add(MindfulnessSession(
            user_id=patient.identity.user_id, idempotency_key=str(uuid.uuid4()),
            practice=practice_key, started_at=moment, ended_at=moment,
            seconds=int(minutes * 60), ended_early=False, local_date=day))


def counts(patient: Account, today: date) -> WeekCount:
    with db.read() as session:
        return homework.week_counts(session, [patient.identity.user_id],
                                    {patient.identity.user_id: today})[patient.identity.user_id]


@pytest.fixture
def shared(alice: Account, carol: Account) -> tuple[Account, Account]:
    share(alice, carol, ("mood", "exercises"))
    return alice, carol


# --- the journey's numbers ---------------------------------------------------------

def test_dear_man_due_today_and_a_daily_diary_card_make_one_of_two(shared, clock) -> None:
    alice, carol = shared
    [dear_man] = assign_ok(carol, alice)
    [diary] = assign_ok(carol, alice, kind="diary_card", repeat="daily", end_day="")
    items = homework.today_items(alice.identity.user_id)
    assert [(i.id, i.due_today, i.done_today) for i in items] == [
        (dear_man, True, False), (diary, True, False)]
    answers = {"goal": "Ask for Friday off", "describe": "d", "express": "e",
               "assert_": "a", "reinforce": "r"}
    result = practice.finish_exercise(alice.identity.user_id, "America/Chicago", {
        "idempotency_key": str(uuid.uuid4()), "exercise_id": "dear-man", "answers": answers,
        "distress_before": 7, "distress_after": 4, "helped": "yes"})
    assert result.ok, result.errors
    assert counts(alice, MONDAY) == WeekCount(done=1, due=2, skipped=0)
    items = {i.id: i for i in homework.today_items(alice.identity.user_id)}
    assert items[dear_man].done_today and not items[diary].done_today
    [week_dear_man, _] = homework.patient_week(alice.identity.user_id)
    assert [m.done for m in week_dear_man.days] == [True] + [False] * 6
    assert week_dear_man.days[0].due


def test_several_exercises_make_one_row_each_and_a_resend_makes_none(shared, clock) -> None:
    alice, carol = shared
    sent = form(exercises=["dear-man", "stop", "dear-man"], repeat="daily", end_day="")
    ids, errors = homework.assign(carol.identity.user_id, alice.identity.user_id, sent)
    assert not errors and len(ids) == 2
    again, errors = homework.assign(carol.identity.user_id, alice.identity.user_id, sent)
    assert again == ids and not errors
    with db.read() as session:
        rows = session.execute(select(Assignment)).scalars().all()
        assert sorted(r.target for r in rows) == ["dear-man", "stop"]
        assert {r.program_id for r in rows} == {programs.membership_of(
            carol.identity.user_id).program_id}
        assert {r.assigned_by_name for r in rows} == {"Carol"}
        assigned = session.execute(select(AuditEvent).where(
            AuditEvent.action == "assign")).scalars().all()
    assert [(e.allowed, e.patient_id) for e in assigned] == [(True, alice.identity.user_id)]


# --- bad input: problems, never exceptions, nothing stored ------------------------------

@pytest.mark.parametrize(("fields", "where", "code"), [
    ({"kind": "nap"}, "kind", "homework_pick_kind"),
    ({"exercises": []}, "target", "homework_pick_exercise"),
    ({"exercises": ["no-such"]}, "target", "homework_pick_exercise"),
    ({"exercises": "dear-man; drop table"}, "target", "homework_pick_exercise"),
    ({"kind": "mindfulness", "target": "", "minutes": 0}, "minutes", "homework_minutes"),
    ({"kind": "mindfulness", "target": "", "minutes": "5.5"}, "minutes", "homework_minutes"),
    ({"kind": "mindfulness", "target": "", "minutes": True}, "minutes", "homework_minutes"),
    ({"kind": "mindfulness", "target": "yoga", "minutes": 5}, "target",
     "homework_pick_practice"),
    ({"kind": "checkup", "target": "phq2"}, "target", "homework_pick_checkup"),
    ({"kind": "plan_review", "target": ""}, "target", "homework_pick_plan"),
    ({"repeat": "hourly"}, "repeat", "homework_pick_repeat"),
    ({"repeat": "weekdays", "weekdays": []}, "weekdays", "homework_pick_weekdays"),
    ({"repeat": "weekdays", "weekdays": [7]}, "weekdays", "homework_pick_weekdays"),
    ({"repeat": "weekdays", "weekdays": [1, 1]}, "weekdays", "homework_pick_weekdays"),
    ({"repeat": "per_week", "times_per_week": 8}, "times_per_week", "homework_times_per_week"),
    ({"repeat": "per_week", "times_per_week": "abc"}, "times_per_week",
     "homework_times_per_week"),
    ({"start_day": "2026-02-30"}, "start_day", "homework_bad_day"),
    ({"start_day": "2026-12-06"}, "start_day", "homework_start_past"),
    ({"start_day": "2028-12-06", "end_day": "2028-12-07"}, "start_day", "homework_start_far"),
    ({"end_day": ""}, "end_day", "homework_due_day_needed"),
    ({"end_day": "2026-12-06"}, "end_day", "homework_end_before_start"),
    ({"repeat": "daily", "end_day": "2028-12-06"}, "end_day", "homework_too_long"),
    ({"note": "x" * 201}, "note", "too_long"),
    ({"note": "bad\x00note"}, "note", "control_character"),
    ({"note": "\ud800"}, "note", "unstorable_character"),
    ({"note": 5}, "note", "not_text"),
    ({"idempotency_key": "not-a-uuid"}, "form", "homework_bad_form"),
])
def test_bad_input_is_a_problem_and_stores_nothing(shared, clock, fields, where,
                                                   code) -> None:
    alice, carol = shared
    ids, errors = homework.assign(carol.identity.user_id, alice.identity.user_id, form(**fields))
    assert ids == [] and errors[where].code == code
    with db.read() as session:
        assert session.execute(select(Assignment)).first() is None


def test_a_note_of_200_characters_is_kept_trimmed(shared, clock) -> None:
    alice, carol = shared
    [one] = assign_ok(carol, alice, note="  " + "é" * 200 + "\n")
    with db.read() as session:
        assert session.get(Assignment, one).note == "é" * 200


@pytest.mark.parametrize("raw", [None, [], "x", 3])
def test_a_form_that_is_not_a_form_is_refused(shared, clock, raw) -> None:
    alice, carol = shared
    assert homework.assign(carol.identity.user_id, alice.identity.user_id, raw)[1] == {
        "form": homework.BAD_FORM}


# --- access ----------------------------------------------------------------------------

def refusals(action: str) -> list[tuple[int | None, str]]:
    with db.read() as session:
        return [(e.patient_id, e.reason) for e in session.execute(
            select(AuditEvent).where(AuditEvent.action == action,
                                     AuditEvent.allowed.is_(False))).scalars()]


def nothing_assigned() -> bool:
    with db.read() as session:
        return session.execute(select(Assignment)).first() is None


def test_assigning_needs_a_grant_from_the_patient(alice, bob, carol, clock) -> None:
    share(alice, carol, ("mood",))
    ids, errors = homework.assign(carol.identity.user_id, bob.identity.user_id, form())
    assert ids == [] and errors == {"form": homework.NOT_ALLOWED}
    for raw in (-1, "abc", 2**60, None, carol.identity.user_id):
        assert homework.assign(carol.identity.user_id, raw, form())[1] == {
            "form": homework.NOT_ALLOWED}
    assert nothing_assigned()
    # Issue 23: Carol has no relation to Bob, so the refusal is against Carol only.
    assert refusals("assign")[0] == (None, "no_grant")
    assert len(refusals("assign")) == 6


def test_a_revoked_grant_and_a_deactivated_therapist_are_refused(alice, clock) -> None:
    program_id = programs.membership_of(make_account("dave", "therapist").identity.user_id
                                        ).program_id
    admin = make_account("erin", "therapist", program_id=program_id, program_role="admin")
    frank = make_account("frank", "therapist", program_id=program_id)
    grant = share(alice, frank, ("exercises",))
    sharing.revoke(alice.identity.user_id, grant)
    assert homework.assign(frank.identity.user_id, alice.identity.user_id, form())[0] == []
    share(alice, frank, ("exercises",))
    assert programs.set_therapist_active(admin.identity.user_id, frank.identity.user_id,
                                         False) is None
    assert homework.assign(frank.identity.user_id, alice.identity.user_id, form())[0] == []
    assert nothing_assigned()
    assert [r for _, r in refusals("assign")] == ["no_grant", "inactive"]


def test_only_the_assigner_or_a_program_admin_may_end_it(alice, clock) -> None:
    carol = make_account("carol", "therapist")
    program_id = programs.membership_of(carol.identity.user_id).program_id
    admin = make_account("dave", "therapist", program_id=program_id, program_role="admin")
    colleague = make_account("erin", "therapist", program_id=program_id)
    elsewhere = make_account("frank", "therapist")  # another program
    for therapist in (carol, colleague, elsewhere):
        share(alice, therapist, ("exercises",))
    [one] = assign_ok(carol, alice, repeat="daily", end_day="")
    [two] = assign_ok(carol, alice, repeat="daily", end_day="", exercises=["stop"])
    for intruder in (colleague, elsewhere, alice):
        assert homework.end_assignment(intruder.identity.user_id, one) == homework.NOT_ALLOWED
        assert homework.change_note(intruder.identity.user_id, one, "x") == \
            homework.NOT_ALLOWED
    for raw in (0, -5, "abc", 10**9, None):
        assert homework.end_assignment(carol.identity.user_id, raw) == homework.NOT_FOUND
    with db.read() as session:
        assert session.get(Assignment, one).ended_at is None
    assert [r for _, r in refusals("homework_end")][:3] == [
        "not_assigner", "other_program", "inactive"]
    assert homework.change_note(carol.identity.user_id, one, "Try it before group") is None
    assert homework.end_assignment(carol.identity.user_id, one) is None
    assert homework.end_assignment(admin.identity.user_id, two) is None
    with db.read() as session:
        assert session.get(Assignment, one).note == "Try it before group"
        assert session.get(Assignment, one).ended_at is not None
        assert session.get(Assignment, two).ended_at is not None


def test_the_assigner_loses_the_right_with_the_grant_or_the_membership(alice, clock) -> None:
    carol = make_account("carol", "therapist")
    program_id = programs.membership_of(carol.identity.user_id).program_id
    admin = make_account("dave", "therapist", program_id=program_id, program_role="admin")
    grant = share(alice, carol, ("exercises",))
    [one] = assign_ok(carol, alice, repeat="daily", end_day="")
    sharing.revoke(alice.identity.user_id, grant)
    assert homework.end_assignment(carol.identity.user_id, one) == homework.NOT_ALLOWED
    share(alice, carol, ("exercises",))
    programs.set_therapist_active(admin.identity.user_id, carol.identity.user_id, False)
    assert homework.end_assignment(carol.identity.user_id, one) == homework.NOT_ALLOWED
    with db.read() as session:
        assert session.get(Assignment, one).ended_at is None
    assert [r for _, r in refusals("homework_end")] == ["no_grant", "inactive"]


def test_an_ended_assignment_is_not_due_from_that_day(shared, clock) -> None:
    alice, carol = shared
    [one] = assign_ok(carol, alice, kind="diary_card", repeat="daily", end_day="")
    clock.advance(days=2)  # Wednesday
    diary_done(alice, MONDAY)
    homework.end_assignment(carol.identity.user_id, one)
    assert homework.today_items(alice.identity.user_id) == []
    assert counts(alice, MONDAY + timedelta(days=2)) == WeekCount(done=1, due=2, skipped=0)
    [week] = homework.patient_week(alice.identity.user_id)
    assert [m.due for m in week.days] == [True, True] + [False] * 5
    clock.advance(days=7)
    assert homework.patient_week(alice.identity.user_id) == []


# --- recurrence ------------------------------------------------------------------------

def test_weekdays_and_times_a_week(shared, clock) -> None:
    alice, carol = shared
    [mon_wed] = assign_ok(carol, alice, repeat="weekdays", weekdays=["0", "2"], end_day="")
    [thrice] = assign_ok(carol, alice, kind="diary_card", repeat="per_week",
                         times_per_week=3, end_day="")
    exercise_done(alice, MONDAY)
    diary_done(alice, MONDAY)
    diary_done(alice, MONDAY)  # the same day twice is one day
    clock.advance(days=3)  # Thursday
    diary_done(alice, MONDAY + timedelta(days=3))
    week = {w.id: w for w in homework.patient_week(alice.identity.user_id)}
    assert [m.due for m in week[mon_wed].days] == [True, False, True, False, False, False,
                                                   False]
    assert (week[mon_wed].due, week[mon_wed].done) == (2, 1)
    assert (week[thrice].due, week[thrice].done) == (3, 2)
    assert week[thrice].due_today and week[thrice].done_today
    assert not week[mon_wed].due_today
    diary_done(alice, MONDAY + timedelta(days=2))
    diary_done(alice, MONDAY + timedelta(days=1))
    week = {w.id: w for w in homework.patient_week(alice.identity.user_id)}
    assert (week[thrice].due, week[thrice].done) == (3, 3)
    clock.advance(days=1)  # Friday: three days done already, nothing due today
    assert [i.id for i in homework.today_items(alice.identity.user_id)] == []


def test_once_is_due_every_day_of_its_window_until_done(shared, clock) -> None:
    alice, carol = shared
    friday = MONDAY + timedelta(days=4)
    [one] = assign_ok(carol, alice, end_day=friday.isoformat())
    assert [i.id for i in homework.today_items(alice.identity.user_id)] == [one]
    [week] = homework.patient_week(alice.identity.user_id)
    assert [m.due for m in week.days] == [False] * 4 + [True, False, False]
    assert (week.due, week.done) == (1, 0)
    exercise_done(alice, MONDAY + timedelta(days=1))
    clock.advance(days=2)
    assert homework.today_items(alice.identity.user_id) == []
    assert counts(alice, MONDAY + timedelta(days=2)) == WeekCount(1, 1, 0)


def test_a_start_day_ahead_is_not_due_before(shared, clock) -> None:
    alice, carol = shared
    assign_ok(carol, alice, repeat="daily", start_day="2026-12-10", end_day="2026-12-20")
    assert homework.today_items(alice.identity.user_id) == []
    assert counts(alice, MONDAY) == WeekCount(0, 0, 0)
    [week] = homework.patient_week(alice.identity.user_id)
    assert [m.due for m in week.days] == [False] * 3 + [True] * 4


def test_daily_across_the_spring_dst_change(alice, carol) -> None:
    share(alice, carol, ("exercises",))
    # Chicago moves its clocks on Sunday 8 March 2026; the week is Mon 2 - Sun 8.
    with frozen_clock(datetime(2026, 3, 2, 12, tzinfo=UTC)) as clock:
        assign_ok(carol, alice, kind="diary_card", repeat="daily", start_day="2026-03-02",
                  end_day="")
        for day in (2, 5, 8):
            diary_done(alice, date(2026, 3, day))
        # 23:30 on Sunday in Chicago (CDT, UTC-5) is already Monday in UTC.
        clock.now = datetime(2026, 3, 9, 4, 30, tzinfo=UTC)
        clock.advance(seconds=0)
        [week] = homework.patient_week(alice.identity.user_id)
        assert week.week_start == date(2026, 3, 2)
        assert (week.due, week.done) == (7, 3) and week.due_today and week.done_today
        clock.advance(hours=1)  # Monday 00:30 in Chicago: a new week
        [week] = homework.patient_week(alice.identity.user_id)
        assert (week.week_start, week.due, week.done) == (date(2026, 3, 9), 1, 0)


def test_ended_in_the_autumn_dst_repeat_counts_the_patients_day(alice, carol) -> None:
    share(alice, carol, ("exercises",))
    # Chicago's clocks go back at 02:00 on Sunday 1 November 2026.
    with frozen_clock(datetime(2026, 10, 26, 15, tzinfo=UTC)) as clock:
        [one] = assign_ok(carol, alice, kind="diary_card", repeat="daily",
                          start_day="2026-10-26", end_day="")
        # 01:30 on Sunday, the second time (CST, UTC-6): still Sunday for Alice.
        clock.now = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
        clock.advance(seconds=0)
        homework.end_assignment(carol.identity.user_id, one)
        [week] = homework.patient_week(alice.identity.user_id, date(2026, 10, 26))
        assert [m.due for m in week.days] == [True] * 6 + [False]
        assert week.last_day == date(2026, 10, 31)


def test_a_week_across_the_year_end(alice, carol) -> None:
    share(alice, carol, ("exercises",))
    with frozen_clock(datetime(2026, 12, 28, 15, tzinfo=UTC)) as clock:
        [daily] = assign_ok(carol, alice, kind="diary_card", repeat="daily",
                            start_day="2026-12-28", end_day="")
        [twice] = assign_ok(carol, alice, repeat="per_week", times_per_week=2,
                            start_day="2026-12-28", end_day="2027-01-10")
        diary_done(alice, date(2026, 12, 31))
        diary_done(alice, date(2027, 1, 1))
        exercise_done(alice, date(2026, 12, 31))
        exercise_done(alice, date(2027, 1, 1))
        clock.advance(days=5)  # Saturday 2 January 2027
        week = {w.id: w for w in homework.patient_week(alice.identity.user_id)}
        assert week[daily].days[0].day == date(2026, 12, 28)
        assert week[daily].days[-1].day == date(2027, 1, 3)
        assert (week[daily].due, week[daily].done) == (6, 2)
        assert (week[twice].due, week[twice].done) == (2, 2)
        assert not week[twice].due_today
        assert counts(alice, date(2027, 1, 2)) == WeekCount(4, 8, 0)
        earlier = homework.patient_week(alice.identity.user_id, date(2026, 12, 25))
        assert earlier == []  # before it started


def test_a_patient_far_from_the_therapist_has_their_own_days(carol) -> None:
    kiri = make_account("gina", "patient", time_zone="Pacific/Auckland")
    share(kiri, carol, ("exercises",))
    # 20:00 UTC on Sunday 6 December is Monday 09:00 in Auckland, Sunday 14:00 in Chicago.
    with frozen_clock(datetime(2026, 12, 6, 20, tzinfo=UTC)):
        ids, errors = homework.assign(carol.identity.user_id, kiri.identity.user_id,
                                      form(start_day="2026-12-06", end_day="2026-12-06"))
        assert errors == {"start_day": homework.START_PAST}
        [one] = assign_ok(carol, kiri, kind="diary_card", repeat="daily", end_day="")
        [item] = homework.today_items(kiri.identity.user_id)
        assert item.id == one and item.week_start == MONDAY
        assert counts(kiri, MONDAY) == WeekCount(0, 1, 0)


# --- what counts as done -------------------------------------------------------------

def test_mindfulness_minutes_add_up_over_the_day(shared, clock) -> None:
    alice, carol = shared
    [any_ten] = assign_ok(carol, alice, kind="mindfulness", target="", minutes="10",
                          repeat="daily", end_day="")
    [body] = assign_ok(carol, alice, kind="mindfulness", target="guided.body-scan",
                       minutes=5, repeat="daily", end_day="")
    mindful(alice, MONDAY, 4)
    week = {w.id: w for w in homework.patient_week(alice.identity.user_id)}
    assert not week[any_ten].done_today and not week[body].done_today
    mindful(alice, MONDAY, 6, "breathe.box")
    week = {w.id: w for w in homework.patient_week(alice.identity.user_id)}
    assert week[any_ten].done_today and not week[body].done_today


def test_checkups_plan_reviews_and_deleted_diary_cards(shared, clock) -> None:
    alice, carol = shared
    [phq9] = assign_ok(carol, alice, kind="checkup", target="phq9")
    [plan] = assign_ok(carol, alice, kind="plan_review", target="relapse")
    [diary] = assign_ok(carol, alice, kind="diary_card")
    moment = NOW
    with db.transaction() as session:
        session.add(MeasureResult(user_id=alice.identity.user_id,
                                  idempotency_key=str(uuid.uuid4()), questionnaire="gad7",
                                  answers=[0] * 7, total=0, band="minimal", completed_at=moment,
                                  time_zone="UTC", local_date=MONDAY))
        session.add(PlanReview(user_id=alice.identity.user_id,
                               idempotency_key=str(uuid.uuid4()), kind="safety", at=moment,
                               local_date=MONDAY))
    diary_done(alice, MONDAY, deleted=True)
    assert not any(w.done_today for w in homework.patient_week(alice.identity.user_id))
    with db.transaction() as session:
        session.add(MeasureResult(user_id=alice.identity.user_id,
                                  idempotency_key=str(uuid.uuid4()), questionnaire="phq9",
                                  answers=[0] * 9, total=0, band="minimal", completed_at=moment,
                                  time_zone="UTC", local_date=MONDAY))
    plans.record_review(alice.identity.user_id, "relapse", str(uuid.uuid4()))
    diary_done(alice, MONDAY)
    week = {w.id: w for w in homework.patient_week(alice.identity.user_id)}
    assert week[phq9].done_today and week[plan].done_today and week[diary].done_today


def test_another_patients_practice_does_not_count(shared, bob, clock) -> None:
    alice, carol = shared
    assign_ok(carol, alice)
    exercise_done(bob, MONDAY)
    assert counts(alice, MONDAY) == WeekCount(0, 1, 0)


# --- not for me this week -------------------------------------------------------------

def test_not_for_me_this_week_takes_the_week_out_and_can_be_undone(shared, bob, clock) -> None:
    alice, carol = shared
    [one] = assign_ok(carol, alice, kind="diary_card", repeat="daily", end_day="")
    assert homework.skip_week(alice.identity.user_id, one, "  Away at my sister's ") is None
    [week] = homework.patient_week(alice.identity.user_id)
    assert week.skipped and week.skip_reason == "Away at my sister's"
    assert (week.due, week.done, week.due_today) == (0, 0, False)
    assert counts(alice, MONDAY) == WeekCount(0, 0, 1)
    assert homework.skip_week(alice.identity.user_id, one, "") is None  # again: one row
    assert homework.patient_week(alice.identity.user_id)[0].skip_reason == ""
    clock.advance(days=7)
    assert not homework.patient_week(alice.identity.user_id)[0].skipped  # only that week
    clock.advance(days=-7)
    assert homework.unskip_week(alice.identity.user_id, one) is None
    assert counts(alice, MONDAY) == WeekCount(0, 1, 0)


def test_nobody_skips_another_patients_homework(shared, bob, clock) -> None:
    alice, carol = shared
    [one] = assign_ok(carol, alice, kind="diary_card", repeat="daily", end_day="")
    for raw in (one, str(one), -1, "x", None, 10**30):
        assert homework.skip_week(bob.identity.user_id, raw, "no") == homework.NOT_FOUND
        assert homework.unskip_week(bob.identity.user_id, raw) == homework.NOT_FOUND
    assert homework.skip_week(alice.identity.user_id, one, "x" * 201).code == "too_long"
    assert not homework.patient_week(alice.identity.user_id)[0].skipped


# --- visibility, batching, history --------------------------------------------------------

def test_completion_visibility() -> None:
    see = homework.completion_visibility
    assert see("exercise", frozenset({"exercises"})) == "full"
    assert see("exercise", frozenset({"homework", "mood"})) == "done_only"
    assert see("diary_card", frozenset({"mood"})) == "full"
    assert see("checkup", frozenset({"measures"})) == "full"
    assert see("plan_review", frozenset({"safety_plan", "homework"})) == "full"
    assert see("mindfulness", frozenset({"exercises"})) == "none"


def test_week_counts_take_the_same_queries_for_one_patient_or_five(carol, clock) -> None:
    patients = [make_account(name, "patient") for name in ("dave", "erin", "frank", "gina",
                                                           "hank")]
    for patient in patients:
        share(patient, carol, ("exercises",))
        assign_ok(carol, patient, kind="diary_card", repeat="daily", end_day="")
        assign_ok(carol, patient)
        diary_done(patient, MONDAY)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    def run(some: list[Account]) -> dict[int, WeekCount]:
        statements.clear()
        event.listen(Engine, "before_cursor_execute", count)
        try:
            with db.read() as session:
                return homework.week_counts(session, [p.identity.user_id for p in some],
                                            {p.identity.user_id: MONDAY for p in some})
        finally:
            event.remove(Engine, "before_cursor_execute", count)

    one = len(run(patients[:1]) and statements)
    result = run(patients)
    assert len(statements) == one
    assert set(result.values()) == {WeekCount(1, 2, 0)}


def test_history_lists_due_done_skips_and_what_the_exercise_did(shared, clock) -> None:
    alice, carol = shared
    [one] = assign_ok(carol, alice, repeat="weekdays", weekdays=[0, 3], end_day="")
    exercise_done(alice, MONDAY, helped="some", distress_before=8, distress_after=5)
    clock.advance(days=7)
    homework.skip_week(alice.identity.user_id, one, "Sick")
    [item] = homework.history(alice.identity.user_id, MONDAY, MONDAY + timedelta(days=13))
    assert item.due_days == (MONDAY, MONDAY + timedelta(days=3), MONDAY + timedelta(days=7),
                             MONDAY + timedelta(days=10))
    assert item.done_days == (MONDAY,)
    assert item.skipped_weeks == ((MONDAY + timedelta(days=7), "Sick"),)
    assert item.weeks == ((MONDAY, WeekCount(1, 2, 0)),
                          (MONDAY + timedelta(days=7), WeekCount(0, 0, 1)))
    assert item.completions == (homework.ExerciseCompletion(MONDAY, "some", 8, 5),)
    with pytest.raises(ValueError):
        homework.history(alice.identity.user_id, MONDAY, MONDAY - timedelta(days=1))


def test_weeks_to_come_count_nothing_yet(shared, clock) -> None:
    alice, carol = shared
    [thrice] = assign_ok(carol, alice, kind="diary_card", repeat="per_week", times_per_week=3,
                         end_day="")
    [week] = homework.patient_week(alice.identity.user_id, MONDAY + timedelta(days=7))
    assert week.id == thrice and (week.due, week.done, week.due_today) == (0, 0, False)


def test_a_once_ended_before_its_day_is_not_due_unless_done(shared, clock) -> None:
    alice, carol = shared
    friday = (MONDAY + timedelta(days=4)).isoformat()
    [undone] = assign_ok(carol, alice, end_day=friday)
    [done] = assign_ok(carol, alice, end_day=friday, exercises=["stop"])
    exercise_done(alice, MONDAY, "stop")
    clock.advance(days=1)
    homework.end_assignment(carol.identity.user_id, undone)
    homework.end_assignment(carol.identity.user_id, done)
    clock.advance(days=3)
    assert counts(alice, MONDAY + timedelta(days=4)) == WeekCount(1, 1, 0)
