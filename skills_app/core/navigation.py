"""Where people land: each role's home and safe return paths after sign-in."""

from __future__ import annotations

import re

from skills_app import text
from skills_app.core.models import Role

HOME_PATHS = {Role.PATIENT: "/today/", Role.THERAPIST: "/patients/"}
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9/_\-.~%]*(\?[A-Za-z0-9_\-.~%=&]*)?$")
_NEVER_RETURN_TO = ("/signin", "/signup")


# The therapist side is English only for now (its pages exist in no other language).
_ONE_LANGUAGE_ROLES = frozenset({Role.THERAPIST})


def home_path(role: Role | str, language: str | None = None) -> str:
    """The role's home page, in `language` when given and the role's pages speak it
    (else the source language's route)."""
    role = Role(role)
    if language is None or role in _ONE_LANGUAGE_ROLES:
        language = text.SOURCE.code
    return text.href(HOME_PATHS[role], language)


def safe_return_path(value: object, role: Role | str, language: str | None = None) -> str:
    """The path to go to after sign-in: `value` when it is a local page, else home
    (in `language`).

    Refuses anything that could leave the app (`//host`, `https:`, backslashes).
    """
    if (isinstance(value, str) and len(value) <= 512 and _SAFE_PATH.match(value)
            and not value.startswith("//")
            and not text.without_language(value).startswith(_NEVER_RETURN_TO)):
        return value
    return home_path(role, language)
