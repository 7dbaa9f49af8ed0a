"""The FHIR R4 export validates with fhir.resources and carries clinical.md's LOINC codes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from skills_app.core import fhir, measures
from skills_app.core.clock import frozen_clock
from tests.conftest import Account


def save(account: Account, questionnaire: str, answers: list[int], **fields: object
         ) -> measures.ResultView:
    outcome = measures.save_result(account.identity.user_id, "America/Chicago", {
        "questionnaire": questionnaire, "idempotency_key": str(uuid.uuid4()),
        "answers": answers, **fields})
    assert outcome.ok, outcome.errors
    return outcome.result


def test_a_bundle_of_a_phq9_and_a_gad7_validates_and_is_coded(alice: Account) -> None:
    with frozen_clock(datetime(2026, 4, 2, 14, 5, tzinfo=UTC)):
        phq9 = save(alice, "phq9", [3, 2, 2, 1, 1, 1, 0, 0, 1], difficulty=2)
        gad7 = save(alice, "gad7", [1, 1, 1, 1, 1, 1, 1])
        found = fhir.bundle(alice.identity.user_id, "Alice", [phq9, gad7])
    # Through JSON, as a clinic's system would read the download.
    parsed = Bundle.model_validate_json(json.dumps(found))
    assert parsed.type == "collection"
    resources = [entry.resource for entry in parsed.entry]
    assert [r.__resource_type__ for r in resources] == [
        "Patient", "QuestionnaireResponse", "Observation", "QuestionnaireResponse",
        "Observation"]
    responses = [r for r in resources if isinstance(r, QuestionnaireResponse)]
    totals = [r for r in resources if isinstance(r, Observation)]
    assert [r.questionnaire for r in responses] == ["http://loinc.org/q/44249-1",
                                                    "http://loinc.org/q/69737-5"]
    assert [(c.system, c.code) for o in totals for c in o.code.coding] == [
        ("http://loinc.org", "44261-6"), ("http://loinc.org", "70274-6")]
    assert [o.valueInteger for o in totals] == [11, 7]
    assert [o.interpretation[0].text for o in totals] == ["moderate", "mild"]
    # Every answer is coded with LOINC's answer list, in item order.
    first = responses[0]
    assert first.status == "completed" and first.authored.isoformat().startswith("2026-04-02")
    coded = [(i.linkId, i.answer[0].valueCoding.code) for i in first.item[:9]]
    assert coded[0] == ("1", "LA6571-9") and coded[6] == ("7", "LA6568-5")
    assert coded[8] == ("9", "LA6569-3")
    assert first.item[0].text == "Little interest or pleasure in doing things"
    assert first.item[9].answer[0].valueString == "Very difficult"
    assert first.item[10].answer[0].valueInteger == 11
    # The totals point at their responses, and everything at the patient.
    by_url = {entry.fullUrl: entry.resource for entry in parsed.entry}
    assert by_url[totals[0].derivedFrom[0].reference] is first
    patient_ref = parsed.entry[0].fullUrl
    assert all(r.subject.reference == patient_ref for r in responses + totals)


def test_the_export_refuses_to_build_something_invalid(alice: Account,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The check inside `bundle` is real: a broken resource stops the export."""
    result = save(alice, "gad7", [0] * 7)
    monkeypatch.setattr(fhir, "total_observation",
                        lambda *args: {"resourceType": "Observation", "status": "final"})
    with pytest.raises(ValueError):
        fhir.bundle(alice.identity.user_id, "Alice", [result])


def test_an_empty_history_is_a_bundle_with_the_patient_only(alice: Account) -> None:
    found = fhir.bundle(alice.identity.user_id, "Alice", [])
    assert [e["resource"]["resourceType"] for e in found["entry"]] == ["Patient"]
    Bundle.model_validate(found)
