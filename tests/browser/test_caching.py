"""How long a browser keeps each answer, and compression, on the real prod server: the
response headers of a build file, pages, the service worker and the app's own files;
brotli and gzip copies that decode to the same bytes; ETags and 304s; and the 192 px
icon fetched once by a phone's first page (core/caching.py, rxconfig.py)."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request

import brotli
import pytest
from playwright.async_api import Browser, Request

from skills_app.core.caching import IMMUTABLE
from tests.browser.conftest import BASE_URL, new_phone_context

in_the_browser = pytest.mark.asyncio(loop_scope="session")
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


def _get(path: str, **request_headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(BASE_URL + path, headers=request_headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return (response.status, {k.lower(): v for k, v in response.headers.items()},
                    response.read())
    except urllib.error.HTTPError as answered:  # a 304 comes as an "error" here
        return answered.code, {k.lower(): v for k, v in answered.headers.items()}, b""


def _build_files(app_server: str) -> list[str]:
    """The content-hashed scripts the sign-in page loads (Vite's /assets/*-<hash>.js)."""
    _status, _headers, page = _get("/signin/")
    found = sorted(set(re.findall(r'"(/assets/[^"]+-[A-Za-z0-9_-]{8}\.js)"', page.decode())))
    assert len(found) >= 3
    return found


def test_build_files_are_kept_a_year_and_nothing_else_is(app_server: str) -> None:
    for path in _build_files(app_server)[:3]:
        status, headers, _body = _get(path)
        assert (status, headers["cache-control"]) == (200, IMMUTABLE), path
    # Pages, the worker and the app's own files keep their URL when they change.
    for path in ("/", "/signin/", "/es/today/", "/progress/", "/sw.js", "/app.js", "/timer.js",
                 "/styles.css", "/manifest.webmanifest", "/icons/icon-192.png"):
        status, headers, _body = _get(path, **{"Accept-Encoding": "br, gzip"})
        assert status == 200, path
        assert headers["cache-control"] == "no-cache", path
        assert "immutable" not in headers["cache-control"]


@pytest.mark.parametrize("kind", ["page", "script"])
def test_brotli_and_gzip_are_sent_when_asked_and_decode_to_the_same_bytes(
        app_server: str, kind: str) -> None:
    path = "/signin/" if kind == "page" else _build_files(app_server)[0]
    _status, plain_headers, plain = _get(path, **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain_headers
    for encoding in ("br", "gzip"):
        status, headers, body = _get(path, **{"Accept-Encoding": f"{encoding}, identity"})
        assert status == 200
        assert headers["content-encoding"] == encoding
        assert "accept-encoding" in headers["vary"].lower()
        assert len(body) < len(plain) / 2
        assert DECODE[encoding](body) == plain
        if kind == "page":  # the same scripts hashed, whatever the encoding
            assert headers["content-security-policy"] == plain_headers["content-security-policy"]
    # A browser that takes both gets brotli (the smaller).
    assert _get(path, **{"Accept-Encoding": "gzip, deflate, br, zstd"})[1][
        "content-encoding"] == "br"


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_etags_and_304s_still_work(app_server: str, encoding: str) -> None:
    for path in ("/signin/", _build_files(app_server)[0], "/app.js"):
        _status, first, _body = _get(path, **{"Accept-Encoding": encoding})
        status, again, body = _get(path, **{"Accept-Encoding": encoding,
                                            "If-None-Match": first["etag"]})
        assert (status, body) == (304, b""), path
        assert again["cache-control"] == first["cache-control"]
        assert "content-security-policy" not in again


@in_the_browser
async def test_the_first_page_fetches_the_192_px_icon_once(browser: Browser) -> None:
    context = await new_phone_context(browser)
    try:
        by_page: list[str] = []
        by_worker: list[str] = []

        def count(request: Request) -> None:
            if request.url.endswith("/icons/icon-192.png"):
                (by_worker if request.service_worker else by_page).append(request.resource_type)

        context.on("request", count)
        page = await context.new_page()
        await page.goto("/signin/")
        await page.wait_for_load_state("networkidle")
        await page.evaluate("navigator.serviceWorker.ready")
        await page.wait_for_timeout(1000)
        assert len(by_page) == 1, by_page
        # The worker keeps its own offline copy once, when it installs.
        assert len(by_worker) <= 1, by_worker
    finally:
        await context.close()
