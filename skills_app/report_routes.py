"""HTTP routes for the session summary as PDF and CSV (downloads cannot travel over
the websocket).

- GET /reports/session.pdf|csv?week=YYYY-MM-DD: a patient's own summary, every
  category, for their own use.
- GET /reports/session.pdf|csv?id=N&week=...: a therapist's, through
  `sharing.therapist_reads` (the shared categories only, audited as a
  disclosure with the report's id), with the Part 2 redisclosure notice.

The session cookie (HttpOnly, SameSite=Strict) is resolved like every event;
anything refused answers 404 with nothing of the patient, and is audited.

A report is written in its reader's account language (`identity.language`):
its words, dates and numbers; what the patient typed stays as typed.
"""

from __future__ import annotations

import logging
import uuid

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from skills_app.core import auth, programs, sharing
from skills_app.core.cookies import session_token_from_cookie_header
from skills_app.core.models import Role
from skills_app.text import N_, _
from skills_app.text import language as speaking
from skills_app.views import reports, therapist

logger = logging.getLogger("skills_app.reports")
NOTHING = N_("Nothing to show. Please sign in and open the summary from the app.")


def _build(token: str | None, raw_id: str | None, raw_week: str,
           kind: str, address: str | None = None) -> tuple[bytes | str, str] | None:
    identity = auth.resolve_session(token)
    action = f"report_{kind}"
    if identity is None:
        sharing.record_refusal(None, raw_id, action, "not_signed_in", address)
        return None
    with speaking(identity.language):
        return _report(identity, raw_id, raw_week, kind)


def _report(identity: auth.Identity, raw_id: str | None, raw_week: str,
            kind: str) -> tuple[bytes | str, str] | None:
    action = f"report_{kind}"
    report_id = str(uuid.uuid4())
    if identity.role == Role.PATIENT:
        if raw_id not in (None, "", str(identity.user_id)):
            sharing.record_refusal(identity.user_id, raw_id, action, "wrong_role")
            return None
        everything = sharing.shared_parts(sharing.CATEGORY_KEYS, sharing.CONSENT_VERSION)
        screen = therapist.detail_screen(identity.user_id, everything, raw_week).as_dict()
        # A patient reads their own flags, never a rank of how urgent they are.
        screen["tier"] = screen["tier_class"] = ""
        disclosed = False
    else:
        if programs.membership_of(identity.user_id) is None:
            sharing.record_refusal(identity.user_id, raw_id, action, "inactive")
            return None
        access = sharing.therapist_reads(identity.user_id, raw_id, action,
                                         report_id=report_id)
        if not access.allowed:
            return None
        screen = therapist.detail_screen(access.patient_id, access.categories,
                                         raw_week, identity.user_id).as_dict()
        disclosed = True
    if kind == "pdf":
        return reports.session_pdf(screen, disclosed=disclosed, report_id=report_id), \
            f"session-summary-{screen['week']}.pdf"
    return reports.session_csv(screen, disclosed=disclosed, report_id=report_id), \
        f"session-summary-{screen['week']}.csv"


def _endpoint(kind: str):  # noqa: ANN202
    media = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}[kind]

    async def endpoint(request: Request) -> Response:
        token = session_token_from_cookie_header(request.headers.get("cookie", ""))
        raw_id = request.query_params.get("id")
        raw_week = request.query_params.get("week", "")
        address = request.client.host if request.client else None
        built = await anyio.to_thread.run_sync(_build, token, raw_id, raw_week[:20], kind,
                                               address)
        if built is None:
            return PlainTextResponse(_(NOTHING), status_code=404,
                                     headers={"Cache-Control": "no-store"})
        body, filename = built
        return Response(body, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})

    return endpoint


routes = [
    Route("/reports/session.pdf", _endpoint("pdf"), methods=["GET"]),
    Route("/reports/session.csv", _endpoint("csv"), methods=["GET"]),
]
