"""Safety and relapse-prevention plans: saving all or nothing, kind messages for
bad input, owner-only plan ids, stale versions, and the starting crisis lines."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from skills_app import text
from skills_app.core import db, plans
from skills_app.core.models import PersonalPlan
from skills_app.core.plans import PlanKind
from skills_app.core.problems import Problem
from skills_app.text.problems import say
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


def test_a_spanish_patients_new_plan_starts_with_the_crisis_lines_in_spanish(
        alice: Account) -> None:
    with text.language("es"):
        plan = plans.get_plan(alice.identity.user_id, SAFETY)
        first_step = step(alice, 1, warning_signs="No duermo")
    expected = [("988 Línea de Crisis (en español: marca 2 o envía AYUDA)", "988"),
                ("Emergencias", "911"), ("Crisis Text Line (envía HOME)", "741741")]
    assert [(c.name, c.phone) for c in plan.contacts("professionals")] == expected
    assert [(c.name, c.phone) for c in first_step.plan.contacts("professionals")] == expected


@pytest.mark.parametrize("code", text.CODES)
def test_the_starting_contacts_fit_their_field_in_every_language(code: str) -> None:
    """A new plan's form starts with them: a name too long would refuse the first save."""
    with text.language(code):
        for contact in plans.SAFETY_PLAN.section("professionals").starts_with:
            assert len(text._(contact.name)) <= plans.CONTACT_NAME_MAX, contact.name


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


WARNING_SIGNS = "list of warning signs"


@pytest.mark.parametrize(("fields", "field", "problem"), [
    ({"warning_signs": "x" * 100_000}, "warning_signs",
     Problem("too_long", label=WARNING_SIGNS, high=2000, count=100_000)),
    ({"warning_signs": "x" * 2_001}, "warning_signs",
     Problem("too_long", label=WARNING_SIGNS, high=2000, count=2001)),
    ({"reasons_to_live": "\n".join(["a"] * 21)}, "reasons_to_live",
     Problem("too_many_lines", label="list of reasons for living", high=20, count=21)),
    ({"people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "555-CALL-SAM"},
     "people_to_ask", Problem("phone_characters")),
    ({"people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "12"},
     "people_to_ask", Problem("phone_characters")),
    ({"people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "5" * 31},
     "people_to_ask", Problem("too_long", label="phone number", high=30, count=31)),
    ({"people_to_ask_phone_1": "555 0100"}, "people_to_ask",
     Problem("contact_needs_name", phone="555 0100")),
    ({"professionals_name_1": "N" * 81}, "professionals",
     Problem("too_long", label="name", high=80, count=81)),
    ({"on_my_own": ["a list"]}, "on_my_own",
     Problem("not_text", label="list of things you can do on your own")),
    ({"on_my_own": "bad\x00byte"}, "on_my_own",
     Problem("control_character", label="list of things you can do on your own")),
    ({"on_my_own": "lone \ud800"}, "on_my_own",
     Problem("unstorable_character", label="list of things you can do on your own")),
])
def test_bad_input_is_refused_with_its_problem(alice: Account, fields: dict, field: str,
                                               problem: Problem) -> None:
    result = save(alice, **{"distractions": "kept only if everything is fine", **fields})
    assert not result.ok
    assert result.errors[field] == problem
    assert rows() == []


@pytest.mark.parametrize(("problem", "english"), [
    (Problem("too_long", label=WARNING_SIGNS, high=2000, count=100_000),
     "Your list of warning signs is too long: please keep it to 2,000 characters "
     "(it has 100,000)."),
    (Problem("too_many_lines", label="list of reasons for living", high=20, count=21),
     "Please keep your list of reasons for living to 20 lines (there are 21)."),
    (Problem("phone_characters"),
     "Please use only numbers in a phone number (spaces, +, - and brackets are fine)."),
    (Problem("contact_needs_name", phone="555 0100"), "Please add a name for 555 0100."),
    (plans.CHANGED_ELSEWHERE, "Your plan was changed on another device. Please reload to "
                              "see the newest version. What you typed is kept on this phone."),
])
def test_the_problems_read_as_before_in_english(problem: Problem, english: str) -> None:
    assert say(problem) == english


@pytest.mark.parametrize(("problem", "spanish"), [
    (Problem("too_many_lines", label="list of reasons for living", high=20, count=21),
     "Tu lista de razones para vivir puede tener hasta 20 líneas (tiene 21)."),
    (Problem("contact_needs_name", phone="555 0100"), "Agrega un nombre para 555 0100."),
    (Problem("start_no_warning_sign"), "Escribe una señal de alerta. Bastan unas palabras."),
])
def test_the_problems_read_in_spanish(problem: Problem, spanish: str) -> None:
    with text.language("es"):
        assert say(problem) == spanish


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


# --- the safety plan's guided start -------------------------------------------------

def step(account: Account, number: object, **fields: object) -> plans.PlanSaveResult:
    form = {"step": str(number), "plan_id": "", "version": "",
            "idempotency_key": "5b6f5f0e-8d0c-4a47-9d61-0a5d1c1b2e33", **fields}
    return plans.save_start_step(account.identity.user_id, form)


def step_on(account: Account, plan: plans.Plan, number: int,
            **fields: object) -> plans.PlanSaveResult:
    return step(account, number, plan_id=str(plan.id), version=str(plan.version), **fields)


def test_the_first_step_alone_makes_a_plan_with_988_as_its_professional_line(
        alice: Account) -> None:
    result = step(alice, 1, warning_signs="I stop answering texts\nI can't sleep")
    assert result.ok, result.errors
    plan = plans.get_plan(alice.identity.user_id, SAFETY)
    assert plans.has_plan(alice.identity.user_id, SAFETY) and plan.id == result.plan.id
    assert plan.version == 1
    assert plan.lines("warning_signs") == ["I stop answering texts", "I can't sleep"]
    assert plan.contacts("professionals")[0] == plans.Contact(
        "988 Suicide & Crisis Lifeline (call or text)", "988")
    # The same record as the whole plan: every section is there, the rest empty.
    assert set(plan.content) == {section.key for section in plans.SAFETY_PLAN.sections}
    assert plan.lines("on_my_own") == [] and plan.contacts("people_to_ask") == []
    assert plans.next_start_step(plan) == plans.SAFETY_START[1]


def test_each_step_adds_its_own_part_and_keeps_the_rest(alice: Account) -> None:
    first = step(alice, 1, warning_signs="Staying in bed").plan
    second = step_on(alice, first, 2, on_my_own="Walk around the block").plan
    third = step_on(alice, second, 3, people_to_ask_name_1="Sam",
                    people_to_ask_phone_1="555 010 2000").plan
    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert third.lines("warning_signs") == ["Staying in bed"]
    assert third.lines("on_my_own") == ["Walk around the block"]
    assert third.contacts("people_to_ask") == [plans.Contact("Sam", "555 010 2000")]
    assert plans.next_start_step(third) is None
    assert len(rows()) == 1


def test_the_full_form_and_the_steps_edit_the_same_plan(alice: Account) -> None:
    whole = saved(alice, reasons_to_live="My kids", people_to_ask_name_1="Ana",
                  people_to_ask_phone_1="555 0100", people_to_ask_name_2="Bo",
                  people_to_ask_phone_2="555 0200")
    assert plans.next_start_step(whole) == plans.SAFETY_START[0]
    after = step_on(alice, whole, 1, warning_signs="Racing thoughts").plan
    assert after.lines("reasons_to_live") == ["My kids"]
    # The people step changes the first person only; the others stay.
    changed = step_on(alice, after, 3, people_to_ask_name_1="Ana",
                      people_to_ask_phone_1="555 0111").plan
    assert changed.contacts("people_to_ask") == [plans.Contact("Ana", "555 0111"),
                                                 plans.Contact("Bo", "555 0200")]
    assert len(rows()) == 1


def test_a_step_sent_twice_is_saved_once(alice: Account) -> None:
    """The answer was lost on the way back (the connection dropped): the phone sends
    the same step again, with the id and version it had."""
    first = step(alice, 1, warning_signs="Drinking more")
    again = step(alice, 1, warning_signs="Drinking more")
    assert again.ok and again.plan.id == first.plan.id and again.plan.version == 1
    second = step_on(alice, first.plan, 2, on_my_own="Cold shower")
    resent = step_on(alice, first.plan, 2, on_my_own="Cold shower")
    assert resent.ok and resent.plan.version == second.plan.version == 2
    assert len(rows()) == 1


def test_a_step_never_overwrites_another_devices_edit(alice: Account) -> None:
    first = step(alice, 1, warning_signs="from the phone").plan
    step_on(alice, first, 2, on_my_own="from the laptop")
    stale = step_on(alice, first, 2, on_my_own="from the phone, later")
    assert stale.errors == {"form": plans.CHANGED_ELSEWHERE}
    # A second "first step" from a phone that never saw the plan: refused too.
    assert step(alice, 1, warning_signs="another phone").errors == {
        "form": plans.CHANGED_ELSEWHERE}
    plan = plans.get_plan(alice.identity.user_id, SAFETY)
    assert plan.lines("on_my_own") == ["from the laptop"]
    assert plan.lines("warning_signs") == ["from the phone"]


# Bad input: refused with a kind message, nothing stored or changed.

def test_another_patients_plan_id_is_refused_at_every_step(alice: Account,
                                                         bob: Account) -> None:
    bobs = step(bob, 1, warning_signs="BOB-ONLY").plan
    before = [(r.user_id, r.version, r.content) for r in rows()]
    for number, fields in ((1, {"warning_signs": "mine"}), (2, {"on_my_own": "mine"}),
                           (3, {"people_to_ask_name_1": "Me",
                                "people_to_ask_phone_1": "555 0100"})):
        result = step(alice, number, plan_id=str(bobs.id), version="1", **fields)
        assert result.errors == {"form": plans.PLAN_NOT_FOUND}
    assert [(r.user_id, r.version, r.content) for r in rows()] == before


@pytest.mark.parametrize("fields", [
    {"reasons_to_live": "forged"},
    {"professionals_name_1": "Fake line", "professionals_phone_1": "555 0000"},
    {"people_to_ask_name_2": "Extra"},
    {"user_id": "2"},
    {"warning_signs": "step 1's field sent with step 2"},
])
def test_fields_a_step_does_not_ask_are_refused(alice: Account, fields: dict) -> None:
    first = step(alice, 1, warning_signs="kept as it was").plan
    result = step_on(alice, first, 2, on_my_own="a walk", **fields)
    assert result.errors == {"form": plans.STEP_FIELDS_ONLY}
    plan = plans.get_plan(alice.identity.user_id, SAFETY)
    assert plan.version == 1 and plan.lines("warning_signs") == ["kept as it was"]
    assert plan.lines("on_my_own") == [] and plan.lines("reasons_to_live") == []


@pytest.mark.parametrize(("number", "fields", "problem"), [
    (1, {"warning_signs": ""}, Problem("start_no_warning_sign")),
    (1, {"warning_signs": "  \n \n"}, Problem("start_no_warning_sign")),
    (1, {}, Problem("start_no_warning_sign")),
    (2, {"on_my_own": ""}, Problem("start_no_thing_to_do")),
    (3, {"people_to_ask_name_1": "Sam"}, Problem("start_no_person")),
    (3, {"people_to_ask_phone_1": "555 0100"}, Problem("start_no_person")),
    (1, {"warning_signs": "x" * 2_001},
     Problem("too_long", label=WARNING_SIGNS, high=2000, count=2001)),
    (1, {"warning_signs": "x" * 1_100_000},
     Problem("too_long", label=WARNING_SIGNS, high=2000, count=1_100_000)),
    (1, {"warning_signs": "\n".join(["a"] * 21)},
     Problem("too_many_lines", label=WARNING_SIGNS, high=20, count=21)),
    (1, {"warning_signs": "bad\x00byte"}, Problem("control_character", label=WARNING_SIGNS)),
    (1, {"warning_signs": ["a list"]}, Problem("not_text", label=WARNING_SIGNS)),
    (2, {"on_my_own": "lone \ud800"},
     Problem("unstorable_character", label="list of things you can do on your own")),
    (3, {"people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "CALL-SAM"},
     Problem("phone_characters")),
    (3, {"people_to_ask_name_1": "N" * 81, "people_to_ask_phone_1": "555 0100"},
     Problem("too_long", label="name", high=80, count=81)),
    (3, {"people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "5" * 31},
     Problem("too_long", label="phone number", high=30, count=31)),
])
def test_a_step_with_a_bad_answer_is_refused_with_its_problem(
        alice: Account, number: int, fields: dict, problem: Problem) -> None:
    result = step(alice, number, **fields)
    section = plans.SAFETY_START[number - 1].section
    assert not result.ok and result.errors[section] == problem
    assert rows() == []


def test_an_answer_at_its_limit_is_fine(alice: Account) -> None:
    assert step(alice, 1, warning_signs="x" * plans.LINES_MAX_CHARS).ok
    assert step_on(alice, plans.get_plan(alice.identity.user_id, SAFETY), 3,
                   people_to_ask_name_1="N" * plans.CONTACT_NAME_MAX,
                   people_to_ask_phone_1="5" * plans.PHONE_MAX).ok


@pytest.mark.parametrize("number", ["0", "4", "-1", "", None, "1.0", "abc", 1.5, [1], True])
def test_an_unknown_step_is_refused(alice: Account, number: object) -> None:
    form = {"step": number, "plan_id": "", "version": "", "warning_signs": "a"}
    assert plans.save_start_step(alice.identity.user_id, form).errors == {
        "form": plans.BAD_FORM}
    assert rows() == []


@pytest.mark.parametrize("form", [None, "text", ["a"], 5, {"warning_signs": "no step"}])
def test_a_step_form_that_is_not_one_is_refused(alice: Account, form: object) -> None:
    assert plans.save_start_step(alice.identity.user_id, form).errors == {
        "form": plans.BAD_FORM}
    assert rows() == []


@pytest.mark.parametrize(("plan_id", "version"), [("abc", ""), ("-1", ""), ("9" * 40, ""),
                                                  ("", "x"), ("", [1])])
def test_a_made_up_plan_id_or_version_is_refused(alice: Account, plan_id: object,
                                                 version: object) -> None:
    result = step(alice, 1, plan_id=plan_id, version=version, warning_signs="a")
    assert not result.ok and result.errors["form"]
    assert rows() == []


def test_the_guided_start_reads_at_grade_8_or_below() -> None:
    import textstat

    texts = [plans.START_INTRO, plans.NO_PLAN_YET, say(plans.STEP_FIELDS_ONLY)]
    texts += [f"{s.question} {s.hint} {say(Problem(s.empty))}" for s in plans.SAFETY_START]
    assert [t for t in texts if textstat.flesch_kincaid_grade(t) > 8] == []


def test_the_guided_start_asks_warning_signs_one_coping_step_and_one_person() -> None:
    assert [(s.number, s.section) for s in plans.SAFETY_START] == [
        (1, "warning_signs"), (2, "on_my_own"), (3, "people_to_ask")]
    assert plans.start_fields(plans.SAFETY_START[2]) == ("people_to_ask_name_1",
                                                         "people_to_ask_phone_1")
