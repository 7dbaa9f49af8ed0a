"""The server log never holds what people typed or sent: passwords, journal text,
or the arguments of a forged websocket call."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from skills_app.state.account import AccountState
from skills_app.state.journal import CheckInState, EntryEditorState, JournalState
from tests.browser.conftest import (
    BASE_URL,
    fill_note,
    fill_triggers,
    sign_up,
    wait_until_signed_in_page_is_ready,
)
from tests.browser.test_raw_websocket import call_event, http_sign_up

pytestmark = pytest.mark.asyncio(loop_scope="session")


def server_log(app_data: Path) -> str:
    return (app_data / "server.log").read_text(errors="replace")


def _post_login(body: dict) -> int:
    request = urllib.request.Request(
        f"{BASE_URL}/auth/login", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Origin": BASE_URL})
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 (local test server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_passwords_never_reach_the_log(app_server: str, app_data: Path) -> None:
    secret = f"a secret passphrase {uuid.uuid4().hex}"
    assert _post_login({"email": f"{uuid.uuid4().hex}@example.org", "password": secret}) == 400
    assert _post_login({"email": ["not", "an", "email"], "password": [secret]}) == 400
    assert secret not in server_log(app_data)


async def test_journal_text_never_reaches_the_log(page: Page, app_data: Path) -> None:
    marker = uuid.uuid4().hex
    await sign_up(page)
    await wait_until_signed_in_page_is_ready(page)
    await page.get_by_label("7, Good").check()
    await page.locator("#checkin-note").fill(f"check-in {marker}")
    await page.get_by_role("button", name="Save check-in").click()
    await expect(page.locator("#checkin-saved")).to_contain_text("Saved at")
    await page.goto("/journal/new/")
    await wait_until_signed_in_page_is_ready(page)
    await fill_triggers(page, f"trigger-{marker[:8]}")
    await fill_note(page, f"note {marker} שלום")
    await page.get_by_role("button", name="Save diary card").click()
    await expect(page.locator("#saved")).to_contain_text("Saved at")
    log = server_log(app_data)
    assert marker not in log and marker[:8] not in log and "שלום" not in log


def _forged_calls(marker: str) -> list[tuple[str, dict, str]]:
    """(handler, arguments, page) with the marker in every argument, in the wrong types
    a browser could send: a 200 kB string where a number or a form is expected, lists,
    nested objects, and arguments the handler does not take."""
    big = marker * (200_000 // len(marker))
    journal, editor, checkin = (JournalState.get_full_name(), EntryEditorState.get_full_name(),
                                CheckInState.get_full_name())
    account = AccountState.get_full_name()
    return [
        (f"{journal}.change_week", {"step": big}, "/journal/"),
        (f"{journal}.change_week", {"step": {"nested": marker}, "extra": marker}, "/journal/"),
        (f"{journal}.ask_delete", {"entry_id": [marker, {"x": big}]}, "/journal/"),
        (f"{journal}.search", {"form_data": big}, "/journal/"),
        (f"{journal}.count_down_undo", {"entry_id": big}, "/journal/"),
        (f"{editor}.save_diary", {"form_data": [marker, big]}, "/journal/new/"),
        (f"{editor}.save_diary", {"form_data": {"note": {"x": marker}, "mood": big,
                                                "idempotency_key": marker}}, "/journal/new/"),
        (f"{checkin}.save_checkin", {"form_data": {"mood": marker, "note": big}}, "/today/"),
        (f"{account}.save_profile", {"form_data": big, marker: marker}, "/account/"),
    ]


async def test_a_forged_call_leaves_no_trace_of_its_arguments_in_the_log(
        app_server: str, app_data: Path) -> None:
    marker = f"forged-{uuid.uuid4().hex[:12]}"
    _, token = http_sign_up("Forger")
    for cookie in (token, None):
        for handler, arguments, path in _forged_calls(marker):
            await call_event(handler, arguments, cookie, path=path)
    assert marker not in server_log(app_data)
