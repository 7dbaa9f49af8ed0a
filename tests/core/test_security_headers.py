"""The security headers' values and the inline-script hashes (core.security_headers).

The hashes are checked against a value computed independently (openssl's
`printf %s "$script" | openssl dgst -sha256 -binary | base64`), so a change in what
is hashed (the tags, trimmed whitespace, another encoding) shows here before a
browser refuses the page.
"""

from __future__ import annotations

import gzip

import brotli

from skills_app.core.security_headers import (
    FIXED_HEADERS,
    PERMISSIONS_POLICY,
    content_security_policy,
    headers_for,
    inline_script_hashes,
)

# printf %s 'alert(1)' | openssl dgst -sha256 -binary | base64
ALERT_HASH = "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
# printf '\n  var x = "é";\n' | openssl dgst -sha256 -binary | base64
MULTILINE_HASH = "'sha256-8BNx2uFpFnmSKMKqXKi9lmtrPIqn422nxwizwEne7Kw='"
# printf '' | openssl dgst -sha256 -binary | base64
EMPTY_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split("; "))}


def test_an_inline_script_is_hashed_exactly_as_it_stands_between_its_tags() -> None:
    page = '<head><script>alert(1)</script><script>\n  var x = "é";\n</script></head>'
    assert inline_script_hashes(page.encode()) == [ALERT_HASH, MULTILINE_HASH]


def test_scripts_with_a_source_need_no_hash_and_attributes_do_not_change_the_hash() -> None:
    page = (b'<script src="/app.js" defer></script>'
            b'<SCRIPT type="module" async>alert(1)</SCRIPT >'
            b"<script>alert(1)</script>")
    assert inline_script_hashes(page) == [ALERT_HASH]


def test_an_empty_inline_script_is_hashed_too() -> None:
    assert inline_script_hashes(b"<script></script>") == [EMPTY_HASH]


def test_a_page_without_scripts_has_no_hashes() -> None:
    assert inline_script_hashes(b"<html><body><p>script</p></body></html>") == []


def test_the_policy_allows_only_the_apps_own_origin() -> None:
    policy = _directives(content_security_policy([ALERT_HASH]))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'unsafe-eval'", ALERT_HASH]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    for name in ("font-src", "connect-src", "worker-src", "manifest-src", "media-src"):
        assert policy[name] == ["'self'"], name
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    # No host, no scheme wildcard, and never inline scripts wholesale.
    assert "'unsafe-inline'" not in policy["script-src"]
    assert not any(value.startswith(("http", "*", "https:", "ws")) for values in policy.values()
                   for value in values)


def test_permissions_policy_allows_what_the_app_uses_and_denies_the_rest() -> None:
    features = dict(part.split("=") for part in PERMISSIONS_POLICY.split(", "))
    assert features["screen-wake-lock"] == "(self)"
    for denied in ("camera", "microphone", "geolocation", "payment", "usb", "fullscreen"):
        assert features[denied] == "()", denied
    # Not features Chromium knows: naming them only logs warnings in its console.
    for unknown in ("vibrate", "notifications", "web-share", "bluetooth"):
        assert unknown not in features, unknown


def test_every_response_gets_the_fixed_headers_and_a_policy_without_hashes() -> None:
    headers = headers_for("application/pdf", b"<script>alert(1)</script>")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Permissions-Policy"] == PERMISSIONS_POLICY
    assert headers["Content-Security-Policy"] == content_security_policy()
    assert FIXED_HEADERS.items() <= headers.items()


def test_an_html_page_gets_the_hashes_of_its_scripts_also_when_gzipped() -> None:
    page = b"<html><script>alert(1)</script></html>"
    plain = headers_for("text/html; charset=utf-8", page)["Content-Security-Policy"]
    zipped = headers_for("text/html", gzip.compress(page), "gzip")["Content-Security-Policy"]
    assert ALERT_HASH in plain
    assert zipped == plain


def test_a_brotli_page_is_read_back_for_its_hashes_too() -> None:
    """The build writes a .br copy of every page (rxconfig.py); Chromium asks for it."""
    page = b"<html><script>alert(1)</script></html>"
    policy = headers_for("text/html", brotli.compress(page), "br")["Content-Security-Policy"]
    assert policy == headers_for("text/html", page)["Content-Security-Policy"]
    assert ALERT_HASH in policy


def test_an_encoding_that_cannot_be_read_back_allows_no_inline_script() -> None:
    headers = headers_for("text/html", b"\x00\x01", "zstd")
    assert headers["Content-Security-Policy"] == content_security_policy()
    assert headers_for("text/html", b"not gzip", "gzip")["Content-Security-Policy"] == (
        content_security_policy())
    assert headers_for("text/html", b"\x00\x01", "br")["Content-Security-Policy"] == (
        content_security_policy())


def test_a_304_gets_no_headers_so_the_stored_pages_policy_and_hashes_stay() -> None:
    assert headers_for("text/html", b"", status=304) == {}
    assert headers_for(None, None, status=304) == {}
    assert headers_for("text/html", b"<script>alert(1)</script>", status=200)
