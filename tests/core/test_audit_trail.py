"""Issue 23 item 1: an audit trail no one can push out of view.

Refusals are logged against the caller and reach a patient's trail only from a
related caller (`audit.related`); the trail pages by keyset, a fixed number of
rows per query, disclosures first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from skills_app.core import audit, db, programs, sharing
from skills_app.core.clock import FrozenClock, frozen_clock, utcnow
from skills_app.core.models import AuditEvent
from tests.conftest import Account, make_account, make_program
from tests.sharing_helpers import share


@pytest.fixture(autouse=True)
def clock() -> Iterator[FrozenClock]:
    # One minute of the security log's window, however long the flood takes.
    with frozen_clock(datetime(2026, 12, 1, 15, 0, tzinfo=UTC)) as frozen:
        yield frozen


def test_a_flood_of_unrelated_refusals_hides_no_disclosure(alice: Account,
                                                           carol: Account) -> None:
    share(alice, carol, ("mood",))
    patient = alice.identity.user_id
    for _ in range(6):
        assert sharing.therapist_reads(carol.identity.user_id, patient, "report_pdf",
                                       report_id="r").allowed
    stranger = make_account("erin", "therapist", program_id=make_program("Elsewhere"))
    other_patient = make_account("bob", "patient")
    for n in range(10_000):
        caller = (None, stranger.identity.user_id, other_patient.identity.user_id)[n % 3]
        sharing.record_refusal(caller, patient, "report_csv", "not_signed_in",
                               address=f"203.0.113.{n % 7}")
    first = audit.trail_page(patient, disclosures=True)
    assert [(line.who, line.action) for line in first.lines] == [("Carol", "report_pdf")] * 6
    assert all(line.allowed for line in audit.events_for(patient))
    # Stored against the callers, within the limit; the rest only counted.
    with db.read() as session:
        stored = session.exec(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.allowed.is_(False))).one()
    # Keys: nobody from 7 addresses, the stranger, the other patient.
    assert stored == audit.SECURITY_ROWS_PER_MINUTE * 9
    assert sum(audit.security_counts().values()) == 10_000 - stored


def test_who_is_related(alice: Account, bob: Account, carol: Account) -> None:
    a, b, c = alice.identity.user_id, bob.identity.user_id, carol.identity.user_id
    outsider = make_account("erin", "therapist", program_id=make_program("Elsewhere"))
    with db.read() as session:
        assert not audit.related(session, None, a)  # nobody signed in
        assert not audit.related(session, c, None)
        assert audit.related(session, a, a)  # the patient themselves
        assert not audit.related(session, c, a)  # no grant, no shared program
    grant = share(alice, carol, ("mood",))
    assert sharing.revoke(a, grant) is None
    with db.read() as session:
        assert audit.related(session, c, a)  # a past grant counts
        assert not audit.related(session, b, a)  # another patient
        assert not audit.related(session, outsider.identity.user_id, a)
    # Carol's program, where alice's grant was: a colleague of Carol's is related.
    colleague = make_account("gina", "therapist",
                             program_id=programs.membership_of(c).program_id)
    with db.read() as session:
        assert audit.related(session, colleague.identity.user_id, a)


def test_refusals_go_on_the_trail_only_from_related_callers(alice: Account,
                                                           carol: Account) -> None:
    a = alice.identity.user_id
    sharing.record_refusal(None, a, "report_pdf", "not_signed_in", address="198.51.100.1")
    assert not sharing.therapist_reads(carol.identity.user_id, a, "detail").allowed
    assert audit.events_for(a) == []
    assert sharing.revoke(a, share(alice, carol, ("mood",))) is None
    assert not sharing.therapist_reads(carol.identity.user_id, a, "detail").allowed
    assert [(e.actor_name, e.reason) for e in audit.events_for(a)] == [("Carol", "no_grant")]


def test_the_security_log_is_limited_per_caller_per_minute(alice: Account) -> None:
    for _ in range(audit.SECURITY_ROWS_PER_MINUTE + 5):
        sharing.record_refusal(None, alice.identity.user_id, "report_csv", "not_signed_in",
                               address="192.0.2.9")
    sharing.record_refusal(None, alice.identity.user_id, "report_csv", "not_signed_in",
                           address="192.0.2.10")
    with db.read() as session:
        rows = session.exec(select(func.count()).select_from(AuditEvent)).one()
    assert rows == audit.SECURITY_ROWS_PER_MINUTE + 1
    assert audit.security_counts() == {"address:192.0.2.9": 5}


def test_the_trail_pages_back_through_everything_one_query_a_page(
        alice: Account, carol: Account, statements: list[str]) -> None:
    share(alice, carol, ("mood",))
    patient, start = alice.identity.user_id, utcnow()
    total = audit.PAGE_ROWS * 3 + 7
    with db.transaction() as session:
        for n in range(total):
            audit.record(session, actor_id=carol.identity.user_id, patient_id=patient,
                         action="detail", allowed=True,
                         at=start - timedelta(seconds=n // 2))  # ties on `at` too
    seen, before, queries = [], None, []
    while True:
        statements.clear()
        page = audit.trail_page(patient, disclosures=False, before=before)
        queries.append(sum(1 for s in statements if s.lstrip().upper().startswith("SELECT")))
        assert len(page.lines) <= audit.PAGE_ROWS
        seen.extend(line.row_id for line in page.lines)
        if page.next_before is None:
            break
        before = page.next_before
    assert queries == [1] * len(queries) and len(queries) == 4
    assert len(seen) == len(set(seen))
    everything = [e.id for e in audit.events_for(patient) if e.action == "detail"]
    assert seen == everything


def test_the_log_groups_by_person_and_day(alice: Account, carol: Account) -> None:
    from skills_app.text import language
    from skills_app.views import sharing as sharing_views

    share(alice, carol, ("mood",))
    patient = alice.identity.user_id
    for _ in range(3):
        sharing.therapist_reads(carol.identity.user_id, patient, "detail")
    sharing.therapist_reads(carol.identity.user_id, patient, "report_pdf", report_id="r")
    disclosures = audit.trail_page(patient, disclosures=True).lines
    views = audit.trail_page(patient, disclosures=False).lines
    assert [line.action for line in disclosures] == ["report_pdf"]
    with language("en"):
        both = sharing_views.log_groups(views + disclosures, "America/Chicago")
        shown = sharing_views.log_groups(disclosures, "America/Chicago")
    # Tuesday 1 December 2026, 9:00 in Chicago.
    assert [row["text"] for row in both] == [
        "Carol opened your progress 3 times; downloaded a session summary (PDF) once "
        "on Tue, Dec 1 (Mood check-ins and emotions)."]
    assert shown[0]["text"] == ("Carol downloaded a session summary (PDF) once on Tue, Dec 1 "
                                "(Mood check-ins and emotions).")
    with language("es"):
        spanish = sharing_views.log_groups(views + disclosures, "America/Chicago")
    assert spanish[0]["text"] != both[0]["text"] and "3" in spanish[0]["text"]


def test_an_actor_name_copied_in_with_hidden_characters_reads_without_them(
        alice: Account, carol: Account) -> None:
    """The trail is append-only, so a therapist's name copied into it before names were
    checked (migration 0015 cleans the account, not the trail) is cleaned where read."""
    from sqlalchemy import text

    share(alice, carol, ("mood",))
    with db.transaction() as session:
        session.execute(text("UPDATE user_account SET display_name = :n WHERE id = :i"),
                        {"n": "Car\u202eol\u200b", "i": carol.identity.user_id})
    assert sharing.therapist_reads(carol.identity.user_id, alice.identity.user_id,
                                   "report_pdf", report_id="r").allowed
    first = audit.trail_page(alice.identity.user_id, disclosures=True)
    assert [line.who for line in first.lines] == ["Carol"]
