"""POST /reminders/snooze: "Remind me later" from a reminder's notification.

The service worker posts JSON `{"delivery": <id>, "minutes": 30 | 60}` with the
session cookie when the patient taps a snooze action (core/reminders.py makes
the new delivery). The same checks as the auth routes (JSON only, an allowed
Origin, a capped body; `api._auth_route`), and the patient comes from the
session on every call: only the caller's own reminder is ever put off. Someone
else's delivery id is answered like an unknown one, and logged.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from skills_app import api, text
from skills_app.core import reminders, sharing
from skills_app.core.models import Role

SNOOZE_PATH = "/reminders/snooze"
ACTION = "reminder_snooze"


def _snooze(request: Request, body: dict) -> Response:
    identity = api._signed_in(request)
    if identity is None:
        return api._sign_in_again()
    with text.language(identity.language):
        if identity.role is not Role.PATIENT:
            return api._answer({"form": api.USE_THE_FORM}, 403)
        at, problem = reminders.snooze(identity.user_id, body.get("delivery"),
                                       body.get("minutes"))
        if problem == reminders.REMINDER_NOT_FOUND:
            sharing.record_refusal(identity.user_id, None, ACTION, "not_found")
            return api._answer({"form": problem}, 404)
        if problem is not None:
            return api._answer({"form": problem}, 400)
        return JSONResponse({"snoozed": True, "at": at.isoformat()})


routes = [Route(SNOOZE_PATH, api._auth_route(_snooze), methods=["POST"])]
