"""Where people land: each role's home and safe return paths after sign-in."""

from __future__ import annotations

import re

from skills_app import text
from skills_app.core.models import Role

HOME_PATHS = {Role.PATIENT: "/today/", Role.THERAPIST: "/patients/"}
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9/_\-.~%]*(\?[A-Za-z0-9_\-.~%=&]*)?$")
_NEVER_RETURN_TO = ("/signin", "/signup")


def home_path(role: Role | str, language: str | None = None) -> str:
    """The role's home page, in `language` when given (else the source language's route)."""
    return text.href(HOME_PATHS[Role(role)], language if language is not None
                     else text.SOURCE.code)


def safe_return_path(value: object, role: Role | str) -> str:
    """The path to go to after sign-in: `value` when it is a local page, else home.

    Refuses anything that could leave the app (`//host`, `https:`, backslashes).
    """
    if (isinstance(value, str) and len(value) <= 512 and _SAFE_PATH.match(value)
            and not value.startswith("//")
            and not text.without_language(value).startswith(_NEVER_RETURN_TO)):
        return value
    return home_path(role)
