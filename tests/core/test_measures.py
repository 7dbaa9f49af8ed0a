"""PHQ-9 and GAD-7 in core: every answer combination scored, bad input refused
with nothing stored, once per key, the schedule, and history per patient."""

from __future__ import annotations

import itertools
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from skills_app.content.measures import GAD7, PHQ9, Questionnaire
from skills_app.core import db, measures
from skills_app.core.clock import frozen_clock
from skills_app.core.models import MeasureResult, RiskEvent
from skills_app.core.problems import Problem
from skills_app.text.problems import say
from tests.conftest import Account

# An independent band table, written from clinical.md's text as upper bounds.
PHQ9_BANDS = [(4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe"),
              (27, "severe")]
GAD7_BANDS = [(4, "minimal"), (9, "mild"), (14, "moderate"), (21, "severe")]


def expected_band(table: list[tuple[int, str]], total: int) -> str:
    return next(name for high, name in table if total <= high)


@pytest.mark.parametrize(("questionnaire", "table"), [(PHQ9, PHQ9_BANDS), (GAD7, GAD7_BANDS)],
                         ids=["phq9", "gad7"])
def test_every_answer_combination_is_scored_and_banded(questionnaire: Questionnaire,
                                                       table: list[tuple[int, str]]) -> None:
    started = time.perf_counter()
    n = len(questionnaire.items)
    seen = 0
    safety = 0
    for index, answers in enumerate(itertools.product(range(4), repeat=n)):
        # Independently: the combination's index written in base 4 has the answers
        # as its digits, so the total is that number's digit sum.
        digits, rest = [], index
        for _ in range(n):
            rest, digit = divmod(rest, 4)
            digits.append(digit)
        total = sum(digits)
        assert measures.score(answers) == total
        assert measures.band_for(questionnaire, total).name == expected_band(table, total)
        follow_up = measures.safety_follow_up(questionnaire, answers)
        assert follow_up == (questionnaire is PHQ9 and answers[8] > 0)
        safety += follow_up
        seen += 1
    assert seen == 4 ** n
    # Item 9 is above 0 in three quarters of all PHQ-9 combinations, at every total.
    assert safety == (3 * 4 ** 8 if questionnaire is PHQ9 else 0)
    assert time.perf_counter() - started < 10


def test_a_total_outside_the_scale_has_no_band() -> None:
    with pytest.raises(ValueError):
        measures.band_for(PHQ9, 28)
    with pytest.raises(ValueError):
        measures.band_for(GAD7, -1)


_ONES = object()


def submission(questionnaire: object = "phq9", answers: object = _ONES,
               **fields: object) -> dict[str, object]:
    n = {"phq9": 9, "gad7": 7}.get(questionnaire, 9) if isinstance(questionnaire, str) else 9
    raw: dict[str, object] = {"questionnaire": questionnaire,
                              "idempotency_key": str(uuid.uuid4()),
                              "answers": ["1"] * n if answers is _ONES else answers,
                              "difficulty": "", "completed_at": ""}
    raw.update(fields)
    return raw


def stored() -> list[MeasureResult]:
    with db.read() as session:
        return list(session.exec(select(MeasureResult)).all())


def events() -> list[tuple[int, str, str, str, int | None]]:
    with db.read() as session:
        return [(e.user_id, e.source, e.trigger, e.prompt, e.source_id)
                for e in session.exec(select(RiskEvent)).all()]


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_item_9_above_0_logs_one_risk_event_with_the_result(alice: Account, item9: int) -> None:
    raw = submission(answers=["0"] * 8 + [str(item9)])
    first = measures.save_result(alice.identity.user_id, "America/Chicago", raw)
    measures.save_result(alice.identity.user_id, "America/Chicago", raw)  # a resend
    assert first.result.total == item9 and first.result.band == "minimal"
    assert events() == [(alice.identity.user_id, "phq9", f"phq9_item9={item9}", "crisis",
                         first.result.id)]


def test_no_risk_event_for_item_9_at_0_a_gad7_or_a_refusal(alice: Account) -> None:
    user = alice.identity.user_id
    measures.save_result(user, "America/Chicago", submission(answers=["3"] * 8 + ["0"]))
    measures.save_result(user, "America/Chicago", submission("gad7", ["3"] * 7))
    measures.save_result(user, "America/Chicago", submission(answers=["3"] * 8 + ["4"]))
    assert events() == []
    assert len(stored()) == 2


def test_the_result_and_its_event_are_one_transaction(alice: Account,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """If the event cannot be written, the result is not stored either."""
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the log is down")

    monkeypatch.setattr(measures.risk, "record_route", broken)
    with pytest.raises(RuntimeError):
        measures.save_result(alice.identity.user_id, "America/Chicago",
                             submission(answers=["0"] * 8 + ["1"]))
    assert stored() == [] and events() == []


def test_a_phq9_is_scored_stored_once_and_read_back(alice: Account) -> None:
    raw = submission(answers=["3", "3", "2", "2", "1", "1", "0", "0", "1"], difficulty="2")
    first = measures.save_result(alice.identity.user_id, "America/Chicago", raw)
    again = measures.save_result(alice.identity.user_id, "America/Chicago", raw)
    assert first.ok and first.created and again.ok and not again.created
    assert again.result.id == first.result.id
    [row] = stored()
    assert (row.questionnaire, row.answers, row.total, row.band, row.item9, row.difficulty) == (
        "phq9", [3, 3, 2, 2, 1, 1, 0, 0, 1], 13, "moderate", 1, 2)
    assert first.result.needs_safety_follow_up
    assert measures.get_result(alice.identity.user_id, first.result.id) == first.result
    assert measures.get_result(alice.identity.user_id, str(first.result.id)) == first.result


def test_a_gad7_has_no_item9(alice: Account) -> None:
    outcome = measures.save_result(alice.identity.user_id, "America/Chicago",
                                   submission("gad7", [3] * 7))
    assert outcome.ok
    assert (outcome.result.total, outcome.result.band, outcome.result.item9) == (21, "severe",
                                                                                 None)
    assert not outcome.result.needs_safety_follow_up


BAD_ANSWERS = [-1, 4, "4", "-1", "01", " 1", "1.0", 1.5, 2.0, True, False, "abc", "NaN",
               float("nan"), [1], {"a": 1}, "x" * 100_000]


@pytest.mark.parametrize("bad", BAD_ANSWERS, ids=repr)
def test_an_answer_outside_0_to_3_is_refused_and_nothing_stored(alice: Account,
                                                               bad: object) -> None:
    answers: list[object] = ["1"] * 9
    answers[4] = bad
    outcome = measures.save_result(alice.identity.user_id, "America/Chicago",
                                   submission(answers=answers))
    assert not outcome.ok
    assert outcome.errors == {"item_5": measures.answer_message(5)}
    assert stored() == []


@pytest.mark.parametrize("missing", [None, ""])
def test_a_missing_item_is_refused_with_its_number(alice: Account, missing: object) -> None:
    answers: list[object] = ["2"] * 9
    answers[8] = missing
    outcome = measures.save_result(alice.identity.user_id, "America/Chicago",
                                   submission(answers=answers))
    assert outcome.errors == {"item_9": Problem("measure_missing", number=9)}
    assert say(outcome.errors["item_9"]) == "Please answer question 9 before you finish."
    assert stored() == []


@pytest.mark.parametrize("answers", [[], ["1"] * 8, ["1"] * 10, "111111111", None, 9,
                                     {"1": "1"}, ["1"] * 7])
def test_the_wrong_number_of_answers_is_refused(alice: Account, answers: object) -> None:
    outcome = measures.save_result(alice.identity.user_id, "America/Chicago",
                                   submission("phq9", answers=answers))
    assert outcome.errors == {"form": measures.BAD_FORM}
    assert stored() == []


@pytest.mark.parametrize("forged", ["phq10", "PHQ9", "gad-7", "", None, 9, ["phq9"],
                                    "../phq9", "phq9 "])
def test_a_forged_questionnaire_id_is_refused(alice: Account, forged: object) -> None:
    outcome = measures.save_result(alice.identity.user_id, "America/Chicago",
                                   submission(questionnaire=forged, answers=["1"] * 9))
    assert outcome.errors == {"form": measures.UNKNOWN_QUESTIONNAIRE}
    assert stored() == []


@pytest.mark.parametrize("fields", [{"difficulty": "4"}, {"difficulty": -1},
                                    {"difficulty": "very"}, {"idempotency_key": "nope"},
                                    {"idempotency_key": None}, {"idempotency_key": "x" * 1000}])
def test_other_bad_fields_are_refused(alice: Account, fields: dict) -> None:
    outcome = measures.save_result(alice.identity.user_id, "America/Chicago",
                                   submission(**fields))
    assert not outcome.ok and outcome.errors
    assert stored() == []


def test_gad7_has_no_follow_up_question(alice: Account) -> None:
    outcome = measures.save_result(alice.identity.user_id, "America/Chicago",
                                   submission("gad7", difficulty="1"))
    assert outcome.errors == {"difficulty": measures.BAD_FORM}
    assert stored() == []


@pytest.mark.parametrize("raw", ["text", None, 42, ["questionnaire"]])
def test_something_that_is_no_submission_is_refused(alice: Account, raw: object) -> None:
    assert measures.save_result(alice.identity.user_id, "America/Chicago", raw).errors == {
        "form": measures.BAD_FORM}
    assert stored() == []


def test_another_patients_key_and_result_id_are_refused(alice: Account, bob: Account) -> None:
    raw = submission()
    alices = measures.save_result(alice.identity.user_id, "America/Chicago", raw)
    bobs = measures.save_result(bob.identity.user_id, "America/Chicago", raw)
    assert bobs.errors == {"form": measures.KEY_IN_USE} and bobs.result is None
    assert measures.get_result(bob.identity.user_id, alices.result.id) is None
    for forged in (-1, 0, 2**70, "abc", None, True, [alices.result.id], "1; DROP"):
        assert measures.get_result(alice.identity.user_id, forged) is None
    assert len(stored()) == 1
    assert measures.history(bob.identity.user_id) == []


def test_the_phones_time_dates_the_result_when_plausible(alice: Account) -> None:
    now = datetime(2026, 3, 2, 5, 30, tzinfo=UTC)  # 23:30 on March 1st in Chicago
    with frozen_clock(now):
        late = measures.save_result(alice.identity.user_id, "America/Chicago", submission(
            completed_at=(now - timedelta(hours=1)).isoformat()))
        future = measures.save_result(alice.identity.user_id, "America/Chicago", submission(
            completed_at=(now + timedelta(days=1)).isoformat()))
        ancient = measures.save_result(alice.identity.user_id, "America/Chicago", submission(
            completed_at="2001-01-01T00:00:00+00:00"))
    assert late.result.completed_at == now - timedelta(hours=1)
    assert late.result.local_date == date(2026, 3, 1)
    assert future.result.completed_at == now and ancient.result.completed_at == now


def test_due_every_two_weeks_on_the_patients_calendar() -> None:
    today = date(2026, 5, 20)
    assert measures.DUE_EVERY_DAYS == 14
    never = measures.due_from({}, today)
    assert [(d.questionnaire.id, d.is_due, d.next_due) for d in never] == [
        ("phq9", True, today), ("gad7", True, today)]
    recent = measures.due_from({"phq9": today - timedelta(days=13),
                                "gad7": today - timedelta(days=14)}, today)
    assert [(d.questionnaire.id, d.is_due) for d in recent] == [("phq9", False), ("gad7", True)]
    assert recent[0].next_due == today + timedelta(days=1)
    weekly = measures.due_from({"phq9": today - timedelta(days=7)}, today, every_days=7)
    assert weekly[0].is_due


def test_the_schedule_and_history_follow_what_was_stored(alice: Account, bob: Account) -> None:
    user = alice.identity.user_id
    start = datetime(2026, 5, 1, 15, tzinfo=UTC)
    with frozen_clock(start) as clock:
        assert all(d.is_due for d in measures.schedule(user, "America/Chicago"))
        measures.save_result(user, "America/Chicago", submission(answers=["0"] * 9))
        assert [d.is_due for d in measures.schedule(user, "America/Chicago")] == [False, True]
        clock.advance(days=14)
        measures.save_result(user, "America/Chicago", submission(answers=["2"] * 9))
        measures.save_result(user, "America/Chicago", submission("gad7", ["3"] * 7))
    assert [(r.questionnaire_id, r.total) for r in measures.history(user)] == [
        ("phq9", 0), ("phq9", 18), ("gad7", 21)]
    assert [r.total for r in measures.history(user, "phq9")] == [0, 18]
    assert measures.last_done(user) == {"phq9": date(2026, 5, 15), "gad7": date(2026, 5, 15)}
    assert measures.schedule(bob.identity.user_id, "America/Chicago")[0].is_due


def test_a_bad_time_zone_stores_nothing(alice: Account) -> None:
    outcome = measures.save_result(alice.identity.user_id, "Mars/Olympus", submission())
    assert "time_zone" in outcome.errors
    assert stored() == []
