"""Routes opened by a secret link instead of a session cookie: the patient's calendar
feed, and the "stop these emails" link of reminder emails.

Calendar apps and mail apps carry no cookie, so the token in the address is the
only key. Only its SHA-256 is stored; an unknown, revoked or used token answers
404 and writes a refusal to the security log (with the caller's address, which
keeps that log rate-limited). Nothing here names a patient: the token alone
decides whose feed or whose email setting it is.

- `GET /calendar/feed/<token>.ics`: the feed (`core/reminder_calendar.py`).
- `GET /reminders/email-off/<token>`: a small page with one button (a link
  checker that opens the address must not turn email off).
- `POST /reminders/email-off/<token>`: turns reminder emails off: the page's
  button, or a mail app's one-click unsubscribe (RFC 8058, body
  `List-Unsubscribe=One-Click`). It works once.
"""

from __future__ import annotations

import html

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from skills_app import text
from skills_app.core import db, reminder_calendar, reminder_email, reminder_settings, sharing
from skills_app.core.models import User
from skills_app.text import N_, _

FEED_PATH = "/calendar/feed/{token}.ics"
FEED_FILE = "skills-practice.ics"
EMAIL_OFF_PATH = reminder_email.UNSUBSCRIBE_PATH + "{token}"
FEED_ACTION = "reminder_feed"
EMAIL_ACTION = "reminder_email_off"
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}

LINK_GONE = N_("This link no longer works. You can change reminders in the app, under "
               "Account, then Reminders.")
STOP_TITLE = N_("Stop reminder emails?")
STOP_BUTTON = N_("Turn off reminder emails")
STOPPED = N_("Reminder emails are off. You can turn them on again in the app, under "
             "Account, then Reminders.")


def _refuse(action: str, address: str | None) -> None:
    sharing.record_refusal(None, None, action, "unknown_link", address)


def feed_for(token: str, address: str | None) -> bytes | None:
    """The feed the token opens, or None (refused and logged). Blocking."""
    owner = reminder_settings.calendar_owner(token)
    if owner is None:
        _refuse(FEED_ACTION, address)
        return None
    return reminder_calendar.feed_ics(owner)


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _feed(request: Request) -> Response:
    body = await anyio.to_thread.run_sync(feed_for, request.path_params["token"],
                                          _address(request))
    if body is None:
        return PlainTextResponse(_(LINK_GONE), status_code=404, headers=NO_STORE)
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        **NO_STORE, "Content-Disposition": f'inline; filename="{FEED_FILE}"'})


def _language_of(user_id: int | None) -> str:
    if user_id is None:
        return text.SOURCE.code
    with db.read() as session:
        user = session.get(User, user_id)
    return user.language if user is not None else text.SOURCE.code


def _page(language: str, heading: str, body: str, status: int = 200) -> HTMLResponse:
    """A plain page in the patient's language: the words are escaped, nothing else is
    loaded (no script, no style sheet from anywhere)."""
    page = (f'<!doctype html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(heading)}</title></head><body style=\"font-family:system-ui,"
            f"sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5\">"
            f"<h1 style=\"font-size:1.4rem\">{html.escape(heading)}</h1>{body}</body></html>")
    return HTMLResponse(page, status_code=status, headers=NO_STORE)


def _email_page(token: str, address: str | None, confirmed: bool) -> tuple[str, str, str, int]:
    """(language, heading, body html, status) for the email link. Blocking."""
    owner = reminder_email.email_link_owner(token)
    language = _language_of(owner)
    with text.language(language):
        name = _(reminder_calendar.APP_NAME)
        gone = (language, name, f"<p>{html.escape(_(LINK_GONE))}</p>", 404)
        if owner is None:
            _refuse(EMAIL_ACTION, address)
            return gone
        if not confirmed:
            button = ('<form method="post"><button type="submit" style="min-height:44px;'
                      f'padding:0 1rem;font-size:1rem">{html.escape(_(STOP_BUTTON))}</button>'
                      "</form>")
            return language, _(STOP_TITLE), button, 200
        if not reminder_email.turn_off_by_token(token):
            _refuse(EMAIL_ACTION, address)
            return gone
        return language, name, f"<p>{html.escape(_(STOPPED))}</p>", 200


async def _email_off(request: Request) -> Response:
    # One-click (RFC 8058) and the page's button both POST; the body says nothing more
    # and is not read.
    confirmed = request.method == "POST"
    language, heading, body, status = await anyio.to_thread.run_sync(
        _email_page, request.path_params["token"], _address(request), confirmed)
    return _page(language, heading, body, status)


routes = [
    Route(FEED_PATH, _feed, methods=["GET"]),
    Route(EMAIL_OFF_PATH, _email_off, methods=["GET", "POST"]),
]
