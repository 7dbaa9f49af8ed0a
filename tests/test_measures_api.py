"""GET /measures/export/fhir.json in-process: the patient's own results as a FHIR
Bundle; no session, a therapist, and another patient's or a forged result id refused."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle
from starlette.applications import Starlette

from skills_app import measures_api
from skills_app.core import measures
from skills_app.core.settings import SESSION_COOKIE
from tests.conftest import Account

URL = "/measures/export/fhir.json"


async def get(token: str | None, query: str = "", language: str = "") -> httpx.Response:
    transport = httpx.ASGITransport(app=Starlette(routes=measures_api.routes))
    cookies = {SESSION_COOKIE: token} if token else {}
    headers = {"Accept-Language": language} if language else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost",
                                 cookies=cookies, headers=headers) as client:
        return await client.get(URL + query)


NOT_FOUND = "We couldn't find that result."


def save(account: Account, questionnaire: str, answers: list[int]) -> measures.ResultView:
    outcome = measures.save_result(account.identity.user_id, "America/Chicago", {
        "questionnaire": questionnaire, "idempotency_key": str(uuid.uuid4()),
        "answers": answers})
    assert outcome.ok
    return outcome.result


async def test_the_patient_downloads_a_valid_bundle_of_their_own_results(
        alice: Account, bob: Account) -> None:
    save(alice, "phq9", [1] * 9)
    save(alice, "gad7", [2] * 7)
    save(bob, "phq9", [3] * 9)
    response = await get(alice.token)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    bundle = Bundle.model_validate_json(response.text)
    codes = [c.code for e in bundle.entry if e.resource.__resource_type__ == "Observation"
             for c in e.resource.code.coding]
    assert codes == ["44261-6", "70274-6"]
    totals = [e.resource.valueInteger for e in bundle.entry
              if e.resource.__resource_type__ == "Observation"]
    assert totals == [9, 14]  # bob's 27 is not in alice's download
    assert bundle.entry[0].resource.name[0].text == "Alice"


async def test_one_result_by_id_and_never_another_patients(alice: Account,
                                                          bob: Account) -> None:
    mine = save(alice, "gad7", [1] * 7)
    bobs = save(bob, "phq9", [3] * 9)
    one = Bundle.model_validate_json((await get(alice.token, f"?id={mine.id}")).text)
    assert len(one.entry) == 3  # the patient, the response, the total
    refused = await get(alice.token, f"?id={bobs.id}")
    assert refused.status_code == 404
    assert refused.json() == {"errors": {"form": NOT_FOUND}}
    assert "Bob" not in refused.text and "27" not in refused.text


@pytest.mark.parametrize("forged", ["-1", "0", "abc", "1e3", "9" * 40, "", "1;2"])
async def test_a_forged_result_id_is_refused(alice: Account, forged: str) -> None:
    save(alice, "phq9", [0] * 9)
    response = await get(alice.token, f"?id={forged}")
    assert response.status_code == 404
    assert response.json() == {"errors": {"form": NOT_FOUND}}


async def test_no_session_or_a_therapist_is_refused(alice: Account, carol: Account) -> None:
    save(alice, "phq9", [1] * 9)
    sign_in = "Please sign in again to download your results."
    for token, status, message in ((None, 401, sign_in),
                                   ("not-a-real-token", 401, sign_in),
                                   (carol.token, 403,
                                    "Only a patient can download their own check-ups.")):
        response = await get(token)
        assert response.status_code == status
        assert response.json() == {"errors": {"form": message}}


async def test_a_refusal_is_said_in_the_browsers_language_before_sign_in() -> None:
    response = await get(None, language="es-MX,es;q=0.9,en;q=0.5")
    assert response.status_code == 401
    assert response.json() == {"errors": {"form": (
        "Vuelve a iniciar sesión para descargar tus resultados.")}}
