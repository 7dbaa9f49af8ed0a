"""Page guards: who may open which screen, resolved from the session cookie."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skills_app.core import auth
from skills_app.core.clock import frozen_clock
from skills_app.state.session import SessionState
from tests.conftest import Account, make_account
from tests.state.conftest import redirect_target, script_of, state_for


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(database: str) -> None:
    state = state_for(SessionState, None, path="/journal/")
    event = state.guard_patient_page()
    assert script_of(event) == "window.location.assign('/signin/?next=/journal/')"
    assert state.display_name == ""


def test_a_patient_sees_their_own_name(alice: Account) -> None:
    state = state_for(SessionState, alice.token)
    assert state.guard_patient_page() is None
    assert (state.display_name, state.role) == ("Alice", "patient")


def test_a_therapist_on_a_patient_page_goes_to_their_own_home(carol: Account) -> None:
    state = state_for(SessionState, carol.token, path="/today/")
    assert redirect_target(state.guard_patient_page()) == "/patients/"


def test_a_patient_on_a_therapist_page_goes_to_their_own_home(alice: Account) -> None:
    state = state_for(SessionState, alice.token, path="/patients/")
    assert redirect_target(state.guard_therapist_page()) == "/today/"


def test_a_forged_or_stale_cookie_is_refused(alice: Account) -> None:
    for token in ("forged-token", alice.token + "x", "", "x" * 5000):
        state = state_for(SessionState, token or None, path="/more/")
        assert script_of(state.guard_patient_page()).startswith(
            "window.location.assign('/signin/")


@pytest.mark.parametrize("other", ['bad"name=1', 'prefs={"a": 1, "b": 2}', "no-equals-sign"])
def test_a_malformed_cookie_from_another_script_keeps_the_session(
        alice: Account, other: str) -> None:
    state = state_for(SessionState, alice.token, other_cookies=other)
    assert state.guard_patient_page() is None
    assert state.display_name == "Alice"


def test_a_token_replayed_after_sign_out_is_refused(alice: Account) -> None:
    auth.sign_out(alice.token)
    state = state_for(SessionState, alice.token, path="/today/")
    assert "signin" in script_of(state.guard_patient_page())


def test_a_therapist_event_after_fifteen_idle_minutes_leads_to_sign_in(database: str) -> None:
    with frozen_clock(datetime(2026, 5, 1, 9, 0, tzinfo=UTC)) as clock:
        carol = make_account("carol", "therapist")
        state = state_for(SessionState, carol.token, path="/patients/")
        assert state.guard_therapist_page() is None
        clock.advance(minutes=15, seconds=1)
        assert script_of(state.guard_therapist_page()) == (
            "window.location.assign('/signin/?next=/patients/')")
        assert state.display_name == ""


def test_signed_in_visitors_skip_the_sign_in_page(alice: Account, carol: Account) -> None:
    assert redirect_target(state_for(SessionState, alice.token, "/signin/")
                           .route_signed_in_home()) == "/today/"
    assert redirect_target(state_for(SessionState, carol.token, "/")
                           .route_signed_in_home()) == "/patients/"
    assert state_for(SessionState, None, "/signin/").route_signed_in_home() is None
    assert redirect_target(state_for(SessionState, None, "/").route_signed_in_home()) == "/signin/"
