"""Taking a group's attendance (core/attendance.py): who may mark whom, on which day,
what is audited, and what the caseload, the detail and an admin read back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from skills_app.core import attendance, audit, db, programs, review, schedule
from skills_app.core.clock import frozen_clock
from skills_app.core.models import Attendance, AuditEvent, TrackException, TrackMember
from skills_app.text import language
from skills_app.views import sharing as sharing_views
from tests.conftest import Account, make_account, make_program

# Wednesday Dec 9 2026, 10:00 in Chicago: the Morning group (Mon, Wed, Thu 9:00-12:00)
# is meeting now.
NOW = datetime(2026, 12, 9, 16, 0, tzinfo=UTC)
MON, TUE, WED, THU = date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)
LAST_THU = date(2026, 12, 3)


class Program:
    def __init__(self) -> None:
        program = make_program("Riverside IOP")
        self.admin = make_account("carol", "therapist", program_id=program,
                                  program_role="admin")
        self.therapist = make_account("dave", "therapist", program_id=program)
        self.deactivated = make_account("gina", "therapist", program_id=program)
        assert programs.set_therapist_active(self.admin.identity.user_id,
                                             self.deactivated.identity.user_id, False) is None
        self.outsider = make_account("iris", "therapist", program_id=make_program("Elsewhere"),
                                     program_role="admin")
        self.alice = make_account("alice", "patient")
        self.bob = make_account("bob", "patient")
        self.erin = make_account("erin", "patient", "Asia/Tokyo")
        admin_id = self.admin.identity.user_id
        assert schedule.set_time_zone(admin_id, "America/Chicago") is None
        self.morning, errors = schedule.save_track(admin_id, None, {
            "name": "Morning IOP", "weekdays": [0, 2, 3], "start": "09:00", "end": "12:00",
            "first_day": "2026-11-02", "last_day": ""})
        assert not errors
        self.evening, errors = schedule.save_track(admin_id, None, {
            "name": "Evening IOP", "weekdays": [0, 1, 2, 3], "start": "18:00",
            "end": "21:00", "first_day": "2026-11-02", "last_day": ""})
        assert not errors
        for patient in (self.alice, self.bob, self.erin):
            self.place(patient, self.morning, date(2026, 11, 2))

    def move_bob_to_the_evening_on_tuesday(self) -> None:
        with db.transaction() as session:
            member = session.execute(select(TrackMember).where(
                TrackMember.patient_id == uid(self.bob))).scalar_one()
            member.last_day = MON
            session.add(member)
        self.place(self.bob, self.evening, TUE)

    def place(self, patient: Account, track_id: int, first: date,
              last: date | None = None) -> None:
        with db.transaction() as session:
            session.add(TrackMember(track_id=track_id, patient_id=patient.identity.user_id,
                                    first_day=first, last_day=last))


@pytest.fixture
def world(database: str) -> Iterator[Program]:
    with frozen_clock(NOW):
        yield Program()


def uid(account: Account) -> int:
    return account.identity.user_id


def marks() -> list[tuple[int, int, date, str, int | None]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(select(
            Attendance.track_id, Attendance.patient_id, Attendance.day, Attendance.status,
            Attendance.marked_by).order_by(Attendance.id)).all()]


def trail(patient: Account) -> list[AuditEvent]:
    return list(reversed(audit.events_for(uid(patient))))


def test_marking_and_marking_again_changes_the_one_row(world: Program) -> None:
    dave, bob = uid(world.therapist), uid(world.bob)
    assert attendance.mark(dave, world.morning, bob, WED.isoformat(), "present") is None
    assert attendance.mark(dave, str(world.morning), str(bob), WED, "late") is None
    assert marks() == [(world.morning, bob, WED, "late", dave)]
    # The admin corrects it: still one row, now theirs.
    carol = uid(world.admin)
    assert attendance.mark(carol, world.morning, bob, WED, "excused") is None
    assert marks() == [(world.morning, bob, WED, "excused", carol)]
    with db.read() as session:
        row = session.execute(select(Attendance)).scalar_one()
    assert row.marked_by_name == "Carol"
    rows = trail(world.bob)
    assert [(r.action, r.allowed, r.actor_name) for r in rows] == [
        ("attendance", True, "Dave"), ("attendance", True, "Dave"),
        ("attendance", True, "Carol")]
    assert all(r.categories == [] for r in rows)


def test_the_same_mark_twice_is_one_change(world: Program) -> None:
    dave, bob = uid(world.therapist), uid(world.bob)
    for _ in range(2):
        assert attendance.mark(dave, world.morning, bob, WED, "absent") is None
    assert len(marks()) == 1 and len(trail(world.bob)) == 1


def test_every_status_and_only_those(world: Program) -> None:
    dave = uid(world.therapist)
    for status in attendance.STATUSES:
        assert attendance.mark(dave, world.morning, uid(world.bob), MON, status) is None
    for forged in ("PRESENT", "here", "", None, 1, True, ["present"], {"s": "late"}):
        assert attendance.mark(dave, world.morning, uid(world.alice), MON,
                               forged) == attendance.BAD_STATUS
    assert [m[1] for m in marks()] == [uid(world.bob)]
    assert trail(world.alice) == []


@pytest.mark.parametrize("day, problem", [
    (TUE, attendance.NO_MEETING),  # the morning group does not meet on Tuesdays
    (THU, attendance.NOT_YET),  # tomorrow
    (date(2026, 10, 29), attendance.NO_MEETING),  # before the track began
    ("2026-13-01", attendance.NO_MEETING), ("yesterday", attendance.NO_MEETING),
    (20261209, attendance.NO_MEETING), (None, attendance.NO_MEETING),
    (datetime(2026, 12, 9, 9, tzinfo=UTC), attendance.NO_MEETING),
])
def test_the_day_must_be_a_meeting_and_not_in_the_future(world: Program, day: object,
                                                           problem: object) -> None:
    assert attendance.mark(uid(world.therapist), world.morning, uid(world.bob), day,
                           "present") == problem
    assert marks() == []


def test_a_holiday_is_not_a_meeting(world: Program) -> None:
    with db.transaction() as session:
        session.add(TrackException(track_id=world.morning, day=MON, note="Holiday"))
    assert attendance.mark(uid(world.therapist), world.morning, uid(world.bob), MON,
                           "absent") == attendance.NO_MEETING


def test_the_patient_must_be_on_the_track_that_day(world: Program) -> None:
    dave = uid(world.therapist)
    # Bob moved to the evening group on Tuesday: Monday's morning meeting was his, not
    # Wednesday's.
    world.move_bob_to_the_evening_on_tuesday()
    assert attendance.mark(dave, world.morning, uid(world.bob), MON, "present") is None
    assert attendance.mark(dave, world.morning, uid(world.bob), WED,
                           "present") == attendance.NOT_ON_TRACK
    assert attendance.mark(dave, world.evening, uid(world.bob), TUE, "late") is None
    # Someone else's id, a therapist, nobody, nonsense.
    for forged in (uid(world.admin), 0, -1, 2**60, "abc", None, 1.5, True):
        assert attendance.mark(dave, world.morning, forged, WED,
                               "absent") == attendance.NOT_ON_TRACK
    assert [m[1:4] for m in marks()] == [(uid(world.bob), MON, "present"),
                                         (uid(world.bob), TUE, "late")]
    refused = [r for r in trail(world.bob) if not r.allowed]
    assert [(r.action, r.reason) for r in refused] == [("attendance", "not_on_track")]


def test_only_active_staff_of_the_tracks_program_mark(world: Program) -> None:
    bob = uid(world.bob)
    assert attendance.mark(uid(world.outsider), world.morning, bob, WED,
                           "absent") == attendance.NO_TRACK
    assert attendance.mark(uid(world.deactivated), world.morning, bob, WED,
                           "absent") == attendance.NOT_STAFF
    assert attendance.mark(uid(world.alice), world.morning, bob, WED,
                           "absent") == attendance.NOT_STAFF
    for forged_track in (0, -3, 999, "x", None, str(world.morning) + "0"):
        assert attendance.mark(uid(world.therapist), forged_track, bob, WED,
                               "absent") == attendance.NO_TRACK
    assert marks() == []
    refused = trail(world.bob)
    # Issue 23: Iris (another program) and Alice (another patient, no shared program)
    # are unrelated to Bob: not on his trail.
    assert [(r.actor_name, r.reason) for r in refused[:1]] == [("Gina", "inactive")]
    assert not {"Iris", "Alice"} & {r.actor_name for r in refused}
    assert not any(r.allowed for r in refused)


def test_the_patients_log_words_marking_and_refusals(world: Program) -> None:
    attendance.mark(uid(world.therapist), world.morning, uid(world.bob), WED, "present")
    attendance.mark(uid(world.outsider), world.morning, uid(world.bob), WED, "absent")
    attendance.roster(uid(world.therapist), world.morning, WED)
    lines = audit.patient_log(uid(world.bob))
    with language("en"):
        said = [sharing_views.log_sentence(line) for line in lines]
    assert said == [
        "Dave saw your name on a group's attendance list.",
        # Issue 23: Iris (another program) is unrelated to Bob: her refusal is not here.
        "Dave marked your attendance at a group."]
    with language("es"):
        spanish = [sharing_views.log_sentence(line) for line in lines]
    assert all(s not in said for s in spanish)


def test_the_roster_lists_names_and_marks_only(world: Program) -> None:
    dave = uid(world.therapist)
    attendance.mark(dave, world.morning, uid(world.bob), WED, "late")
    found, problem = attendance.roster(dave, world.morning, WED.isoformat())
    assert problem is None
    assert found.meeting.day == WED and found.meeting.track_name == "Morning IOP"
    assert [(line.name, line.status) for line in found.lines] == [
        ("Alice", None), ("Bob", "late"), ("Erin", None)]
    assert found.unmarked == 2
    for patient in (world.alice, world.bob, world.erin):
        assert trail(patient)[-1].action == "roster"
    for who, track, day, problem in (
            (world.outsider, world.morning, WED, attendance.NO_TRACK),
            (world.deactivated, world.morning, WED, attendance.NOT_STAFF),
            (world.therapist, world.morning, THU, attendance.NOT_YET),
            (world.therapist, world.morning, TUE, attendance.NO_MEETING)):
        assert attendance.roster(uid(who), track, day) == (None, problem)


def test_mark_everyone_not_yet_marked_present(world: Program) -> None:
    dave = uid(world.therapist)
    attendance.mark(dave, world.morning, uid(world.bob), WED, "absent")
    assert attendance.mark_rest_present(dave, world.morning, WED) == (2, None)
    assert sorted(m[1:4] for m in marks()) == sorted([
        (uid(world.bob), WED, "absent"), (uid(world.alice), WED, "present"),
        (uid(world.erin), WED, "present")])
    assert attendance.mark_rest_present(dave, world.morning, WED) == (0, None)
    assert attendance.mark_rest_present(uid(world.outsider), world.morning, WED) == (
        0, attendance.NO_TRACK)
    assert len(marks()) == 3


def test_the_choices_default_to_todays_meeting_else_the_latest(world: Program) -> None:
    dave = uid(world.therapist)
    found = attendance.choices(dave, "", "")
    assert [t.name for t in found.tracks] == ["Morning IOP", "Evening IOP"]
    assert found.track_id == world.morning and found.day == WED
    assert found.meetings[0].day == WED and found.meetings[1].day == MON
    assert all(m.day <= WED for m in found.meetings)
    assert attendance.choices(dave, world.morning, MON.isoformat()).day == MON
    assert attendance.choices(dave, world.morning, TUE.isoformat()).day == WED
    with frozen_clock(datetime(2026, 12, 8, 16, tzinfo=UTC)):  # a Tuesday
        assert attendance.choices(dave, world.morning, "").day == MON
    assert attendance.choices(uid(world.deactivated), "", "") is None
    assert attendance.choices(uid(world.admin), "", "").track_id is not None
    assert attendance.choices(uid(world.admin), "", "").is_admin


def test_missed_this_week_counts_absences_of_each_patients_week(
        world: Program, statements: list[str]) -> None:
    dave = uid(world.therapist)
    attendance.mark(dave, world.morning, uid(world.bob), LAST_THU, "absent")  # last week
    attendance.mark(dave, world.morning, uid(world.bob), MON, "absent")
    attendance.mark(dave, world.morning, uid(world.bob), WED, "absent")
    attendance.mark(dave, world.morning, uid(world.alice), MON, "excused")
    attendance.mark(dave, world.morning, uid(world.alice), WED, "absent")
    today = {uid(world.bob): WED, uid(world.alice): WED, uid(world.erin): THU}
    statements.clear()
    with db.read() as session:
        found = attendance.missed_this_week(session, list(today), today)
    assert len([s for s in statements if s.startswith("SELECT")]) == 1
    assert found == {uid(world.bob): attendance.Missed(2, WED),
                     uid(world.alice): attendance.Missed(1, WED)}
    # A week starts on the patient's Monday: on the next Monday nothing is missed yet.
    with db.read() as session:
        assert attendance.missed_this_week(session, [uid(world.bob)],
                                           {uid(world.bob): MON + timedelta(days=7)}) == {}
        assert attendance.missed_this_week(session, [], {}) == {}


def test_the_caseload_flags_two_missed_groups_between_use_pattern_and_missing(
        world: Program) -> None:
    assert list(review.Tier).index(review.Tier.MISSED_GROUPS) == 4
    assert review.Tier.USE_PATTERN < review.Tier.MISSED_GROUPS < review.Tier.MISSING
    dave = uid(world.therapist)
    attendance.mark(dave, world.morning, uid(world.bob), MON, "absent")
    mood = frozenset({"mood"})
    row = review.caseload_row(uid(world.bob), "Bob", mood, WED)
    assert not any(f.kind == review.FlagKind.MISSED_GROUPS for f in row.flags)
    attendance.mark(dave, world.morning, uid(world.bob), WED, "absent")
    row = review.caseload_row(uid(world.bob), "Bob", mood, WED)
    flag = next(f for f in row.flags if f.kind == review.FlagKind.MISSED_GROUPS)
    assert (flag.tier, flag.count, flag.day) == (review.Tier.MISSED_GROUPS, 2, WED)
    # No check-ins at all is tier 6 now: the missed groups come first.
    assert row.tier == review.Tier.MISSED_GROUPS
    assert row.flags[0] == flag
    # Shared with nothing about mood or safety: attendance is the program's own record.
    row = review.caseload_row(uid(world.bob), "Bob", frozenset({"exercises"}), WED)
    assert row.tier == review.Tier.MISSED_GROUPS
    assert row.next_group is not None and row.next_group.day == WED


def test_by_week_counts_meetings_and_marks_across_a_move(world: Program) -> None:
    dave = uid(world.therapist)
    world.move_bob_to_the_evening_on_tuesday()
    attendance.mark(dave, world.morning, uid(world.bob), LAST_THU, "late")
    attendance.mark(dave, world.morning, uid(world.bob), MON, "present")
    attendance.mark(dave, world.evening, uid(world.bob), TUE, "absent")
    weeks = attendance.by_week(uid(world.bob), LAST_THU, WED)
    assert [w.week_start for w in weeks] == [date(2026, 11, 30), MON]
    last, this = weeks
    # Last week: Mon, Wed, Thu on the morning track; one marked late.
    assert (last.held, last.late, last.unmarked) == (3, 1, 2)
    # This week: Monday morning, then the evening group Tuesday; Wednesday's evening
    # group has not started at 10:00.
    assert (this.held, this.present, this.absent, this.unmarked) == (2, 1, 1, 0)
    assert [(m.day, m.track_name, m.status) for m in this.meetings] == [
        (MON, "Morning IOP", "present"), (TUE, "Evening IOP", "absent")]
    assert attendance.by_week(uid(world.admin), MON, WED)[0].held == 0


def test_meeting_counts_are_for_admins_and_counts_only(world: Program) -> None:
    dave = uid(world.therapist)
    attendance.mark(dave, world.morning, uid(world.bob), MON, "present")
    attendance.mark(dave, world.morning, uid(world.alice), MON, "late")
    attendance.mark(dave, world.morning, uid(world.erin), WED, "absent")
    counts, problem = attendance.meeting_counts(uid(world.admin), world.morning, MON, THU)
    assert problem is None
    assert [(c.meeting.day, c.members, c.present, c.late, c.excused, c.absent, c.unmarked)
            for c in counts] == [(WED, 3, 0, 0, 0, 1, 2), (MON, 3, 1, 1, 0, 0, 1)]
    assert attendance.meeting_counts(dave, world.morning, MON, THU) == (
        None, attendance.NOT_ADMIN)
    assert attendance.meeting_counts(uid(world.outsider), world.morning, MON, THU) == (
        None, attendance.NO_TRACK)


def test_nothing_half_saved_when_a_write_fails(world: Program,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        attendance.mark_rest_present(uid(world.therapist), world.morning, WED)
    with db.read() as session:
        assert session.execute(select(func.count()).select_from(Attendance)).scalar_one() == 0
