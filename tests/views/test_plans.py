"""Plan views: the form's values, the plan as read, and the phone's copy."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from skills_app.core.plans import RELAPSE_PLAN, SAFETY_PLAN, Plan
from skills_app.views import plans as views

PLAN = Plan(spec=SAFETY_PLAN, id=7, version=3, updated_at=datetime(2026, 3, 5, 3, 0, tzinfo=UTC),
            content={"warning_signs": ["Not sleeping", "<script>alert(1)</script>"],
                     "people_to_ask": [{"name": "Sam", "phone": "+1 555 010 2000"},
                                       {"name": "Nadia", "phone": ""}]})


def test_form_values_round_trip() -> None:
    values = views.form_values(PLAN)
    assert (values["plan_id"], values["version"]) == ("7", "3")
    assert values["warning_signs"] == "Not sleeping\n<script>alert(1)</script>"
    assert (values["people_to_ask_name_1"], values["people_to_ask_phone_1"]) == (
        "Sam", "+1 555 010 2000")
    assert values["people_to_ask_name_6"] == "" and values["reasons_to_live"] == ""


def test_a_new_plan_has_no_id_or_version() -> None:
    values = views.form_values(Plan(spec=RELAPSE_PLAN))
    assert (values["plan_id"], values["version"]) == ("", "")


def test_contacts_get_call_and_text_links() -> None:
    assert views.shown_contacts(PLAN)["people_to_ask"] == [
        {"name": "Sam", "phone": "+1 555 010 2000", "tel": "tel:+15550102000",
         "sms": "sms:+15550102000"},
        {"name": "Nadia", "phone": "", "tel": "", "sms": ""}]


def test_911_takes_calls_only_and_741741_texts_only() -> None:
    plan = Plan(spec=SAFETY_PLAN, id=1, content={"professionals": [
        {"name": "Emergency", "phone": "911"}, {"name": "988", "phone": "988"},
        {"name": "Crisis Text Line", "phone": "741741"}]})
    assert [(row["tel"], row["sms"]) for row in views.shown_contacts(plan)["professionals"]] == [
        ("tel:911", ""), ("tel:988", "sms:988"), ("", "sms:741741?&body=HOME")]


def test_the_day_it_changed_is_the_patients() -> None:
    assert views.updated_line(PLAN, "America/Chicago") == "Last changed Mar 4, 2026."


def test_the_phones_copy_holds_only_filled_sections() -> None:
    copy = json.loads(views.device_copy(PLAN))
    assert copy["title"] == "My safety plan" and copy["version"] == 3
    assert [section["title"] for section in copy["sections"]] == [
        "1. My warning signs", "4. People I can ask for help"]
    assert views.device_copy(None) == "none"
    assert views.device_copy(Plan(spec=SAFETY_PLAN)) == "none"
