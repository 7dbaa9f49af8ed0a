"""Risk routing: the table of cases from clinical.md, its boundaries, and the
add-only log of risk events that edits never erase."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete
from sqlmodel import select

from skills_app.core import db, journal, risk
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.core.models import JournalEntry, RiskEvent, User
from skills_app.core.risk import Prompt
from tests.conftest import Account

T0 = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)

ACTED, CRISIS, SLIP, LINK = Prompt.ACTED, Prompt.CRISIS, Prompt.SLIP, Prompt.SAFETY_PLAN_LINK


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
    # self-harm urge: no quiet link below 4
    ({"urge_self_harm": 0}, ()),
    ({"urge_self_harm": 1}, ()),
    ({"urge_self_harm": 3}, ()),
    ({"urge_self_harm": 4}, (CRISIS,)),
    ({"urge_self_harm": 5}, (CRISIS,)),
    # acted on, whatever the rating: 911 / Poison Control first (it holds the crisis lines)
    ({"urge_suicide": 0, "acted_suicide": True}, (ACTED,)),
    ({"urge_self_harm": 0, "acted_self_harm": True}, (ACTED,)),
    ({"acted_self_harm": "on"}, (ACTED,)),
    ({"urge_suicide": 5, "acted_suicide": True}, (ACTED,)),
    ({"urge_suicide": 2, "acted_self_harm": True}, (ACTED,)),
    # use acted on: the slip card only, never crisis lines on its own
    ({"acted_substance_use": True}, (SLIP,)),
    ({"urge_substance_use": 5, "acted_substance_use": True}, (SLIP,)),
    ({"urge_substance_use": 5}, ()),
    # use acted on with another case: both, most urgent first
    ({"acted_substance_use": True, "urge_suicide": 4}, (CRISIS, SLIP)),
    ({"acted_substance_use": True, "acted_suicide": True}, (ACTED, SLIP)),
    ({"acted_substance_use": True, "urge_suicide": 2}, (SLIP, LINK)),
    # PHQ-9 item 9: any answer above 0 ("Several days" is 1)
    ({"phq9_item9": 0}, ()),
    ({"phq9_item9": 1}, (CRISIS,)),
    ({"phq9_item9": 3}, (CRISIS,)),
    # other urges never route
    ({"urge_quit_therapy": 5, "acted_quit_therapy": True}, ()),
    # nothing, blanks and junk count as 0
    ({}, ()),
    ({"urge_suicide": None, "acted_suicide": False}, ()),
    ({"urge_suicide": "", "acted_suicide": ""}, ()),
    ({"urge_suicide": "abc"}, ()),
    ({"urge_suicide": "4"}, (CRISIS,)),
    ({"urge_suicide": -1}, ()),
    # past the scale's top is never read as safe
    ({"urge_suicide": 9}, (CRISIS,)),
])
def test_route(values: dict[str, object], prompts: tuple[Prompt, ...]) -> None:
    assert risk.route(values).prompts == prompts


@pytest.mark.parametrize(("values", "flagged"), [
    ({"urge_suicide": 3}, False), ({"urge_suicide": 4}, True),
    ({"acted_self_harm": True}, True), ({"acted_substance_use": True}, False),
    ({"phq9_item9": 1}, True),
])
def test_what_flags_for_the_therapist(values: dict[str, object], flagged: bool) -> None:
    assert risk.route(values).flagged is flagged


def test_triggers_name_the_field_and_value() -> None:
    found = risk.route({"urge_suicide": 4, "acted_self_harm": True, "acted_substance_use": 1})
    assert [t.label for t in found.triggers] == [
        "acted_self_harm=yes", "urge_suicide=4", "acted_substance_use=yes"]
    assert found.shown == "acted+slip"


def test_the_strong_urge_level_is_the_diary_cards() -> None:
    from skills_app.core.diary import DIARY_CARD
    levels = {item.key: item.risk_from for item in DIARY_CARD.items if item.risk_from}
    assert levels == {risk.SUICIDE_URGE: risk.STRONG_URGE, risk.SELF_HARM_URGE: risk.STRONG_URGE}


def test_the_table_for_the_page_is_the_same_table() -> None:
    table = json.loads(risk.cases_as_json())
    assert [(c["field"], c["low"], c["high"], c["prompt"]) for c in table["cases"]] == [
        (c.field, c.low, c.high, c.prompt.value) for c in risk.RISK_CASES]
    assert table["order"] == [p.value for p in Prompt]


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
        ("urge_suicide=5", "crisis+slip", T0),
        ("acted_substance_use=yes", "crisis+slip", T0),
        ("urge_suicide=1", "safety_plan_link", T0 + timedelta(minutes=5)),
    ]
    clock.advance(minutes=5)
    journal.update_entry(user_id, entry.id, 2, {"urge_suicide": 0, "note": "better now"})
    assert len(events(user_id)) == 3


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
