"""The /auth routes in-process: what reaches the logs when something breaks."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlmodel import select
from starlette.applications import Starlette

from skills_app import api
from skills_app.core import auth, db
from skills_app.core.models import User
from skills_app.core.settings import allowed_origins
from skills_app.text.problems import say
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
    assert response.json() == {"errors": {"form": say(api.TRY_AGAIN)}}
    assert "IntegrityError" in caplog.text and "sign_up_that_breaks" in caplog.text
    assert alice.email not in caplog.text and secret not in caplog.text


async def _post(path: str, body: dict, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=Starlette(routes=api.routes))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        return await client.post(path, headers={"Origin": allowed_origins()[0], **headers},
                                 json=body)


async def test_auth_errors_answer_in_the_language_the_page_sends(database: str) -> None:
    wrong = {"email": "nobody@example.org", "password": "not the right one at all"}
    english = await _post("/auth/login", wrong)
    spanish = await _post("/auth/login", {**wrong, "page_language": "es"})
    assert english.json()["errors"]["form"] == say(auth.BAD_CREDENTIALS)
    assert spanish.json()["errors"]["form"] == (
        "Ese correo y esa contraseña no coinciden. Revísalos y vuelve a intentarlo.")


async def test_without_a_page_language_the_referer_page_decides(database: str) -> None:
    short = {"display_name": "Ana", "email": "ana@example.org", "password": "corta",
             "role": "patient", "time_zone": "America/Chicago"}
    spanish = await _post("/auth/signup", short, Referer="http://localhost/es/signup/")
    assert spanish.json()["errors"]["password"].startswith("Usa al menos 15 caracteres")
    # A page language the app does not speak, or nonsense, is the Referer's (or English).
    odd = await _post("/auth/login", {"email": "x@example.org", "password": "y" * 20,
                                      "page_language": ["es"]},
                      Referer="http://localhost/es/signin/")
    assert odd.json()["errors"]["form"].startswith("Ese correo")


async def test_refusals_before_the_body_is_read_follow_the_referer(database: str) -> None:
    transport = httpx.ASGITransport(app=Starlette(routes=api.routes))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        refused = await client.post("/auth/login", headers={
            "Origin": "https://evil.example", "Referer": "http://localhost/es/signin/"},
            json={})
    assert refused.status_code == 403
    assert refused.json()["errors"]["form"] == (
        "Este pedido vino de un lugar en el que no confiamos.")


async def test_a_spanish_sign_up_stores_spanish_and_goes_to_the_spanish_today(
        database: str) -> None:
    response = await _post("/auth/signup", {
        "display_name": "Ana", "email": "ana@example.org",
        "password": "quiet lanterns drift over harbours", "role": "patient",
        "time_zone": "America/Chicago", "language": "es", "page_language": "es"})
    assert response.status_code == 200, response.text
    assert response.json()["next"] == "/es/today/"
    with db.read() as session:
        assert session.exec(select(User.language).where(
            User.email == "ana@example.org")).one() == "es"

