"""A raw Socket.IO client (not the page) calling protected handlers.

Reflex lets any client call any public handler with any arguments. Without a
valid session cookie, or with another user's id smuggled into the arguments,
nothing may change and nothing private may come back.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.request
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import socketio

from skills_app.core.settings import SESSION_COOKIE
from tests.browser.conftest import BASE_URL, STRONG_PASSWORD, unique_email

pytestmark = pytest.mark.asyncio(loop_scope="session")

ACCOUNT_STATE = "reflex___state____state.skills_app___state___session____session_state" \
                ".skills_app___state___account____account_state"


def http_sign_up(name: str) -> tuple[str, str]:
    """Create a patient through the real auth route; returns (email, session token)."""
    email = unique_email(name)
    body = json.dumps({"display_name": name, "email": email, "password": STRONG_PASSWORD,
                       "role": "patient", "time_zone": "America/Chicago"}).encode()
    request = urllib.request.Request(f"{BASE_URL}/auth/signup", data=body, method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Origin": BASE_URL})
    with urllib.request.urlopen(request) as response:  # noqa: S310 (local test server)
        cookie = SimpleCookie(response.headers["set-cookie"])
    return email, cookie[SESSION_COOKIE].value


def users(app_data: Path) -> dict[str, tuple]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        rows = connection.execute("SELECT id, email, display_name, time_zone FROM user_account")
        return {email: (user_id, name, zone) for user_id, email, name, zone in rows}


async def call_handler(handler: str, payload: dict, cookie: str | None) -> list[str]:
    """Fire one AccountState event like a browser would and return every frame sent back."""
    return await call_event(f"{ACCOUNT_STATE}.{handler}", payload, cookie, path="/account/")


async def test_without_a_session_a_protected_handler_changes_nothing(
        app_server: str, app_data: Path) -> None:
    victim_email, _ = http_sign_up("Victim")
    victim_id = users(app_data)[victim_email][0]
    before = users(app_data)
    frames = await call_handler(
        "save_profile",
        {"form_data": {"display_name": "Hacked", "time_zone": "UTC", "user_id": victim_id}},
        cookie=None)
    load_frames = await call_handler("load_account", {}, cookie=None)
    assert users(app_data) == before
    everything = "".join(frames + load_frames)
    assert victim_email not in everything and "Victim" not in everything
    assert "/signin/" in everything  # told to sign in, nothing else


async def test_another_users_id_in_the_arguments_is_ignored(
        app_server: str, app_data: Path) -> None:
    alice_email, alice_token = http_sign_up("Alice")
    bob_email, _ = http_sign_up("Bob")
    bob_id = users(app_data)[bob_email][0]
    frames = await call_handler(
        "save_profile",
        {"form_data": {"display_name": "Mallory", "time_zone": "UTC", "user_id": bob_id,
                       "email": bob_email}},
        cookie=alice_token)
    after = users(app_data)
    assert after[bob_email][1:] == ("Bob", "America/Chicago")
    assert after[alice_email][1:] == ("Mallory", "UTC")
    everything = "".join(frames)
    assert bob_email not in everything and '"Bob"' not in everything
    assert alice_token not in everything  # the session token never travels in a frame


async def test_a_forged_cookie_is_no_better_than_none(app_server: str, app_data: Path) -> None:
    before = users(app_data)
    frames = await call_handler(
        "save_profile", {"form_data": {"display_name": "Forged", "time_zone": "UTC"}},
        cookie="A" * 43)
    assert users(app_data) == before
    assert "/signin/" in "".join(frames)


EDITOR_STATE = ("reflex___state____state.skills_app___state___session____session_state"
                ".skills_app___state___journal____drafts_state"
                ".skills_app___state___journal____entry_editor_state")


HYDRATE = "reflex___state____state.hydrate"


async def call_event(name: str, payload: dict, cookie: str | None,
                     path: str = "/journal/new/") -> list[str]:
    """Connect (optionally with a session cookie), fire one event, and return every
    frame the server sent back for it, as raw JSON text.

    The server handles one tab's events in order, so the event is finished when
    the answer to a later probe (a hydrate, whose snapshot is recognisable) comes
    back: no fixed sleep.
    """
    received: list[str] = []
    probe_answered = asyncio.Event()
    client = socketio.AsyncClient(reconnection=False)

    @client.on("event", namespace="/_event")
    async def _on_event(data: object) -> None:
        text = json.dumps(data)
        if '"is_hydrated_rx_state_": false' in text:
            probe_answered.set()
        elif not probe_answered.is_set():
            received.append(text)

    @client.on("disconnect", namespace="/_event")
    async def _on_disconnect(*_: object) -> None:
        probe_answered.set()  # e.g. a frame over the size limit closes the connection

    headers = {"Origin": BASE_URL}
    if cookie:
        headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
    router_data = {"pathname": path, "asPath": path, "query": {}}
    await client.connect(f"{BASE_URL}?token={uuid.uuid4()}", headers=headers,
                         socketio_path="/_event", namespaces=["/_event"],
                         transports=["websocket"])
    try:
        await client.emit("event", {"name": name, "payload": payload,
                                    "router_data": router_data}, namespace="/_event")
        await client.emit("event", {"name": HYDRATE, "payload": {},
                                    "router_data": router_data}, namespace="/_event")
        await asyncio.wait_for(probe_answered.wait(), timeout=30)
    finally:
        if client.connected:
            await client.disconnect()
    return received


def journal_rows(app_data: Path) -> list[tuple]:
    with sqlite3.connect(app_data / "browser.db") as connection:
        return connection.execute("SELECT id, user_id, note FROM journal_entry").fetchall()


async def test_journal_handlers_refuse_raw_calls_without_a_session(
        app_server: str, app_data: Path) -> None:
    before = journal_rows(app_data)
    frames = await call_event(f"{EDITOR_STATE}.save_diary", {"form_data": {
        "idempotency_key": str(uuid.uuid4()), "note": "forged", "user_id": 1}}, cookie=None)
    assert journal_rows(app_data) == before
    assert "/signin/" in "".join(frames)


async def test_a_1_1_mb_note_is_dropped_without_harm(app_server: str, app_data: Path) -> None:
    _, token = http_sign_up("Big")
    before = journal_rows(app_data)
    await call_event(f"{EDITOR_STATE}.save_diary", {"form_data": {
        "idempotency_key": str(uuid.uuid4()), "note": "x" * 1_100_000}}, cookie=token)
    assert journal_rows(app_data) == before
    # The server is still there for the next, normal save.
    key = str(uuid.uuid4())
    frames = await call_event(f"{EDITOR_STATE}.save_diary", {"form_data": {
        "idempotency_key": key, "note": "small and fine"}}, cookie=token)
    assert [row[2] for row in journal_rows(app_data)][-1] == "small and fine"
    assert f'"saved_key_rx_state_": "{key}"' in "".join(frames)
