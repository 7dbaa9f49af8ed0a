"""The security headers every response of the app carries, and the page's script hashes.

One Content-Security-Policy allows only the app's own origin. Its inline scripts
(Reflex's colour-mode script, React Router's hydration scripts, the app's own
`html lang` and next-group scripts in the head) are allowed one by one, by the
SHA-256 of their exact text, computed from the HTML a response carries: a page the
build adds, or a script that changes, is covered without a list to keep up to date,
and a script injected into the page is not. Two exceptions, each because the
framework needs it (docs/architecture.md, "Security headers"):

- `'unsafe-eval'` in script-src: Reflex runs `rx.call_script` by `eval` of the text
  the server sends over the websocket (`_call_script` in .web/utils/state.js), and
  the app uses call_script to save drafts, print and move between pages.
- `'unsafe-inline'` in style-src: Radix Themes and emotion write `<style>` elements
  at run time, with no hash known in advance and no way to pass them a nonce.
- `data:` in img-src: the therapist's connect code is a QR code drawn as a data: SVG.

The rest are plain headers: no framing (`frame-ancestors 'none'` and
`X-Frame-Options: DENY`), no Referer sent anywhere, no MIME sniffing, and a
Permissions-Policy that lets the page use only what it does (wake lock for the
mindfulness timers, the clipboard for the safety plan, sound) and
denies the rest. Vibration and notifications are not Permissions-Policy features.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from collections.abc import Iterable, Mapping

import brotli

# A script element, its attributes and its text (a script cannot contain "</script").
_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC_ATTRIBUTE = re.compile(rb"""\ssrc\s*=""", re.IGNORECASE)

# What the page uses: (self). What it does not: () for nobody. Only names Chromium
# knows: an unknown one is ignored and logs a warning in the console.
# Chromium 156 on Linux does not know "web-share" (the share sheet is allowed to the
# page itself by default) nor "bluetooth": both left out.
_ALLOWED_FEATURES = ("screen-wake-lock", "clipboard-write", "autoplay")
_DENIED_FEATURES = (
    "accelerometer", "browsing-topics", "camera", "clipboard-read",
    "display-capture", "encrypted-media", "fullscreen", "gamepad", "geolocation",
    "gyroscope", "hid", "idle-detection", "local-fonts", "magnetometer", "microphone",
    "midi", "otp-credentials", "payment", "picture-in-picture",
    "publickey-credentials-create", "publickey-credentials-get", "serial", "usb",
    "window-management", "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(
    [f"{feature}=(self)" for feature in _ALLOWED_FEATURES]
    + [f"{feature}=()" for feature in _DENIED_FEATURES])

NOT_MODIFIED = 304

# Every response, whatever it is. A header the route set itself is kept.
FIXED_HEADERS: Mapping[str, str] = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": PERMISSIONS_POLICY,
}


def inline_script_hashes(html: bytes) -> list[str]:
    """The CSP source (`'sha256-...'`) of each inline script in a page, in order, once.

    The hash is of the script's text exactly as it stands between its tags, which is
    what the browser hashes; a script with a `src` is loaded, not inline, and needs
    no hash.
    """
    sources: list[str] = []
    for match in _SCRIPT.finditer(html):
        if _SRC_ATTRIBUTE.search(match.group(1)):
            continue
        digest = base64.b64encode(hashlib.sha256(match.group(2)).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in sources:
            sources.append(source)
    return sources


def content_security_policy(script_hashes: Iterable[str] = ()) -> str:
    """The policy of a response whose inline scripts have these hashes (none: no inline
    script runs). The websocket is same-origin: `'self'` covers ws: and wss: to it."""
    script_src = " ".join(("'self'", "'unsafe-eval'", *script_hashes))
    return "; ".join((
        "default-src 'self'",
        f"script-src {script_src}",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "frame-src 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ))


def is_html(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "text/html"


def html_text(body: bytes, content_encoding: str | None) -> bytes | None:
    """The HTML a response body carries, as the browser will read it after decoding;
    None when the encoding is one this server cannot read back (then no inline
    script is allowed, and the page shows it in the browser test)."""
    encoding = (content_encoding or "identity").strip().lower()
    if encoding == "identity":
        return body
    if encoding == "gzip":
        try:
            return gzip.decompress(body)
        except (OSError, EOFError):
            return None
    if encoding == "br":
        try:
            return brotli.decompress(body)
        except brotli.error:
            return None
    return None


def headers_for(content_type: str | None, body: bytes | None = None,
                content_encoding: str | None = None, status: int = 200) -> dict[str, str]:
    """The security headers of one response: the fixed ones, and the CSP with the
    hashes of the inline scripts when it is an HTML page (its whole body given).

    None on a 304 Not Modified: the browser replaces the stored response's headers
    with the 304's, and a 304 has no body to hash, so a policy there would take the
    hashes away from the page it keeps (seen: every second visit of a page refused
    its own scripts).
    """
    if status == NOT_MODIFIED:
        return {}
    hashes: list[str] = []
    if is_html(content_type) and body is not None:
        page = html_text(body, content_encoding)
        hashes = inline_script_hashes(page) if page is not None else []
    return {**FIXED_HEADERS, "Content-Security-Policy": content_security_policy(hashes)}
