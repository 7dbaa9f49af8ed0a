"""Risk routing: the table of cases from clinical.md, its boundaries, and the
add-only log of risk events that edits never erase."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete
from sqlmodel import select

from skills_app.core import db, journal, risk
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.core.models import JournalEntry, RiskEvent, User
from skills_app.core.risk import Prompt
from tests.conftest import Account

T0 = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"

ACTED, CRISIS, SLIP, LINK = Prompt.ACTED, Prompt.CRISIS, Prompt.SLIP, Prompt.SAFETY_PLAN_LINK
EARLIER, MIXED, CRAVING, QUIT = (Prompt.ACTED_EARLIER, Prompt.SUBSTANCES_RAISE_RISK,
                                 Prompt.CRAVING, Prompt.QUIT_THERAPY)
# An entry logged for yesterday, and one for today.
YESTERDAY = {"entry_day": "2026-03-03", "today": "2026-03-04"}
SAME_DAY = {"entry_day": "2026-03-04", "today": "2026-03-04"}


@pytest.fixture(autouse=True)
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(T0) as frozen:
        yield frozen


# --- the table ----------------------------------------------------------------

@pytest.mark.parametrize(("values", "prompts"), [
    # suicide urge: 0 nothing, 1-3 a quiet link, 4-5 the crisis prompt
    ({"urge_suicide": 0}, ()),
    ({"urge_suicide": 1}, (LINK,)),
    ({"urge_suicide": 3}, (LINK,)),
    ({"urge_suicide": 4}, (CRISIS,)),
    ({"urge_suicide": 5}, (CRISIS,)),
    # self-harm urge: the same quiet link at 1-3 (clinical.md, as suicide 1-3)
    ({"urge_self_harm": 0}, ()),
    ({"urge_self_harm": 1}, (LINK,)),
    ({"urge_self_harm": 3}, (LINK,)),
    ({"urge_self_harm": 4}, (CRISIS,)),
    ({"urge_self_harm": 5}, (CRISIS,)),
    ({"urge_self_harm": 2, "urge_suicide": 5}, (CRISIS,)),
    # acted on, whatever the rating: 911 / Poison Control first (it holds the crisis lines)
    ({"urge_suicide": 0, "acted_suicide": True}, (ACTED,)),
    ({"urge_self_harm": 0, "acted_self_harm": True}, (ACTED,)),
    ({"acted_self_harm": "on"}, (ACTED,)),
    ({"urge_suicide": 5, "acted_suicide": True}, (ACTED,)),
    ({"urge_suicide": 2, "acted_self_harm": True}, (ACTED,)),
    # ... for an act logged today; for an earlier day: the plan and 988, no "call 911 now"
    ({"acted_self_harm": True, **SAME_DAY}, (ACTED,)),
    ({"acted_self_harm": True, **YESTERDAY}, (EARLIER,)),
    ({"acted_suicide": True, "urge_suicide": 2, **YESTERDAY}, (EARLIER,)),
    ({"acted_suicide": True, "entry_day": "2025-12-31", "today": "2026-01-01"}, (EARLIER,)),
    # a strong urge still shows the crisis lines (they hold the plan and 988)
    ({"acted_self_harm": True, "urge_self_harm": 4, **YESTERDAY}, (CRISIS,)),
    # a day that is missing or malformed is today: in doubt, 911
    ({"acted_self_harm": True, "entry_day": "2026-03-03"}, (ACTED,)),
    ({"acted_self_harm": True, "entry_day": "3/3/2026", "today": "2026-03-04"}, (ACTED,)),
    ({"acted_self_harm": True, "entry_day": "2026-03-03", "today": 20260304}, (ACTED,)),
    ({"acted_self_harm": True, "entry_day": "2026-03-05", "today": "2026-03-04"}, (ACTED,)),
    # use acted on: the slip card only, never crisis lines on its own
    ({"acted_substance_use": True}, (SLIP,)),
    ({"acted_substance_use": True, **YESTERDAY}, (SLIP,)),
    # a strong urge to use (4-5) or craving (7-10 of 10): the quiet craving card
    ({"urge_substance_use": 3}, ()),
    ({"urge_substance_use": 4}, (CRAVING,)),
    ({"urge_substance_use": 5}, (CRAVING,)),
    ({"craving": 6}, ()),
    ({"craving": 7}, (CRAVING,)),
    ({"craving": 10}, (CRAVING,)),
    ({"craving": 8, "urge_substance_use": 5}, (CRAVING,)),
    # a slip and a craving: both cards
    ({"urge_substance_use": 5, "acted_substance_use": True}, (SLIP, CRAVING)),
    # a craving never hides a crisis; with one, the line on alcohol and drugs
    ({"craving": 9, "urge_suicide": 4}, (CRISIS, MIXED, CRAVING)),
    ({"urge_substance_use": 4, "acted_self_harm": True}, (ACTED, MIXED, CRAVING)),
    ({"craving": 7, "acted_self_harm": True, **YESTERDAY}, (EARLIER, MIXED, CRAVING)),
    ({"acted_substance_use": True, "urge_suicide": 4}, (CRISIS, MIXED, SLIP)),
    ({"acted_substance_use": True, "acted_suicide": True}, (ACTED, MIXED, SLIP)),
    ({"acted_substance_use": True, "acted_suicide": True, "craving": 10},
     (ACTED, MIXED, SLIP, CRAVING)),
    # the quiet safety-plan link is not a suicide prompt: no line; the slip card holds the link
    ({"craving": 8, "urge_suicide": 2}, (CRAVING, LINK)),
    ({"acted_substance_use": True, "urge_suicide": 2}, (SLIP,)),
    # quit-therapy urge 4-5: a kind card, beside anything else
    ({"urge_quit_therapy": 3, "acted_quit_therapy": True}, ()),
    ({"urge_quit_therapy": 4}, (QUIT,)),
    ({"urge_quit_therapy": 5, "urge_suicide": 5}, (CRISIS, QUIT)),
    ({"urge_quit_therapy": 5, "craving": 7, "urge_self_harm": 1}, (CRAVING, QUIT, LINK)),
    # PHQ-9 item 9: any answer above 0 ("Several days" is 1)
    ({"phq9_item9": 0}, ()),
    ({"phq9_item9": 1}, (CRISIS,)),
    ({"phq9_item9": 3}, (CRISIS,)),
    # nothing, blanks and junk count as 0
    ({}, ()),
    ({"urge_suicide": None, "acted_suicide": False}, ()),
    ({"urge_suicide": "", "acted_suicide": ""}, ()),
    ({"urge_suicide": "abc"}, ()),
    ({"urge_suicide": "4"}, (CRISIS,)),
    ({"craving": "7"}, (CRAVING,)),
    ({"urge_suicide": -1}, ()),
    # past the scale's top is never read as safe
    ({"urge_suicide": 9}, (CRISIS,)),
    ({"craving": 11}, (CRAVING,)),
])
def test_route(values: dict[str, object], prompts: tuple[Prompt, ...]) -> None:
    assert risk.route(values).prompts == prompts


@pytest.mark.parametrize(("values", "flagged"), [
    ({"urge_suicide": 3}, False), ({"urge_suicide": 4}, True),
    ({"acted_self_harm": True}, True), ({"acted_self_harm": True, **YESTERDAY}, True),
    ({"acted_substance_use": True}, False), ({"craving": 10}, False),
    ({"urge_quit_therapy": 5}, False), ({"urge_self_harm": 2}, False),
    ({"phq9_item9": 1}, True),
])
def test_what_flags_for_the_therapist(values: dict[str, object], flagged: bool) -> None:
    assert risk.route(values).flagged is flagged


def test_triggers_name_the_field_and_value() -> None:
    found = risk.route({"urge_suicide": 4, "acted_self_harm": True, "acted_substance_use": 1,
                        "craving": 8})
    assert [t.label for t in found.triggers] == [
        "acted_self_harm=yes", "urge_suicide=4", "acted_substance_use=yes", "craving=8"]
    assert found.shown == "acted+mixed+slip+craving"
    assert found.prompt == ACTED


def test_every_combination_the_log_can_name_fits_its_column() -> None:
    """The log names every prompt shown in one column of PROMPT_MAX characters."""
    grid = itertools.product(range(6), range(6), range(6), range(6), (0, 7), (0, 1), (0, 1),
                             (0, 1), (SAME_DAY, YESTERDAY))
    longest = max((risk.route({
        "urge_suicide": suicide, "urge_self_harm": self_harm, "urge_substance_use": use,
        "urge_quit_therapy": quit_, "craving": craving, "acted_suicide": acted_suicide,
        "acted_self_harm": acted_self_harm, "acted_substance_use": acted_use, **days,
    }).shown for suicide, self_harm, use, quit_, craving, acted_suicide, acted_self_harm,
        acted_use, days in grid), key=len)
    assert len(longest) <= risk.PROMPT_MAX, longest


def test_the_strong_urge_level_is_the_diary_cards() -> None:
    from skills_app.core.diary import CRAVING_MAX, DIARY_CARD, URGE_MAX
    levels = {item.key: item.risk_from for item in DIARY_CARD.items if item.risk_from}
    assert levels == {risk.SUICIDE_URGE: risk.STRONG_URGE, risk.SELF_HARM_URGE: risk.STRONG_URGE}
    # Every field the table reads is an item of the card (or PHQ-9 item 9).
    card_fields = set(DIARY_CARD.fields())
    assert {case.field for case in risk.RISK_CASES} - card_fields == {risk.PHQ9_ITEM9}
    assert (URGE_MAX, CRAVING_MAX) == (5, 10)  # "urge 4-5", "craving 7-10 (0-10 scale)"


def test_the_table_for_the_page_is_the_same_table() -> None:
    table = json.loads(risk.cases_as_json())
    assert [(c["field"], c["low"], c["high"], c["prompt"], c["day"]) for c in table["cases"]] == [
        (c.field, c.low, c.high, c.prompt.value, c.day.value) for c in risk.RISK_CASES]
    assert table["order"] == [p.value for p in Prompt]
    assert table["together"] == [{"prompt": "mixed", "when": ["acted", "crisis", "earlier"],
                                  "with": ["slip", "craving"]}]
    assert table["includes"] == {"acted": ["crisis"]}


# --- which day: the server's reading of what the form carried --------------------

@pytest.mark.parametrize(("stated", "today"), [
    ("2026-03-04", "2026-03-04"),
    # tapped before midnight, arrived after: the day the page decided on
    ("2026-03-03", "2026-03-03"),
    # a phone clock a few minutes fast is already on tomorrow
    ("2026-03-05", "2026-03-05"),
    # anything else is the patient's today now
    ("2026-03-06", "2026-03-04"), ("2026-02-30", "2026-03-04"), ("20260303", "2026-03-04"),
    ("", "2026-03-04"), (None, "2026-03-04"), (["2026-03-03"], "2026-03-04"),
    ("2026-03-03T00:00", "2026-03-04"),
])
def test_days_of_entry_take_the_stated_day_only_when_it_can_be_true(
        stated: object, today: str, clock: FrozenClock) -> None:
    clock.advance(hours=11, minutes=58)  # 23:58 on 4 March in Chicago
    assert risk.days_of_entry(date(2026, 3, 4), stated, CHICAGO) == {
        "entry_day": "2026-03-04", "today": today}


# --- the log --------------------------------------------------------------------

def events(user_id: int) -> list[RiskEvent]:
    with db.read() as session:
        return list(session.exec(select(RiskEvent).where(RiskEvent.user_id == user_id)
                                 .order_by(RiskEvent.id)).all())


def diary(**fields: object) -> dict[str, object]:
    return {"idempotency_key": str(uuid.uuid4()), "kind": "diary", **fields}


def test_record_risk_event_writes_inside_the_callers_transaction(alice: Account) -> None:
    user_id = alice.identity.user_id
    with pytest.raises(RuntimeError), db.transaction() as session:
        risk.record_risk_event(session, user_id=user_id, source="phq9",
                               trigger="phq9_item9=1", prompt="crisis", at=T0)
        raise RuntimeError("the caller's save failed")
    assert events(user_id) == []
    with db.transaction() as session:
        risk.record_risk_event(session, user_id=user_id, source="phq9", trigger="phq9_item9=1",
                               prompt="crisis", at=T0, source_id=7)
    [event] = events(user_id)
    assert (event.source, event.trigger, event.prompt, event.at, event.source_id) == (
        "phq9", "phq9_item9=1", "crisis", T0, 7)


def test_a_diary_card_with_a_strong_urge_logs_an_event(alice: Account) -> None:
    user_id = alice.identity.user_id
    entry = journal.save_entry(user_id, "America/Chicago", diary(urge_suicide=4)).entry
    [event] = events(user_id)
    assert (event.source, event.source_id, event.trigger, event.prompt, event.at) == (
        "diary_card", entry.id, "urge_suicide=4", "crisis", T0)


def test_a_calm_card_or_a_check_in_logs_nothing(alice: Account) -> None:
    user_id = alice.identity.user_id
    journal.save_entry(user_id, "America/Chicago", diary(urge_suicide=0, note="ok"))
    journal.save_entry(user_id, "America/Chicago",
                       {"idempotency_key": str(uuid.uuid4()), "kind": "checkin", "mood": 1})
    assert events(user_id) == []


def test_a_resend_of_the_same_card_logs_once(alice: Account) -> None:
    user_id = alice.identity.user_id
    raw = diary(acted_self_harm=True)
    journal.save_entry(user_id, "America/Chicago", raw)
    journal.save_entry(user_id, "America/Chicago", raw)
    assert [e.trigger for e in events(user_id)] == ["acted_self_harm=yes"]


def test_editing_an_urge_down_keeps_the_events(alice: Account, clock: FrozenClock) -> None:
    user_id = alice.identity.user_id
    entry = journal.save_entry(user_id, "America/Chicago",
                               diary(urge_suicide=5, acted_substance_use=True)).entry
    clock.advance(minutes=5)
    lowered = journal.update_entry(user_id, entry.id, 1, {"urge_suicide": 1})
    assert lowered.ok and not lowered.entry.risk_flag
    assert [(e.trigger, e.prompt, e.at) for e in events(user_id)] == [
        ("urge_suicide=5", "crisis+mixed+slip", T0),
        ("acted_substance_use=yes", "crisis+mixed+slip", T0),
        ("urge_suicide=1", "safety_plan_link", T0 + timedelta(minutes=5)),
    ]
    clock.advance(minutes=5)
    journal.update_entry(user_id, entry.id, 2, {"urge_suicide": 0, "note": "better now"})
    assert len(events(user_id)) == 3


def test_an_act_is_logged_for_the_day_the_card_is_for(alice: Account,
                                                       clock: FrozenClock) -> None:
    """Written at 11:50 pm and sent at 12:10 am: the page said "call 911 now" on the
    day it was written, and the log says so; an edit of that card the next day
    ticking an act is logged as an earlier day's act, as the page showed it."""
    user_id = alice.identity.user_id
    clock.advance(hours=11, minutes=50)  # 23:50 on 4 March in Chicago
    written = (T0 + timedelta(hours=11, minutes=50)).isoformat()
    clock.advance(minutes=20)  # 00:10 on the 5th, when it arrives
    entry = journal.save_entry(user_id, CHICAGO, diary(
        urge_self_harm=3, acted_self_harm=True, occurred_at=written, today="2026-03-04")).entry
    assert entry.local_date == date(2026, 3, 4) and entry.risk_flag
    clock.advance(hours=9)  # the next morning
    edited = journal.update_entry(user_id, entry.id, 1, {
        "urge_self_harm": 3, "acted_self_harm": True, "acted_suicide": True,
        "today": "2026-03-05"})
    assert edited.ok and edited.entry.risk_flag
    # Nothing stated (an older page, a forged form): the server's today.
    journal.update_entry(user_id, entry.id, 2, {"acted_self_harm": True, "note": "later"})
    assert [(e.trigger, e.prompt) for e in events(user_id)] == [
        ("acted_self_harm=yes", "acted"), ("urge_self_harm=3", "acted"),
        ("acted_suicide=yes", "earlier"), ("acted_self_harm=yes", "earlier"),
        ("urge_self_harm=3", "earlier"),
        ("acted_self_harm=yes", "earlier"),
    ]


def test_events_outlive_the_entry_but_not_the_account(alice: Account, bob: Account) -> None:
    user_id = alice.identity.user_id
    journal.save_entry(user_id, "America/Chicago", diary(urge_self_harm=4))
    journal.save_entry(bob.identity.user_id, "America/Chicago", diary(urge_self_harm=4))
    with db.transaction() as session:
        session.execute(delete(JournalEntry).where(JournalEntry.user_id == user_id))
    assert len(events(user_id)) == 1
    with db.transaction() as session:
        session.execute(delete(User).where(User.id == user_id))
    assert events(user_id) == []
    assert len(events(bob.identity.user_id)) == 1
