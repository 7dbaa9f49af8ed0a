"""The ASGI wrapper that puts the security headers, and how long the answer may be
kept (Cache-Control), on every HTTP response.

It sits around everything the server answers on its one port in prod: the app's own
routes (auth, reports, calendar, the offline page, the service worker), Reflex's
backend routes and the compiled frontend (pages, assets, the 404 page), because
`rx.App(api_transformer=[Starlette(routes=...), SecurityHeaders])` wraps the
Starlette app that has all of them mounted. The websocket passes through untouched.
The header values and the script hashes come from core.security_headers, the
Cache-Control from core.caching (build files named by their content are kept a year,
everything else is revalidated); a header a route set itself (a Cache-Control, its own
nosniff) is kept.

An HTML page is held until its last byte so the CSP can name the hashes of the
inline scripts it carries (pages are a few kilobytes). The server may send a static
file by path (the ASGI pathsend extension): that file is read back for the hashes.
"""

from __future__ import annotations

from pathlib import Path

import anyio
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from skills_app.core.caching import cache_control_for
from skills_app.core.security_headers import headers_for, is_html


def _with_headers(start: Message, body: bytes | None, path: str) -> Message:
    headers = MutableHeaders(raw=list(start.get("headers", [])))
    status = start.get("status", 200)
    for name, value in headers_for(headers.get("content-type"), body,
                                   headers.get("content-encoding"), status).items():
        headers.setdefault(name, value)
    # Also on a 304, which refreshes what the browser keeps (security headers are not).
    cache_control = cache_control_for(path, status)
    if cache_control is not None:
        headers.setdefault("Cache-Control", cache_control)
    return {**start, "headers": headers.raw}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        held_start: Message | None = None
        held_body: list[bytes] = []

        async def send_with_headers(message: Message) -> None:
            nonlocal held_start
            kind = message["type"]
            if kind == "http.response.start":
                content_type = MutableHeaders(raw=list(message.get("headers", []))).get(
                    "content-type")
                if is_html(content_type) and scope.get("method") != "HEAD":
                    held_start = message
                    return
                await send(_with_headers(message, None, path))
                return
            if held_start is None:
                await send(message)
                return
            if kind == "http.response.body":
                held_body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(held_body)
                await send(_with_headers(held_start, body, path))
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            if kind == "http.response.pathsend":
                body = await anyio.to_thread.run_sync(Path(message["path"]).read_bytes)
                await send(_with_headers(held_start, body, path))
            await send(message)

        await self.app(scope, receive, send_with_headers)
