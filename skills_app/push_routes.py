"""Web Push subscriptions of the caller's own signed-in browser (core/push.py).

- GET /push/key: the deployment's VAPID public key, which the page gives
  `pushManager.subscribe` (public by nature; nothing else is in the answer).
- POST /push/subscribe: this device's `PushSubscription.toJSON()`, kept for the
  caller and tied to their session, so signing out here removes it.
- POST /push/unsubscribe and /push/status: `{"endpoint": ...}`, "Turn off" and
  whether this device is on, for the caller's own rows only.

The POST routes are the auth routes' kind (api.py): JSON only, an allowed
Origin, a small body, the patient resolved from the session cookie in a thread.
"""

from __future__ import annotations

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from skills_app.api import USE_THE_FORM, _answer, _auth_route, _sign_in_again, _signed_in
from skills_app.core import auth, push
from skills_app.core.models import Role

MAX_BODY_BYTES = 4096  # an endpoint of up to 1,024 characters and two short keys


def _patient(request: Request) -> auth.Identity | Response:
    identity = _signed_in(request)
    if identity is None:
        return _sign_in_again()
    if identity.role is not Role.PATIENT:
        return _answer({"form": USE_THE_FORM}, 403)
    return identity


def _subscribe(request: Request, body: dict) -> Response:
    identity = _patient(request)
    if isinstance(identity, Response):
        return identity
    problem = push.save_subscription(identity.user_id, identity.session_id,
                                     body.get("subscription"))
    if problem is not None:
        status = 409 if problem == push.SUBSCRIPTION_TAKEN else 400
        return _answer({"form": problem}, status)
    return JSONResponse({"on": True})


def _unsubscribe(request: Request, body: dict) -> Response:
    identity = _patient(request)
    if isinstance(identity, Response):
        return identity
    push.remove_subscription(identity.user_id, body.get("endpoint"))
    return JSONResponse({"on": False})


def _status(request: Request, body: dict) -> Response:
    identity = _patient(request)
    if isinstance(identity, Response):
        return identity
    return JSONResponse({"on": push.is_subscribed(identity.user_id, body.get("endpoint"))})


async def _public_key(request: Request) -> Response:
    key = await anyio.to_thread.run_sync(push.public_key)
    return JSONResponse({"key": key}, headers={"Cache-Control": "no-cache"})


routes = [
    Route("/push/key", _public_key, methods=["GET"]),
    Route("/push/subscribe", _auth_route(_subscribe, MAX_BODY_BYTES), methods=["POST"]),
    Route("/push/unsubscribe", _auth_route(_unsubscribe, MAX_BODY_BYTES), methods=["POST"]),
    Route("/push/status", _auth_route(_status, MAX_BODY_BYTES), methods=["POST"]),
]
