"""The ASGI wrapper (skills_app/security_middleware.py) on the ways a server answers:
an HTML page in chunks, a file sent by path (the pathsend extension Granian offers),
a 304, a HEAD, a stream that is not HTML, a route's own headers, the websocket.
The prod server itself: tests/browser/test_security_headers.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

from skills_app.core.security_headers import content_security_policy, inline_script_hashes
from skills_app.security_middleware import SecurityHeaders

PAGE = b"<html><head><script>alert(1)</script></head><body>hi</body></html>"


def _start(status: int = 200, content_type: bytes = b"text/html; charset=utf-8",
           *extra: tuple[bytes, bytes]) -> dict:
    return {"type": "http.response.start", "status": status,
            "headers": [(b"content-type", content_type), *extra]}


def _run(messages: list[dict], scope: dict | None = None) -> list[dict]:
    """What the wrapper sends on when the app behind it sends `messages`."""
    sent: list[dict] = []

    async def app(_scope: dict, _receive: object, send: object) -> None:
        for message in messages:
            await send(message)

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request"}

    scope = {"type": "http", "method": "GET", **(scope or {})}
    asyncio.run(SecurityHeaders(app)(scope, receive, send))
    return sent


def _headers(message: dict) -> dict[str, str]:
    return {name.decode(): value.decode() for name, value in message["headers"]}


def test_an_html_page_in_chunks_is_sent_whole_with_its_scripts_hashes() -> None:
    sent = _run([_start(), {"type": "http.response.body", "body": PAGE[:20], "more_body": True},
                 {"type": "http.response.body", "body": PAGE[20:]}])
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    headers = _headers(sent[0])
    assert headers["content-security-policy"] == content_security_policy(
        inline_script_hashes(PAGE))
    assert headers["x-frame-options"] == "DENY"
    assert sent[1]["body"] == PAGE


def test_a_page_sent_by_path_is_read_back_for_its_hashes(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_bytes(PAGE)
    pathsend = {"type": "http.response.pathsend", "path": str(page)}
    sent = _run([_start(), pathsend])
    assert sent[1] == pathsend
    assert _headers(sent[0])["content-security-policy"] == content_security_policy(
        inline_script_hashes(PAGE))


def test_a_304_goes_out_without_security_headers() -> None:
    sent = _run([{"type": "http.response.start", "status": 304,
                  "headers": [(b"content-type", b"text/html"), (b"etag", b'"x"')]},
                 {"type": "http.response.body", "body": b""}])
    assert "content-security-policy" not in _headers(sent[0])
    assert _headers(sent[0])["etag"] == '"x"'


def test_other_responses_stream_on_at_once_and_keep_their_own_headers() -> None:
    sent = _run([_start(200, b"text/csv", (b"x-content-type-options", b"nosniff"),
                        (b"cache-control", b"no-store")),
                 {"type": "http.response.body", "body": b"a,b\r\n", "more_body": True},
                 {"type": "http.response.body", "body": b"1,2\r\n"}])
    assert [m.get("body") for m in sent[1:]] == [b"a,b\r\n", b"1,2\r\n"]
    raw = sent[0]["headers"]
    assert raw.count((b"x-content-type-options", b"nosniff")) == 1
    headers = _headers(sent[0])
    assert headers["cache-control"] == "no-store"
    assert headers["content-security-policy"] == content_security_policy()


def test_a_head_request_for_a_page_is_not_held() -> None:
    sent = _run([_start(), {"type": "http.response.body", "body": b""}],
                scope={"method": "HEAD"})
    assert _headers(sent[0])["content-security-policy"] == content_security_policy()


def test_the_websocket_passes_through_untouched() -> None:
    accept = {"type": "websocket.accept"}
    assert _run([accept], scope={"type": "websocket"}) == [accept]
