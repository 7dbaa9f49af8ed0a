"""HTTP routes that Reflex's websocket cannot serve.

- /auth/*: sign-up, sign-in, sign-out and password changes. They set or clear
  the HttpOnly session cookie, so the token never reaches page scripts or a
  websocket frame. CSRF defence: JSON bodies only, and an Origin header from
  the allowlist (a missing Origin is refused).
- /auth/export and /auth/delete-account: the caller's whole data as a ZIP,
  and deleting the account after the password is confirmed (same checks).
- /offline.html: the page the service worker shows when there is no network;
  it carries the crisis resources and the overdose and withdrawal safety text.
"""

from __future__ import annotations

import contextvars
import functools
import html
import json
import logging
import traceback
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from skills_app import text
from skills_app.content.crisis import CRISIS_RESOURCES, NOBODY_WATCHES, CrisisAction
from skills_app.content.overdose import OVERDOSE_SAFETY, SECTION_ID, TITLE, OverdoseSafety
from skills_app.core import auth, personal_data
from skills_app.core.cookies import session_token_from_cookie_header
from skills_app.core.dates import local_today
from skills_app.core.navigation import home_path, safe_return_path
from skills_app.core.problems import Problem
from skills_app.core.settings import SESSION_COOKIE, allowed_origins
from skills_app.text import N_, _
from skills_app.text.problems import say_all

logger = logging.getLogger("skills_app.auth")
MAX_BODY_BYTES = 16_384
TRY_AGAIN = Problem("try_again")
TOO_LONG = Problem("body_too_long")
USE_THE_FORM = Problem("use_the_form")
UNTRUSTED_ORIGIN = Problem("untrusted_origin")


def page_language(request: Request, body: object = None) -> str:
    """The language of the page that sent this request: what the page says it is
    (`"page_language"` in the JSON body, sent by assets/app.js), else the path of
    its Referer ("/es/signin/" is Spanish), else the source language."""
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


async def _read_capped_body(request: Request) -> bytes:
    """The body, refused as soon as it is known to be over MAX_BODY_BYTES.

    A declared Content-Length over the cap is refused before reading a byte;
    a chunked body (no length) is read with a running total, so an endless
    stream is cut off at the cap instead of filling the server's memory.
    """
    try:
        declared = int(request.headers.get("content-length", "0"))
    except ValueError:
        raise _Refused(400, USE_THE_FORM) from None
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
        raise _Refused(403, UNTRUSTED_ORIGIN)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise _Refused(415, USE_THE_FORM)
    body = await _read_capped_body(request)
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


def _auth_route(handler):  # noqa: ANN001, ANN202
    """Apply the CSRF checks and turn refusals and crashes into kind JSON answers,
    in the language of the page that sent the request."""

    async def endpoint(request: Request) -> Response:
        try:
            body = await _read_json(request)
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


_OFFLINE_TEMPLATE = Path(__file__).parent / "templates" / "offline.html"
OFFLINE_TITLE = N_("You're offline")
REFERRAL_ONLY = N_("Treatment referral, not a crisis line")


def _action_label(label: str) -> str:
    """A button's words, a phone number at its end kept on one line."""
    head, _, last = label.rpartition(" ")
    if head and sum(ch.isdigit() for ch in last) >= 7:
        return f'{html.escape(head)} <span class="nowrap">{html.escape(last)}</span>'
    return html.escape(label)


def _action_links(actions: tuple[CrisisAction, ...]) -> str:
    return "".join(
        f'<a class="action" href="{html.escape(action.href)}">{_action_label(_(action.label))}</a>'
        for action in actions)


def _overdose_html(section: OverdoseSafety) -> str:
    """The overdose and withdrawal section, as the help page shows it (one text)."""
    parts = []
    for part in section.parts:
        points = "".join(f"<li>{html.escape(_(point))}</li>" for point in part.points)
        tag = "ol" if part.steps else "ul"
        parts.append(
            f"<h3>{html.escape(_(part.heading))}</h3>"
            + (f"<p>{html.escape(_(part.lead))}</p>" if part.lead else "")
            + (f"<{tag} class=points>{points}</{tag}>" if points else "")
            + (f"<p>{html.escape(_(part.after))}</p>" if part.after else ""))
    return (f'<section id="{SECTION_ID}" class="overdose" aria-labelledby="{SECTION_ID}-h">'
            f'<h2 id="{SECTION_ID}-h">{html.escape(_(TITLE))}</h2>'
            f"<p><strong>{html.escape(_(section.lead))}</strong></p>"
            f"{_action_links(section.actions)}{''.join(parts)}</section>")


def offline_page_html(language: str = text.SOURCE.code) -> str:
    """A self-contained page (inline styles; one script, /safety.js, that shows the
    patient's own safety plan when this phone keeps a copy) with the crisis resources
    and the overdose and withdrawal safety section, in `language`."""
    with text.language(language) as code:
        items = []
        for resource in CRISIS_RESOURCES:
            label = (f'<p class="referral">{html.escape(_(REFERRAL_ONLY))}</p>'
                     if resource.referral_only else "")
            options = "".join(f"<li>{html.escape(_(option))}</li>"
                              for option in resource.options)
            items.append(f"<li><h2>{html.escape(_(resource.name))}</h2>{label}"
                         f"<p>{html.escape(_(resource.description))}</p>"
                         f"{f'<ul class=options>{options}</ul>' if options else ''}"
                         f"{_action_links(resource.actions)}</li>")
        words = {
            "{lang}": code,
            "{title}": _("{screen} - Skills Practice", screen=_(OFFLINE_TITLE)),
            "{heading}": _(OFFLINE_TITLE),
            "{cant_reach}": _("We can't reach Skills Practice right now. Anything you were "
                              "typing stays saved on this phone."),
            "{home}": text.href("/"),
            "{try_again}": _("Try again"),
            "{help_now}": _("If you need help now"),
            "{without_app}": _("These work without the app:"),
        }
        page = _OFFLINE_TEMPLATE.read_text(encoding="utf-8")
        for placeholder, value in words.items():
            page = page.replace(placeholder, html.escape(value, quote=placeholder == "{home}"))
        return (page.replace("{items}", "".join(items))
                .replace("{overdose}", _overdose_html(OVERDOSE_SAFETY))
                .replace("{nobody}", html.escape(_(NOBODY_WATCHES))))


async def _offline_page(request: Request) -> Response:
    """In the browser's language: the page is shown before (or without) sign-in."""
    language = text.from_accept_language(request.headers.get("accept-language"))
    return HTMLResponse(offline_page_html(language), headers={
        "Cache-Control": "no-cache", "Content-Language": language,
        "Vary": "Accept-Language"})


routes = [
    Route("/auth/signup", _sign_up, methods=["POST"]),
    Route("/auth/login", _sign_in, methods=["POST"]),
    Route("/auth/logout", _sign_out, methods=["POST"]),
    Route("/auth/logout-everywhere", _sign_out_everywhere, methods=["POST"]),
    Route("/auth/password", _change_password, methods=["POST"]),
    Route("/auth/export", _export, methods=["POST"]),
    Route("/auth/delete-account", _delete_account, methods=["POST"]),
    Route("/offline.html", _offline_page, methods=["GET"]),
]
