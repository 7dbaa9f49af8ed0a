"""HTTP routes that Reflex's websocket cannot serve.

- /auth/*: sign-up, sign-in, sign-out and password changes. They set or clear
  the HttpOnly session cookie, so the token never reaches page scripts or a
  websocket frame. CSRF defence: JSON bodies only, and an Origin header from
  the allowlist (a missing Origin is refused).
- /auth/export and /auth/delete-account: the caller's whole data as a ZIP,
  and deleting the account after the password is confirmed (same checks).
(The offline page, in each language, is served by skills_app/pwa.py.)
"""

from __future__ import annotations

import functools
import json
import logging
import traceback

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from skills_app.core import auth, personal_data
from skills_app.core.cookies import session_token_from_cookie_header
from skills_app.core.dates import local_today
from skills_app.core.navigation import home_path, safe_return_path
from skills_app.core.settings import SESSION_COOKIE, allowed_origins

logger = logging.getLogger("skills_app.auth")
MAX_BODY_BYTES = 16_384
TRY_AGAIN = "Something went wrong on our side. Your details are still here: please try again."
TOO_LONG = "That is more text than this form takes."


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.response = JSONResponse({"errors": {"form": message}}, status_code=status)


async def _read_capped_body(request: Request) -> bytes:
    """The body, refused as soon as it is known to be over MAX_BODY_BYTES.

    A declared Content-Length over the cap is refused before reading a byte;
    a chunked body (no length) is read with a running total, so an endless
    stream is cut off at the cap instead of filling the server's memory.
    """
    try:
        declared = int(request.headers.get("content-length", "0"))
    except ValueError:
        raise _Refused(400, "Please use the form on this page.") from None
    if declared > MAX_BODY_BYTES:
        raise _Refused(413, TOO_LONG)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _Refused(413, TOO_LONG)
    return bytes(body)


async def _read_json(request: Request) -> dict:
    if request.headers.get("origin", "").rstrip("/") not in allowed_origins():
        raise _Refused(403, "This request came from somewhere we don't trust.")
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise _Refused(415, "Please use the form on this page.")
    body = await _read_capped_body(request)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise _Refused(400, "Please use the form on this page.") from None
    if not isinstance(data, dict):
        raise _Refused(400, "Please use the form on this page.")
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
    return JSONResponse({"errors": result.errors}, status_code=400)


AUTH_THREADS = 2


@functools.cache
def _auth_threads() -> anyio.CapacityLimiter:
    """A few threads for the auth routes (one event loop per worker, so one limiter).

    Each request does Python work under the GIL around its argon2 call; a storm
    of sign-ins spread over Starlette's 40 default threads would take the GIL
    from the event loop that answers every patient's save.
    """
    return anyio.CapacityLimiter(AUTH_THREADS)


def _auth_route(handler):  # noqa: ANN001, ANN202
    """Apply the CSRF checks and turn refusals and crashes into kind JSON answers."""

    async def endpoint(request: Request) -> Response:
        try:
            body = await _read_json(request)
            # argon2 takes tens of milliseconds: keep it off the event loop.
            return await anyio.to_thread.run_sync(handler, request, body,
                                                  limiter=_auth_threads())
        except _Refused as refused:
            return refused.response
        except Exception as error:
            # The type and where it happened, never the message or the body: a
            # PostgreSQL IntegrityError quotes the duplicate email in its DETAIL
            # line (bound parameters are hidden, server messages are not), and
            # the body may hold a password.
            logger.error("auth route %s failed: %s\n%s", request.url.path,
                         type(error).__name__,
                         "".join(traceback.format_tb(error.__traceback__)).rstrip())
            return JSONResponse({"errors": {"form": TRY_AGAIN}}, status_code=500)

    return endpoint


@_auth_route
def _sign_up(request: Request, body: dict) -> Response:
    result = auth.sign_up(body, address=_client_address(request))
    if not result.ok:
        return _errors(result)
    logger.info("sign-up user=%s role=%s", result.identity.user_id, result.identity.role)
    return _with_session_cookie(
        JSONResponse({"next": home_path(result.identity.role)}), result)


@_auth_route
def _sign_in(request: Request, body: dict) -> Response:
    result = auth.sign_in(body, address=_client_address(request),
                          replacing=_session_token(request))
    if not result.ok:
        return _errors(result)
    logger.info("sign-in user=%s", result.identity.user_id)
    target = safe_return_path(body.get("next"), result.identity.role)
    return _with_session_cookie(JSONResponse({"next": target}), result)


@_auth_route
def _sign_out(request: Request, body: dict) -> Response:
    auth.sign_out(_session_token(request))
    return _without_session_cookie(JSONResponse({"next": "/signin/"}))


@_auth_route
def _sign_out_everywhere(request: Request, body: dict) -> Response:
    identity = auth.resolve_session(_session_token(request))
    if identity is not None:
        ended = auth.sign_out_everywhere(identity.user_id)
        logger.info("sign-out-everywhere user=%s sessions=%s", identity.user_id, ended)
    return _without_session_cookie(JSONResponse({"next": "/signin/"}))


@_auth_route
def _change_password(request: Request, body: dict) -> Response:
    identity = auth.resolve_session(_session_token(request))
    if identity is None:
        return JSONResponse({"errors": {"form": "Please sign in again."},
                             "next": "/signin/"}, status_code=401)
    result = auth.change_password(identity, body, address=_client_address(request))
    if not result.ok:
        return _errors(result)
    logger.info("password-changed user=%s", identity.user_id)
    return _with_session_cookie(JSONResponse({"next": "/account/?changed=1"}), result)


def _signed_in(request: Request) -> auth.Identity | None:
    return auth.resolve_session(_session_token(request))


_SIGN_IN_AGAIN = {"errors": {"form": "Please sign in again."}, "next": "/signin/"}


@_auth_route
def _export(request: Request, body: dict) -> Response:
    """Everything the app keeps about the caller, as a ZIP (see core/personal_data.py)."""
    identity = _signed_in(request)
    archive = personal_data.export_zip(identity.user_id) if identity else None
    if identity is None or archive is None:
        return JSONResponse(_SIGN_IN_AGAIN, status_code=401)
    logger.info("data-export user=%s bytes=%s", identity.user_id, len(archive))
    name = personal_data.export_file_name(local_today(identity.time_zone))
    return Response(archive, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store"})


@_auth_route
def _delete_account(request: Request, body: dict) -> Response:
    identity = _signed_in(request)
    if identity is None:
        return JSONResponse(_SIGN_IN_AGAIN, status_code=401)
    errors = auth.delete_account(identity, body, address=_client_address(request),
                                 erase=personal_data.erase)
    if errors:
        return JSONResponse({"errors": errors}, status_code=400)
    logger.info("account-deleted user=%s", identity.user_id)
    return _without_session_cookie(JSONResponse({"next": "/goodbye/"}))


routes = [
    Route("/auth/signup", _sign_up, methods=["POST"]),
    Route("/auth/login", _sign_in, methods=["POST"]),
    Route("/auth/logout", _sign_out, methods=["POST"]),
    Route("/auth/logout-everywhere", _sign_out_everywhere, methods=["POST"]),
    Route("/auth/password", _change_password, methods=["POST"]),
    Route("/auth/export", _export, methods=["POST"]),
    Route("/auth/delete-account", _delete_account, methods=["POST"]),
]
