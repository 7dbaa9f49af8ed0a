"""Homework handlers called directly, as a raw client could: another patient's
assignment id, ids that are not ids, no session; Today's card, the week view, "not
for me this week" and its undo; and "I read my plan today" on the plan pages."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from skills_app.core import db, homework
from skills_app.core.clock import frozen_clock
from skills_app.core.models import AssignmentSkip, PlanReview
from skills_app.state.homework import SKIPPED, HomeworkWeekState, TodayHomeworkState
from skills_app.state.plans import READ_TODAY, RelapsePlanState, SafetyPlanState
from skills_app.text import language
from tests.conftest import Account
from tests.sharing_helpers import share
from tests.state.conftest import sign_in_target, state_for

NOW = datetime(2026, 12, 9, 15, tzinfo=UTC)  # Wednesday 9 December, 09:00 in Chicago


@pytest.fixture
def clock():
    with frozen_clock(NOW) as frozen:
        yield frozen


def assign(therapist: Account, patient: Account, **fields: object) -> int:
    ids, problems = homework.assign(therapist.identity.user_id, patient.identity.user_id, {
        "idempotency_key": str(uuid.uuid4()), "kind": "diary_card", "repeat": "daily",
        "note": "One card a day, even a short one."} | fields)
    assert not problems, problems
    return ids[0]


def skips() -> int:
    with db.read() as session:
        return session.execute(select(func.count()).select_from(AssignmentSkip)).scalar_one()


@pytest.fixture
def homework_of_alice(alice: Account, carol: Account, clock) -> tuple[int, int]:
    share(alice, carol, ("mood", "exercises"))
    diary = assign(carol, alice)
    dear_man = assign(carol, alice, kind="exercise", exercises=["dear-man"], repeat="once",
                      end_day="2026-12-09")
    return diary, dear_man


async def test_today_shows_what_is_due_with_one_tap_to_start(alice, homework_of_alice) -> None:
    state = state_for(TodayHomeworkState, alice.token)
    await state.load_today_homework()
    assert state.loaded and state.this_week
    assert [(row["title"], row["href"], row["done"]) for row in state.items] == [
        ("Fill in your diary card", "/journal/new/", False),
        ("DEAR MAN: ask for what you want", "/practice/do/?id=dear-man", False)]


async def test_today_in_spanish_links_the_spanish_pages(alice, homework_of_alice) -> None:
    state = state_for(TodayHomeworkState, alice.token, "/es/today/")
    with language("es"):
        await state.load_today_homework()
    assert state.items[0]["href"] == "/es/journal/new/"
    assert state.items[0]["title"] != "Fill in your diary card"


async def test_nobody_else_gets_alices_card(bob, carol, homework_of_alice) -> None:
    for token in (None, bob.token, carol.token):
        state = state_for(TodayHomeworkState, token)
        await state.load_today_homework()
        assert state.items == [] and not state.this_week


async def test_the_week_view_and_not_for_me_this_week(alice, homework_of_alice) -> None:
    diary, _ = homework_of_alice
    state = state_for(HomeworkWeekState, alice.token, "/homework/")
    assert await state.load_week() is None
    assert state.week == "2026-12-07" and state.week_label == "This week"
    card = state.rows[0]
    assert card["note"] == "One card a day, even a short one." and card["by"] == "From Carol"
    assert [d["due"] for d in card["days"]] == [False, False, True, True, True, True, True]
    assert card["days"][2]["said"] == "Wednesday: asked for"
    state.ask_skip(str(diary))
    assert state.asking == str(diary)
    await state.skip({"assignment_id": str(diary), "reason": "  Visiting family "})
    assert state.message == SKIPPED and state.asking == ""
    assert state.rows[0]["skipped"] and state.rows[0]["reason"] == "Visiting family"
    await state.unskip(str(diary))
    assert not state.rows[0]["skipped"] and skips() == 0


async def test_a_reason_too_long_is_said_and_nothing_is_saved(alice, homework_of_alice) -> None:
    diary, _ = homework_of_alice
    state = state_for(HomeworkWeekState, alice.token, "/homework/")
    await state.load_week()
    await state.skip({"assignment_id": str(diary), "reason": "x" * 201})
    assert "200" in state.error and skips() == 0


@pytest.mark.parametrize("forged", ["own", "-1", "abc", "99999999", "", "1.5"])
async def test_bob_cannot_skip_alices_homework(alice, bob, homework_of_alice,
                                               forged: str) -> None:
    diary, _ = homework_of_alice
    raw = str(diary) if forged == "own" else forged
    state = state_for(HomeworkWeekState, bob.token, "/homework/")
    await state.load_week()
    await state.skip({"assignment_id": raw, "reason": "not mine"})
    assert state.error and skips() == 0
    homework.skip_week(alice.identity.user_id, diary, "mine")
    await state.unskip(raw)
    assert state.error and skips() == 1
    assert "One card a day" not in repr(state.dict())
    homework.unskip_week(alice.identity.user_id, diary)


async def test_weeks_page_back_and_ahead_within_limits(alice, homework_of_alice) -> None:
    state = state_for(HomeworkWeekState, alice.token, "/homework/?week=2026-11-30")
    await state.load_week()
    assert state.week == "2026-11-30" and state.week_label == "Last week" and state.rows == []
    assert state.next_week == "2026-12-07"
    await state.show_week("1999-01-04")  # too far: this week
    assert state.week == "2026-12-07"
    await state.show_week("<script>")
    assert state.week == "2026-12-07"


async def test_without_a_session_the_week_sends_to_sign_in(homework_of_alice) -> None:
    state = state_for(HomeworkWeekState, None, "/homework/")
    assert sign_in_target(await state.load_week())
    assert sign_in_target(await state.skip({"assignment_id": "1"})) and skips() == 0


async def test_i_read_my_plan_today_counts_for_a_plan_review(alice, carol, clock) -> None:
    share(alice, carol, ("mood",))
    plan = assign(carol, alice, kind="plan_review", target="relapse", repeat="weekdays",
                  weekdays=[2])
    state = state_for(RelapsePlanState, alice.token, "/relapse-plan/")
    await state.load_plan()
    key = str(uuid.uuid4())
    for _ in range(2):  # a resend after a reconnect is one review
        await state.mark_read({"idempotency_key": key, "written_at": NOW.isoformat()})
    assert state.review_message == READ_TODAY and state.review_key == key
    with db.read() as session:
        assert session.execute(select(func.count()).select_from(PlanReview)).scalar_one() == 1
    [item] = homework.today_items(alice.identity.user_id)
    assert item.id == plan and item.done_today


async def test_a_forged_review_key_or_no_session_records_nothing(alice, bob, clock) -> None:
    state = state_for(SafetyPlanState, alice.token, "/safety-plan/")
    await state.load_plan()
    key = str(uuid.uuid4())
    await state.mark_read({"idempotency_key": key})
    bobs = state_for(SafetyPlanState, bob.token, "/safety-plan/")
    await bobs.load_plan()
    await bobs.mark_read({"idempotency_key": key})  # Alice's key: refused
    assert bobs.review_message and bobs.review_key == ""
    await bobs.mark_read({"idempotency_key": "not a key"})
    await bobs.mark_read("not a form")
    anonymous = state_for(SafetyPlanState, None, "/safety-plan/")
    assert sign_in_target(await anonymous.mark_read({"idempotency_key": str(uuid.uuid4())}))
    with db.read() as session:
        assert session.execute(select(PlanReview.user_id)).scalars().all() == [
            alice.identity.user_id]
