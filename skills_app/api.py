"""HTTP routes that Reflex's websocket cannot serve.

- /auth/*: sign-up, sign-in, sign-out and password changes. They set or clear
  the HttpOnly session cookie, so the token never reaches page scripts or a
  websocket frame. CSRF defence: JSON bodies only, and an Origin header from
  the allowlist (a missing Origin is refused).
- /auth/outbox: one draft the phone queued offline (assets/app.js), saved once by
  its idempotency key when the phone is back, from whichever page is open
  (views/outbox.py; same checks, a larger body: a diary card with a long note).
- /auth/export and /auth/delete-account: the caller's whole data as a ZIP,
  and deleting the account after the password is confirmed (same checks).
(The offline page, in each language, is served by skills_app/pwa.py.)
"""

from __future__ import annotations

import contextvars
import functools
import json
import logging
import traceback
from collections.abc import Mapping
from urllib.parse import urlsplit

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from skills_app import text
from skills_app.core import auth, drafts, personal_data
from skills_app.core.cookies import session_token_from_cookie_header
from skills_app.core.dates import local_today
from skills_app.core.event_size import EVENT_PAYLOAD_MAX_BYTES
from skills_app.core.models import Role
from skills_app.core.navigation import home_path, safe_return_path
from skills_app.core.problems import Problem
from skills_app.core.settings import SESSION_COOKIE, allowed_origins
from skills_app.text.problems import say_all
from skills_app.views import outbox

logger = logging.getLogger("skills_app.auth")
MAX_BODY_BYTES = 16_384
# A queued save is what its form's event would carry, under the same limit.
OUTBOX_MAX_BODY_BYTES = EVENT_PAYLOAD_MAX_BYTES
TRY_AGAIN = Problem("try_again")
TOO_LONG = Problem("body_too_long")
USE_THE_FORM = Problem("use_the_form")
UNTRUSTED_ORIGIN = Problem("untrusted_origin")


def page_language(request: Request, body: object = None) -> str:
    """The language of the page that sent this request: what the page says it is
    (`"page_language"` in the JSON body, sent by assets/app.js and progress.js), else
    the path of its Referer ("/es/signin/" is Spanish), else the source language.
    The app's pages send no Referer (Referrer-Policy: no-referrer): it is there for
    other clients."""
    said = body.get("page_language") if isinstance(body, dict) else None
    if isinstance(said, str) and said in text.BY_CODE:
        return said
    referer = request.headers.get("referer", "")[:2048]
    try:
        path = urlsplit(referer).path
    except ValueError:
        path = ""
    return text.language_of_path(path)


def _answer(errors: Mapping[str, Problem | str], status: int, **extra: object) -> JSONResponse:
    """Errors as sentences in the current language (the page's, see `_auth_route`)."""
    return JSONResponse({"errors": say_all(errors), **extra}, status_code=status)


class _Refused(Exception):
    def __init__(self, status: int, problem: Problem) -> None:
        self.status, self.problem = status, problem


async def _read_capped_body(request: Request, cap: int = MAX_BODY_BYTES) -> bytes:
    """The body, refused as soon as it is known to be over MAX_BODY_BYTES.

    A declared Content-Length over the cap is refused before reading a byte;
    a chunked body (no length) is read with a running total, so an endless
    stream is cut off at the cap instead of filling the server's memory.
    """
    try:
        declared = int(request.headers.get("content-length", "0"))
    except ValueError:
        raise _Refused(400, USE_THE_FORM) from None
    if declared > cap:
        raise _Refused(413, TOO_LONG)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise _Refused(413, TOO_LONG)
    return bytes(body)


async def _read_json(request: Request, cap: int = MAX_BODY_BYTES) -> dict:
    if request.headers.get("origin", "").rstrip("/") not in allowed_origins():
        raise _Refused(403, UNTRUSTED_ORIGIN)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise _Refused(415, USE_THE_FORM)
    body = await _read_capped_body(request, cap)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise _Refused(400, USE_THE_FORM) from None
    if not isinstance(data, dict):
        raise _Refused(400, USE_THE_FORM)
    return data


def _session_token(request: Request) -> str | None:
    return session_token_from_cookie_header(request.headers.get("cookie", ""))


def _client_address(request: Request) -> str:
    return (request.client.host if request.client else "unknown")[:64]


def _with_session_cookie(response: Response, result: auth.AuthResult) -> Response:
    policy = auth.SESSION_POLICIES[result.identity.role]
    response.set_cookie(SESSION_COOKIE, result.token, httponly=True, secure=True,
                        samesite="strict", path="/",
                        max_age=int(policy.absolute.total_seconds()))
    return response


def _without_session_cookie(response: Response) -> Response:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True,
                           samesite="strict")
    return response


def _errors(result: auth.AuthResult) -> JSONResponse:
    return _answer(result.errors or {}, 400)


AUTH_THREADS = 2


@functools.cache
def _auth_threads() -> anyio.CapacityLimiter:
    """A few threads for the auth routes (one event loop per worker, so one limiter).

    Each request does Python work under the GIL around its argon2 call; a storm
    of sign-ins spread over Starlette's 40 default threads would take the GIL
    from the event loop that answers every patient's save.
    """
    return anyio.CapacityLimiter(AUTH_THREADS)


def _crashed(request: Request, error: Exception) -> JSONResponse:
    # The type and where it happened, never the message or the body: a
    # PostgreSQL IntegrityError quotes the duplicate email in its DETAIL
    # line (bound parameters are hidden, server messages are not), and
    # the body may hold a password.
    logger.error("auth route %s failed: %s\n%s", request.url.path, type(error).__name__,
                 "".join(traceback.format_tb(error.__traceback__)).rstrip())
    return _answer({"form": TRY_AGAIN}, 500)


def _auth_route(handler, cap: int = MAX_BODY_BYTES):  # noqa: ANN001, ANN202
    """Apply the CSRF checks and turn refusals and crashes into kind JSON answers,
    in the language of the page that sent the request (bodies up to `cap` bytes)."""

    async def endpoint(request: Request) -> Response:
        try:
            body = await _read_json(request, cap)
        except _Refused as refused:
            with text.language(page_language(request)):
                return _answer({"form": refused.problem}, refused.status)
        except Exception as error:
            with text.language(page_language(request)):
                return _crashed(request, error)
        # Everything below speaks the page's language, and only this request does.
        with text.language(page_language(request, body)):
            try:
                # argon2 takes tens of milliseconds: keep it off the event loop (the
                # thread runs in a copy of this context, so it speaks the same language).
                return await anyio.to_thread.run_sync(
                    contextvars.copy_context().run, handler, request, body,
                    limiter=_auth_threads())
            except Exception as error:
                return _crashed(request, error)

    return endpoint


@_auth_route
def _sign_up(request: Request, body: dict) -> Response:
    result = auth.sign_up(body, address=_client_address(request))
    if not result.ok:
        return _errors(result)
    logger.info("sign-up user=%s role=%s", result.identity.user_id, result.identity.role)
    return _with_session_cookie(JSONResponse(
        {"next": home_path(result.identity.role, result.identity.language)}), result)


@_auth_route
def _sign_in(request: Request, body: dict) -> Response:
    result = auth.sign_in(body, address=_client_address(request),
                          replacing=_session_token(request))
    if not result.ok:
        return _errors(result)
    logger.info("sign-in user=%s", result.identity.user_id)
    target = safe_return_path(body.get("next"), result.identity.role,
                              result.identity.language)
    return _with_session_cookie(JSONResponse({"next": target}), result)


@_auth_route
def _sign_out(request: Request, body: dict) -> Response:
    auth.sign_out(_session_token(request))
    return _without_session_cookie(JSONResponse({"next": text.href("/signin/")}))


@_auth_route
def _sign_out_everywhere(request: Request, body: dict) -> Response:
    identity = auth.resolve_session(_session_token(request))
    if identity is not None:
        ended = auth.sign_out_everywhere(identity.user_id)
        logger.info("sign-out-everywhere user=%s sessions=%s", identity.user_id, ended)
    return _without_session_cookie(JSONResponse({"next": text.href("/signin/")}))


@_auth_route
def _change_password(request: Request, body: dict) -> Response:
    identity = auth.resolve_session(_session_token(request))
    if identity is None:
        return _sign_in_again()
    result = auth.change_password(identity, body, address=_client_address(request))
    if not result.ok:
        return _errors(result)
    logger.info("password-changed user=%s", identity.user_id)
    return _with_session_cookie(JSONResponse({"next": text.href("/account/?changed=1")}),
                                result)


def _signed_in(request: Request) -> auth.Identity | None:
    return auth.resolve_session(_session_token(request))


def _sign_in_again() -> JSONResponse:
    return _answer({"form": auth.SIGN_IN_AGAIN}, 401, next=text.href("/signin/"))


@_auth_route
def _export(request: Request, body: dict) -> Response:
    """Everything the app keeps about the caller, as a ZIP (see core/personal_data.py)."""
    identity = _signed_in(request)
    archive = personal_data.export_zip(identity.user_id) if identity else None
    if identity is None or archive is None:
        return _sign_in_again()
    logger.info("data-export user=%s bytes=%s", identity.user_id, len(archive))
    name = personal_data.export_file_name(local_today(identity.time_zone))
    return Response(archive, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store"})


@_auth_route
def _delete_account(request: Request, body: dict) -> Response:
    identity = _signed_in(request)
    if identity is None:
        return _sign_in_again()
    errors = auth.delete_account(identity, body, address=_client_address(request),
                                 erase=personal_data.erase)
    if errors:
        return _answer(errors, 400)
    logger.info("account-deleted user=%s", identity.user_id)
    return _without_session_cookie(JSONResponse({"next": text.href("/goodbye/")}))


def _outbox(request: Request, body: dict) -> Response:
    """One queued draft: `owner` (whose drafts the phone sent, data-draft-owner),
    `name` (the draft's) and `values` (its form's fields)."""
    identity = _signed_in(request)
    if identity is None:
        return _sign_in_again()
    if identity.role is not Role.PATIENT:
        return _answer({"form": USE_THE_FORM}, 403)
    if body.get("owner") != drafts.draft_owner(identity.user_id):
        # Someone else's draft on a shared phone: never saved under this account.
        return JSONResponse({"errors": {}, "not_yours": True}, status_code=409)
    result = outbox.save_queued(identity, body.get("name"), body.get("values"))
    if result.errors:
        return _answer(result.errors, 400)
    return JSONResponse({"saved": result.saved_key})


routes = [
    Route("/auth/signup", _sign_up, methods=["POST"]),
    Route("/auth/login", _sign_in, methods=["POST"]),
    Route("/auth/logout", _sign_out, methods=["POST"]),
    Route("/auth/logout-everywhere", _sign_out_everywhere, methods=["POST"]),
    Route("/auth/password", _change_password, methods=["POST"]),
    Route("/auth/outbox", _auth_route(_outbox, OUTBOX_MAX_BODY_BYTES), methods=["POST"]),
    Route("/auth/export", _export, methods=["POST"]),
    Route("/auth/delete-account", _delete_account, methods=["POST"]),
]
