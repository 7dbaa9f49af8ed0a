"""The therapist's caseload rows and diary-card review: only shared categories, in DBT
order, blank apart from 0, this week beside last week, high urges without a skill."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from skills_app.core import measures, plans, progress, review
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.views.therapist import detail_screen
from tests.conftest import Account
from tests.sharing_helpers import MARKERS, checkup, diary_entry, safety_plan

T0 = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)  # a Friday
MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(T0) as frozen:
        yield frozen


def everything_in(value: object) -> str:
    return repr(value)


def test_unshared_columns_are_never_read(alice: Account) -> None:
    diary_entry(alice, MONDAY, urge_suicide=5)
    only_mood = review.shared_summaries(alice.identity.user_id, frozenset({"mood"}), MONDAY,
                                        MONDAY)[0]
    assert only_mood.values["mood"] == 4 and "urge_suicide" not in only_mood.values
    assert only_mood.custom_urges == {} and only_mood.skills_used == frozenset()
    assert not only_mood.risk_flag
    assert MARKERS["substance_use"] not in everything_in(only_mood)
    only_use = review.shared_summaries(alice.identity.user_id, frozenset({"substance_use"}),
                                       MONDAY, MONDAY)[0]
    assert only_use.values == {"urge_substance_use": 2, "craving": 3}
    assert not only_use.risk_flag and only_use.acted_on == frozenset()
    assert MARKERS["mood"] not in everything_in(only_use)
    only_safety = review.shared_summaries(alice.identity.user_id, frozenset({"safety"}),
                                          MONDAY, MONDAY)[0]
    assert only_safety.values == {"urge_suicide": 5, "urge_self_harm": 0}
    assert only_safety.custom_urges == {}
    assert MARKERS["substance_use"] not in everything_in(only_safety)


def test_the_review_is_in_dbt_order_with_last_week_beside(alice: Account) -> None:
    diary_entry(alice, MONDAY - date.resolution * 7, urge_suicide=2)
    diary_entry(alice, MONDAY, urge_suicide=4, acted_self_harm=True, skills=[])
    diary_entry(alice, MONDAY + date.resolution, urge_suicide=0)
    everything = frozenset({"mood", "safety", "substance_use", "exercises"})
    found = review.diary_review(alice.identity.user_id, everything, date(2026, 3, 4))
    assert found.week_start == MONDAY
    titles = [section.title for section in found.sections]
    assert titles[0].startswith("Life-threatening") and titles[1].startswith("Therapy")
    first = [row.key for row in found.sections[0].rows]
    assert first == ["urge.suicide", "acted.suicide", "urge.self_harm", "acted.self_harm"]
    suicide = found.sections[0].rows[0]
    assert suicide.cells[:3] == (4, 0, None)  # 0 stays 0, an empty day is blank
    assert found.sections[0].rows[3].cells[0] is True
    assert found.last_week["urge.suicide"] == 2
    assert found.high_urge_no_skill[:2] == (True, False)
    assert found.skills_by_day[1] == ("TIP",)


def test_a_review_without_urges_shared_has_no_urge_rows_and_no_highlight(
        alice: Account) -> None:
    diary_entry(alice, MONDAY, urge_suicide=5, skills=[])
    found = review.diary_review(alice.identity.user_id, frozenset({"mood"}), MONDAY)
    keys = [row.key for section in found.sections for row in section.rows]
    assert not any(key.startswith(("urge", "acted", "craving")) for key in keys)
    assert "mood" in keys and not any(found.high_urge_no_skill)
    assert MARKERS["substance_use"] not in everything_in(found)


def test_caseload_flags_come_from_progress_and_only_when_shared(alice: Account) -> None:
    diary_entry(alice, date(2026, 3, 2), urge_self_harm=4)
    shared = review.caseload_row(alice.identity.user_id, "Alice",
                                 frozenset({"mood", "substance_use"}))
    assert shared.flags == ("Urge 4 or more in the last 7 days", "No check-in for 4 days")
    assert shared.last_check_in == progress.last_check_in(alice.identity.user_id)
    mood_only = review.caseload_row(alice.identity.user_id, "Alice", frozenset({"mood"}))
    assert mood_only.flags == ("No check-in for 4 days",)
    nothing_journal = review.caseload_row(alice.identity.user_id, "Alice",
                                          frozenset({"exercises"}))
    assert nothing_journal.flags == () and nothing_journal.last_check_in is None
    assert nothing_journal.mood_average is None


def test_flagged_patients_come_first(alice: Account) -> None:
    rows = [review.CaseloadRow(1, "Zed", frozenset(), None, None, None, ("x",), MONDAY),
            review.CaseloadRow(2, "Amy", frozenset(), MONDAY, None, None, (), MONDAY)]
    assert [r.name for r in review.sort_caseload(rows, "flags")] == ["Zed", "Amy"]
    assert [r.name for r in review.sort_caseload(rows, "name")] == ["Amy", "Zed"]
    assert [r.name for r in review.sort_caseload(rows, "<script>")] == ["Zed", "Amy"]


@pytest.mark.parametrize("asked", [None, "", "2026-13-01", "2030-01-01", "x" * 10, 5,
                                   "1999-01-01"])
def test_odd_weeks_mean_this_week(asked: object) -> None:
    assert review.week_of(asked, date(2026, 3, 6)) == MONDAY


def test_mindfulness_minutes_show_only_when_shared(alice: Account) -> None:
    labels = [n["label"] for n in detail_screen(alice.identity.user_id, frozenset(
        {"mindfulness"}), "").numbers]
    assert labels == ["Mindfulness this week"]
    assert detail_screen(alice.identity.user_id, frozenset({"exercises"}), "").numbers == []


ITEM9 = "PHQ-9 item 9 above 0 (thoughts of death or self-harm) on Mar 6"
NOT_MEASURES = frozenset({"mood", "substance_use", "exercises", "mindfulness", "safety_plan",
                          "notes"})


def test_item9_flags_a_patient_only_when_measures_are_shared(alice: Account) -> None:
    diary_entry(alice, date(2026, 3, 6))
    checkup(alice, item9=2)
    uid = alice.identity.user_id
    shared = review.caseload_row(uid, "Alice", frozenset({"measures"}))
    assert shared.flags == (ITEM9,) and shared.flagged
    with_journal = review.caseload_row(uid, "Alice", frozenset({"measures", "mood"}))
    assert with_journal.flags[0] == ITEM9
    unshared = review.caseload_row(uid, "Alice", NOT_MEASURES)
    assert not any("PHQ-9" in flag for flag in unshared.flags)
    calm = review.CaseloadRow(2, "Amy", frozenset(), None, None, None, (), MONDAY)
    assert [r.name for r in review.sort_caseload([calm, shared], "flags")] == ["Alice", "Amy"]


def test_measures_are_never_read_when_not_shared(alice: Account,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    checkup(alice, item9=3)
    safety_plan(alice)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("read a category that is not shared")

    real_latest_of = measures.latest_of

    def latest_of_nobody(user_ids: list[int], questionnaire_id: str) -> dict:
        assert not user_ids, "read measures that are not shared"
        return real_latest_of(user_ids, questionnaire_id)

    monkeypatch.setattr(measures, "latest", refuse)
    monkeypatch.setattr(measures, "latest_of", latest_of_nobody)
    monkeypatch.setattr(measures, "history", refuse)
    monkeypatch.setattr(plans, "get_plan", refuse)
    screen = detail_screen(alice.identity.user_id, NOT_MEASURES - {"safety_plan"}, "")
    assert not screen.measures_shared and screen.checkups == []
    assert not screen.safety_plan_shared and screen.plan_lines == {}
    assert MARKERS["measures"] not in repr(screen) and "PHQ-9" not in repr(screen)
    assert MARKERS["safety_plan"] not in repr(screen)


def test_only_the_newest_phq9_of_the_last_14_days_flags(alice: Account,
                                                        clock: FrozenClock) -> None:
    uid = alice.identity.user_id
    with frozen_clock(T0 - timedelta(days=14)):
        checkup(alice, item9=1)
    assert review.caseload_row(uid, "Alice", frozenset({"measures"})).flags == ()
    with frozen_clock(T0 - timedelta(days=13)):
        checkup(alice, item9=1)
    assert review.caseload_row(uid, "Alice", frozenset({"measures"})).flags == (
        "PHQ-9 item 9 above 0 (thoughts of death or self-harm) on Feb 21",)
    checkup(alice, item9=0)  # a newer PHQ-9 with item 9 at 0
    assert review.caseload_row(uid, "Alice", frozenset({"measures"})).flags == ()
    checkup(alice, questionnaire="gad7")  # a GAD-7 is never this flag
    assert review.caseload_row(uid, "Alice", frozenset({"measures"})).flags == ()


def test_the_detail_shows_latest_checkups_and_the_plan_when_shared(alice: Account) -> None:
    with frozen_clock(T0 - timedelta(days=3)):
        checkup(alice, item9=0)
    checkup(alice, item9=1)
    checkup(alice, questionnaire="gad7")
    safety_plan(alice)
    screen = detail_screen(alice.identity.user_id, frozenset({"measures", "safety_plan"}), "")
    assert screen.checkups == [
        {"name": "PHQ-9", "total": "15 out of 27", "band": "Moderately severe",
         "day": "Mar 6, 2026", "item9": "Item 9 (thoughts of death or self-harm): above 0"},
        {"name": "GAD-7", "total": "7 out of 21", "band": "Mild", "day": "Mar 6, 2026",
         "item9": ""}]
    assert screen.flags == [ITEM9]
    assert screen.plan_saved and screen.plan_lines["warning_signs"] == [
        MARKERS["safety_plan"] + " at night"]
    sam = screen.plan_contacts["people_to_ask"][0]
    assert (sam["name"], sam["phone"], sam["tel"], sam["sms"]) == ("Sam", "555-0100", "", "")
    assert screen.plan_updated == "Last changed March 6, 2026."


def test_a_shared_plan_not_yet_written_says_so(alice: Account) -> None:
    screen = detail_screen(alice.identity.user_id, frozenset({"safety_plan", "measures"}), "")
    assert screen.safety_plan_shared and not screen.plan_saved and screen.plan_lines == {}
    assert screen.measures_shared and screen.checkups == []


def test_the_caseload_reads_each_number_once_for_everyone(alice: Account, bob: Account,
                                                          carol: Account) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    diary_entry(alice, date(2026, 3, 5), urge_suicide=5)
    diary_entry(alice, date(2026, 2, 27), mood=8)
    diary_entry(bob, date(2026, 3, 1), acted_substance_use=True)
    checkup(bob, item9=1)
    everything = frozenset({"mood", "substance_use", "measures"})
    asked = [(a.identity.user_id, a.identity.display_name, everything, date(2026, 3, 6))
             for a in (alice, bob, carol)]
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        review.caseload_rows(asked[:1])
        one = len(seen)
        seen.clear()
        rows = review.caseload_rows(asked)
        three = len(seen)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert three == one
    # The same rows as asking `core.progress` one patient at a time.
    for (uid, _, _, today), row in zip(asked, rows, strict=True):
        trend = progress.mood_trend(uid, today)
        assert (row.mood_average, row.mood_direction) == (trend.average, trend.direction)
        assert row.last_check_in == progress.last_check_in(uid)
        assert row == review.caseload_row(uid, row.name, everything, today)
    assert rows[0].flags[0] == "Urge 4 or more in the last 7 days"
    assert rows[1].flags[:2] == (ITEM9, "Acted on an urge in the last 7 days")
    assert rows[2].flags == ("No check-ins yet",)
