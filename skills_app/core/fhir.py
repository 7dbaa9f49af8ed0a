"""FHIR R4 export of PHQ-9 and GAD-7 results, for clinical systems.

Each result becomes a QuestionnaireResponse (the answers, US Core profile) and
an Observation for the total score, coded with the LOINC codes of
../shared/clinical.md (panel and total score), the answers with LOINC's answer
list for both instruments (LL358-3). A download is a Bundle of type
"collection" holding the patient and those resources.

The bundle is built as plain JSON and checked with `fhir.resources` before it
leaves (its R4B models: R4B is R4 with the same QuestionnaireResponse and
Observation), so a shape error fails here, never in a clinic's system.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from skills_app.content.measures import ANSWER_OPTIONS
from skills_app.core.clock import utcnow
from skills_app.core.measures import ResultView

LOINC = "http://loinc.org"
# LOINC answer list LL358-3 ("Not at all" ... "Nearly every day"), for both instruments.
ANSWER_CODES = ("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")
US_CORE_QR = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-questionnaireresponse"
US_CORE_SCREENING = ("http://hl7.org/fhir/us/core/StructureDefinition/"
                     "us-core-observation-screening-assessment")
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Stable ids inside this app's exports (fullUrls are urn:uuid, as a collection allows).
_NAMESPACE = uuid.UUID("6f3c1f0e-2a47-4b7e-9c55-0d5f3b8a9e21")


def _urn(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}:{key}')}"


def _instant(result: ResultView) -> str:
    return result.completed_at.isoformat(timespec="seconds").replace("+00:00", "Z")


def _answer(value: int) -> dict[str, Any]:
    return {"valueCoding": {"system": LOINC, "code": ANSWER_CODES[value],
                            "display": ANSWER_OPTIONS[value]}}


def questionnaire_response(result: ResultView, patient_ref: str) -> dict[str, Any]:
    q = result.questionnaire
    items: list[dict[str, Any]] = [
        {"linkId": str(number), "text": text, "answer": [_answer(value)]}
        for number, (text, value) in enumerate(zip(q.items, result.answers, strict=True), 1)]
    if result.difficulty is not None:
        items.append({"linkId": "difficulty", "text": q.follow_up,
                      "answer": [{"valueString": q.follow_up_options[result.difficulty]}]})
    items.append({"linkId": "total", "text": f"{q.title} total score",
                  "answer": [{"valueInteger": result.total}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "meta": {"profile": [US_CORE_QR]},
        "identifier": {"system": "urn:ietf:rfc:3986",
                       "value": f"urn:uuid:{result.idempotency_key}"},
        "questionnaire": f"{LOINC}/q/{q.panel_loinc}",
        "status": "completed",
        "subject": {"reference": patient_ref},
        "authored": _instant(result),
        "author": {"reference": patient_ref},
        "item": items,
    }


def total_observation(result: ResultView, patient_ref: str, response_ref: str) -> dict[str, Any]:
    q = result.questionnaire
    return {
        "resourceType": "Observation",
        "meta": {"profile": [US_CORE_SCREENING]},
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "survey",
                                  "display": "Survey"}]}],
        "code": {"coding": [{"system": LOINC, "code": q.total_loinc,
                             "display": f"{q.title} total score"}],
                 "text": f"{q.title} total score"},
        "subject": {"reference": patient_ref},
        "effectiveDateTime": _instant(result),
        "performer": [{"reference": patient_ref}],
        "valueInteger": result.total,
        "interpretation": [{"text": result.band}],
        "derivedFrom": [{"reference": response_ref}],
        "note": [{"text": f"{q.title} band: {result.band} "
                          f"(score {result.total} of {q.max_total})."}],
    }


def bundle(user_id: int, display_name: str, results: Sequence[ResultView]) -> dict[str, Any]:
    """A collection Bundle: the patient, then each result's response and total."""
    patient_ref = _urn("patient", user_id)
    entries: list[dict[str, Any]] = [{"fullUrl": patient_ref, "resource": {
        "resourceType": "Patient", "name": [{"text": display_name}]}}]
    for result in results:
        response_ref = _urn("response", result.idempotency_key)
        entries.append({"fullUrl": response_ref,
                        "resource": questionnaire_response(result, patient_ref)})
        entries.append({"fullUrl": _urn("total", result.idempotency_key),
                        "resource": total_observation(result, patient_ref, response_ref)})
    found = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": utcnow().isoformat(timespec="seconds").replace("+00:00", "Z"),
        "entry": entries,
    }
    Bundle.model_validate(found)  # raises on any shape error: nothing invalid leaves
    return found
