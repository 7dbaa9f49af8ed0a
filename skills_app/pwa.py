"""The service worker, served with a version that follows what it precaches.

A phone that installed the app keeps its service worker and caches until the
script itself changes. So the script's VERSION is a hash of every precached
file (the offline page as rendered, the help page's crisis list, the manifest,
styles, script and icons): change a crisis number and every installed phone
fetches the new offline page at its next visit.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from skills_app.api import offline_page_html
from skills_app.content.crisis import CRISIS_RESOURCES

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
TEMPLATE = Path(__file__).parent / "templates" / "sw.js"
# Static files the worker precaches (besides /offline.html and /help/).
PRECACHED_ASSETS = ("manifest.webmanifest", "styles.css", "app.js", "safety.js",
                    "icons/icon-192.png", "icons/icon-512.png", "measures.js",
                    # The mindfulness timers and their bells work offline after one visit.
                    "timer.js", "sounds/bowl.wav", "sounds/bell.wav", "sounds/chime.wav")


def precache_version(*, assets: Path = ASSETS, crisis: object = CRISIS_RESOURCES,
                     offline_html: str | None = None) -> str:
    """A short hash of everything the service worker precaches."""
    digest = hashlib.sha256()
    digest.update(TEMPLATE.read_bytes())
    digest.update((offline_html if offline_html is not None else offline_page_html()).encode())
    digest.update(repr(crisis).encode())  # the cached /help/ page is rendered from it
    for name in PRECACHED_ASSETS:
        digest.update(name.encode())
        digest.update((assets / name).read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def service_worker_script() -> str:
    # The worker's list is filled from PRECACHED_ASSETS, so the two cannot drift apart.
    assets = ", ".join(f'"/{name}"' for name in PRECACHED_ASSETS)
    return (TEMPLATE.read_text(encoding="utf-8").replace("{{version}}", precache_version())
            .replace("{{precached_assets}}", assets))


async def _service_worker(request: Request) -> Response:
    # no-cache: the browser asks every time, so a new version is found at once.
    return Response(service_worker_script(), media_type="text/javascript",
                    headers={"Cache-Control": "no-cache"})


routes = [Route("/sw.js", _service_worker, methods=["GET"])]
