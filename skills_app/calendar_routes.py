"""The patient's group schedule as a calendar file (GET /calendar/groups.ics).

A plain HTTP route, so the phone saves a file and hands it to its calendar. The
patient comes from the session cookie, resolved on every request off the event
loop; no argument names a patient or a track: only the caller's own track is
ever written. Anyone else (no session, a therapist) gets 404 and an audit row.
The events carry a neutral title ("Group" and the program's name, in the
patient's language): nothing clinical on a lock screen.
"""

from __future__ import annotations

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from skills_app.core import auth, schedule, sharing
from skills_app.core.cookies import session_token_from_cookie_header
from skills_app.core.models import Role
from skills_app.text import N_, _
from skills_app.text import language as speaking
from skills_app.views.groups import CALENDAR_FILE, CALENDAR_HREF

NOTHING = N_("Nothing to show. Please sign in and open Groups in the app.")
ACTION = "calendar"


def calendar_file(cookie_header: str) -> bytes | None:
    """The caller's own calendar, or None when refused (blocking: run it in a thread)."""
    identity = auth.resolve_session(session_token_from_cookie_header(cookie_header))
    if identity is None:
        sharing.record_refusal(None, None, ACTION, "not_signed_in")
        return None
    if identity.role != Role.PATIENT:
        sharing.record_refusal(identity.user_id, None, ACTION, "wrong_role")
        return None
    with speaking(identity.language):
        return schedule.calendar_ics(identity.user_id)


async def _calendar(request: Request) -> Response:
    body = await anyio.to_thread.run_sync(calendar_file, request.headers.get("cookie", ""))
    if body is None:
        return PlainTextResponse(_(NOTHING), status_code=404,
                                 headers={"Cache-Control": "no-store"})
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{CALENDAR_FILE}"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


routes = [Route(CALENDAR_HREF, _calendar, methods=["GET"])]
