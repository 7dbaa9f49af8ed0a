"""Page guards: who may open which screen, resolved from the session cookie."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from reflex_base.event import Event

from skills_app.core import auth
from skills_app.core.clock import frozen_clock
from skills_app.core.settings import SESSION_COOKIE
from skills_app.state.account import AccountState
from skills_app.state.journal import EntryEditorState, JournalState
from skills_app.state.session import ForgetOnNewConnection, SessionState
from tests.conftest import Account, make_account
from tests.state.conftest import redirect_target, script_of, sign_in_target, state_for


async def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(database: str) -> None:
    state = state_for(SessionState, None, path="/journal/")
    event = await state.guard_patient_page()
    assert sign_in_target(event) == "/signin/?next=/journal/"
    assert state.display_name == ""


async def test_a_patient_sees_their_own_name(alice: Account) -> None:
    state = state_for(SessionState, alice.token)
    assert await state.guard_patient_page() is None
    assert (state.display_name, state.role) == ("Alice", "patient")


async def test_a_therapist_on_a_patient_page_goes_to_their_own_home(carol: Account) -> None:
    state = state_for(SessionState, carol.token, path="/today/")
    assert redirect_target(await state.guard_patient_page()) == "/patients/"


async def test_a_patient_on_a_therapist_page_goes_to_their_own_home(alice: Account) -> None:
    state = state_for(SessionState, alice.token, path="/patients/")
    assert redirect_target(await state.guard_therapist_page()) == "/today/"


async def test_a_forged_or_stale_cookie_is_refused(alice: Account) -> None:
    for token in ("forged-token", alice.token + "x", "", "x" * 5000):
        state = state_for(SessionState, token or None, path="/more/")
        assert sign_in_target(await state.guard_patient_page()).startswith("/signin/")


@pytest.mark.parametrize("other", ['bad"name=1', 'prefs={"a": 1, "b": 2}', "no-equals-sign"])
async def test_a_malformed_cookie_from_another_script_keeps_the_session(
        alice: Account, other: str) -> None:
    state = state_for(SessionState, alice.token, other_cookies=other)
    assert await state.guard_patient_page() is None
    assert state.display_name == "Alice"


async def test_a_token_replayed_after_sign_out_is_refused(alice: Account) -> None:
    auth.sign_out(alice.token)
    state = state_for(SessionState, alice.token, path="/today/")
    assert "signin" in script_of(await state.guard_patient_page())


async def test_a_therapist_event_after_fifteen_idle_minutes_leads_to_sign_in(database: str) -> None:
    with frozen_clock(datetime(2026, 5, 1, 9, 0, tzinfo=UTC)) as clock:
        carol = make_account("carol", "therapist")
        state = state_for(SessionState, carol.token, path="/patients/")
        assert await state.guard_therapist_page() is None
        clock.advance(minutes=15, seconds=1)
        assert sign_in_target(await state.guard_therapist_page()) == "/signin/?next=/patients/"
        assert state.display_name == ""


async def test_signed_in_visitors_skip_the_sign_in_page(alice: Account, carol: Account) -> None:
    assert redirect_target(await state_for(SessionState, alice.token, "/signin/")
                           .route_signed_in_home()) == "/today/"
    assert redirect_target(await state_for(SessionState, carol.token, "/")
                           .route_signed_in_home()) == "/patients/"
    assert await state_for(SessionState, None, "/signin/").route_signed_in_home() is None
    # The start page offers sign-in and sign-up itself: no redirect to race a tap.
    assert await state_for(SessionState, None, "/").route_signed_in_home() is None


async def _filled_for(account: Account) -> tuple[EntryEditorState, JournalState, AccountState]:
    """One tab's states after `account` opened a diary card, the journal and the account page."""
    editor = state_for(EntryEditorState, account.token, "/journal/new/")
    await editor.load_editor()
    await editor.save_diary({"idempotency_key": str(uuid.uuid4()), "note": "A-note-marker",
                             "triggers": "A-trigger-marker", "mood": "4"})
    journal_state = await editor.get_state(JournalState)
    await journal_state.load_journal()
    account_state = await editor.get_state(AccountState)
    await account_state.load_account()
    assert "A-note-marker" in str(journal_state.entries)
    assert account_state.email == account.email
    return editor, journal_state, account_state


def _holds_nothing_of(states: tuple[rx.State, ...], *markers: str) -> bool:
    text = repr([{name: getattr(state, name) for name in type(state).__fields__}
                 for state in states])
    return not any(marker in text for marker in markers)


async def test_a_refused_event_empties_every_state_of_the_tab(alice: Account) -> None:
    states = await _filled_for(alice)
    auth.sign_out_everywhere(alice.identity.user_id)  # ended from another device
    editor = states[0]
    assert sign_in_target(await editor.save_diary({"note": "x"})).startswith("/signin/")
    assert _holds_nothing_of(states, "A-note-marker", "A-trigger-marker", alice.email, "Alice")
    assert (editor.draft_owner, editor.display_name) == ("", "")


async def test_another_person_on_the_same_tab_starts_from_empty_states(
        alice: Account, bob: Account) -> None:
    states = await _filled_for(alice)
    editor = states[0]
    editor.router = RouterData.from_router_data({
        "headers": {"cookie": f"{SESSION_COOKIE}={bob.token}"},
        "pathname": "/journal/new/", "asPath": "/journal/new/", "query": {}})
    await editor.load_editor()
    assert _holds_nothing_of(states, "A-note-marker", "A-trigger-marker", alice.email, "Alice")
    assert editor.display_name == "Bob"


async def test_a_new_connection_without_a_session_empties_the_states_before_the_snapshot(
        alice: Account) -> None:
    states = await _filled_for(alice)
    auth.sign_out(alice.token)
    root = states[0].parent_state.parent_state.parent_state
    hydrate = Event(name=f"{rx.State.get_full_name()}.hydrate_and_load", payload={})
    assert await ForgetOnNewConnection().preprocess(app=None, state=root, event=hydrate) is None
    assert _holds_nothing_of(states, "A-note-marker", "A-trigger-marker", alice.email, "Alice")


async def test_the_same_person_reconnecting_keeps_their_screen(alice: Account) -> None:
    states = await _filled_for(alice)
    root = states[0].parent_state.parent_state.parent_state
    hydrate = Event(name=f"{rx.State.get_full_name()}.hydrate_and_load", payload={})
    await ForgetOnNewConnection().preprocess(app=None, state=root, event=hydrate)
    assert states[2].email == alice.email
