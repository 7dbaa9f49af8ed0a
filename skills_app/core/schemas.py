"""Validation of everything a browser sends, with kind, plain messages.

Browsers can send any value for any argument, so each form is parsed by a
non-table pydantic model. `parse_form` turns pydantic's technical errors into
one short message per field, suitable to show next to that field.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Any, TypeVar
from zoneinfo import available_timezones

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from skills_app import text
from skills_app.core.models import Role
from skills_app.core.problems import Problem, ProblemError

# Each field's problem; a plain string only where an area still writes its own
# sentence (the ratchet in tests/text counts those down).
FieldErrors = dict[str, Problem | str]
FormT = TypeVar("FormT", bound=BaseModel)

NAME_MAX = 80
EMAIL_MAX = 254
PASSWORD_MIN = 15
PASSWORD_MAX = 256

# Control characters are refused; newlines and tabs only where a field is multi-line.
_ALLOWED_CONTROLS_MULTILINE = {"\n", "\t"}


def _has_lone_surrogate(value: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)


def clean_text(value: object, *, label: str, max_length: int, required: bool = True,
               multiline: bool = False) -> str:
    """Check one piece of user text; return it trimmed or raise `ProblemError`.

    `label` is the field's English name (a catalogue message, "note"), put
    into the sentence in the reader's language."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ProblemError("not_text", label=label)
    if _has_lone_surrogate(value):
        raise ProblemError("unstorable_character", label=label)
    allowed = _ALLOWED_CONTROLS_MULTILINE if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ProblemError("control_character", label=label)
    value = value.strip()
    if required and not value:
        raise ProblemError("missing_text", label=label)
    if len(value) > max_length:
        raise ProblemError("too_long", label=label, high=max_length, count=len(value))
    return value


def fold_case(text: str) -> str:
    """Text as compared without case, in every script: NFKC, then Unicode case
    folding ("Straße" and "STRASSE" -> "strasse", "ΟΔΟΣ" and "οδος" -> "οδοσ")."""
    return unicodedata.normalize("NFKC", text).casefold()


def normalise_email(value: object) -> str:
    email = clean_text(value, label="email", max_length=EMAIL_MAX)
    local, at, domain = email.rpartition("@")
    if not at or not local or "." not in domain.strip(".") or any(ch.isspace() for ch in email):
        raise ProblemError("bad_email")
    return f"{local}@{domain.lower()}".lower()


@lru_cache(maxsize=1)
def known_time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_time_zone(value: object) -> str:
    zone = clean_text(value, label="time zone", max_length=64)
    if zone not in known_time_zones():
        raise ProblemError("unknown_time_zone")
    return zone


def normalise_password(password: str) -> str:
    """The one form of a password that is checked, hashed and verified (NFKC).

    The same passphrase typed on two keyboards may arrive composed differently,
    and full-width letters ("ｐａｓｓｗｏｒｄ") are the ordinary word underneath:
    length, strength and the email/name check must judge what gets hashed.
    """
    return unicodedata.normalize("NFKC", password)


def check_password_characters(value: object) -> str:
    """Characters and length of a new password, returned normalised.

    Strength is judged in `core.auth`, on this same normalised form.
    """
    if not isinstance(value, str):
        raise ProblemError("password_not_text")
    if _has_lone_surrogate(value) or "\x00" in value:
        raise ProblemError("password_bad_character")
    value = normalise_password(value)
    if len(value) < PASSWORD_MIN:
        raise ProblemError("password_too_short", low=PASSWORD_MIN, count=len(value))
    if len(value) > PASSWORD_MAX:
        raise ProblemError("password_too_long", high=PASSWORD_MAX, count=len(value))
    return value


def _check_name(value: object) -> str:
    return clean_text(value, label="name", max_length=NAME_MAX)


def _check_role(value: object) -> Role:
    if value not in {role.value for role in Role}:
        raise ProblemError("choose_role")
    return Role(value)


def _typed_password(value: object, *, missing: str) -> str:  # missing: a problem code
    """A password typed to prove who someone is, normalised like a new one.

    Anything that cannot be anyone's password comes back as "", which
    `core.auth` answers (and counts) like a wrong password.
    """
    if not isinstance(value, str) or not value:
        raise ProblemError(missing)
    if _has_lone_surrogate(value) or "\x00" in value:
        return ""
    value = normalise_password(value)
    return value if len(value) <= PASSWORD_MAX else ""


def _check_sign_in_password(value: object) -> str:
    return _typed_password(value, missing="missing_password")


def _check_current_password(value: object) -> str:
    return _typed_password(value, missing="missing_current_password")


DisplayName = Annotated[str, BeforeValidator(_check_name)]
Email = Annotated[str, BeforeValidator(normalise_email)]
TimeZone = Annotated[str, BeforeValidator(check_time_zone)]
NewPassword = Annotated[str, BeforeValidator(check_password_characters)]
# A language the app does not speak (or none) is the source language, never an error:
# the page chooses it, and a person can change it in Account.
LanguageCode = Annotated[str, BeforeValidator(text.known)]


class _Form(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SignUpForm(_Form):
    display_name: DisplayName
    email: Email
    password: NewPassword
    role: Annotated[Role, BeforeValidator(_check_role)]
    time_zone: TimeZone
    language: LanguageCode = text.SOURCE.code


class SignInForm(_Form):
    email: Email
    password: Annotated[str, BeforeValidator(_check_sign_in_password)]


class ChangePasswordForm(_Form):
    current_password: Annotated[str, BeforeValidator(_check_current_password)]
    new_password: NewPassword


class DeleteAccountForm(_Form):
    password: Annotated[str, BeforeValidator(_check_sign_in_password)]


class ProfileForm(_Form):
    display_name: DisplayName
    time_zone: TimeZone
    # None (not sent) keeps the account's language.
    language: Annotated[str | None, BeforeValidator(
        lambda value: None if value is None else text.known(value))] = None


_TYPE_PROBLEMS = {"missing": "required"}
BAD_FORM = Problem("bad_form")


def parse_form(model: type[FormT], raw: object) -> tuple[FormT | None, FieldErrors]:
    """Validate `raw` (anything a browser sent) as `model`; never raises."""
    if not isinstance(raw, Mapping):
        return None, {"form": BAD_FORM}
    data: dict[str, Any] = {name: raw.get(name) for name in model.model_fields}
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        errors: FieldErrors = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            cause = error.get("ctx", {}).get("error")
            if isinstance(cause, ProblemError):
                problem: Problem | str = cause.problem
            elif isinstance(cause, ValueError):
                problem = str(cause)
            else:
                problem = Problem(_TYPE_PROBLEMS.get(error["type"], "check_field"))
            errors.setdefault(field, problem)
        return None, errors


def idempotency_key(value: object, message: str) -> str:
    """A save's idempotency key as its canonical UUID text, or ValueError(message)
    (the same check for the journal, exercises, mindfulness and check-ups)."""
    if not isinstance(value, str) or len(value) > 45:
        raise ValueError(message)
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise ValueError(message) from None
