"""One cookie parser for the auth routes and the websocket."""

from __future__ import annotations

import pytest

from skills_app.core.cookies import session_token_from_cookie_header
from skills_app.core.settings import SESSION_COOKIE


@pytest.mark.parametrize("other", ['bad"name=1', 'prefs={"a": 1, "b": 2}', "no-equals-sign",
                                   "a=b c", "k=v\\"])
def test_a_malformed_cookie_from_elsewhere_does_not_hide_the_session(other: str) -> None:
    for header in (f"{other}; {SESSION_COOKIE}=tok-123", f"{SESSION_COOKIE}=tok-123; {other}"):
        assert session_token_from_cookie_header(header) == "tok-123"


@pytest.mark.parametrize("header", ["", "theme=dark", f"{SESSION_COOKIE}=", "sp_session=old-name",
                                    f"x{SESSION_COOKIE}=lookalike"])
def test_no_session_cookie_means_none(header: str) -> None:
    assert session_token_from_cookie_header(header) is None
