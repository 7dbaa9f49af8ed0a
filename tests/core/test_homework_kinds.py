"""`homework.kinds_this_week` (added for the caseload): the kinds of each patient's
assignments in their current week, batched, so a count is shown only when the
patient shares the completion of every kind in it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from skills_app.core import db, homework
from skills_app.core.clock import frozen_clock
from tests.conftest import Account
from tests.core.test_homework import assign_ok
from tests.sharing_helpers import share

MONDAY = date(2026, 12, 7)


@pytest.fixture
def clock() -> Iterator:
    with frozen_clock(datetime(2026, 12, 9, 15, 0, tzinfo=UTC)) as frozen:  # Wednesday
        yield frozen


def test_the_kinds_of_this_weeks_assignments_per_patient(
        clock: object, alice: Account, bob: Account, carol: Account) -> None:
    share(alice, carol, ("exercises",))
    share(bob, carol, ("mood",))
    wednesday = MONDAY + timedelta(days=2)
    assign_ok(carol, alice, repeat="daily", start_day=wednesday.isoformat(), end_day="")
    assign_ok(carol, alice, kind="diary_card", repeat="daily", start_day=wednesday.isoformat(),
              end_day="")
    # Bob's starts next week: nothing of this week.
    assign_ok(carol, bob, kind="diary_card", repeat="daily",
              start_day=(MONDAY + timedelta(days=7)).isoformat(), end_day="")
    todays = {alice.identity.user_id: wednesday, bob.identity.user_id: wednesday}
    with db.read() as session:
        kinds = homework.kinds_this_week(session, list(todays), todays)
    assert kinds == {alice.identity.user_id: frozenset({"exercise", "diary_card"})}
    with db.read() as session:
        assert homework.kinds_this_week(session, [], {}) == {}
