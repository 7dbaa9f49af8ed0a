"""Guided practice in core: finishing once, answers checked against the exercise,
owner-only history and delete, the skills a day's practice counts, today's plan.

The clock is frozen at T0 (Wednesday 4 March 2026, noon in Chicago) unless a
test moves it.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from skills_app.core import exercises, journal, practice, risk
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.core.exercises import Exercise, Step
from skills_app.core.problems import Problem
from tests.conftest import Account, make_account

T0 = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"
TODAY = date(2026, 3, 4)
MONDAY = date(2026, 3, 2)

DEAR_MAN_ANSWERS = {"goal": "Ask my brother to call first", "describe": "You came by at 10 pm.",
                    "express": "I felt on edge.", "assert_": "Please call before you come.",
                    "reinforce": "Then I can be glad to see you."}


@pytest.fixture(autouse=True)
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(T0) as frozen:
        yield frozen


def finish(exercise_id: str = "dear-man", answers: object = None, **fields: object) -> dict:
    return {"idempotency_key": str(uuid.uuid4()), "exercise_id": exercise_id,
            "answers": DEAR_MAN_ANSWERS if answers is None else answers, **fields}


def finished(account: Account, raw: dict, time_zone: str = CHICAGO) -> practice.FinishedView:
    result = practice.finish_exercise(account.identity.user_id, time_zone, raw)
    assert result.ok, result.errors
    return result.finished


def test_a_finished_exercise_is_stored_once_with_its_message(alice: Account) -> None:
    raw = finish(distress_before="7", distress_after=4, helped="some",
                 started_at=(T0 - timedelta(minutes=9)).isoformat(),
                 finished_at=T0.isoformat())
    first = practice.finish_exercise(alice.identity.user_id, CHICAGO, raw)
    assert first.ok and first.created
    view = first.finished
    assert (view.local_date, view.distress_before, view.distress_after, view.helped,
            view.minutes) == (TODAY, 7, 4, "some", 9)
    assert view.message == ("You came by at 10 pm. I felt on edge. Please call before you "
                            "come. Then I can be glad to see you.")
    # The same key again (a lost answer, a reconnect): the first arrival, not a second row.
    again = practice.finish_exercise(alice.identity.user_id, CHICAGO,
                                     {**raw, "answers": {**DEAR_MAN_ANSWERS, "goal": "x"}})
    assert again.ok and not again.created and again.finished.id == view.id
    assert len(practice.history(alice.identity.user_id, TODAY, TODAY)) == 1


def test_another_patients_key_is_refused_without_a_hint(alice: Account, bob: Account) -> None:
    raw = finish()
    finished(alice, raw)
    refused = practice.finish_exercise(bob.identity.user_id, CHICAGO, raw)
    assert not refused.ok and refused.errors == {"form": practice.KEY_IN_USE}
    assert practice.history(bob.identity.user_id, TODAY, TODAY) == []


@pytest.mark.parametrize("raw", [
    None, [], "dear-man", {"exercise_id": "dear-man"},
    {"idempotency_key": "not-a-uuid", "exercise_id": "dear-man", "answers": {}},
    {"idempotency_key": "x" * 100_000, "exercise_id": "dear-man", "answers": {}},
])
def test_a_malformed_finish_is_refused_kindly(alice: Account, raw: object) -> None:
    result = practice.finish_exercise(alice.identity.user_id, CHICAGO, raw)
    assert not result.ok and result.errors == {"form": practice.BAD_FORM}


@pytest.mark.parametrize("exercise_id", ["no-such", "../dear-man", "DEAR-MAN", 7, None,
                                         ["dear-man"], "x" * 100_000])
def test_a_forged_exercise_id_is_refused(alice: Account, exercise_id: object) -> None:
    result = practice.finish_exercise(alice.identity.user_id, CHICAGO,
                                      finish(exercise_id=exercise_id))
    assert result.errors == {"form": practice.UNKNOWN_EXERCISE}


@pytest.mark.parametrize("value", [11, -1, "abc", math.nan, math.inf, 7.5, True, "7.0", [3],
                                   "1" * 100_000])
def test_distress_outside_0_to_10_is_refused(alice: Account, value: object) -> None:
    for name in ("distress_before", "distress_after"):
        result = practice.finish_exercise(alice.identity.user_id, CHICAGO,
                                          finish(**{name: value}))
        assert result.errors == {name: practice.DISTRESS_MESSAGE}
    assert practice.history(alice.identity.user_id, TODAY, TODAY) == []


@pytest.mark.parametrize(("answers", "field", "problem"), [
    ({**DEAR_MAN_ANSWERS, "describe": "x" * 100_000}, "answer_describe",
     Problem("too_long", label="answer", high=4000, count=100_000)),
    ({**DEAR_MAN_ANSWERS, "goal": "x" * 301}, "answer_goal",
     Problem("too_long", label="answer", high=300, count=301)),
    ({**DEAR_MAN_ANSWERS, "describe": ""}, "answer_describe", Problem("answer_step", step=3)),
    ({**DEAR_MAN_ANSWERS, "how": ["Fly away"]}, "answer_how", Problem("pick_from_choices")),
    ({**DEAR_MAN_ANSWERS, "how": "Keep coming back to my ask" * 2}, "answer_how",
     Problem("pick_from_choices")),
    ({**DEAR_MAN_ANSWERS, "describe": {"nested": "object"}}, "answer_describe",
     Problem("not_text", label="answer")),
])
def test_bad_answers_are_refused_naming_the_step(alice: Account, answers: dict, field: str,
                                                 problem: Problem) -> None:
    result = practice.finish_exercise(alice.identity.user_id, CHICAGO, finish(answers=answers))
    assert not result.ok and result.errors[field] == problem
    assert practice.history(alice.identity.user_id, TODAY, TODAY) == []


@pytest.mark.parametrize("answers", [{**DEAR_MAN_ANSWERS, "step_99": "past the end"},
                                     {"__proto__": 1}, "answers", [1, 2]])
def test_answers_to_steps_the_exercise_has_not_are_refused(alice: Account,
                                                           answers: object) -> None:
    result = practice.finish_exercise(alice.identity.user_id, CHICAGO, finish(answers=answers))
    assert result.errors == {"answers": practice.BAD_FORM}


def test_choices_keep_the_steps_order_and_blank_optional_steps_are_left_out(
        alice: Account) -> None:
    view = finished(alice, finish(answers={
        **DEAR_MAN_ANSWERS, "how": ["Be ready to give a little to get a little",
                                    "Keep coming back to my ask"], "negotiate": "  "}))
    assert view.answers["how"] == ["Keep coming back to my ask",
                                   "Be ready to give a little to get a little"]
    assert "negotiate" not in view.answers


def test_a_phone_clock_far_ahead_is_not_believed(alice: Account) -> None:
    view = finished(alice, finish(finished_at=(T0 + timedelta(days=2)).isoformat(),
                                  started_at="yesterday-ish"))
    assert view.finished_at == T0 and view.started_at is None


def test_finishing_late_evening_counts_on_that_local_day(alice: Account) -> None:
    late = datetime(2026, 3, 4, 5, 30, tzinfo=UTC)  # 23:30 on 3 March in Chicago
    view = finished(alice, finish(finished_at=late.isoformat()))
    assert view.local_date == date(2026, 3, 3)


def test_history_get_and_delete_are_the_owners_only(alice: Account, bob: Account) -> None:
    view = finished(alice, finish())
    assert practice.get_finished(bob.identity.user_id, view.id) is None
    assert practice.get_finished(bob.identity.user_id, str(view.id)) is None
    refused = practice.delete_finished(bob.identity.user_id, view.id)
    assert refused.errors == {"form": practice.NOT_FOUND}
    for forged in (None, True, "1 OR 1=1", -1, 2**70, [view.id], "x" * 100_000):
        assert practice.delete_finished(alice.identity.user_id, forged).errors == {
            "form": practice.NOT_FOUND}
        assert practice.get_finished(alice.identity.user_id, forged) is None
    assert practice.get_finished(alice.identity.user_id, str(view.id)) == view
    assert practice.delete_finished(alice.identity.user_id, view.id).ok
    assert practice.history(alice.identity.user_id, TODAY, TODAY) == []


def test_a_finished_exercise_counts_its_skills_as_used_that_day(alice: Account) -> None:
    user = alice.identity.user_id
    finished(alice, finish("tip", answers=tip_answers()))
    finished(alice, finish())
    used = journal.skills_used_by_day(user, MONDAY, TODAY)
    assert used[TODAY] == {"distress_tolerance.tipp", "interpersonal_effectiveness.dear_man"}
    assert used[MONDAY] == frozenset()
    # The diary card's ticks and the exercises' skills are one answer.
    saved = journal.save_entry(user, CHICAGO, {"idempotency_key": str(uuid.uuid4()),
                                               "kind": "diary", "skills": ["mindfulness.observe"]})
    assert saved.ok
    assert len(journal.skills_used_by_day(user, TODAY, TODAY)[TODAY]) == 3
    grid = journal.diary_card_week(user, MONDAY)
    skills_row = grid.row("skills_used")
    assert skills_row.cells[2] == 3  # Wednesday
    assert skills_row.cells[0] is None  # nothing on Monday: blank, not 0


def test_a_day_with_only_an_exercise_shows_in_the_grid(alice: Account) -> None:
    finished(alice, finish())
    grid = journal.diary_card_week(alice.identity.user_id, MONDAY)
    assert grid.row("skills_used").cells[2] == 1


def tip_answers() -> dict:
    tip = exercises.exercise("tip")
    answers = {}
    for step in tip.steps:
        if step.asks and not step.optional:
            answers[step.key] = (step.options[0] if step.input == "choice"
                                 else [step.options[0]] if step.options else "ok")
    return answers


def test_favourites_star_and_unstar_known_exercises_only(alice: Account) -> None:
    user = alice.identity.user_id
    assert practice.set_favourite(user, "stop", True)
    assert practice.set_favourite(user, "stop", True)  # twice is still once
    assert practice.set_favourite(user, "tip", True)
    assert not practice.set_favourite(user, "no-such", True)
    assert not practice.set_favourite(user, "stop", "yes")
    assert practice.favourites(user) == {"stop", "tip"}
    assert practice.set_favourite(user, "stop", False)
    assert practice.favourites(user) == {"tip"}


def test_the_weekly_count_is_of_days(alice: Account) -> None:
    assert practice.this_week_count(alice.identity.user_id, CHICAGO) == 0
    finished(alice, finish())
    finished(alice, finish("stop", answers=answers_for("stop")))
    assert practice.this_week_count(alice.identity.user_id, CHICAGO) == 1


def answers_for(exercise_id: str) -> dict:
    found = exercises.exercise(exercise_id)
    answers: dict[str, object] = {}
    for step in found.steps:
        if not step.asks or step.optional:
            continue
        if step.input == "choice":
            answers[step.key] = step.options[0]
        elif step.input in ("multi_choice", "checklist"):
            answers[step.key] = [step.options[0]]
        elif step.input == "scale":
            answers[step.key] = 5
        else:
            answers[step.key] = "ok"
    return answers


def test_every_exercise_can_be_finished_with_its_required_answers(alice: Account) -> None:
    for found in exercises.all_exercises():
        view = finished(alice, finish(found.id, answers=answers_for(found.id)))
        assert view.exercise == found


# --- the plan rule, on plain values ---

def fake(exercise_id: str, module: str, skill: str) -> Exercise:
    return Exercise(id=exercise_id, module=module, skills=(skill,), title=exercise_id,
                    when="Use it.", minutes=5, steps=(Step(prompt="Do it."),))


POOL = [fake(f"{module[:2]}-{n}", module, f"{module}.s{n}")
        for module in ("distress_tolerance", "emotion_regulation",
                       "interpersonal_effectiveness", "recovery") for n in range(4)]


def test_the_plan_is_the_same_all_day() -> None:
    first = practice.plan_for(1, TODAY, {}, set(), POOL)
    assert len(first) == practice.PLAN_SIZE
    assert practice.plan_for(1, TODAY, {}, set(), list(reversed(POOL))) == first
    assert len({e.module for e in first}) == practice.PLAN_SIZE  # modules mix


def test_the_plan_differs_across_a_week_and_mixes_modules() -> None:
    week = [practice.plan_for(1, MONDAY + timedelta(days=n), {}, set(), POOL) for n in range(7)]
    assert len({plan for plan in week}) >= 4
    first_modules = {plan[0].module for plan in week}
    assert len(first_modules) == 4  # each module leads on some day of the week


def test_skills_not_practised_recently_come_first() -> None:
    recent = {e.skills[0]: TODAY - timedelta(days=1) for e in POOL if e.id != "em-2"}
    plan = practice.plan_for(1, TODAY, recent, set(), POOL)
    assert plan[0].id == "em-2"
    older = {**recent, "emotion_regulation.s2": TODAY - timedelta(days=20)}
    assert practice.plan_for(1, TODAY, older, set(), POOL)[0].id == "em-2"


def test_a_finished_exercise_leaves_the_plan_and_the_next_moves_up() -> None:
    plan = practice.plan_for(1, TODAY, {}, set(), POOL)
    after = practice.plan_for(1, TODAY, {}, {plan[0].id}, POOL)
    assert plan[0] not in after and plan[1] in after and plan[2] in after
    assert len(after) == practice.PLAN_SIZE
    assert practice.plan_for(1, TODAY, {}, {e.id for e in POOL}, POOL) == ()


# --- the plan follows the day's strongest signal ---

RECOVERY = ["urge-surfing", "halt-check", "play-the-tape-through"]
CRISIS_SURVIVAL = ["stop", "paced-breathing", "self-soothe"]


def ids(plan: tuple[Exercise, ...]) -> list[str]:
    return [exercise.id for exercise in plan]


@pytest.mark.parametrize(("signal", "first"), [
    (risk.Prompt.CRAVING, RECOVERY), (risk.Prompt.SLIP, RECOVERY),
    (risk.Prompt.CRISIS, CRISIS_SURVIVAL), (risk.Prompt.ACTED, CRISIS_SURVIVAL),
])
def test_a_signal_puts_its_exercises_first_instead_of_the_usual_plan(
        signal: risk.Prompt, first: list[str]) -> None:
    usual = practice.plan_for(1, TODAY, {}, set())
    assert ids(practice.plan_for(1, TODAY, {}, set(), signal=signal)) == first
    assert ids(usual) != first
    # Whatever was practised lately: the signal leads.
    recent = {skill: TODAY - timedelta(days=1)
              for e in exercises.all_exercises() if e.id in first for skill in e.skills}
    assert ids(practice.plan_for(1, TODAY, recent, set(), signal=signal)) == first


@pytest.mark.parametrize("signal", [None, risk.Prompt.QUIT_THERAPY,
                                    risk.Prompt.SAFETY_PLAN_LINK])
def test_other_signals_keep_the_usual_plan(signal: risk.Prompt | None) -> None:
    assert practice.plan_for(1, TODAY, {}, set(), signal=signal) == practice.plan_for(
        1, TODAY, {}, set())


def test_a_signal_exercise_done_today_leaves_and_the_usual_plan_fills_up() -> None:
    plan = practice.plan_for(1, TODAY, {}, {"urge-surfing"}, signal=risk.Prompt.CRAVING)
    assert ids(plan)[:2] == ["halt-check", "play-the-tape-through"]
    assert len(plan) == practice.PLAN_SIZE and "urge-surfing" not in ids(plan)
    assert ids(practice.plan_for(1, TODAY, {}, set(RECOVERY), signal=risk.Prompt.CRAVING)) == \
        ids(practice.plan_for(1, TODAY, {}, set(RECOVERY)))


def test_every_signal_exercise_exists() -> None:
    assert all(exercises.exercise(exercise_id) is not None
               for chosen in practice.SIGNAL_EXERCISES.values() for exercise_id in chosen)


def test_todays_plan_from_the_database_holds_all_day_but_for_what_is_done(
        alice: Account, clock: FrozenClock) -> None:
    user = alice.identity.user_id
    plan = practice.todays_plan(user, CHICAGO)
    assert len(plan) == practice.PLAN_SIZE
    clock.advance(hours=3)
    assert practice.todays_plan(user, CHICAGO) == plan
    finished(alice, finish(plan[0].id, answers=answers_for(plan[0].id)))
    after = practice.todays_plan(user, CHICAGO)
    assert plan[0] not in after and len(after) == practice.PLAN_SIZE
    assert plan[1] in after and plan[2] in after


@pytest.fixture(params=["database", "postgres_database"])
def any_database(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(request.param)


def test_the_same_on_postgresql_and_sqlite(any_database: str) -> None:
    account = make_account("alice", "patient")
    user = account.identity.user_id
    raw = finish()
    first = finished(account, raw)
    assert practice.finish_exercise(user, CHICAGO, raw).finished.id == first.id
    finished(account, finish("stop", answers=answers_for("stop")))
    assert [v.exercise_id for v in practice.history(user, MONDAY, TODAY)] == ["stop",
                                                                              "dear-man"]
    assert practice.last_finished(user) == {"dear-man": TODAY, "stop": TODAY}
    assert practice.days_practised(user, MONDAY, TODAY) == 1
    assert journal.skills_used_by_day(user, TODAY, TODAY)[TODAY] == {
        "interpersonal_effectiveness.dear_man", "distress_tolerance.stop"}
    assert practice.set_favourite(user, "stop", True) and practice.favourites(user) == {"stop"}
    assert practice.delete_finished(user, first.id).ok
