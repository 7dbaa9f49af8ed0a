"""Progress tab handlers called directly, as a raw client could: forged ranges
(0 days, 100 years, "abc", lists, another patient's id), no session, a therapist;
one patient's numbers never reach another's tab."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from skills_app import text
from skills_app.core import journal
from skills_app.state.progress import ProgressState
from tests.conftest import Account
from tests.state.conftest import redirect_target, sign_in_target, state_for

BAD_RANGE_SAID = "Please pick one of the ranges shown: 7 days, 30 days, 90 days or a year."


def check_in(account: Account, mood: int, days_ago: int = 0, **fields: object) -> None:
    now = datetime.now(ZoneInfo(account.identity.time_zone)) - timedelta(seconds=1)
    noon = datetime.combine(now.date(), time(12), tzinfo=now.tzinfo)
    moment = (min(now, noon) - timedelta(days=days_ago)).isoformat()
    result = journal.save_entry(account.identity.user_id, account.identity.time_zone, {
        "idempotency_key": str(uuid.uuid4()), "kind": "diary", "mood": mood,
        "occurred_at": moment, **fields})
    assert result.ok, result.errors


async def progress_tab(account: Account | None) -> ProgressState:
    state = state_for(ProgressState, account.token if account else None, "/progress/")
    await state.load_progress()
    return state


async def test_the_tab_shows_the_patients_own_numbers(alice: Account, bob: Account) -> None:
    check_in(alice, 3, days_ago=1, urge_substance_use=4, acted_substance_use=True, craving=6)
    check_in(alice, 7, skills=["mindfulness.observe"])
    check_in(bob, 10, urge_suicide=5)
    state = await progress_tab(alice)
    assert state.loaded and state.has_entries and state.range_days == 30
    assert state.mood_shown and len(state.mood_rows) == 30
    # The table is newest first.
    assert state.mood_rows[0][1:] == ["7", "7 to 7"] and state.mood_rows[1][1:] == [
        "3", "3 to 3"]
    assert state.mood_rows[-1][1:] == ["No entry", "No entry"]
    # A dot for each of the two rated days: the other 28 are gaps, not zeros.
    assert state.mood_picture.count('class="chart-dot ') == 2
    # It says which days it covers: the weekly summary above covers the last 7.
    assert re.fullmatch(r"Mood, \w+, \w+ \d+ to \w+, \w+ \d+: average 5 out of 10 over 2 days "
                        r"with a rating, lowest 3, highest 7\.", state.mood_line)
    [urge] = state.urges
    assert urge["label"] == "Substance use" and urge["rows"][1][1:] == ["4", "Yes, acted on"]
    assert urge["picture"].count("marked-point") == 1  # the day acted on
    assert state.craving_shown and "used on 1 day" in state.craving_line
    assert state.skills_shown and not state.minutes_shown
    # Bob's suicide urge, his mood of 10: nowhere in alice's tab.
    assert all(u["key"] != "urge_suicide" for u in state.urges)
    assert all(row[1] != "10" for row in state.mood_rows)


async def test_the_range_switch_goes_week_by_week_for_90_days_and_a_year(
        alice: Account) -> None:
    check_in(alice, 6)
    state = await progress_tab(alice)
    await state.set_range("7")
    assert (state.range_days, len(state.mood_rows), state.by_week) == (7, 7, False)
    await state.set_range("365")
    assert state.range_days == 365 and state.by_week
    assert state.mood_headers == ["Week", "Average mood", "Days rated"]
    assert 53 <= len(state.mood_rows) <= 54 and state.mood_rows[0][1] == "6"
    await state.set_range("90")
    assert state.range_days == 90 and state.message == ""


FORGED = [0, "0", -7, 14, 36_500, "36500", "abc", "", None, [7], {"days": 7}, 7.5, True,
          "x" * 1_100_000, "7; DROP TABLE journal_entry"]


@pytest.mark.parametrize("days", FORGED, ids=range(len(FORGED)))
async def test_a_forged_range_is_refused_with_a_message_and_nothing_changes(
        alice: Account, days: object) -> None:
    check_in(alice, 6)
    state = await progress_tab(alice)
    before = (state.range_days, state.mood_rows, state.mood_line)
    await state.set_range(days)
    assert state.message == BAD_RANGE_SAID
    assert (state.range_days, state.mood_rows, state.mood_line) == before
    await state.set_range("7")
    assert state.message == "" and state.range_days == 7


async def test_another_patients_id_as_the_range_shows_nothing_of_theirs(
        alice: Account, bob: Account) -> None:
    check_in(bob, 9, urge_self_harm=5)
    state = await progress_tab(alice)
    await state.set_range(bob.identity.user_id)
    await state.set_range(str(bob.identity.user_id))
    assert state.message == BAD_RANGE_SAID
    assert not state.has_entries and state.urges == [] and not state.mood_shown


async def test_without_a_session_the_tab_sends_to_sign_in_and_holds_nothing(
        alice: Account) -> None:
    check_in(alice, 6)
    state = state_for(ProgressState, None, "/progress/")
    assert sign_in_target(await state.load_progress()) == "/signin/?next=/progress/"
    assert sign_in_target(await state.set_range("7")) == "/signin/?next=/progress/"
    assert not state.loaded and state.mood_rows == []


async def test_a_therapist_is_sent_home(carol: Account) -> None:
    state = state_for(ProgressState, carol.token, "/progress/")
    assert redirect_target(await state.load_progress()) == "/patients/"
    assert sign_in_target(await state.set_range("7")) == "/signin/?next=/progress/"
    assert not state.loaded


async def test_the_weekly_summary_is_on_the_tab(alice: Account) -> None:
    state = await progress_tab(alice)
    assert state.summary_lines == [
        "There isn't much to sum up for the last 7 days yet. A quick check-in on a few days "
        "will help you see how your week went."]
    assert state.summary_title.startswith("Your last 7 days (")
    for days_ago in range(3):
        check_in(alice, 6, days_ago=days_ago, skills=["recovery.halt"])
    await state.load_progress()
    assert state.summary_lines == ["Your mood averaged 6 out of 10.", "You used skills on 3 days."]


async def test_a_spanish_page_gets_its_progress_and_refusals_in_spanish(alice: Account) -> None:
    """Each event speaks its page's language (the middleware sets it from /es/...)."""
    check_in(alice, 6, urge_substance_use=2)
    state = state_for(ProgressState, alice.token, "/es/progress/")
    with text.language("es"):
        await state.set_range("7")
        assert state.mood_headers == ["Día", "Ánimo promedio", "Más bajo a más alto"]
        assert state.mood_line.startswith("Ánimo, ") and ": promedio 6 de 10" in state.mood_line
        assert state.summary_title.startswith("Tus últimos 7 días (")
        assert state.summary_lines[0].startswith("Todavía no hay mucho que resumir")
        await state.set_range("14")
    assert state.message == ("Elige uno de los periodos que ves: 7 días, 30 días, 90 días o "
                             "un año.")
