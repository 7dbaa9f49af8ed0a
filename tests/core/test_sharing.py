"""Connect codes, consent, grants, and the one check every therapist read goes through."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from skills_app.core import audit, db, programs, sharing
from skills_app.core.clock import frozen_clock, utcnow
from skills_app.core.diary import DIARY_CARD
from skills_app.core.models import AuditEvent, ConnectCode, JournalEntry, ShareGrant
from skills_app.core.problems import Problem
from skills_app.text import language as text_language
from skills_app.text.problems import say
from skills_app.views import sharing as sharing_views
from tests.conftest import Account, make_account, make_program, migration_config
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
    assert "Substance-use information (the urge to use, cravings and use) is NOT shared" \
        in without.text
    assert "Safety information (urges to end my life, to hurt myself or to quit therapy) is " \
        "NOT shared" in without.text
    both = sharing.draft_consent(alice.identity.user_id, carol.identity.user_id,
                                 membership.program_id, ("safety", "substance_use", "homework"))
    assert "- Safety: your urges to end your life" in both.text
    assert "- Substance use: your urge to use" in both.text
    assert "NOT shared" not in both.text.split("Any record shared")[0]
    assert sharing.CONSENT_VERSION in both.text and both.sha256 != draft.sha256


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


def test_nothing_is_allowed_without_a_grant_and_safety_is_asked_first(
        alice: Account, carol: Account) -> None:
    assert allowed(carol, alice) == frozenset()
    assert sharing.CATEGORY_KEYS[0] == "safety"
    assert "when things get dangerous" in sharing.CATEGORIES[0].why
    assert [c.key for c in sharing.CATEGORIES if c.substance_use] == ["substance_use"]


def test_every_diary_item_and_journal_list_has_a_category() -> None:
    """No silent never-shared part of the diary card: each group, item and own item
    names a category, and the journal's list columns do too."""
    keys = set(sharing.CATEGORY_KEYS)
    for group in DIARY_CARD.groups:
        assert group.key in sharing.DIARY_GROUP_CATEGORY, group.key
        if group.own_items:
            assert sharing.diary_item_category(group.key) in keys, group.key
    for item in DIARY_CARD.items:
        assert sharing.diary_item_category(item.group, item.key) in keys, item.key
    columns = set(JournalEntry.__table__.c.keys())
    assert set(sharing.JOURNAL_LIST_CATEGORY) <= columns
    assert set(sharing.JOURNAL_LIST_CATEGORY.values()) <= keys
    assert {"custom_emotions", "custom_urges", "risk_flag", "skills"} <= set(
        sharing.JOURNAL_LIST_CATEGORY)


def test_a_category_missing_from_the_declaration_is_caught(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(sharing.DIARY_GROUP_CATEGORY, "urges", {"urge_suicide": "safety"})
    assert sharing.diary_item_category("urges", "urge_self_harm") is None
    with pytest.raises(AssertionError):
        test_every_diary_item_and_journal_list_has_a_category()


def test_safety_and_substance_use_split_the_urges() -> None:
    safety = sharing.visible_fields(sharing.shared_parts(["safety"], sharing.CONSENT_VERSION))
    use = sharing.visible_fields(sharing.shared_parts(["substance_use"],
                                                      sharing.CONSENT_VERSION))
    assert {"diary.urge_suicide", "diary.acted_suicide", "diary.urge_self_harm",
            "diary.acted_self_harm", "diary.urge_quit_therapy", "diary.acted_quit_therapy",
            "journal.risk_flag",
            "measures.phq9_item9", "plans.safety_plan_exists"} == safety
    assert {"diary.urge_substance_use", "diary.acted_substance_use", "diary.craving",
            "diary.substance_what", "diary.substance_amount", "journal.custom_urges"} <= use
    assert not safety & use
    assert "plans.safety_plan" not in safety  # the plan's words need their own box


def test_a_grant_keeps_the_meaning_of_the_version_it_was_signed_under() -> None:
    new = sharing.shared_parts(["safety"], sharing.CONSENT_VERSION)
    old = sharing.shared_parts(["safety"], sharing.CONSENT_VERSION_BEFORE_SAFETY)
    assert new == {"safety", sharing.ITEM9, sharing.PLAN_EXISTS}
    assert old == {"safety"}
    assert sharing.shared_parts(["measures"], sharing.CONSENT_VERSION_BEFORE_SAFETY) == {
        "measures", sharing.ITEM9}
    assert sharing.shared_parts(["safety", "bank"], "1999-01.1") == {"safety"}
    assert sharing.shared_parts("safety", sharing.CONSENT_VERSION) == frozenset()


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
    assert sharing.revoke(alice.identity.user_id, changed.grant_id) is None
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
        message: Problem | str) -> None:
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    owner, _ = sharing.look_up_code(alice.identity.user_id, code)
    draft = sharing.draft_consent(alice.identity.user_id, owner.therapist_user_id,
                                  owner.program_id, ("mood",))
    result = sharing.sign_with_code(alice.identity.user_id, code, categories, signature,
                                    draft.sha256)
    if isinstance(message, Problem):
        assert result.errors[field] == message
    else:
        assert message in say(result.errors[field])
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
    # Issue 23: a refusal is on Alice's trail when Carol is related to her (a past grant).
    assert sharing.revoke(alice.identity.user_id, share(alice, carol, ("mood",))) is None
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
    assert (lines[0].who, lines[0].action, lines[0].allowed) == ("Carol", "detail", True)
    assert (lines[-1].allowed, lines[-1].reason) == (False, "no_grant")
    rows = sharing_views.log_rows(lines, "America/Chicago")
    assert rows[0]["text"] == "Carol opened your progress (Mood check-ins and emotions)."
    assert rows[-1]["text"] == ("Carol tried to see your data and was stopped (you are not "
                                "sharing with them).")
    with text_language("es"):
        spanish = sharing_views.log_rows(lines, "America/Chicago")
    assert spanish[0]["text"] == "Carol abrió tu progreso (Ánimo y emociones)."
    assert spanish[-1]["text"] == ("Carol intentó ver tus datos y no se le permitió (no "
                                   "compartes con esa persona).")


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


# --- migration 0010: the old urges category split in two ------------------------------

# What each category showed before Safety was its own (the declaration of 0009's
# code, copied here so the test does not read the code it checks).
_OLD_GROUP = {"mood": "mood", "emotions": "mood", "sleep": "mood", "medication": "mood",
              "urges": "substance_use", "use": "substance_use"}
_OLD_LIST = {"custom_emotions": "mood", "custom_urges": "substance_use",
             "risk_flag": "substance_use", "skills": "exercises"}
_OLD_OTHER = {"notes": {"journal.note", "journal.triggers"},
              "exercises": {"practice.sessions"}, "mindfulness": {"mindfulness.minutes"},
              "measures": {"measures.results", "measures.phq9_item9"},
              "safety_plan": {"plans.safety_plan", "plans.safety_plan_exists"}}
_OLD_KEYS = ("mood", "substance_use", "exercises", "mindfulness", "measures", "safety_plan",
             "notes")


def _old_fields(categories: list[str]) -> frozenset[str]:
    fields: set[str] = set()
    for item in DIARY_CARD.items:
        if _OLD_GROUP[item.group] in categories:
            fields.add(f"diary.{item.key}")
            if item.acted_on:
                fields.add(f"diary.{item.acted_key}")
    fields |= {f"journal.{name}" for name, key in _OLD_LIST.items() if key in categories}
    for key in categories:
        fields |= _OLD_OTHER.get(key, set())
    return frozenset(fields)


def _every_old_choice() -> list[list[str]]:
    return [[key for bit, key in enumerate(_OLD_KEYS) if mask >> bit & 1]
            for mask in range(1, 2 ** len(_OLD_KEYS))]


@pytest.mark.parametrize("database_fixture", ["database", "postgres_database"])
def test_the_migration_keeps_what_every_old_grant_showed(
        request: pytest.FixtureRequest, database_fixture: str) -> None:
    """Every one of the 127 choices an old consent allowed shows each therapist exactly
    the fields it showed before, and a live grant does too, through the one check."""
    from alembic import command

    url = request.getfixturevalue(database_fixture)
    alice = make_account("alice", "patient")
    carol = make_account("carol", "therapist")
    live = share(alice, carol, ("mood",))
    config = migration_config(url)
    choices = _every_old_choice()
    with db.get_engine().connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
        template = connection.execute(text(
            "SELECT patient_id, therapist_id, program_id, consent_sha256, signature, "
            "signed_at, expires_at FROM share_grant WHERE id = :id"), {"id": live}).one()
        connection.execute(text(
            "UPDATE share_grant SET categories = :c, consent_version = :v WHERE id = :id"),
            {"c": '["mood", "substance_use", "measures"]', "v": "2026-11.1", "id": live})
        ids = {}
        for choice in choices:
            ids[tuple(choice)] = connection.execute(text(
                "INSERT INTO share_grant (patient_id, therapist_id, program_id, categories, "
                "consent_version, consent_sha256, signature, signed_at, expires_at, "
                "revoked_at) VALUES (:p, :t, :g, :c, '2026-11.1', :h, :s, :a, :e, :a) "
                "RETURNING id"),
                {"p": template[0], "t": template[1], "g": template[2],
                 "c": json.dumps(choice), "h": template[3], "s": template[4],
                 "a": template[5], "e": template[6]}).scalar_one()
        command.upgrade(config, "head")
        connection.commit()
    with db.read() as session:
        stored = {grant.id: grant for grant in session.exec(select(ShareGrant)).all()}
    for choice, grant_id in ids.items():
        grant = stored[grant_id]
        after = sharing.visible_fields(sharing.shared_parts(grant.categories,
                                                            grant.consent_version))
        assert after == _old_fields(list(choice)), choice
        assert ("safety" in grant.categories) == ("substance_use" in choice)
        assert grant.consent_version == "2026-11.1"
    seen = sharing.visible_fields(allowed(carol, alice))
    assert seen == _old_fields(["mood", "substance_use", "measures"])
    assert stored[live].categories == ["safety", "mood", "substance_use", "measures"]
    # The patient's list says this sharing was signed under the earlier consent.
    row, = sharing.grants_of_patient(alice.identity.user_id)
    assert row.before_safety
    assert sharing_views.grant_rows([row])[0]["earlier"] == sharing_views.EARLIER_CONSENT


def test_a_grant_signed_after_the_split_shows_safety_without_substance_use(
        alice: Account, carol: Account) -> None:
    share(alice, carol, ("safety", "mood"))
    row, = sharing.grants_of_patient(alice.identity.user_id)
    assert not row.before_safety and sharing_views.grant_rows([row])[0]["earlier"] == ""
    seen = sharing.visible_fields(allowed(carol, alice))
    assert "diary.acted_self_harm" in seen and "measures.phq9_item9" in seen
    assert not {"diary.urge_substance_use", "diary.craving", "diary.substance_what",
                "journal.custom_urges", "measures.results", "plans.safety_plan"} & seen


# Each language's consent, for one fixed set of choices, pinned by its SHA-256; a
# change to any language's words fails here until its version in CONSENT_VERSIONS
# changes too. 2026-12.2 added Homework (issue 20): the text for these choices now
# also says that homework is not shared on its own.
PINNED_CONSENTS = {
    ("en", "2026-12.2"): "fc80db1fa202f5565bc14776efe10fd7364102e71184c6674c32cc7194ee0419",
    ("es", "2026-12.2-es"): "5c62da3dd7d68792ff24d5ced598ecea2f07d2bf3616985489a96f2d2ef3be54",
}


@pytest.mark.parametrize(("language", "version"), list(PINNED_CONSENTS))
def test_each_consent_text_is_pinned_to_its_version(language: str, version: str) -> None:
    assert sharing.consent_version(language) == version
    wording = sharing.consent_text(
        patient_name="Sam", therapist_name="Lee", program_name="Riverside IOP",
        categories=("safety", "mood", "substance_use"), signed_on=date(2026, 12, 6),
        expires_on=date(2027, 12, 6), language=language)
    assert hashlib.sha256(wording.encode()).hexdigest() == PINNED_CONSENTS[(language, version)]
    assert f"({'versión' if language == 'es' else 'version'} {version})" in wording
    assert sharing.REDISCLOSURE_NOTICE in wording  # the law's own words, in every language
    assert set(PINNED_CONSENTS) == set(sharing.CONSENT_VERSIONS.items())


def test_the_spanish_consent_holds_every_part_2_element() -> None:
    wording = sharing.consent_text(
        patient_name="Sam", therapist_name="Lee", program_name="Riverside IOP",
        categories=("mood",), signed_on=date(2026, 12, 6), expires_on=date(2027, 12, 6),
        language="es")
    for element in ("Mi nombre: Sam", "Quién los comparte: la app Skills Practice",
                    "Quién los recibe: Lee, terapeuta en Riverside IOP",
                    "Para qué: para que Lee me ayude en mi tratamiento",
                    "- Ánimo y emociones:",
                    "NO se comparte lo de consumo de sustancias",
                    "NO se comparte lo de seguridad",
                    "Puedo cambiar lo que comparto o dejar de compartir cuando quiera",
                    "en Más y luego en Compartir",
                    "Este permiso termina el 2027-12-06",
                    "Mi tratamiento no depende de que firme esto",
                    "Firmado al escribir mi nombre, el 2026-12-06",
                    "988", "911"):
        assert element in wording, element


def test_a_grant_signed_on_the_spanish_consent_records_it(alice: Account,
                                                          carol: Account) -> None:
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    owner, _ = sharing.look_up_code(alice.identity.user_id, code)
    draft = sharing.draft_consent(alice.identity.user_id, owner.therapist_user_id,
                                  owner.program_id, ("safety", "mood"), "es")
    assert draft.language == "es" and draft.text.startswith("Permiso para compartir")
    english = sharing.draft_consent(alice.identity.user_id, owner.therapist_user_id,
                                    owner.program_id, ("safety", "mood"))
    # The English hash does not sign the Spanish text, nor the other way round.
    assert sharing.sign_with_code(alice.identity.user_id, code, ["mood", "safety"], "Alice",
                                  english.sha256, "es").errors == {
        "form": sharing.CONSENT_CHANGED}
    result = sharing.sign_with_code(alice.identity.user_id, code, ["mood", "safety"], "Alice",
                                    draft.sha256, "es")
    assert result.ok, result.errors
    with db.read() as session:
        grant = session.get(ShareGrant, result.grant_id)
    assert (grant.consent_language, grant.consent_version, grant.consent_sha256) == (
        "es", "2026-12.2-es", draft.sha256)
    # Read with the meaning of the English version it translates.
    assert allowed(carol, alice) == {"mood", "safety", sharing.ITEM9, sharing.PLAN_EXISTS}
    # A language without its own consent signs the English one.
    assert sharing.consent_language("fr") == "en"


def test_grants_signed_before_homework_read_as_before() -> None:
    """2026-12.2 only added Homework: a grant of 2026-12.1 (either language) shows
    exactly what it did, its Safety parts included."""
    for version in ("2026-12.1", "2026-12.1-es"):
        assert sharing.shared_parts(["safety", "mood"], version) == sharing.shared_parts(
            ["safety", "mood"], sharing.CONSENT_VERSION)
        assert sharing.shared_parts(["measures"], version) == {"measures", sharing.ITEM9}


def test_the_consent_says_what_homework_shows() -> None:
    def consent(*categories: str) -> str:
        return sharing.consent_text(
            patient_name="Sam", therapist_name="Lee", program_name="Riverside IOP",
            categories=categories, signed_on=date(2026, 12, 6), expires_on=date(2027, 12, 6))

    assert "Homework is NOT shared on its own" in consent("mood")
    shared = consent("mood", "homework")
    assert "- Homework: whether you did what your therapist asked, done or not done" in shared
    assert "stay private unless you share their own kind too" in shared
    assert "Homework is NOT shared" not in shared
