"""How long a browser may keep each answer of the server (Cache-Control).

- A file the build names by its content (`/assets/root-DicSt3p_.js`, Vite's
  output: a changed file gets a new name) never changes at its URL: kept a year
  and never asked about again (`immutable`).
- Everything else is asked about on every use (`no-cache`: a conditional request
  answered 304 when it did not change): pages, so a new build's page names its
  new scripts at once; the service worker, so a new version is found at its next
  visit; and the app's own files under their plain names (`/app.js`,
  `/styles.css`, icons, the manifest, sounds), which keep their URL when they
  change and are loaded by every page, so a stale one must never meet a fresh page.
  The service worker keeps its own copies of those for offline use.

An answer that says for itself how to be kept (a route's `no-store` on a report,
the worker's `no-cache`) keeps what it says. Errors other than 404 get nothing.
skills_app/security_middleware.py puts it on every answer.

Compression is not done per request: the build writes a brotli and a gzip copy of
every page and build file beside it (`frontend_compression_formats` in rxconfig.py:
Reflex's own compressor, on Node's zlib), and Reflex's static file server sends the
one the browser accepts, with `Vary: Accept-Encoding` and an ETag of its own.
"""

from __future__ import annotations

import re

YEAR_SECONDS = 31_536_000
IMMUTABLE = ", ".join(("public", f"max-age={YEAR_SECONDS}", "immutable"))
REVALIDATE = "no-cache"

# Vite's "[name]-[hash].[ext]": 8 characters of base64url (A-Z a-z 0-9 _ -) before
# the extension, in the build's one assets folder.
_HASHED = re.compile(r"^/assets/(?:[^/]+/)*[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$")
_CACHEABLE_STATUS = frozenset({200, 203, 204, 206, 304, 404})


def is_content_hashed(path: str) -> bool:
    """Whether a URL path is a build file named by its content."""
    return bool(_HASHED.match(path))


def cache_control_for(path: str, status: int) -> str | None:
    """The Cache-Control of an answer to `path` with `status` that set none itself;
    None: add nothing."""
    if status not in _CACHEABLE_STATUS:
        return None
    if status != 404 and is_content_hashed(path):
        return IMMUTABLE
    return REVALIDATE
