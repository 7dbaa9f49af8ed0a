"""Reading the session token back from a request's Cookie header.

The HTTP auth routes and the websocket (every Reflex event) must agree on
which session a request carries, so both read cookies with this one parser.
"""

from __future__ import annotations

from starlette.requests import cookie_parser

from skills_app.core.settings import SESSION_COOKIE


def session_token_from_cookie_header(header: str) -> str | None:
    """The session token in a `Cookie` header, or None when there is none.

    Starlette's parser (the one behind `request.cookies`) reads each
    `name=value` pair on its own, as browsers do. `http.cookies.SimpleCookie`
    gives up on the whole header at the first cookie it dislikes, so any other
    site script's malformed cookie would sign the person out.
    """
    return cookie_parser(header or "").get(SESSION_COOKIE) or None
