"""The access matrix: every event handler of every app state and every HTTP route,
called by everyone who must get nothing.

Each handler and route is listed below with what it touches. A new handler or
route that is not listed fails `test_every_handler_is_classified` /
`test_every_route_is_classified`, so nobody adds one without deciding who may
call it. Then, for the victim patient Bob (a unique marker in every category):

- a handler reading a patient as a therapist: anonymous, patient Alice, a
  therapist with no grant, a revoked grant, an expired grant, a deactivated
  therapist and an admin of another program get nothing of Bob (checked in the
  whole state tree that would be sent) and each attempt is in the audit log
  naming Bob; a grant lacking categories shows none of them.
- a handler of a patient's own data: anonymous and every therapist are refused
  (audit-logged whenever the handler touched the database); Alice, sending Bob's
  ids in every argument, gets nothing of Bob and changes nothing of his.
- a handler changing a patient's homework as a therapist: everyone above, with
  Bob's id in the address (assign) or Bob's assignment id (end), changes
  nothing of Bob's homework, gets nothing of Bob, and each attempt is in the
  audit log.
- the report routes: everyone above gets 404 and an audit row.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest
import reflex as rx
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.routing import Route

from skills_app import calendar_routes, report_routes
from skills_app.core import audit, db, homework, programs, schedule, sharing
from skills_app.core.clock import frozen_clock, utcnow
from skills_app.core.models import (
    Assignment,
    AssignmentSkip,
    Attendance,
    AuditEvent,
    ExerciseSession,
    JournalEntry,
    PlanReview,
    Program,
    ProgramMember,
    ReminderPreference,
    ReminderSetting,
    ShareGrant,
    Track,
    TrackException,
    TrackMember,
    User,
)
from skills_app.core.settings import SESSION_COOKIE
from skills_app.state.attendance import AttendanceState
from skills_app.state.session import _app_state_classes
from tests.conftest import Account, make_account, make_program
from tests.sharing_helpers import (
    MARKERS,
    checkup,
    diary_entry,
    finished_exercise,
    safety_plan,
    share,
)
from tests.state.conftest import state_for

THERAPIST_READ = "reads a patient as a therapist"
THERAPIST_WRITE = "changes a patient's homework as a therapist"
PATIENT_OWN = "a patient's own data"
OWN_ACCOUNT = "the caller's own account (any role)"
ADMIN = "program admin (no patient data)"
THERAPIST_OWN = "the therapist's own connect code (no patient data)"
SCREEN = "only what the screen already holds (no stored data)"
PROGRAM_STAFF = ("a group's attendance: active staff of the track's program (names and "
                 "marks only, no grant needed)")
PUBLIC = "public (no personal data)"
SECRET_LINK = ("a patient's own feed or email setting, by a secret link's token only "
               "(no cookie: tests/test_reminder_links.py)")
PLACES_PATIENT = "puts a patient on a group track (a therapist with the patient's grant)"

HANDLERS: dict[str, str] = {
    "SessionState.guard_any_page": PUBLIC,
    "SessionState.guard_patient_page": PUBLIC,
    "SessionState.guard_therapist_page": PUBLIC,
    "SessionState.route_signed_in_home": PUBLIC,
    "BrowserLanguageState.notice_browser": PUBLIC,
    "JoinState.load_invitation": PUBLIC,
    "AccountState.load_account": OWN_ACCOUNT,
    "AccountState.save_profile": OWN_ACCOUNT,
    "CardSettingsState.load_card_settings": PATIENT_OWN,
    "CardSettingsState.save_card_settings": PATIENT_OWN,
    "PracticeFlowState.finish": PATIENT_OWN,
    "PracticeFlowState.load_flow": PATIENT_OWN,
    "PracticeHistoryState.ask_delete": SCREEN,
    "PracticeHistoryState.cancel_delete": SCREEN,
    "PracticeHistoryState.delete_finished": PATIENT_OWN,
    "PracticeHistoryState.load_history": PATIENT_OWN,
    "PracticeHistoryState.show_earlier": PATIENT_OWN,
    "PracticeTabState.load_tab": PATIENT_OWN,
    "PracticeTabState.star": PATIENT_OWN,
    "TodayPracticeState.load_plan": PATIENT_OWN,
    "MeasureTakeState.finish": PATIENT_OWN,
    "MeasureTakeState.load_take": PATIENT_OWN,
    "MeasuresState.load_measures": PATIENT_OWN,
    "MindfulnessLogState.load_log": PATIENT_OWN,
    "MindfulnessState.log_session": PATIENT_OWN,
    "RelapsePlanState.load_plan": PATIENT_OWN,
    "RelapsePlanState.save_plan": PATIENT_OWN,
    "SafetyPlanCopyState.load_device_copy": PATIENT_OWN,
    "SafetyPlanCopyState.load_help_page": PATIENT_OWN,
    "SafetyPlanState.load_plan": PATIENT_OWN,
    "SafetyPlanState.save_plan": PATIENT_OWN,
    "SafetyPlanState.save_start_step": PATIENT_OWN,
    "SafetyPlanState.go_on_with_start": SCREEN,
    "SafetyPlanState.stop_start": SCREEN,
    "TodayMeasuresState.load_due": PATIENT_OWN,
    "SafetyPlanState.mark_read": PATIENT_OWN,
    "RelapsePlanState.mark_read": PATIENT_OWN,
    "TodayHomeworkState.load_today_homework": PATIENT_OWN,
    "HomeworkWeekState.load_week": PATIENT_OWN,
    "HomeworkWeekState.show_week": PATIENT_OWN,
    "HomeworkWeekState.skip": PATIENT_OWN,
    "HomeworkWeekState.unskip": PATIENT_OWN,
    "HomeworkWeekState.ask_skip": SCREEN,
    "HomeworkWeekState.cancel_skip": SCREEN,
    "ProgressState.load_progress": PATIENT_OWN,
    "ProgressState.set_range": PATIENT_OWN,
    "ProgramState.invite": ADMIN,
    "ProgramState.load_program": ADMIN,
    "ProgramState.set_active": ADMIN,
    "ScheduleState.load_schedule": ADMIN,
    "ScheduleState.save_zone": ADMIN,
    "ScheduleState.save_track": ADMIN,
    "ScheduleState.archive_track": ADMIN,
    "ScheduleState.add_exception": ADMIN,
    "ScheduleState.remove_exception": ADMIN,
    "ScheduleState.edit_track": SCREEN,
    "ScheduleState.new_track": SCREEN,
    "GroupTrackState.load_group_track": PLACES_PATIENT,
    "GroupTrackState.place": PLACES_PATIENT,
    "GroupsState.load_groups": PATIENT_OWN,
    "NextGroupState.load_next_group": PATIENT_OWN,
    "SharingState.ask_revoke": SCREEN,
    "SharingState.back_to_choices": SCREEN,
    "SharingState.cancel": SCREEN,
    "SharingState.cancel_revoke": SCREEN,
    "SharingState.enter_code": PATIENT_OWN,
    "SharingState.load_sharing": PATIENT_OWN,
    "SharingState.review_consent": PATIENT_OWN,
    "SharingState.revoke": PATIENT_OWN,
    "SharingState.sign": PATIENT_OWN,
    "SharingState.start_change": PATIENT_OWN,
    "WhoHasSeenState.load_log": PATIENT_OWN,
    "WhoHasSeenState.earlier_disclosures": PATIENT_OWN,
    "WhoHasSeenState.earlier_lines": PATIENT_OWN,
    "OwnAttendanceState.load_own_attendance": PATIENT_OWN,
    "AttendanceState.load_attendance": PROGRAM_STAFF,
    "AttendanceState.choose_track": PROGRAM_STAFF,
    "AttendanceState.choose_meeting": PROGRAM_STAFF,
    "AttendanceState.mark": PROGRAM_STAFF,
    "AttendanceState.mark_rest_present": PROGRAM_STAFF,
    "CaseloadState.load_caseload": THERAPIST_READ,
    "CaseloadState.sort_by": THERAPIST_READ,
    "CaseloadState.show_code": THERAPIST_OWN,
    "CaseloadState.hide_code": SCREEN,
    "PatientDetailState.load_detail": THERAPIST_READ,
    "PatientDetailState.show_week": THERAPIST_READ,
    "HomeworkAssignState.start_page": SCREEN,
    "HomeworkAssignState.open_form": SCREEN,
    "HomeworkAssignState.close_form": SCREEN,
    "HomeworkAssignState.find_exercise": SCREEN,
    "HomeworkAssignState.ask_end": SCREEN,  # only an assignment the detail already shows
    "HomeworkAssignState.cancel_end": SCREEN,
    "HomeworkAssignState.assign": THERAPIST_WRITE,
    "HomeworkAssignState.end": THERAPIST_WRITE,
    "CheckInState.load_today": PATIENT_OWN,
    "CheckInState.save_checkin": PATIENT_OWN,
    "EntryEditorState.keep_mine": PATIENT_OWN,
    "EntryEditorState.keep_theirs": PATIENT_OWN,
    "EntryEditorState.load_editor": PATIENT_OWN,
    "EntryEditorState.save_diary": PATIENT_OWN,
    "EntryEditorState.start_new_card": SCREEN,
    "JournalState.ask_delete": SCREEN,
    "JournalState.cancel_delete": SCREEN,
    "JournalState.change_week": PATIENT_OWN,
    "JournalState.clear_search": PATIENT_OWN,
    "JournalState.count_down_undo": SCREEN,  # a countdown the delete itself claimed
    "JournalState.delete_entry": PATIENT_OWN,
    "JournalState.load_journal": PATIENT_OWN,
    "JournalState.search": PATIENT_OWN,
    "JournalState.undo_delete": PATIENT_OWN,
    "RemindersState.load_reminders": PATIENT_OWN,
    "RemindersState.save_reminders": PATIENT_OWN,
    "RemindersState.make_calendar_link": PATIENT_OWN,
    "RemindersState.turn_off_calendar": PATIENT_OWN,
    "TodayRemindersState.load_today_reminders": PATIENT_OWN,
    "TodayRemindersState.answer": PATIENT_OWN,
}
# Reflex's own setter on every state: state_auto_setters is off, and what it sets is
# only the caller's own screen (backend vars cannot be set from a browser).
FRAMEWORK = {"setvar"}

ROUTES: dict[str, str] = {
    "/auth/signup": PUBLIC, "/auth/login": PUBLIC, "/auth/logout": OWN_ACCOUNT,
    "/auth/logout-everywhere": OWN_ACCOUNT, "/auth/password": OWN_ACCOUNT,
    "/auth/export": OWN_ACCOUNT, "/auth/delete-account": OWN_ACCOUNT,
    "/auth/outbox": PATIENT_OWN,  # tests/test_outbox.py
    "/measures/export/fhir.json": PATIENT_OWN,  # tests/test_measures_api.py
    "/offline.html": PUBLIC, "/es/offline.html": PUBLIC, "/sw.js": PUBLIC,
    "/reports/session.pdf": THERAPIST_READ, "/reports/session.csv": THERAPIST_READ,
    "/calendar/groups.ics": PATIENT_OWN,  # the caller's own track only
    # tests/test_push_routes.py: the caller's own session's subscriptions only.
    "/push/key": PUBLIC, "/push/subscribe": PATIENT_OWN, "/push/unsubscribe": PATIENT_OWN,
    "/push/status": PATIENT_OWN,
    "/reminders/snooze": PATIENT_OWN,  # tests/test_reminder_routes.py
    "/calendar/feed/{token}.ics": SECRET_LINK,
    "/reminders/email-off/{token}": SECRET_LINK,
}


def _app_handlers() -> dict[str, type[rx.State]]:
    import skills_app.skills_app  # noqa: F401 (registers every state)
    from skills_app.state.program import JoinState

    found = {}
    for state_cls in [*_app_state_classes(), JoinState]:
        for name in state_cls.event_handlers:
            if name in state_cls.__dict__ and not name.startswith("_") \
                    and name not in FRAMEWORK:
                found[f"{state_cls.__name__}.{name}"] = state_cls
    return found


def _all_state_classes_of_the_app() -> set[str]:
    pending, names = list(rx.State.get_substates()), set()
    while pending:
        state_cls = pending.pop()
        if state_cls.__module__.startswith("skills_app"):
            names.add(state_cls.__name__)
        pending.extend(state_cls.get_substates())
    return names


def test_every_handler_is_classified() -> None:
    found = _app_handlers()
    assert set(found) == set(HANDLERS), (
        f"not classified: {sorted(set(found) - set(HANDLERS))}; "
        f"gone: {sorted(set(HANDLERS) - set(found))}")
    listed = {name.split(".")[0] for name in HANDLERS}
    assert _all_state_classes_of_the_app() <= listed | {"DraftsState"}


def test_every_route_is_classified() -> None:
    from skills_app.skills_app import ROUTES as APP_ROUTES

    paths = {route.path for route in APP_ROUTES
             if isinstance(route, Route)}
    assert paths == set(ROUTES), f"not classified: {sorted(paths - set(ROUTES))}"


# --- the people ----------------------------------------------------------------------

@dataclass
class World:
    alice: Account
    bob: Account
    actors: dict[str, Account | None]
    lacking: Account


@pytest.fixture
def world(database: str) -> World:
    program = make_program("Riverside IOP")
    admin = make_account("carol", "therapist", program_id=program, program_role="admin")
    no_grant = make_account("dave", "therapist", program_id=program)
    revoked = make_account("erin", "therapist", program_id=program)
    expired = make_account("frank", "therapist", program_id=program)
    deactivated = make_account("gina", "therapist", program_id=program)
    lacking = make_account("hank", "therapist", program_id=program)
    alice, bob = make_account("alice", "patient"), make_account("bob", "patient")
    with frozen_clock(utcnow() - timedelta(days=366)):
        share(bob, expired, tuple(sharing.CATEGORY_KEYS))
    grant = share(bob, revoked, tuple(sharing.CATEGORY_KEYS))
    assert sharing.revoke(bob.identity.user_id, grant) is None
    share(bob, deactivated, tuple(sharing.CATEGORY_KEYS))
    share(bob, admin, tuple(sharing.CATEGORY_KEYS))  # Bob shares with his program's admin
    assert programs.set_therapist_active(admin.identity.user_id, deactivated.identity.user_id,
                                         False) is None
    share(bob, lacking, ("exercises",))
    other_admin = make_account("iris", "therapist", program_id=make_program("Elsewhere IOP"),
                               program_role="admin")
    for day in range(3):
        diary_entry(bob, utcnow().date() - timedelta(days=day))
    finished_exercise(bob)
    checkup(bob, item9=2)
    safety_plan(bob)
    assigned, problems = homework.assign(admin.identity.user_id, bob.identity.user_id, {
        "idempotency_key": "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b", "kind": "diary_card",
        "repeat": "daily", "note": MARKERS["notes"]})
    assert assigned and not problems, problems
    return World(alice, bob, {
        "anonymous": None, "patient A on patient B": alice, "therapist with no grant": no_grant,
        "revoked grant": revoked, "expired grant": expired,
        "deactivated therapist": deactivated, "admin of another program": other_admin,
    }, lacking)


SECRETS = [*MARKERS.values(), "Bob", "bob@example.org"]


def sent(state: rx.State) -> str:
    """Everything the tab's state tree holds (what a hydrate would send)."""
    while state.parent_state is not None:
        state = state.parent_state
    text = repr(state.dict())
    # The tab's own cookie header holds its random session token, which can spell
    # "Bob" by chance (about one tree in a few thousand): it is the caller's own.
    cookie = state.router.headers.cookie
    return text.replace(cookie, "") if cookie else text


def leaked(state: rx.State) -> list[str]:
    sent_text = sent(state)
    return [secret for secret in SECRETS if secret in sent_text]


def bobs_rows(bob: Account) -> tuple[int, ...]:
    uid = bob.identity.user_id
    with db.read() as session:
        return (session.execute(select(func.count()).select_from(JournalEntry).where(
                    JournalEntry.user_id == uid, JournalEntry.deleted_at.is_(None))).scalar_one(),
                session.execute(select(func.count()).select_from(ExerciseSession).where(
                    ExerciseSession.user_id == uid)).scalar_one(),
                session.execute(select(func.count()).select_from(ShareGrant).where(
                    ShareGrant.patient_id == uid, ShareGrant.revoked_at.is_(None)))
                .scalar_one(),
                session.execute(select(func.count()).select_from(AssignmentSkip).where(
                    AssignmentSkip.patient_id == uid)).scalar_one(),
                session.execute(select(func.count()).select_from(PlanReview).where(
                    PlanReview.user_id == uid)).scalar_one(),
                session.execute(select(func.count()).select_from(ReminderSetting).where(
                    ReminderSetting.user_id == uid)).scalar_one(),
                session.execute(select(func.count()).select_from(ReminderPreference).where(
                    ReminderPreference.user_id == uid)).scalar_one())


def related_to_bob(world: World, caller: Account | None) -> bool:
    with db.read() as session:
        return audit.related(session, caller.identity.user_id if caller else None,
                             world.bob.identity.user_id)


def audit_rows() -> list[AuditEvent]:
    with db.read() as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)).scalars())


def forged_arguments(state_cls: type[rx.State], name: str, bob: Account) -> dict:
    """Bob's ids (and a code) in every argument a browser could send."""
    with db.read() as session:
        entry_id = session.execute(select(JournalEntry.id).where(
            JournalEntry.user_id == bob.identity.user_id)).scalars().first()
        grant_id = session.execute(select(ShareGrant.id).where(
            ShareGrant.patient_id == bob.identity.user_id)).scalars().first()
        assignment_id = session.execute(select(Assignment.id).where(
            Assignment.patient_id == bob.identity.user_id)).scalars().first()
    uid = bob.identity.user_id
    form = {"id": str(entry_id), "entry_id": str(entry_id), "user_id": uid, "patient_id": uid,
            "grant_id": grant_id, "code": "ABCD-2345", "q": "week", "mood": 5,
            "kind": "checkin", "idempotency_key": "00000000-0000-4000-8000-000000000000",
            "exercise_id": "self-soothe", "signature": "Bob", "share_mood": "on",
            "display_name": "Bob", "time_zone": "UTC", "version": 1,
            "assignment_id": str(assignment_id), "reason": "Bob's reason"}
    handler = state_cls.event_handlers[name].fn
    kwargs = {}
    for param in list(inspect.signature(handler).parameters.values())[1:]:
        if param.name == "form_data":
            kwargs[param.name] = form
        elif param.name.endswith("id"):
            kwargs[param.name] = grant_id if "grant" in param.name or name in (
                "start_change", "set_active") else str(assignment_id) if name in (
                "unskip", "ask_skip") else str(entry_id)
        elif param.annotation in (bool, "bool"):
            kwargs[param.name] = True
        elif param.annotation in (int, "int"):
            kwargs[param.name] = 1
        else:
            kwargs[param.name] = str(entry_id)
    return kwargs


async def call(state: rx.State, name: str, kwargs: dict) -> None:
    result = getattr(state, name)(**kwargs)
    if inspect.isawaitable(result):
        await result


def patient_handlers() -> list[str]:
    return [name for name, kind in HANDLERS.items() if kind == PATIENT_OWN]


def therapist_handlers() -> list[str]:
    return [name for name, kind in HANDLERS.items() if kind == THERAPIST_READ]


ACTORS = ["anonymous", "patient A on patient B", "therapist with no grant", "revoked grant",
          "expired grant", "deactivated therapist", "admin of another program"]


@pytest.mark.parametrize("handler", therapist_handlers())
async def test_therapist_reads_give_nothing_and_are_logged(world: World, handler: str) -> None:
    state_name, name = handler.split(".")
    state_cls = _app_handlers()[handler]
    bob_id = world.bob.identity.user_id
    for actor in ACTORS:
        caller = world.actors[actor]
        state = state_for(state_cls, caller.token if caller else None,
                          f"/patients/view/?id={bob_id}")
        before = len(audit_rows())
        kwargs = ({"by": "name"} if name == "sort_by" else {"week": ""} if name == "show_week"
                  else {})
        await call(state, name, kwargs)
        assert leaked(state) == [], actor
        new = audit_rows()[before:]
        assert not any(row.allowed and row.patient_id == bob_id for row in new), actor
        if state_name == "PatientDetailState" or actor in (
                "anonymous", "patient A on patient B", "deactivated therapist"):
            assert any(not row.allowed for row in new), f"{actor}: refusal not logged"
        if state_name == "PatientDetailState":
            # Issue 23: on Bob's trail only when the caller is related to him
            # (audit.related); otherwise logged against the caller alone.
            on_trail = bob_id if related_to_bob(world, caller) else None
            assert any(row.patient_id == on_trail and not row.allowed for row in new), actor


@pytest.mark.parametrize("handler", therapist_handlers())
async def test_a_grant_lacking_categories_shows_none_of_them(world: World,
                                                             handler: str) -> None:
    name = handler.split(".")[1]
    state = state_for(_app_handlers()[handler], world.lacking.token,
                      f"/patients/view/?id={world.bob.identity.user_id}")
    kwargs = {"by": "name"} if name == "sort_by" else {"week": ""} if name == "show_week" else {}
    before = len(audit_rows())
    await call(state, name, kwargs)
    shown = sent(state)
    assert "Bob" in shown  # shared: exercises
    for category in ("mood", "substance_use", "notes", "measures", "safety_plan"):
        assert MARKERS[category] not in shown
    assert "Suicide" not in shown
    assert "/ 10" not in shown and "Not enough check-ins" not in shown  # no mood number
    assert "PHQ-9" not in shown and "GAD-7" not in shown
    new = audit_rows()[before:]
    assert new and all(set(row.categories) <= {"exercises"} for row in new)


@pytest.mark.parametrize("handler", patient_handlers())
async def test_patient_data_handlers_give_nothing_to_anyone_else(
        world: World, handler: str, statements: list[str]) -> None:
    state_cls = _app_handlers()[handler]
    name = handler.split(".")[1]
    kwargs = forged_arguments(state_cls, name, world.bob)
    for actor in ACTORS:
        caller = world.actors[actor]
        state = state_for(state_cls, caller.token if caller else None, "/journal/")
        rows_before, audit_before = bobs_rows(world.bob), len(audit_rows())
        statements.clear()
        await call(state, name, kwargs)
        touched_database = bool(statements)
        assert leaked(state) == [], actor
        assert bobs_rows(world.bob) == rows_before, actor
        if actor != "patient A on patient B" and touched_database:
            new = audit_rows()[audit_before:]
            assert any(not row.allowed for row in new), f"{actor}: refusal not logged"


def therapist_write_handlers() -> list[str]:
    return [name for name, kind in HANDLERS.items() if kind == THERAPIST_WRITE]


def bobs_homework(bob: Account) -> list[tuple]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(
            select(Assignment.id, Assignment.kind, Assignment.target, Assignment.ended_at,
                   Assignment.version).where(Assignment.patient_id == bob.identity.user_id)
            .order_by(Assignment.id)).all()]


@pytest.mark.parametrize("handler", therapist_write_handlers())
async def test_homework_changes_are_refused_change_nothing_and_are_logged(
        world: World, handler: str) -> None:
    state_cls = _app_handlers()[handler]
    name = handler.split(".")[1]
    bob_id = world.bob.identity.user_id
    # Hank (who Bob shares exercises with) gave Bob an exercise.
    ids, problems = homework.assign(world.lacking.identity.user_id, bob_id, {
        "idempotency_key": "00000000-0000-4000-8000-00000000aaaa", "kind": "exercise",
        "exercises": ["tip"], "repeat": "daily"})
    assert ids and not problems
    for actor in ACTORS:
        caller = world.actors[actor]
        state = state_for(state_cls, caller.token if caller else None,
                          f"/patients/view/?id={bob_id}")
        before_rows, before = bobs_homework(world.bob), len(audit_rows())
        if name == "assign":
            await state.assign({"idempotency_key": "00000000-0000-4000-8000-00000000bbbb",
                                "kind": "exercise", "exercise.dear-man": "on",
                                "repeat": "daily"})
        else:
            state.confirm_end_id = ids[0]
            await state.end()
        assert bobs_homework(world.bob) == before_rows, actor
        assert leaked(state) == [], actor
        new = audit_rows()[before:]
        assert any(not row.allowed for row in new), f"{actor}: refusal not logged"
        assert not any(row.allowed and row.patient_id == bob_id for row in new), actor


@pytest.mark.parametrize("path", ["/reports/session.pdf", "/reports/session.csv"])
async def test_report_routes_give_nothing_and_are_logged(world: World, path: str) -> None:
    transport = httpx.ASGITransport(app=Starlette(routes=report_routes.routes))
    for actor in ACTORS:
        caller = world.actors[actor]
        headers = {"Cookie": f"{SESSION_COOKIE}={caller.token}"} if caller else {}
        before = audit.events_for(world.bob.identity.user_id)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
            response = await http.get(f"{path}?id={world.bob.identity.user_id}",
                                      headers=headers)
        assert response.status_code == 404, actor
        assert not any(secret in response.text for secret in SECRETS), actor
        after = audit.events_for(world.bob.identity.user_id)
        # Issue 23: on Bob's trail only when the caller is related to him.
        added = 1 if related_to_bob(world, caller) else 0
        assert len(after) == len(before) + added, actor
        assert not any(row.allowed for row in after[:added]), actor



# --- a group's attendance: the program's own record -------------------------------------

def _bobs_group(world: World) -> tuple[int, str]:
    """Bob on a group of his program that meets every day; (track id, today's date)."""
    admin = world.actors["therapist with no grant"]
    with db.read() as session:
        carol_id = session.execute(select(ProgramMember.user_id).where(
            ProgramMember.role == "admin", ProgramMember.program_id == session.execute(
                select(ProgramMember.program_id).where(
                    ProgramMember.user_id == admin.identity.user_id)).scalar_one())
        ).scalar_one()
    assert schedule.set_time_zone(carol_id, "America/Chicago") is None
    track_id, errors = schedule.save_track(carol_id, None, {
        "name": "Morning IOP", "weekdays": list(range(7)), "start": "00:00", "end": "00:30",
        "first_day": "2026-01-01", "last_day": ""})
    assert not errors
    today = schedule.program_today("America/Chicago")
    with db.transaction() as session:
        session.add(TrackMember(track_id=track_id, patient_id=world.bob.identity.user_id,
                                first_day=today - timedelta(days=30)))
    return track_id, today.isoformat()


def _marks() -> list[tuple]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(select(
            Attendance.patient_id, Attendance.day, Attendance.status)).all()]


def staff_handlers() -> list[str]:
    return [name for name, kind in HANDLERS.items() if kind == PROGRAM_STAFF]


STAFF_OUTSIDERS = ["anonymous", "patient A on patient B", "deactivated therapist",
                   "admin of another program"]


@pytest.mark.parametrize("handler", staff_handlers())
async def test_a_groups_attendance_gives_nothing_to_anyone_outside_its_program(
        world: World, handler: str) -> None:
    track_id, today = _bobs_group(world)
    bob_id = world.bob.identity.user_id
    name = handler.split(".")[1]
    kwargs = {"mark": {"index": 0, "status": "absent"},
              "choose_track": {"track_id": str(track_id)},
              "choose_meeting": {"day": today}}.get(name, {})
    for actor in STAFF_OUTSIDERS:
        caller = world.actors[actor]
        state = state_for(AttendanceState, caller.token if caller else None,
                          f"/groups/attendance/?track={track_id}&day={today}")
        # As if this tab had held the list before (a stolen or stale tab): core refuses.
        state._patient_ids, state._track_id, state.day = [bob_id], track_id, today
        before = len(audit_rows())
        await call(state, name, kwargs)
        assert "Bob" not in sent(state), actor
        assert _marks() == [], actor
        new = audit_rows()[before:]
        # Whatever was logged is a refusal; an admin of another program who asks for
        # this track only gets their own program's page.
        assert all(not row.allowed for row in new), actor
        if actor != "admin of another program":
            assert new, f"{actor}: refusal not logged"
        if name == "mark":
            # Issue 23: on Bob's trail only when the caller is related to him.
            on_trail = bob_id if related_to_bob(world, caller) else None
            assert any(row.patient_id == on_trail for row in new), actor


async def test_any_therapist_of_the_program_takes_the_groups_attendance(world: World) -> None:
    """Facilitators rotate: a therapist Bob never shared with sees his name on the list
    (and nothing else of him) and marks him; Bob's trail says so."""
    track_id, today = _bobs_group(world)
    dave = world.actors["therapist with no grant"]
    state = state_for(AttendanceState, dave.token, f"/groups/attendance/?track={track_id}")
    await state.load_attendance()
    assert [line["name"] for line in state.lines] == ["Bob"] and state.day == today
    shown = sent(state)
    assert not any(marker in shown for marker in MARKERS.values())
    assert str(world.bob.identity.user_id) not in repr(state.lines)
    await state.mark(0, "late")
    assert _marks() == [(world.bob.identity.user_id, date.fromisoformat(today), "late")]
    assert state.lines[0]["status"] == "late" and "Saved" in state.saved
    # Forged places in the list and statuses change nothing.
    for index, status in ((1, "absent"), (-1, "absent"), (True, "absent"), ("0", "absent"),
                          (0, "gone"), (0, None)):
        await state.mark(index, status)
        assert state.error
    assert _marks() == [(world.bob.identity.user_id, date.fromisoformat(today), "late")]
    await state.mark_rest_present()
    assert _marks() == [(world.bob.identity.user_id, date.fromisoformat(today), "late")]
    actions = [row.action for row in audit.events_for(world.bob.identity.user_id)
               if row.allowed]
    assert "attendance" in actions and "roster" in actions
# --- the program's schedule ----------------------------------------------------------

@dataclass
class Groups:
    track_id: int
    other_track_id: int
    exception_id: int


BOBS_TRACK = "Bobtrackmarker"


@pytest.fixture
def groups(world: World) -> Groups:
    """Riverside's admin (Carol, whom Bob shares with) sets a schedule and puts Bob on
    a track; the other program's admin has a track of her own."""
    with db.read() as session:  # carol: Riverside's admin, whom Bob shares with
        admin_id = session.execute(select(User.id).where(
            User.email == "carol@example.org")).scalar_one()
    assert schedule.set_time_zone(admin_id, "America/Chicago") is None
    form = {"name": BOBS_TRACK, "weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "09:00",
            "end": "12:00", "first_day": utcnow().date().isoformat()}
    track_id, errors = schedule.save_track(admin_id, None, form)
    assert errors == {}
    assert schedule.place_patient(admin_id, world.bob.identity.user_id, track_id) is None
    day = (utcnow() + timedelta(days=20)).date().isoformat()
    assert schedule.add_exception(admin_id, track_id, day, "Holiday") is None
    other_admin = world.actors["admin of another program"].identity.user_id
    assert schedule.set_time_zone(other_admin, "UTC") is None
    other_track, _ = schedule.save_track(other_admin, None, form | {"name": "Theirs"})
    with db.read() as session:
        exception_id = session.execute(select(TrackException.id)).scalars().first()
    return Groups(track_id, other_track, exception_id)


def schedule_rows() -> tuple:
    with db.read() as session:
        return (tuple(session.execute(select(Track.id, Track.name, Track.weekdays,
                                             Track.start_minute, Track.archived_at)
                                      .order_by(Track.id)).all()),
                tuple(session.execute(select(TrackException.track_id, TrackException.day,
                                             TrackException.note)).all()),
                tuple(session.execute(select(TrackMember.track_id, TrackMember.patient_id,
                                             TrackMember.first_day, TrackMember.last_day)
                                      .order_by(TrackMember.id)).all()),
                tuple(session.execute(select(Program.time_zone).order_by(Program.id))
                      .scalars()))


@pytest.mark.parametrize("handler", [name for name, kind in HANDLERS.items()
                                     if kind == PLACES_PATIENT])
async def test_placing_handlers_change_nothing_of_bob_and_are_logged(
        world: World, groups: Groups, handler: str) -> None:
    state_cls = _app_handlers()[handler]
    name = handler.split(".")[1]
    bob_id = world.bob.identity.user_id
    for actor in ACTORS:
        caller = world.actors[actor]
        for track_id in (groups.track_id, groups.other_track_id, 0):
            state = state_for(state_cls, caller.token if caller else None,
                              f"/patients/view/?id={bob_id}")
            before_rows, before_audit = schedule_rows(), len(audit_rows())
            kwargs = {"form_data": {"track_id": str(track_id)}} if name == "place" else {}
            await call(state, name, kwargs)
            assert BOBS_TRACK not in sent(state), actor
            assert leaked(state) == [], actor
            assert schedule_rows() == before_rows, actor
            new = audit_rows()[before_audit:]
            assert new and all(not row.allowed for row in new), actor
            # Issue 23: on Bob's trail only when the caller is related to him.
            on_trail = bob_id if related_to_bob(world, caller) else None
            assert any(row.patient_id == on_trail for row in new), actor


ADMIN_CALLS = {
    "save_zone": lambda g: {"form_data": {"time_zone": "UTC"}},
    "save_track": lambda g: {"form_data": {"track_id": str(g.track_id), "name": "Taken",
                                           "weekday_0": "on", "start": "08:00",
                                           "end": "09:00", "first_day": "2027-01-04"}},
    "archive_track": lambda g: {"track_id": g.track_id},
    "add_exception": lambda g: {"form_data": {"exception_track": str(g.track_id),
                                              "exception_day": utcnow().date().isoformat(),
                                              "exception_note": "Closed"}},
    "remove_exception": lambda g: {"exception_id": g.exception_id},
    "load_schedule": lambda g: {},
}


@pytest.mark.parametrize("name", sorted(ADMIN_CALLS))
async def test_schedule_handlers_change_nothing_for_anyone_but_the_admin(
        world: World, groups: Groups, name: str) -> None:
    from skills_app.state.program import ScheduleState

    outsiders = [*ACTORS, "lacking"]
    for actor in outsiders:
        caller = world.lacking if actor == "lacking" else world.actors[actor]
        state = state_for(ScheduleState, caller.token if caller else None,
                          "/program/schedule/")
        before = schedule_rows()
        await call(state, name, ADMIN_CALLS[name](groups))
        assert BOBS_TRACK not in sent(state), actor
        if actor == "admin of another program" and name == "save_zone":
            continue  # her own program's zone: ours is unchanged below
        after = schedule_rows()
        assert after[:3] == before[:3], actor
        assert after[3][0] == before[3][0], actor  # Riverside's zone


async def test_the_calendar_route_gives_only_the_callers_own_track(world: World,
                                                                  groups: Groups) -> None:
    transport = httpx.ASGITransport(app=Starlette(routes=calendar_routes.routes))
    for actor in ACTORS:
        caller = world.actors[actor]
        headers = {"Cookie": f"{SESSION_COOKIE}={caller.token}"} if caller else {}
        before = len(audit_rows())
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
            response = await http.get(f"/calendar/groups.ics?id={world.bob.identity.user_id}",
                                      headers=headers)
        assert "BEGIN:VEVENT" not in response.text, actor
        if actor == "patient A on patient B":
            assert response.status_code == 200  # her own calendar: she is on no track
            assert response.headers["content-type"].startswith("text/calendar")
        else:
            assert response.status_code == 404, actor
            assert any(not row.allowed for row in audit_rows()[before:]), actor
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
        mine = await http.get("/calendar/groups.ics",
                              headers={"Cookie": f"{SESSION_COOKIE}={world.bob.token}"})
    assert mine.status_code == 200 and "BEGIN:VEVENT" in mine.text
    assert BOBS_TRACK not in mine.text  # the event title is neutral
