"""The session summary as PDF and CSV over HTTP, parsed back: patient text with
<script>, right-to-left text and emoji is text; a therapist's copy carries the
Part 2 notice and only the shared categories, and is in the audit log."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import update
from starlette.applications import Starlette

from skills_app import report_routes, text
from skills_app.core import audit, db, sharing
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.core.models import User
from skills_app.core.settings import SESSION_COOKIE
from skills_app.text import formats
from tests.conftest import Account
from tests.sharing_helpers import MARKERS, checkup, diary_entry, safety_plan, share

T0 = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)
MONDAY = date(2026, 3, 2)
HOSTILE = "<script>alert('x')</script> שלום עולם 😀 done"
HEBREW = "שלום"
NOTICE_WORDS = "prohibit you from making any further disclosure"


@pytest.fixture(autouse=True)
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(T0) as frozen:
        yield frozen


def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=Starlette(routes=report_routes.routes))
    return httpx.AsyncClient(transport=transport, base_url="http://localhost")


def cookie(account: Account | None) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={account.token}"} if account else {}


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def has_rtl(text: str) -> bool:
    # fpdf2 lays right-to-left runs out in visual order; either order is the text.
    return HEBREW in text or HEBREW[::-1] in text


async def get(account: Account | None, kind: str, query: str) -> httpx.Response:
    async with client() as http:
        return await http.get(f"/reports/session.{kind}?{query}", headers=cookie(account))


@pytest.fixture
def week(alice: Account) -> None:
    diary_entry(alice, MONDAY, urge_suicide=4, acted_self_harm=True, skills=[],
                note=HOSTILE, custom_emotions=[{"name": HOSTILE[:40], "rating": 3}])
    diary_entry(alice, MONDAY - date.resolution * 7, urge_suicide=2)


async def test_the_therapists_pdf_has_the_notice_and_only_shared_parts(
        alice: Account, carol: Account, week: None) -> None:
    share(alice, carol, ("safety", "mood"))
    response = await get(carol, "pdf", f"id={alice.identity.user_id}&week=2026-03-04")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    flat = " ".join(text.split())
    assert "Session summary: Alice" in text and "Week of Mar 2, 2026" in text
    assert "Life-threatening" in text and "⚠ Acted" in text
    assert "Self-harm urge 0, acted on — Mon, Mar 2" in flat
    assert NOTICE_WORDS in flat
    assert "<script>alert('x')</script>" in text and has_rtl(text) and "😀" in text
    # What is not shared is said, never left out.
    assert MARKERS["notes"] not in text and MARKERS["substance_use"] not in text
    for line in ("Substance use: not shared by this patient",
                 "Journal notes: not shared by this patient",
                 "Skills and exercises: not shared by this patient",
                 "Check-ups: not shared by this patient"):
        assert line in flat, line
    assert "Has a safety plan: not yet" in flat  # safety carries whether one exists
    events = audit.events_for(alice.identity.user_id)
    assert (events[0].action, events[0].allowed) == ("report_pdf", True)
    assert events[0].report_id and events[0].report_id in text
    assert set(events[0].categories) == {"safety", "mood"}


async def test_the_report_holds_the_latest_checkups_with_bands_and_the_plan(
        alice: Account, carol: Account, week: None) -> None:
    checkup(alice, item9=1)
    checkup(alice, questionnaire="gad7")
    safety_plan(alice)
    share(alice, carol, ("mood", "measures", "safety_plan"))
    query = f"id={alice.identity.user_id}&week=2026-03-02"
    flat = " ".join(pdf_text((await get(carol, "pdf", query)).content).split())
    assert "PHQ-9: 15 out of 27, Moderately severe, on Mar 6, 2026" in flat
    assert "GAD-7: 7 out of 21, Mild, on Mar 6, 2026" in flat
    assert "Has a safety plan: yes" in flat
    assert "PHQ-9 item 9: thoughts of death or self-harm — Fri, Mar 6" in flat
    rows = list(csv.reader(io.StringIO((await get(carol, "csv", query)).text)))
    assert ["Check-up (latest)", "Total", "Band", "Day", "Item 9"] in rows
    assert ["PHQ-9", "15 out of 27", "Moderately severe", "Mar 6, 2026",
            "Item 9 (thoughts of death or self-harm): above 0"] in rows
    assert ["GAD-7", "7 out of 21", "Mild", "Mar 6, 2026", "0"] in rows
    assert ["Safety plan", "Has a safety plan: yes"] in rows
    assert ["Not shared", "Safety: not shared by this patient"] in rows


async def test_without_measures_or_plan_shared_the_report_says_so(
        alice: Account, carol: Account, week: None) -> None:
    checkup(alice, item9=2)
    safety_plan(alice)
    share(alice, carol, ("mood",))
    rows = list(csv.reader(io.StringIO((await get(
        carol, "csv", f"id={alice.identity.user_id}&week=2026-03-02")).text)))
    assert ["Check-ups", "Check-ups: not shared by this patient"] in rows
    assert ["Safety plan", "Safety plan: not shared by this patient"] in rows
    flat = [cell for row in rows for cell in row]
    assert not any("PHQ-9" in cell or "Moderately severe" in cell for cell in flat)
    assert "No flags" not in flat


async def test_the_csv_parses_back_with_text_as_text(alice: Account, carol: Account,
                                                     week: None) -> None:
    share(alice, carol, ("mood", "notes"))
    response = await get(carol, "csv", f"id={alice.identity.user_id}&week=2026-03-02")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    flat = [cell for row in rows for cell in row]
    assert ["Session summary", "Alice"] in rows
    assert any(HOSTILE in cell for cell in flat)  # the note, exactly as written
    assert any(row[:1] == ["Notice: federal confidentiality rules (42 CFR Part 2)"]
               and NOTICE_WORDS in row[1] for row in rows)
    assert not any("Suicide" in cell for cell in flat)  # urges not shared
    assert rows[-1][0] == "Report id"


async def test_a_formula_in_patient_text_is_not_a_formula(alice: Account,
                                                          carol: Account) -> None:
    diary_entry(alice, MONDAY, note="=HYPERLINK(\"http://evil\")")
    share(alice, carol, ("notes",))
    response = await get(carol, "csv", f"id={alice.identity.user_id}&week=2026-03-02")
    flat = [c for row in csv.reader(io.StringIO(response.text)) for c in row]
    assert "'=HYPERLINK(\"http://evil\")" in flat
    assert not any(cell.startswith("=") for cell in flat)


async def test_a_patients_own_report_has_everything_and_no_notice(alice: Account,
                                                                  week: None) -> None:
    safety_plan(alice)
    response = await get(alice, "pdf", "week=2026-03-02")
    text = pdf_text(response.content)
    assert "Journal notes" in text and has_rtl(text) and NOTICE_WORDS not in text
    assert "not shared" not in text and "Has a safety plan: yes" in text
    # The week has an act (tier 1 for a therapist): the patient's own copy names the
    # flag but never ranks them.
    assert "acted on" in text and "Tier" not in text
    rows = list(csv.reader(io.StringIO((await get(alice, "csv", "week=2026-03-02")).text)))
    assert not any("Tier" in cell or cell == "Risk tier" for row in rows for cell in row)


@pytest.mark.parametrize("who", ["nobody", "bob", "no_grant", "revoked", "other_admin"])
async def test_refused_reports_give_nothing_and_are_logged(
        alice: Account, bob: Account, carol: Account, week: None, who: str) -> None:
    from tests.conftest import make_account

    caller = {"nobody": None, "bob": bob, "no_grant": carol, "revoked": carol,
              "other_admin": None}[who]
    if who == "revoked":
        grant = share(alice, carol, ("mood",))
        assert sharing.revoke(alice.identity.user_id, grant) is None
    if who == "other_admin":
        share(alice, carol, ("mood",))
        caller = make_account("erin", "therapist", program_role="admin")
    before = len(audit.events_for(alice.identity.user_id))
    for kind in ("pdf", "csv"):
        response = await get(caller, kind, f"id={alice.identity.user_id}")
        assert response.status_code == 404
        assert "Alice" not in response.text and HEBREW not in response.text
    events = audit.events_for(alice.identity.user_id)
    # Issue 23: on Alice's trail only when the caller is related to her (Carol after a
    # revoked grant); anyone else's refusal is logged against the caller alone.
    added = 2 if who == "revoked" else 0
    assert len(events) == before + added and not any(e.allowed for e in events[:added])


def _speaks(account: Account, code: str) -> None:
    with db.transaction() as session:
        session.execute(update(User).where(User.id == account.identity.user_id)
                        .values(language=code))


async def test_a_report_is_in_its_readers_account_language(
        alice: Account, carol: Account, week: None) -> None:
    """The report's dates come from `text.formats` in the reader's account language
    (its words are English for now: the therapist side has no Spanish catalogue);
    what the patient typed stays as typed."""
    share(alice, carol, ("safety", "mood", "notes"))
    query = f"id={alice.identity.user_id}&week=2026-03-02"
    english = list(csv.reader(io.StringIO((await get(carol, "csv", query)).text)))
    assert ["Week", "Week of Mar 2, 2026"] in english
    _speaks(carol, "es")
    spanish = list(csv.reader(io.StringIO((await get(carol, "csv", query)).text)))
    with text.language("es"):
        monday, week_of = formats.day(MONDAY), formats.date_with_year(MONDAY)
        # Words the patient side shares are Spanish already; the rest stays English.
        week_row = [text._("Week"), text._("Week of {day}", day=week_of)]
    assert monday != formats.day(MONDAY) and "mar" in week_of
    assert week_row in spanish
    assert [monday, HOSTILE] in spanish  # the note, as typed, on a Spanish day
    assert any(f"— {monday}" in cell for row in spanish for cell in row)
    flat = " ".join(pdf_text((await get(carol, "pdf", query)).content).split())
    assert week_row[1] in flat and f"Self-harm urge 0, acted on — {monday}" in flat
    # A patient's own copy follows their own account language.
    _speaks(alice, "es")
    own = list(csv.reader(io.StringIO((await get(alice, "csv", "week=2026-03-02")).text)))
    assert week_row in own
