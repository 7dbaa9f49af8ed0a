"""Connect codes, consent, grants, and the one check every therapist read goes through."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from skills_app.core import audit, db, programs, sharing
from skills_app.core.clock import frozen_clock, utcnow
from skills_app.core.models import AuditEvent, ConnectCode, ShareGrant
from tests.conftest import Account, make_account, make_program
from tests.sharing_helpers import share

CLINICAL_ELEMENTS = [
    "My name: Alice",  # the patient's name
    "Who shares it: the Skills Practice app, on my behalf",  # who discloses
    "substance-use information",  # specific description naming substance use
    "Who gets it: Carol, a therapist at",  # the recipient
    "Why: so Carol can help me in my treatment",  # the purpose
    "I can change what I share or stop sharing at any time",  # right to revoke
    "under More, then Sharing",  # and how
    "This consent ends on",  # expiry
    "Signed by typing my name, on",  # signature and date
    "My treatment does not depend on signing this",  # treatment not conditioned
    "prohibit you from making any further disclosure",  # redisclosure notice
]


def allowed(therapist: Account, patient: Account) -> frozenset[str]:
    return sharing.allowed_categories(therapist.identity.user_id, patient.identity.user_id,
                                      utcnow())


def test_the_consent_holds_every_part_2_element(alice: Account, carol: Account) -> None:
    membership = programs.membership_of(carol.identity.user_id)
    draft = sharing.draft_consent(alice.identity.user_id, carol.identity.user_id,
                                  membership.program_id, ("mood", "substance_use"))
    for element in CLINICAL_ELEMENTS:
        assert element in draft.text, element
    without = sharing.draft_consent(alice.identity.user_id, carol.identity.user_id,
                                    membership.program_id, ("mood",))
    assert "Substance-use information (urges, cravings and use) is NOT shared" in without.text


def test_a_signed_grant_keeps_version_hash_signature_and_a_year(alice: Account,
                                                                carol: Account) -> None:
    grant_id = share(alice, carol, ("mood", "exercises"))
    with db.read() as session:
        grant = session.get(ShareGrant, grant_id)
    assert grant.consent_version == sharing.CONSENT_VERSION
    assert len(grant.consent_sha256) == 64 and grant.signature == "Alice"
    assert grant.categories == ["mood", "exercises"]
    assert timedelta(days=364) < grant.expires_at - grant.signed_at <= timedelta(days=365)
    assert allowed(carol, alice) == {"mood", "exercises"}


def test_nothing_is_allowed_without_a_grant_and_journal_notes_default_off(
        alice: Account, carol: Account) -> None:
    assert allowed(carol, alice) == frozenset()
    assert [c.key for c in sharing.CATEGORIES if not c.default_on] == ["notes"]


def test_revoking_and_changing_take_effect_at_once(alice: Account, carol: Account) -> None:
    grant_id = share(alice, carol, ("mood", "substance_use"))
    membership = programs.membership_of(carol.identity.user_id)
    draft = sharing.draft_consent(alice.identity.user_id, carol.identity.user_id,
                                  membership.program_id, ("exercises",))
    changed = sharing.change_grant(alice.identity.user_id, grant_id, ["exercises"], "alice",
                                   draft.sha256)
    assert changed.ok, changed.errors
    assert allowed(carol, alice) == {"exercises"}
    assert sharing.revoke(alice.identity.user_id, grant_id) == sharing.GRANT_NOT_FOUND
    assert sharing.revoke(alice.identity.user_id, changed.grant_id) == ""
    assert allowed(carol, alice) == frozenset()


def test_grants_expire(alice: Account, carol: Account) -> None:
    with frozen_clock() as clock:
        share(alice, carol, ("mood",))
        clock.advance(days=365, seconds=1)
        assert allowed(carol, alice) == frozenset()
        assert sharing.grants_of_patient(alice.identity.user_id) == []


def test_a_deactivated_therapist_is_allowed_nothing(database: str) -> None:
    program_id = make_program()
    lee = make_account("carol", "therapist", program_id=program_id, program_role="admin")
    dave = make_account("dave", "therapist", program_id=program_id)
    alice = make_account("alice", "patient")
    share(alice, dave, ("mood",))
    programs.set_therapist_active(lee.identity.user_id, dave.identity.user_id, False)
    assert allowed(dave, alice) == frozenset()
    assert sharing.caseload(dave.identity.user_id) == []
    assert sharing.new_connect_code(dave.identity.user_id) == (None, None)


def test_another_programs_admin_sees_nothing(alice: Account, carol: Account) -> None:
    share(alice, carol, ("mood",))
    other_admin = make_account("erin", "therapist", program_role="admin")
    assert allowed(other_admin, alice) == frozenset()
    access = sharing.therapist_reads(other_admin.identity.user_id, alice.identity.user_id,
                                     "detail")
    assert not access.allowed and access.reason == "no_grant"


@pytest.mark.parametrize("raw", ["", "A", "ABCDEF", "X" * 10_000, None, 12345678, ["ABCD2345"],
                                 "ABCD-234O", "<script>1</script>"])
def test_badly_shaped_codes_are_refused_kindly(alice: Account, raw: object) -> None:
    owner, problem = sharing.look_up_code(alice.identity.user_id, raw)
    assert owner is None and problem == sharing.CODE_SHAPE


def test_codes_are_single_use_expire_and_are_stored_hashed(alice: Account, bob: Account,
                                                           carol: Account) -> None:
    with frozen_clock() as clock:
        code, _ = sharing.new_connect_code(carol.identity.user_id)
        with db.read() as session:
            assert code not in session.exec(select(ConnectCode.code_hash)).one()
        clock.advance(hours=24, seconds=1)
        assert sharing.look_up_code(alice.identity.user_id, code) == (None,
                                                                      sharing.CODE_REFUSED)
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    owner, _ = sharing.look_up_code(alice.identity.user_id, code.lower())
    draft = sharing.draft_consent(alice.identity.user_id, owner.therapist_user_id,
                                  owner.program_id, ("mood",))
    assert sharing.sign_with_code(alice.identity.user_id, sharing.show_code(code), ["mood"],
                                  "Alice", draft.sha256).ok
    reused = sharing.sign_with_code(bob.identity.user_id, code, ["mood"], "Bob", draft.sha256)
    assert reused.errors == {"code": sharing.CODE_REFUSED}
    assert allowed(carol, bob) == frozenset()


def test_wrong_codes_are_limited_per_patient(alice: Account, carol: Account) -> None:
    for _ in range(sharing.CODE_TRIES_PER_WINDOW):
        assert sharing.look_up_code(alice.identity.user_id, "ABCD-2345")[1] == \
            sharing.CODE_REFUSED
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    assert sharing.look_up_code(alice.identity.user_id, code) == (None, sharing.CODE_TOO_MANY)


@pytest.mark.parametrize(("categories", "signature", "field", "message"), [
    ([], "Alice", "categories", sharing.NO_CATEGORIES),
    (["mood", "bank_account"], "Alice", "categories", sharing.UNKNOWN_CATEGORY),
    ("mood", "Alice", "categories", sharing.UNKNOWN_CATEGORY),
    ([["mood"]], "Alice", "categories", sharing.UNKNOWN_CATEGORY),
    (["mood"], "", "signature", sharing.SIGN_NAME),
    (["mood"], "   ", "signature", sharing.SIGN_NAME),
    (["mood"], None, "signature", sharing.SIGN_NAME),
    (["mood"], "<b>Alice</b>", "signature", "Please type your name as it is on your account"),
    (["mood"], "Bob", "signature", "Please type your name as it is on your account"),
    (["mood"], "A" * 10_000, "signature", "too long"),
])
def test_bad_consents_are_refused_and_nothing_is_half_saved(
        alice: Account, carol: Account, categories: object, signature: object, field: str,
        message: str) -> None:
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    owner, _ = sharing.look_up_code(alice.identity.user_id, code)
    draft = sharing.draft_consent(alice.identity.user_id, owner.therapist_user_id,
                                  owner.program_id, ("mood",))
    result = sharing.sign_with_code(alice.identity.user_id, code, categories, signature,
                                    draft.sha256)
    assert message in result.errors[field]
    with db.read() as session:
        assert session.exec(select(ShareGrant)).all() == []
        assert session.exec(select(ConnectCode.used_at)).one() is None  # still usable


def test_a_consent_hash_that_does_not_match_the_signed_text_is_refused(
        alice: Account, carol: Account) -> None:
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    result = sharing.sign_with_code(alice.identity.user_id, code, ["mood", "substance_use"],
                                    "Alice", "0" * 64)
    assert result.errors == {"form": sharing.CONSENT_CHANGED}


@pytest.mark.parametrize("forged", ["1", None, True, -1, 10**20, [1], 1.5])
def test_forged_grant_ids_change_nothing(alice: Account, bob: Account, carol: Account,
                                         forged: object) -> None:
    share(bob, carol, ("mood",))
    assert sharing.revoke(alice.identity.user_id, forged) == sharing.GRANT_NOT_FOUND
    assert allowed(carol, bob) == {"mood"}


def test_a_patient_cannot_revoke_or_change_anothers_grant(alice: Account, bob: Account,
                                                          carol: Account) -> None:
    bobs = share(bob, carol, ("mood",))
    assert sharing.revoke(alice.identity.user_id, bobs) == sharing.GRANT_NOT_FOUND
    changed = sharing.change_grant(alice.identity.user_id, bobs, ["notes"], "Alice", "x")
    assert changed.errors == {"form": sharing.GRANT_NOT_FOUND}
    assert allowed(carol, bob) == {"mood"}


def test_every_read_is_audited_allowed_or_denied(alice: Account, carol: Account) -> None:
    assert not sharing.therapist_reads(carol.identity.user_id, alice.identity.user_id,
                                       "detail").allowed
    share(alice, carol, ("mood",))
    assert not sharing.therapist_reads(carol.identity.user_id, alice.identity.user_id,
                                       "diary_review",
                                       needs=frozenset({"substance_use"})).allowed
    access = sharing.therapist_reads(carol.identity.user_id, str(alice.identity.user_id),
                                     "detail", needs=frozenset({"mood", "notes"}))
    assert access.allowed and access.categories == {"mood"}
    events = audit.events_for(alice.identity.user_id)
    assert [(e.action, e.allowed, e.reason, e.categories) for e in reversed(events)] == [
        ("detail", False, "no_grant", []),
        ("diary_review", False, "category", []),
        ("detail", True, "", ["mood"]),
    ]
    lines = audit.patient_log(alice.identity.user_id)
    assert lines[0].who == "Carol" and lines[0].what == "opened your progress"
    assert "was stopped" in lines[-1].what


def test_the_audit_log_is_append_only(alice: Account, carol: Account) -> None:
    sharing.therapist_reads(carol.identity.user_id, alice.identity.user_id, "detail")
    with pytest.raises(DatabaseError), db.transaction() as session:
        session.execute(text("UPDATE audit_event SET allowed = 1"))
    with db.read() as session:
        assert session.exec(select(AuditEvent.allowed)).all() == [False]


@pytest.mark.parametrize("forged", ["abc", None, 0, -3, 10**20, True, 99999])
def test_a_forged_patient_id_is_refused_and_logged(carol: Account, forged: object) -> None:
    access = sharing.therapist_reads(carol.identity.user_id, forged, "detail")
    assert not access.allowed and access.categories == frozenset()
    with db.read() as session:
        event = session.exec(select(AuditEvent)).one()
    assert (event.allowed, event.reason, event.patient_id) == (False, "unknown_patient", None)
