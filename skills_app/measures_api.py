"""The patient's check-up results as a FHIR R4 download (GET /measures/export/fhir.json).

A plain HTTP route rather than a websocket event, so the phone saves a file.
The patient comes from the session cookie, resolved on every request like the
auth routes do, off the event loop; a therapist or no session is refused.
`?id=N` narrows the download to one result, which must be the patient's own.
"""

from __future__ import annotations

import json
import logging

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from skills_app import text
from skills_app.core import auth, fhir, measures
from skills_app.core.cookies import session_token_from_cookie_header
from skills_app.core.models import Role
from skills_app.core.problems import Problem
from skills_app.text.problems import say

logger = logging.getLogger("skills_app.measures")
SIGN_IN = Problem("measure_sign_in")
PATIENTS_ONLY = Problem("measure_patients_only")
FILE_NAME = "check-ups-fhir.json"


def _refused(status: int, problem: Problem, language: str) -> JSONResponse:
    with text.language(language):
        sentence = say(problem)
    return JSONResponse({"errors": {"form": sentence}}, status_code=status,
                        headers={"Cache-Control": "no-store"})


def export_response(cookie_header: str, result_id: str | None,
                    accept_language: str = "") -> Response:
    """The download for whoever holds this cookie (blocking: run it in a thread).

    A refusal is said in the account's language, or the browser's before sign-in."""
    identity = auth.resolve_session(session_token_from_cookie_header(cookie_header))
    if identity is None:
        return _refused(401, SIGN_IN, text.from_accept_language(accept_language))
    if identity.role != Role.PATIENT:
        return _refused(403, PATIENTS_ONLY, identity.language)
    if result_id is None:
        results = measures.all_results(identity.user_id)
    else:
        found = measures.get_result(identity.user_id, result_id)
        if found is None:
            return _refused(404, measures.NOT_FOUND, identity.language)
        results = [found]
    bundle = fhir.bundle(identity.user_id, identity.display_name, results)
    logger.info("fhir-export user=%s results=%s", identity.user_id, len(results))
    return Response(json.dumps(bundle, ensure_ascii=False), media_type="application/fhir+json",
                    headers={"Content-Disposition": f'attachment; filename="{FILE_NAME}"',
                             "Cache-Control": "no-store"})


async def _export(request: Request) -> Response:
    return await anyio.to_thread.run_sync(export_response, request.headers.get("cookie", ""),
                                          request.query_params.get("id"),
                                          request.headers.get("accept-language", ""))


routes = [Route("/measures/export/fhir.json", _export, methods=["GET"])]
