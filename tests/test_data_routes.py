"""/auth/export and /auth/delete-account over HTTP, in-process: the session cookie
decides whose data, the CSRF rules of the other auth routes apply, a wrong password
deletes nothing, and after deletion the cookie is refused."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import httpx
import pytest
from starlette.applications import Starlette

from skills_app import api
from skills_app.core import auth, journal
from skills_app.core.settings import SESSION_COOKIE, allowed_origins
from tests.conftest import Account


def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=Starlette(routes=api.routes))
    return httpx.AsyncClient(transport=transport, base_url="http://localhost")


def headers(account: Account | None, origin: str | None = None) -> dict[str, str]:
    found = {"Origin": origin or allowed_origins()[0]}
    if account is not None:
        found["Cookie"] = f"{SESSION_COOKIE}={account.token}"
    return found


def note(account: Account, text: str) -> None:
    assert journal.save_entry(account.identity.user_id, "America/Chicago", {
        "idempotency_key": str(uuid.uuid4()), "kind": "checkin", "mood": 5,
        "note": text}).ok


async def test_the_export_is_the_callers_own_zip(alice: Account, bob: Account) -> None:
    note(alice, "Alice's own words")
    note(bob, "Bob's own words")
    async with client() as http:
        response = await http.post("/auth/export", headers=headers(alice), json={})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="skills-practice-my-data-')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        entries = json.loads(archive.read("json/journal_entry.json"))
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert [row["note"] for row in entries] == ["Alice's own words"]
    assert b"Bob's own words" not in everything and bob.email.encode() not in everything


@pytest.mark.parametrize("path", ["/auth/export", "/auth/delete-account"])
async def test_the_data_routes_refuse_without_a_session_or_from_another_site(
        alice: Account, path: str) -> None:
    async with client() as http:
        no_session = await http.post(path, headers=headers(None), json={})
        foreign = await http.post(path, headers=headers(alice, "https://evil.example"),
                                  json={"password": alice.password})
        no_origin = await http.post(path, headers={"Cookie": headers(alice)["Cookie"]},
                                    json={"password": alice.password})
        form_post = await http.post(path, headers=headers(alice),
                                    content=f"password={alice.password}")
        as_get = await http.get(path, headers=headers(alice))
    assert no_session.status_code == 401 and no_session.json()["next"] == "/signin/"
    assert (foreign.status_code, no_origin.status_code, form_post.status_code,
            as_get.status_code) == (403, 403, 415, 405)
    assert auth.resolve_session(alice.token) is not None


async def test_a_wrong_password_deletes_nothing_and_the_right_one_everything(
        alice: Account, bob: Account) -> None:
    note(alice, "Alice's own words")
    note(bob, "Bob's own words")
    async with client() as http:
        for body in ({"password": "certainly not the password"}, {"password": ""}, {},
                     {"password": ["x"]}, {"password": bob.password},
                     # Another patient's id in any argument changes nothing.
                     {"password": "nope nope nope nope", "user_id": bob.identity.user_id}):
            refused = await http.post("/auth/delete-account", headers=headers(alice), json=body)
            assert refused.status_code == 400, body
            assert "set-cookie" not in refused.headers
        assert auth.resolve_session(alice.token) is not None
        deleted = await http.post("/auth/delete-account", headers=headers(alice),
                                  json={"password": alice.password,
                                        "user_id": bob.identity.user_id})
        assert deleted.status_code == 200 and deleted.json() == {"next": "/goodbye/"}
        assert SESSION_COOKIE in deleted.headers["set-cookie"]
        assert "max-age=0" in deleted.headers["set-cookie"].lower()
        again = await http.post("/auth/export", headers=headers(alice), json={})
    assert again.status_code == 401
    assert auth.resolve_session(alice.token) is None
    assert auth.resolve_session(bob.token) is not None
    bobs = journal.daily_summaries(bob.identity.user_id,
                                   *[journal.first_entry_day(bob.identity.user_id)] * 2)
    assert bobs[0].entry_count == 1
