"""Deployment settings read from the environment, in one place."""

from __future__ import annotations

import os

DEFAULT_ORIGINS = ("http://localhost:3000", "http://127.0.0.1:3000")
# The __Host- prefix makes browsers accept this cookie only with Secure,
# Path=/ and no Domain, so no other subdomain or plain-HTTP page can plant or
# overwrite it (session fixation). Chromium treats http://localhost and
# http://127.0.0.1 as secure and takes it there too (tests/browser checks both).
SESSION_COOKIE = "__Host-sp_session"


def allowed_origins() -> list[str]:
    """Origins the app is served from (`SKILLS_ALLOWED_ORIGINS`, comma-separated).

    Used for CORS on the websocket and as the CSRF allowlist of the auth routes.
    """
    raw = os.environ.get("SKILLS_ALLOWED_ORIGINS", "")
    origins = [origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip()]
    return origins or list(DEFAULT_ORIGINS)


def own_origin(origin: str | None) -> str:
    """`origin` (a page's Origin header) when the app is served there, else the first
    allowed origin: for links the app shows, never an address a browser made up."""
    origin = (origin or "").rstrip("/")
    return origin if origin in allowed_origins() else allowed_origins()[0]


DEFAULT_SIGNUPS_PER_ADDRESS_HOUR = 50


def signups_per_address_hour() -> int:
    """How many accounts one network address may create in an hour.

    `SKILLS_SIGNUPS_PER_ADDRESS_HOUR` overrides the default of 50: enough for a
    whole IOP group signing up on a clinic's shared Wi-Fi, few enough to stop a
    script from filling the database.
    """
    raw = os.environ.get("SKILLS_SIGNUPS_PER_ADDRESS_HOUR", "").strip()
    if not raw:
        return DEFAULT_SIGNUPS_PER_ADDRESS_HOUR
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"SKILLS_SIGNUPS_PER_ADDRESS_HOUR must be a whole number of at least 1, "
                         f"not {raw!r}")
    return int(raw)


def deployment_country() -> str:
    """Where this deployment serves patients (`SKILLS_COUNTRY`, an ISO 3166 code; "US").

    It picks the crisis lines every help screen and risk prompt shows
    (`content/crisis.py`): outside the US, the local emergency number and an
    international directory of helplines.
    """
    raw = os.environ.get("SKILLS_COUNTRY", "").strip().upper()
    if not raw:
        return "US"
    if not (len(raw) == 2 and raw.isalpha()):
        raise ValueError(f"SKILLS_COUNTRY must be a two-letter country code, not {raw!r}")
    return raw


def public_url() -> str:
    """The address patients open the app at, for links sent outside the app (reminder
    emails): `SKILLS_PUBLIC_URL`, else the first allowed origin."""
    raw = os.environ.get("SKILLS_PUBLIC_URL", "").strip().rstrip("/")
    return raw or allowed_origins()[0]
