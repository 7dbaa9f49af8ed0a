"""Today's strongest signal: the day's diary cards routed through the one risk table,
for Today's prompts and the plan that follows them.

The clock is frozen at T0 (Wednesday 4 March 2026, noon in Chicago).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from skills_app.core import day_signal, journal, practice, risk
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.core.journal import DailySummary
from skills_app.core.risk import Prompt
from skills_app.views import practice_tab
from tests.conftest import Account

T0 = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"
TODAY = date(2026, 3, 4)


@pytest.fixture(autouse=True)
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(T0) as frozen:
        yield frozen


def day(values: dict[str, int], acted_on: frozenset[str] = frozenset()) -> DailySummary:
    return DailySummary(local_date=TODAY, entry_count=1, diary_count=1, values=values,
                        spread={}, acted_on=acted_on, custom_emotions={}, custom_urges={},
                        custom_acted_on=frozenset(), skills_used=frozenset(), risk_flag=False)


@pytest.mark.parametrize(("summary", "strongest", "prompts"), [
    (day({}), None, ()),
    (day({"mood": 3, "emotion_sadness": 5}), None, ()),
    (day({"craving": 8}), Prompt.CRAVING, (Prompt.CRAVING,)),
    (day({"urge_substance_use": 4}), Prompt.CRAVING, (Prompt.CRAVING,)),
    (day({"urge_substance_use": 3, "craving": 6}), None, ()),
    (day({"urge_quit_therapy": 5}), Prompt.QUIT_THERAPY, (Prompt.QUIT_THERAPY,)),
    (day({"urge_self_harm": 2}), Prompt.SAFETY_PLAN_LINK, (Prompt.SAFETY_PLAN_LINK,)),
    # a slip is stronger than a craving; both show
    (day({"craving": 9}, frozenset({"urge_substance_use"})), Prompt.SLIP,
     (Prompt.SLIP, Prompt.CRAVING)),
    # a crisis is the strongest; the craving still shows, with the line on alcohol and drugs
    (day({"craving": 9, "urge_suicide": 4}), Prompt.CRISIS,
     (Prompt.CRISIS, Prompt.SUBSTANCES_RAISE_RISK, Prompt.CRAVING)),
    # an act of today is today's: "call 911 now"
    (day({"urge_self_harm": 0}, frozenset({"urge_self_harm"})), Prompt.ACTED, (Prompt.ACTED,)),
])
def test_the_strongest_signal_of_a_day(summary: DailySummary, strongest: Prompt | None,
                                       prompts: tuple[Prompt, ...]) -> None:
    found = day_signal.route_of_day(summary)
    assert (found.prompt, found.prompts) == (strongest, prompts)


def card(**fields: object) -> dict[str, object]:
    return {"idempotency_key": str(uuid.uuid4()), "kind": "diary", **fields}


def save(account: Account, **fields: object) -> journal.EntryView:
    result = journal.save_entry(account.identity.user_id, CHICAGO, card(**fields))
    assert result.ok, result.errors
    return result.entry


def test_todays_route_reads_every_card_of_today_and_nothing_else(
        alice: Account, bob: Account, clock: FrozenClock) -> None:
    user = alice.identity.user_id
    assert day_signal.todays_route(user, CHICAGO).prompt is None
    # Yesterday's strong craving is not today's signal; Bob's is not Alice's.
    save(alice, craving=9, occurred_at=(T0 - timedelta(days=1)).isoformat())
    save(bob, urge_suicide=5)
    journal.save_entry(user, CHICAGO, {"idempotency_key": str(uuid.uuid4()), "kind": "checkin",
                                       "mood": 2})
    assert day_signal.todays_route(user, CHICAGO).prompts == ()
    # Two cards today: the day's highest of each item, and what was acted on.
    save(alice, urge_substance_use=4)
    assert day_signal.todays_route(user, CHICAGO).prompts == (Prompt.CRAVING,)
    hard = save(alice, urge_self_harm=1, acted_self_harm=True)
    assert day_signal.todays_route(user, CHICAGO).prompts == (
        Prompt.ACTED, Prompt.SUBSTANCES_RAISE_RISK, Prompt.CRAVING)
    # A deleted card no longer counts.
    assert journal.delete_entry(user, hard.id).ok
    assert day_signal.todays_route(user, CHICAGO).prompts == (Prompt.CRAVING,)
    # After midnight it is a new day.
    clock.advance(hours=12)
    assert day_signal.todays_route(user, CHICAGO).prompts == ()


def test_today_shows_the_craving_card_and_suggests_the_craving_skills(alice: Account) -> None:
    user = alice.identity.user_id
    usual = practice_tab.today_data(user, CHICAGO)
    assert usual.prompts == []
    save(alice, craving=7)
    after = practice_tab.today_data(user, CHICAGO)
    assert after.prompts == ["craving"]
    assert [row["id"] for row in after.plan] == ["urge-surfing", "halt-check",
                                                 "play-the-tape-through"]
    assert [row["id"] for row in usual.plan] != [row["id"] for row in after.plan]
    # The same rule as the practice card's: the strongest signal.
    assert [e.id for e in practice.todays_plan(user, CHICAGO, risk.Prompt.CRAVING)] == [
        row["id"] for row in after.plan]
