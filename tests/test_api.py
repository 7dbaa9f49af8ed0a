"""The /auth routes in-process: what reaches the logs when something breaks."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.applications import Starlette

from skills_app import api
from skills_app.core import auth, db
from skills_app.core.models import User
from skills_app.core.settings import allowed_origins
from tests.conftest import make_account


async def test_a_crash_in_an_auth_route_logs_no_email_or_password(
        postgres_database: str, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    alice = make_account("alice", "patient")
    secret = "a secret passphrase nobody may log"

    def sign_up_that_breaks(raw: dict, *, address: str) -> auth.AuthResult:
        # An error nobody planned for. PostgreSQL's own message names the duplicate
        # email ("DETAIL: Key (email)=(...) already exists"); hide_parameters cannot hide it.
        with db.transaction() as session:
            session.add(User(email=raw["email"], display_name="x", role="patient",
                             password_hash="x", time_zone="UTC"))
        raise AssertionError("not reached")

    monkeypatch.setattr(auth, "sign_up", sign_up_that_breaks)
    transport = httpx.ASGITransport(app=Starlette(routes=api.routes))
    with caplog.at_level(logging.INFO):
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            response = await client.post("/auth/signup", headers={"Origin": allowed_origins()[0]},
                                         json={"display_name": "Alice", "email": alice.email,
                                               "password": secret, "role": "patient",
                                               "time_zone": "UTC"})
    assert response.status_code == 500
    assert response.json() == {"errors": {"form": api.TRY_AGAIN}}
    assert "IntegrityError" in caplog.text and "sign_up_that_breaks" in caplog.text
    assert alice.email not in caplog.text and secret not in caplog.text
