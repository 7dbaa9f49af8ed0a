"""Safety and relapse-prevention plans: saving all or nothing, kind messages for
bad input, owner-only plan ids, stale versions, and the starting crisis lines."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from skills_app.core import db, plans
from skills_app.core.models import PersonalPlan
from skills_app.core.plans import PlanKind
from tests.conftest import Account

SAFETY, RELAPSE = PlanKind.SAFETY, PlanKind.RELAPSE


def rows() -> list[PersonalPlan]:
    with db.read() as session:
        return list(session.exec(select(PersonalPlan).order_by(PersonalPlan.id)).all())


def save(account: Account, kind: object = SAFETY, **fields: object) -> plans.PlanSaveResult:
    form = {"plan_id": "", "version": "", **fields}
    return plans.save_plan(account.identity.user_id, kind, form)


def saved(account: Account, kind: object = SAFETY, **fields: object) -> plans.Plan:
    result = save(account, kind, **fields)
    assert result.ok, result.errors
    return result.plan


def test_a_new_safety_plan_starts_with_the_crisis_lines(alice: Account) -> None:
    plan = plans.get_plan(alice.identity.user_id, SAFETY)
    assert plan.id == 0 and not plans.has_plan(alice.identity.user_id, SAFETY)
    assert [(c.name, c.phone) for c in plan.contacts("professionals")] == [
        ("988 Suicide & Crisis Lifeline (call or text)", "988"), ("Emergency", "911"),
        ("Crisis Text Line (text HOME)", "741741")]


def test_the_safety_plan_has_the_six_steps_in_order_and_reasons_to_live() -> None:
    assert [s.key for s in plans.SAFETY_PLAN.sections] == [
        "warning_signs", "on_my_own", "distractions", "people_to_ask", "professionals",
        "safer_surroundings", "reasons_to_live"]
    surroundings = plans.SAFETY_PLAN.section("safer_surroundings").prompt
    for means in ("medicines", "firearms", "alcohol or drugs", "naloxone"):
        assert means in surroundings


def test_saving_keeps_lines_and_contacts(alice: Account) -> None:
    plan = saved(alice, warning_signs="Not sleeping\n\n  Staying in my room  \n",
                 people_to_ask_name_1="Sam", people_to_ask_phone_1="+1 (555) 010-2000",
                 people_to_ask_name_2="Nadia", people_to_ask_phone_2="")
    assert plan.version == 1 and plan.id > 0
    assert plan.lines("warning_signs") == ["Not sleeping", "Staying in my room"]
    assert [(c.name, c.phone) for c in plan.contacts("people_to_ask")] == [
        ("Sam", "+1 (555) 010-2000"), ("Nadia", "")]
    again = plans.get_plan(alice.identity.user_id, SAFETY)
    assert again.content == plan.content and again.id == plan.id


def test_an_edit_needs_the_version_it_started_from(alice: Account) -> None:
    first = saved(alice, warning_signs="a")
    user = alice.identity.user_id
    second = plans.save_plan(user, SAFETY, {"plan_id": str(first.id), "version": "1",
                                            "warning_signs": "b"})
    assert second.ok and second.plan.version == 2
    stale = plans.save_plan(user, SAFETY, {"plan_id": str(first.id), "version": "1",
                                           "warning_signs": "c"})
    assert stale.errors == {"form": plans.CHANGED_ELSEWHERE}
    same_again = plans.save_plan(user, SAFETY, {"plan_id": str(first.id), "version": "1",
                                                "warning_signs": "b"})
    assert same_again.ok and same_again.plan.version == 2
    assert plans.get_plan(user, SAFETY).lines("warning_signs") == ["b"]


def test_a_second_new_plan_from_another_device_is_not_overwriting(alice: Account) -> None:
    saved(alice, warning_signs="from the phone")
    assert save(alice, warning_signs="from the laptop").errors == {
        "form": plans.CHANGED_ELSEWHERE}
    assert len(rows()) == 1


def test_the_two_plans_are_kept_apart(alice: Account) -> None:
    safety = saved(alice, SAFETY, warning_signs="a")
    relapse = saved(alice, RELAPSE, trigger_places="the bar on 5th")
    assert safety.id != relapse.id
    assert plans.get_plan(alice.identity.user_id, RELAPSE).lines("trigger_places") == [
        "the bar on 5th"]
    # The safety plan's id is not the relapse plan's.
    refused = plans.save_plan(alice.identity.user_id, RELAPSE,
                              {"plan_id": str(safety.id), "version": "1"})
    assert refused.errors == {"form": plans.PLAN_NOT_FOUND}


# --- bad input: refused with a message, nothing half-saved --------------------------

@pytest.mark.parametrize("plan_id", ["other", "999999", "-1", "1e3", "abc", 3.5, [1], True,
                                     "9" * 40])
def test_someone_elses_or_a_made_up_plan_id_is_refused(alice: Account, bob: Account,
                                                       plan_id: object) -> None:
    bobs = saved(bob, warning_signs="Bob's own words")
    forged = str(bobs.id) if plan_id == "other" else plan_id
    result = plans.save_plan(alice.identity.user_id, SAFETY,
                             {"plan_id": forged, "version": "1", "warning_signs": "mine"})
    assert not result.ok and result.errors["form"]
    assert [(r.user_id, r.content["warning_signs"]) for r in rows()] == [
        (bob.identity.user_id, ["Bob's own words"])]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"warning_signs": "x" * 100_000}, "warning_signs",
     "Your list of warning signs is too long: please keep it to 2000 characters "
     "(it has 100,000)."),
    ({"warning_signs": "x" * 2_001}, "warning_signs", "too long"),
    ({"reasons_to_live": "\n".join(["a"] * 21)}, "reasons_to_live", "20 lines"),
    ({"people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "555-CALL-SAM"},
     "people_to_ask", "Please use only numbers in a phone number"),
    ({"people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "12"},
     "people_to_ask", "only numbers"),
    ({"people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "5" * 31},
     "people_to_ask", "too long"),
    ({"people_to_ask_phone_1": "555 0100"}, "people_to_ask", "Please add a name for 555 0100."),
    ({"professionals_name_1": "N" * 81}, "professionals", "too long"),
    ({"on_my_own": ["a list"]}, "on_my_own", "as text"),
    ({"on_my_own": "bad\x00byte"}, "on_my_own", "hidden control character"),
    ({"on_my_own": "lone \ud800"}, "on_my_own", "can't store"),
])
def test_bad_input_is_refused_with_a_kind_message(alice: Account, fields: dict, field: str,
                                                  message: str) -> None:
    result = save(alice, **{"distractions": "kept only if everything is fine", **fields})
    assert not result.ok
    assert message in result.errors[field]
    assert rows() == []


def test_a_plan_field_at_its_limit_is_fine(alice: Account) -> None:
    plan = saved(alice, warning_signs="x" * plans.LINES_MAX_CHARS)
    assert plan.lines("warning_signs") == ["x" * plans.LINES_MAX_CHARS]


@pytest.mark.parametrize("form", [None, "text", ["a"], 5])
def test_a_form_that_is_not_a_form_is_refused(alice: Account, form: object) -> None:
    result = plans.save_plan(alice.identity.user_id, SAFETY, form)
    assert result.errors == {"form": plans.BAD_FORM} and rows() == []


@pytest.mark.parametrize("kind", ["crisis", "", None, 3])
def test_an_unknown_plan_kind_is_refused(alice: Account, kind: object) -> None:
    assert save(alice, kind, warning_signs="a").errors == {"form": plans.BAD_FORM}


@pytest.mark.parametrize(("phone", "href"), [
    ("988", "tel:988"), ("+1 (555) 010-2000", "tel:+15550102000"), ("555.010.2000",
                                                                      "tel:5550102000")])
def test_dial_links(phone: str, href: str) -> None:
    assert plans.dial_href(plans.check_phone(phone)) == href
    assert plans.dial_href(phone, "sms").startswith("sms:")


def test_plans_go_with_the_account(alice: Account) -> None:
    from skills_app.core.models import User
    saved(alice, warning_signs="a")
    with db.transaction() as session:
        session.delete(session.get(User, alice.identity.user_id))
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(PersonalPlan)).one() == 0
