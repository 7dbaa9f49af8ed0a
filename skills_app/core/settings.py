"""Deployment settings read from the environment, in one place."""

from __future__ import annotations

import os

DEFAULT_ORIGINS = ("http://localhost:3000", "http://127.0.0.1:3000")
SESSION_COOKIE = "sp_session"


def allowed_origins() -> list[str]:
    """Origins the app is served from (`SKILLS_ALLOWED_ORIGINS`, comma-separated).

    Used for CORS on the websocket and as the CSRF allowlist of the auth routes.
    """
    raw = os.environ.get("SKILLS_ALLOWED_ORIGINS", "")
    origins = [origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip()]
    return origins or list(DEFAULT_ORIGINS)
