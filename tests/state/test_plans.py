"""Plan handlers called directly, as a raw client could: forged plan ids, huge
strings, phone numbers with letters, wrong types, no session; and the phone's
offline copy of the safety plan following the signed-in patient."""

from __future__ import annotations

import json

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import select

from skills_app import text
from skills_app.core import db, plans
from skills_app.core.models import PersonalPlan, User
from skills_app.core.settings import SESSION_COOKIE
from skills_app.state.plans import (
    SAVED_START,
    RelapsePlanState,
    SafetyPlanCopyState,
    SafetyPlanState,
)
from skills_app.text.problems import say
from tests.conftest import Account
from tests.state.conftest import script_of, sign_in_target, state_for


def stored() -> list[tuple[int, str, dict]]:
    with db.read() as session:
        return [(row.user_id, row.kind, row.content)
                for row in session.exec(select(PersonalPlan).order_by(PersonalPlan.id)).all()]


async def safety_page(account: Account | None) -> SafetyPlanState:
    state = state_for(SafetyPlanState, account.token if account else None, "/safety-plan/")
    await state.load_plan()
    return state


def form(state: SafetyPlanState, **fields: object) -> dict[str, object]:
    return {**state.values, "idempotency_key": "4b3c4f70-1d0b-4f8e-9a57-8f1d6b0a2c11", **fields}


async def test_a_new_plan_shows_the_crisis_lines_and_is_saved(alice: Account) -> None:
    state = await safety_page(alice)
    assert not state.has_plan and state.values["professionals_phone_1"] == "988"
    copy_state = await state.get_state(SafetyPlanCopyState)
    assert copy_state.copy == "none"
    result = await state.save_plan(form(state, warning_signs="Can't sleep",
                                        people_to_ask_name_1="Sam",
                                        people_to_ask_phone_1="555 0100"))
    assert "planSaved" in script_of(result)
    assert state.has_plan and state.saved_key.startswith("4b3c")
    assert state.lines["warning_signs"] == ["Can't sleep"]
    assert state.contacts["people_to_ask"] == [
        {"name": "Sam", "phone": "555 0100", "tel": "tel:5550100", "sms": "sms:5550100"}]
    assert "kept on this phone" in state.saved_message
    copy = json.loads(copy_state.copy)
    assert copy["title"] == "My safety plan"
    assert copy["sections"][0] == {"title": "1. My warning signs", "lines": ["Can't sleep"]}


@pytest.mark.parametrize(("fields", "field"), [
    ({"warning_signs": "x" * 100_000}, "warning_signs"),
    ({"people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "CALL-ME"}, "people_to_ask"),
    ({"on_my_own": {"$gt": ""}}, "on_my_own"),
    ({"plan_id": "1; DROP TABLE"}, "form"),
    ({"plan_id": 99999}, "form"),
    ({"version": ["1"]}, "form"),
])
async def test_bad_input_is_refused_and_nothing_is_saved(alice: Account, fields: dict,
                                                         field: str) -> None:
    state = await safety_page(alice)
    result = await state.save_plan(form(state, reasons_to_live="my kids", **fields))
    assert state.errors[field]
    assert "notSaved" in script_of(result) and '"safety-plan"' in script_of(result)
    assert stored() == [] and not state.has_plan


@pytest.mark.parametrize("junk", [None, "text", ["a"], 5, True])
async def test_a_form_that_is_not_a_form(alice: Account, junk: object) -> None:
    state = await safety_page(alice)
    await state.save_plan(junk)
    assert state.errors == {"form": say(plans.BAD_FORM)} and stored() == []


async def test_another_patients_plan_id_is_refused(alice: Account, bob: Account) -> None:
    bobs = await safety_page(bob)
    await bobs.save_plan(form(bobs, warning_signs="Bob's words"))
    bob_plan_id = bobs.values["plan_id"]
    state = await safety_page(alice)
    await state.save_plan(form(state, plan_id=bob_plan_id, version="1",
                               warning_signs="Alice's words"))
    assert state.errors == {"form": say(plans.PLAN_NOT_FOUND)}
    assert stored() == [(bob.identity.user_id, "safety", stored()[0][2])]
    assert stored()[0][2]["warning_signs"] == ["Bob's words"]
    # Alice never sees Bob's plan, and her copy is not his.
    assert state.lines["warning_signs"] == []
    assert (await state.get_state(SafetyPlanCopyState)).copy == "none"


async def test_without_a_session_nothing_is_read_or_saved(alice: Account) -> None:
    state = state_for(SafetyPlanState, None, "/safety-plan/")
    assert sign_in_target(await state.load_plan()).startswith("/signin/?next=/safety-plan/")
    assert sign_in_target(await state.save_plan({"warning_signs": "x"})).startswith("/signin/")
    assert stored() == []


async def test_a_therapist_has_no_plan_page(carol: Account) -> None:
    state = state_for(SafetyPlanState, carol.token, "/safety-plan/")
    await state.load_plan()
    await state.save_plan({"warning_signs": "x"})
    assert stored() == [] and state.values == {}


async def test_the_relapse_plan_is_its_own(alice: Account) -> None:
    state = state_for(RelapsePlanState, alice.token, "/relapse-plan/")
    await state.load_plan()
    await state.save_plan({**state.values, "trigger_places": "the bar on 5th"})
    assert state.has_plan and state.lines["trigger_places"] == ["the bar on 5th"]
    assert [(kind, content["trigger_places"]) for _, kind, content in stored()] == [
        ("relapse", ["the bar on 5th"])]
    safety = await safety_page(alice)
    assert not safety.has_plan


async def test_the_copy_follows_the_patient(alice: Account, bob: Account) -> None:
    page = await safety_page(alice)
    await page.save_plan(form(page, reasons_to_live="my dog"))
    copy = state_for(SafetyPlanCopyState, alice.token, "/today/")
    await copy.load_device_copy()
    assert "my dog" in copy.copy
    bobs = state_for(SafetyPlanCopyState, bob.token, "/today/")
    await bobs.load_device_copy()
    assert bobs.copy == "none"
    nobody = state_for(SafetyPlanCopyState, None, "/help/")
    assert await nobody.load_device_copy() is None and nobody.copy == ""


# --- the guided start -------------------------------------------------------------

STEP_KEY = "9d0c7a52-4b8e-4f61-8a3d-2c5e6f7a8b90"


def step_form(state: SafetyPlanState, number: int, **fields: object) -> dict[str, object]:
    return {"step": str(number), "plan_id": state.values["plan_id"],
            "version": state.values["version"], "idempotency_key": STEP_KEY,
            "written_at": "", **fields}


async def test_a_patient_with_no_plan_opens_the_guided_start_and_the_first_step_saves(
        alice: Account) -> None:
    state = await safety_page(alice)
    assert state.start_step == 1 and not state.has_plan and state.next_step == 1
    result = await state.save_start_step(step_form(state, 1, warning_signs="I skip meals"))
    assert "start-step-2-title" in script_of(result)
    assert state.has_plan and state.start_step == 2 and state.next_step == 2
    assert state.saved_key == STEP_KEY and state.saved_message == SAVED_START
    assert state.lines["warning_signs"] == ["I skip meals"]
    assert state.contacts["professionals"][0]["tel"] == "tel:988"
    # The phone's offline copy has it at once.
    copy = json.loads((await state.get_state(SafetyPlanCopyState)).copy)
    assert copy["sections"][0] == {"title": "1. My warning signs", "lines": ["I skip meals"]}
    # Going on: the next step starts from the plan just saved.
    assert state.values["plan_id"] and state.values["version"] == "1"
    await state.save_start_step(step_form(state, 2, on_my_own="Call my dog over"))
    await state.save_start_step(step_form(state, 3, people_to_ask_name_1="Sam",
                                          people_to_ask_phone_1="555 0100"))
    assert state.start_step == 0 and state.next_step == 0
    assert "kept on this phone" in state.saved_message
    assert [(kind, content["on_my_own"], content["people_to_ask"])
            for _, kind, content in stored()] == [
        ("safety", ["Call my dog over"], [{"name": "Sam", "phone": "555 0100"}])]


async def test_stopping_after_a_step_keeps_the_plan_and_a_new_visit_offers_to_go_on(
        alice: Account) -> None:
    state = await safety_page(alice)
    await state.save_start_step(step_form(state, 1, warning_signs="Pacing"))
    await state.load_plan()  # the same page again (a reload, a reconnect): still on step 2
    assert state.start_step == 2 and state.has_plan
    state.stop_start()
    assert state.start_step == 0 and state.has_plan
    later = await safety_page(alice)  # another visit
    assert later.start_step == 0 and later.has_plan and later.next_step == 2
    assert later.lines["warning_signs"] == ["Pacing"]
    later.go_on_with_start()
    assert later.start_step == 2


async def test_go_on_and_stop_do_nothing_without_a_plan(alice: Account) -> None:
    state = await safety_page(alice)
    assert state.stop_start() is None and state.start_step == 1
    fresh = state_for(SafetyPlanState, alice.token, "/safety-plan/")
    assert fresh.go_on_with_start() is None and fresh.start_step == 0


@pytest.mark.parametrize(("number", "fields", "field"), [
    (1, {"warning_signs": ""}, "warning_signs"),
    (1, {"warning_signs": "x" * 100_000}, "warning_signs"),
    (3, {"people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "CALL-ME"}, "people_to_ask"),
    (1, {"warning_signs": "a", "reasons_to_live": "forged"}, "form"),
    (1, {"warning_signs": "a", "user_id": 2}, "form"),
    (1, {"warning_signs": "a", "plan_id": "99999"}, "form"),
    (1, {"warning_signs": "a", "plan_id": {"$ne": 0}}, "form"),
    (7, {"warning_signs": "a"}, "form"),
])
async def test_a_bad_step_is_refused_kindly_and_keeps_the_draft(
        alice: Account, number: int, fields: dict, field: str) -> None:
    state = await safety_page(alice)
    result = await state.save_start_step(step_form(state, number, **fields))
    assert state.start_errors[field]
    assert "notSaved" in script_of(result)
    assert stored() == [] and not state.has_plan and state.start_step == 1
    assert state.saved_key == "" and state.errors == {}


@pytest.mark.parametrize("junk", [None, "text", ["a"], 5, True])
async def test_a_step_that_is_not_a_form(alice: Account, junk: object) -> None:
    state = await safety_page(alice)
    await state.save_start_step(junk)
    assert state.start_errors == {"form": say(plans.BAD_FORM)} and stored() == []


async def test_another_patients_plan_id_is_refused_at_a_step(alice: Account,
                                                           bob: Account) -> None:
    bobs = await safety_page(bob)
    await bobs.save_start_step(step_form(bobs, 1, warning_signs="BOB-ONLY"))
    state = await safety_page(alice)
    await state.save_start_step(step_form(state, 2, plan_id=bobs.values["plan_id"],
                                          version="1", on_my_own="Alice's"))
    assert state.start_errors == {"form": say(plans.PLAN_NOT_FOUND)}
    assert [(uid, content["warning_signs"], content["on_my_own"])
            for uid, _, content in stored()] == [(bob.identity.user_id, ["BOB-ONLY"], [])]
    assert "BOB-ONLY" not in repr(state.dict())


async def test_a_step_without_a_session_or_as_a_therapist_saves_nothing(
        alice: Account, carol: Account) -> None:
    nobody = state_for(SafetyPlanState, None, "/safety-plan/")
    refusal = await nobody.save_start_step({"step": "1", "warning_signs": "x"})
    assert sign_in_target(refusal).startswith("/signin/?next=/safety-plan/")
    therapist = state_for(SafetyPlanState, carol.token, "/safety-plan/")
    await therapist.save_start_step({"step": "1", "plan_id": "", "version": "",
                                     "warning_signs": "x"})
    assert stored() == [] and therapist.start_step == 0


# --- the help page's language, and Spanish words from the handlers ---------------------

def help_state(account: Account | None, path: str, accept_language: str) -> SafetyPlanCopyState:
    """The help page's state, as a browser asking for `accept_language` connects."""
    root = rx.State(_reflex_internal_init=True)
    cookie = f"{SESSION_COOKIE}={account.token}" if account else "theme=dark"
    root.router = RouterData.from_router_data({
        "headers": {"cookie": cookie, "origin": "http://localhost:3000",
                    "accept-language": accept_language},
        "pathname": path, "asPath": path, "query": {}})
    return root.get_substate(SafetyPlanCopyState.get_full_name().split(".")[1:])


def speaks(account: Account, code: str) -> None:
    with db.transaction() as session:
        user = session.get(User, account.identity.user_id)
        user.language = code
        session.add(user)


@pytest.mark.parametrize(("path", "accept_language", "moved_to"), [
    ("/help/", "es-US,es;q=0.9,en;q=0.8", "/es/help/"),
    ("/help/", "es", "/es/help/"),
    ("/help/", "en-US,en;q=0.9,es;q=0.5", ""),
    ("/help/", "fr-FR", ""),
    ("/help/", "", ""),
    # Someone who opened the Spanish page chose it.
    ("/es/help/", "en-US", ""),
    ("/es/help/", "es", ""),
])
async def test_before_sign_in_the_help_page_follows_the_browsers_language(
        database: str, path: str, accept_language: str, moved_to: str) -> None:
    state = help_state(None, path, accept_language)
    result = await state.load_help_page()
    if moved_to:
        assert f'window.location.replace("{moved_to}" + window.location.hash)' in script_of(
            result)
    else:
        assert result is None
    assert state.copy == ""


async def test_a_signed_in_patient_reads_help_in_their_accounts_language(
        alice: Account, bob: Account) -> None:
    speaks(bob, "es")
    # Bob reads Spanish, whatever his browser says.
    assert "/es/help/" in script_of(await help_state(bob, "/help/", "en-US").load_help_page())
    assert await help_state(bob, "/es/help/", "en-US").load_help_page() is None
    # Alice reads English, even with a browser that asks for Spanish.
    assert '"/help/"' in script_of(await help_state(alice, "/es/help/", "es").load_help_page())
    state = help_state(alice, "/help/", "es")
    assert await state.load_help_page() is None and state.copy == "none"


async def test_a_spanish_page_saves_with_spanish_words(alice: Account) -> None:
    speaks(alice, "es")
    with text.language("es"):
        state = state_for(SafetyPlanState, alice.token, "/es/safety-plan/")
        await state.load_plan()
        assert state.values["professionals_name_2"] == "Emergencias"
        await state.save_plan(form(state, people_to_ask_phone_1="555 0100"))
        assert state.errors == {"people_to_ask": "Agrega un nombre para 555 0100."}
        await state.save_plan(form(state, warning_signs="No duermo"))
        copy = json.loads((await state.get_state(SafetyPlanCopyState)).copy)
    assert state.saved_message == ("Guardado. Hay una copia en este teléfono, para que lo "
                                   "leas sin conexión.")
    assert state.updated.startswith("Último cambio: ")
    assert copy["title"] == "Mi plan de seguridad"
    assert copy["sections"][0] == {"title": "1. Mis señales de alerta", "lines": ["No duermo"]}
