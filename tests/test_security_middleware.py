"""The ASGI wrapper (skills_app/security_middleware.py) on the ways a server answers:
an HTML page in chunks, a file sent by path (the pathsend extension Granian offers),
a brotli copy sent by path, a 304, a HEAD, a stream that is not HTML, a route's own
headers, the websocket; and the Cache-Control it adds. The prod server itself:
tests/browser/test_security_headers.py and tests/browser/test_caching.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

import brotli

from skills_app.core.caching import IMMUTABLE
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


def test_a_brotli_page_sent_by_path_is_read_back_for_its_hashes(tmp_path: Path) -> None:
    """The build's .br copy, as Reflex's static files send it to Chromium."""
    page = tmp_path / "index.html.br"
    page.write_bytes(brotli.compress(PAGE))
    sent = _run([_start(200, b"text/html; charset=utf-8", (b"content-encoding", b"br")),
                 {"type": "http.response.pathsend", "path": str(page)}])
    assert _headers(sent[0])["content-security-policy"] == content_security_policy(
        inline_script_hashes(PAGE))


def test_a_build_file_is_kept_a_year_a_page_and_the_apps_own_files_are_revalidated() -> None:
    script = _run([_start(200, b"text/javascript"), {"type": "http.response.body", "body": b"1"}],
                  {"path": "/assets/root-DicSt3p_.js"})
    assert _headers(script[0])["cache-control"] == IMMUTABLE
    assert script[1] == {"type": "http.response.body", "body": b"1"}
    page = _run([_start(), {"type": "http.response.body", "body": PAGE}], {"path": "/signin/"})
    assert _headers(page[0])["cache-control"] == "no-cache"
    own = _run([_start(200, b"text/javascript"), {"type": "http.response.body", "body": b""}],
               {"path": "/app.js"})
    assert _headers(own[0])["cache-control"] == "no-cache"


def test_a_304_keeps_its_cache_lifetime_and_a_routes_own_is_kept() -> None:
    sent = _run([{"type": "http.response.start", "status": 304,
                  "headers": [(b"content-type", b"text/javascript")]},
                 {"type": "http.response.body", "body": b""}],
                {"path": "/assets/root-DicSt3p_.js"})
    assert _headers(sent[0])["cache-control"] == IMMUTABLE
    assert "content-security-policy" not in _headers(sent[0])
    report = _run([_start(200, b"text/csv", (b"cache-control", b"no-store")),
                   {"type": "http.response.body", "body": b""}], {"path": "/reports/x.csv"})
    assert [v for k, v in report[0]["headers"] if k == b"cache-control"] == [b"no-store"]
    error = _run([_start(500, b"text/plain"), {"type": "http.response.body", "body": b""}],
                 {"path": "/assets/root-DicSt3p_.js"})
    assert "cache-control" not in _headers(error[0])
