"""The patient's sharing handlers called directly, as a raw client could: codes of
every shape, consent without a name or with HTML, categories that do not exist,
forged grant ids; and "Who has seen my data"."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import select

from skills_app.core import db, sharing
from skills_app.core.clock import utcnow
from skills_app.core.models import ShareGrant, User
from skills_app.state.sharing import SharingState, WhoHasSeenState
from skills_app.state.therapist import CaseloadState, PatientDetailState
from skills_app.text import language as text_language
from skills_app.text.problems import say
from tests.conftest import Account
from tests.sharing_helpers import share
from tests.state.conftest import sign_in_target, state_for

PATH = "/sharing/"


async def loaded(account: Account) -> SharingState:
    state = state_for(SharingState, account.token, PATH)
    assert await state.load_sharing() is None
    return state


def grants() -> list[ShareGrant]:
    with db.read() as session:
        return list(session.exec(select(ShareGrant)))


async def connect(state: SharingState, carol: Account, picked: list[str],
                  signature: str = "Alice") -> None:
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    await state.enter_code({"code": code})
    assert state.step == "choose", state.errors
    await state.review_consent({f"share_{key}": "on" for key in picked})
    assert state.step == "consent", state.errors
    await state.sign({"signature": signature})


async def test_a_patient_connects_picks_two_categories_and_signs(alice: Account,
                                                                 carol: Account) -> None:
    state = await loaded(alice)
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    await state.enter_code({"code": code.lower()})
    assert (state.therapist_name, state.step) == ("Carol", "choose")
    assert "Carol's program" == state.program_name
    assert [c["checked"] for c in state.choices] == [False] * len(sharing.CATEGORIES)
    assert state.choices[0]["key"] == "safety" and state.choices[0]["why"]
    await state.review_consent({"share_safety": "on", "share_substance_use": "on"})
    text = "\n".join(state.consent_lines)
    assert "My treatment does not depend on signing this" in text
    assert "substance-use information" in text and "- Safety: " in text
    await state.sign({"signature": "Alice"})
    assert state.step == "list" and state.message == "Signed. You now share with Carol."
    assert [g["therapist"] for g in state.grants] == ["Carol"]
    assert sharing.allowed_categories(carol.identity.user_id, alice.identity.user_id,
                                      utcnow()) == {"safety", "substance_use", sharing.ITEM9,
                                                    sharing.PLAN_EXISTS}


@pytest.mark.parametrize("raw", ["", "A", "ABCDEF", "Z" * 10_000, None, 5, ["x"],
                                 "<script>alert(1)</script>"])
async def test_bad_codes_are_refused_with_a_message(alice: Account, raw: object) -> None:
    state = await loaded(alice)
    await state.enter_code({"code": raw})
    assert state.step == "list" and state.errors["code"] == say(sharing.CODE_SHAPE)


async def test_expired_and_reused_codes_are_refused(alice: Account, bob: Account,
                                                    carol: Account) -> None:
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    state = await loaded(alice)
    await state.enter_code({"code": code})
    await state.review_consent({"share_mood": "on"})
    await state.sign({"signature": "Alice"})
    bobs = await loaded(bob)
    await bobs.enter_code({"code": code})
    assert bobs.errors["code"] == say(sharing.CODE_REFUSED) and bobs.step == "list"


@pytest.mark.parametrize(("form", "message"), [
    ({}, sharing.NO_CATEGORIES),
    ({"share_bank_account": "on"}, sharing.UNKNOWN_CATEGORY),
    ({"share_mood": "on", "share_../../etc": "on"}, sharing.UNKNOWN_CATEGORY),
    ({"share_phq9_item9": "on"}, sharing.UNKNOWN_CATEGORY),  # a part, not a choice
    ({"share_safety_plan_exists": "on"}, sharing.UNKNOWN_CATEGORY),
    ({"share_safety": ""}, sharing.NO_CATEGORIES),
    ("not a form", sharing.UNKNOWN_CATEGORY),
])
async def test_categories_that_do_not_exist_are_refused(alice: Account, carol: Account,
                                                        form: object, message: str) -> None:
    state = await loaded(alice)
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    await state.enter_code({"code": code})
    await state.review_consent(form)
    assert state.step == "choose" and state.errors["categories"] == say(message)
    assert state.consent_lines == [] and grants() == []


@pytest.mark.parametrize("signature", ["", None, "   ", "<b>Alice</b>", "x" * 100_000, 7])
async def test_a_consent_without_the_typed_name_saves_nothing(
        alice: Account, carol: Account, signature: object) -> None:
    state = await loaded(alice)
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    await state.enter_code({"code": code})
    await state.review_consent({"share_mood": "on"})
    await state.sign({"signature": signature})
    assert state.step == "consent" and state.errors["signature"]
    assert grants() == []


async def test_sign_without_reading_the_consent_does_nothing(alice: Account,
                                                              carol: Account) -> None:
    state = await loaded(alice)
    code, _ = sharing.new_connect_code(carol.identity.user_id)
    await state.enter_code({"code": code})
    await state.sign({"signature": "Alice"})  # skipped the consent step
    assert grants() == []


@pytest.mark.parametrize("forged", [0, -1, "1", None, True, 10**20, [1]])
async def test_forged_grant_ids_change_and_revoke_nothing(alice: Account, bob: Account,
                                                          carol: Account,
                                                          forged: object) -> None:
    bobs = share(bob, carol, ("mood",))
    state = await loaded(alice)
    state.ask_revoke(forged)
    state.ask_revoke(bobs)
    assert state.confirm_revoke_id == 0
    await state.revoke()
    await state.start_change(bobs)
    await state.start_change(forged)
    assert state.step == "list"
    assert sharing.grants_of_patient(bob.identity.user_id)[0].grant_id == bobs


async def test_change_and_revoke_reach_the_therapists_next_event(alice: Account,
                                                                 carol: Account) -> None:
    state = await loaded(alice)
    await connect(state, carol, ["safety", "mood", "substance_use"])
    detail = state_for(PatientDetailState, carol.token,
                       f"/patients/view/?id={alice.identity.user_id}")
    await detail.load_detail()
    assert detail.found and "Suicide" in repr(detail.screen)
    grant_id = state.grants[0]["id"]
    await state.start_change(grant_id)
    await state.review_consent({"share_mood": "on"})
    await state.sign({"signature": "Alice"})
    await detail.show_week("")
    assert detail.found and "Suicide" not in repr(detail.screen)
    state.ask_revoke(state.grants[0]["id"])
    await state.revoke()
    assert state.message == "You stopped sharing with Carol." and state.grants == []
    await detail.show_week("")
    assert not detail.found and detail.screen == {}
    caseload = state_for(CaseloadState, carol.token, "/patients/")
    await caseload.load_caseload()
    assert caseload.rows == []


async def test_who_has_seen_my_data_lists_views_in_plain_words(alice: Account,
                                                               carol: Account) -> None:
    share(alice, carol, ("mood",))
    detail = state_for(PatientDetailState, carol.token,
                       f"/patients/view/?id={alice.identity.user_id}")
    await detail.load_detail()
    log = state_for(WhoHasSeenState, alice.token, "/sharing/log/")
    await log.load_log()
    # Issue 23: grouped by person and day.
    assert log.lines[0]["text"].startswith("Carol opened your progress once on ")
    assert log.lines[0]["text"].endswith(" (Mood check-ins and emotions).")


async def test_a_therapist_or_nobody_gets_nothing_from_the_patient_handlers(
        alice: Account, carol: Account) -> None:
    share(alice, carol, ("mood",))
    for token in (carol.token, None):
        state = state_for(SharingState, token, PATH)
        assert sign_in_target(await state.enter_code({"code": "ABCD-2345"}))
        assert state.grants == [] and state.therapist_name == ""
        log = state_for(WhoHasSeenState, token, "/sharing/log/")
        await log.load_log()
        assert log.lines == []


async def test_a_spanish_patient_reads_and_signs_the_spanish_consent(alice: Account,
                                                                     carol: Account) -> None:
    """On /es/sharing/ the consent is the Spanish text; the grant records its language,
    its own version and the SHA-256 of exactly what was shown."""
    with db.transaction() as session:
        session.get(User, alice.identity.user_id).language = "es"
    state = state_for(SharingState, alice.token, "/es/sharing/")
    with text_language("es"):
        await state.load_sharing()
        code, _ = sharing.new_connect_code(carol.identity.user_id)
        await state.enter_code({"code": code})
        assert state.choices[0]["label"] == "Seguridad"
        await state.review_consent({"share_mood": "on"})
        shown = "\n\n".join(state.consent_lines)
        assert shown.startswith("Permiso para compartir mis datos (versión 2026-12.2-es)")
        assert "Mi tratamiento no depende de que firme esto" in shown
        await state.sign({"signature": "Alicia"})
        assert state.errors["signature"] == (
            "Escribe tu nombre como está en tu cuenta: Alice.")
        await state.sign({"signature": "Alice"})
        assert state.message == "Listo, firmaste. Ahora compartes con Carol."
        assert state.grants[0]["shares"] == "Ánimo y emociones"
    [grant] = grants()
    assert (grant.consent_language, grant.consent_version) == ("es", "2026-12.2-es")
    assert grant.consent_sha256 == hashlib.sha256(shown.encode()).hexdigest()
    # The Spanish text means what the English one means.
    assert sharing.allowed_categories(carol.identity.user_id, alice.identity.user_id,
                                      utcnow()) == {"mood"}


async def test_an_english_grant_records_the_english_consent(alice: Account,
                                                            carol: Account) -> None:
    state = await loaded(alice)
    await connect(state, carol, ["mood"])
    [grant] = grants()
    assert (grant.consent_language, grant.consent_version) == ("en", sharing.CONSENT_VERSION)
