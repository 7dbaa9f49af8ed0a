"""What the Progress tab shows, from core's numbers: week by week from 90 days,
a patient's own urge under its own name, acted-on marks as points and words,
the mindfulness column once there are minutes, and lines that say it all."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from skills_app import text
from skills_app.core import journal, mindfulness
from skills_app.core.clock import frozen_clock
from skills_app.core.progress import BAD_RANGE, RangeRefused
from skills_app.views import progress as views
from tests.conftest import Account

T0 = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)  # Wednesday 4 March, noon in Chicago
TODAY = date(2026, 3, 4)
CHICAGO = "America/Chicago"


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with frozen_clock(T0):
        yield


def diary(account: Account, days_ago: int, **fields: object) -> None:
    moment = T0 - timedelta(days=days_ago)
    result = journal.save_entry(account.identity.user_id, CHICAGO, {
        "idempotency_key": str(uuid.uuid4()), "kind": "diary",
        "occurred_at": moment.isoformat(), **fields})
    assert result.ok, result.errors


def test_seven_days_are_drawn_day_by_day_with_acted_on_marks(alice: Account) -> None:
    diary(alice, 1, urge_substance_use=3, acted_substance_use=True, craving=7, mood=4)
    diary(alice, 0, custom_urges=[{"name": "Isolate", "rating": 4, "acted_on": False}])
    view = views.progress_view(alice.identity.user_id, CHICAGO, 7)
    assert not view.by_week and view.range_label == "7 days"
    assert [point["mood"] for point in view.mood.points] == [None] * 5 + [4.0, None]
    substance, own = view.urges
    assert (substance.label, own.label) == ("Substance use", "Isolate")
    assert substance.points[-2] == {"label": "Tue, Mar 3", "urge": 3, "acted": 3}
    assert substance.points[-1]["acted"] is None
    assert substance.rows[1] == ["Tue, Mar 3", "3", "Yes, acted on"]
    assert substance.line == ("Urge, substance use: highest 3 out of 5; acted on 1 day "
                              "(Tue, Mar 3).")
    assert own.line == "Urge, Isolate: highest 4 out of 5; not acted on."
    assert view.craving.points[-2] == {"label": "Tue, Mar 3", "craving": 7, "used": 7}
    assert view.craving.rows[1] == ["Tue, Mar 3", "7", "Yes, used"]
    assert not view.minutes.shown and not view.skills.shown


def test_ninety_days_go_week_by_week_with_mindfulness_minutes(alice: Account) -> None:
    diary(alice, 0, mood=8, skills=["mindfulness.observe", "recovery.halt"])
    diary(alice, 20, mood=2)
    result = mindfulness.log_session(alice.identity.user_id, CHICAGO, {
        "idempotency_key": str(uuid.uuid4()), "practice": "timer",
        "started_at": (T0 - timedelta(minutes=15)).isoformat(), "ended_at": T0.isoformat(),
        "seconds": 900, "ended_early": False})
    assert result.ok, result.errors
    view = views.progress_view(alice.identity.user_id, CHICAGO, "90")
    assert view.by_week and view.range_label == "90 days"
    assert view.mood.headers == ["Week", "Average mood", "Days rated"]
    assert view.mood.rows[0] == ["Week of Mon, Mar 2", "8", "1 day"]
    assert ["Week of Mon, Feb 9", "2", "1 day"] in view.mood.rows
    assert view.mood.points[-1] == {"label": "Mon, Mar 2", "mood": 8.0}
    assert view.minutes.headers == ["Week", "Exercises", "Practice", "Mindfulness"]
    assert view.minutes.rows[0] == ["Week of Mon, Mar 2", "0", "0 min", "15 min"]
    assert view.minutes.line == "Practice: 0 exercises finished, 0 min; mindfulness: 15 min."
    assert view.skills.points[-1]["mindfulness"] >= 1 and view.skills.points[-1]["recovery"] == 1
    assert view.skills.line.startswith("Skills: used on 1 day; skills used by module: ")


def test_a_forged_range_is_refused_before_anything_is_read(alice: Account) -> None:
    for days in (0, "abc", 36_500, None, [30]):
        with pytest.raises(RangeRefused) as refused:
            views.progress_view(alice.identity.user_id, CHICAGO, days)
        assert refused.value.problem == BAD_RANGE


def test_the_tab_in_spanish_has_spanish_words_dates_and_plurals(alice: Account) -> None:
    diary(alice, 1, urge_substance_use=3, acted_substance_use=True, craving=7, mood=4)
    with text.language("es"):
        view = views.progress_view(alice.identity.user_id, CHICAGO, 7)
    assert view.range_label == "7 días"
    substance = view.urges[0]
    assert substance.rows[1][0] == "mar, 3 de mar" and substance.rows[1][2] == "Sí, lo hiciste"
    assert substance.line.startswith("Impulso, ") and "lo hiciste 1 día (mar, 3 de mar)" in (
        substance.line)
    assert view.mood.line == ("Ánimo, jue, 26 de feb a mié, 4 de mar: promedio 4 de 10 en 1 "
                              "día con nota, el más bajo 4, el más alto 4.")
    assert view.craving.headers == ["Día", "Ganas de consumir", "Consumiste"]


def test_the_cached_day_names_follow_the_language(alice: Account) -> None:
    """`_short` is cached: the language is part of its key, so a Spanish page never gets
    an English date that was cached first (nor the other way round)."""
    day = date(2026, 3, 3)
    assert views._short(day) == "Tue, Mar 3"
    with text.language("es"):
        assert views._short(day) == "mar, 3 de mar"
    assert views._short(day) == "Tue, Mar 3"


@pytest.mark.parametrize("days", [7, 30])
def test_every_mood_average_on_the_screen_says_the_same_or_which_days(
        alice: Account, days: int) -> None:
    """The weekly summary covers the last 7 days; the mood chart's line covers the range
    chosen. Over the same 7 days they give the same number (one decimal in both); over
    30 each says which days it covers (issue 22: 8 in one place, 6.7 in the other)."""
    for days_ago, mood in ((0, 8), (1, 7), (2, 9), (12, 3)):
        diary(alice, days_ago, mood=mood)
    view = views.progress_view(alice.identity.user_id, CHICAGO, days)
    assert view.summary_title == "Your last 7 days (Thu, Feb 26 to Wed, Mar 4)"
    assert view.summary_lines[0] == "Your mood averaged 8 out of 10."
    if days == 7:
        assert view.mood.line.startswith("Mood, Thu, Feb 26 to Wed, Mar 4: average 8 out of 10 ")
    else:
        assert view.mood.line.startswith("Mood, Tue, Feb 3 to Wed, Mar 4: average 6.8 out of 10 ")
    diary(alice, 3, mood=6)  # 7.5 over the last 7 days: no longer rounded to 8
    view = views.progress_view(alice.identity.user_id, CHICAGO, 7)
    assert view.summary_lines[0] == "Your mood averaged 7.5 out of 10."
    assert view.mood.line.startswith("Mood, Thu, Feb 26 to Wed, Mar 4: average 7.5 out of 10 ")
