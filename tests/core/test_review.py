"""The therapist's caseload rows and diary-card review: only shared categories, in DBT
order, blank apart from 0, this week beside last week, high urges without a skill."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from skills_app.core import progress, review
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.views.therapist import detail_screen
from tests.conftest import Account
from tests.sharing_helpers import MARKERS, diary_entry

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
    assert only_use.values == {"urge_suicide": 5, "urge_self_harm": 0,
                               "urge_substance_use": 2, "craving": 3}
    assert MARKERS["mood"] not in everything_in(only_use)


def test_the_review_is_in_dbt_order_with_last_week_beside(alice: Account) -> None:
    diary_entry(alice, MONDAY - date.resolution * 7, urge_suicide=2)
    diary_entry(alice, MONDAY, urge_suicide=4, acted_self_harm=True, skills=[])
    diary_entry(alice, MONDAY + date.resolution, urge_suicide=0)
    everything = frozenset({"mood", "substance_use", "exercises"})
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
