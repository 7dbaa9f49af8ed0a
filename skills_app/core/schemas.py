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

from skills_app.core.models import Role

FieldErrors = dict[str, str]
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
    """Check one piece of user text; return it trimmed or raise ValueError with a kind message."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"Please type your {label} as text.")
    if _has_lone_surrogate(value):
        raise ValueError(f"Your {label} has a character we can't store. Please retype it.")
    allowed = _ALLOWED_CONTROLS_MULTILINE if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValueError(f"Your {label} has a hidden control character. Please retype it.")
    value = value.strip()
    if required and not value:
        raise ValueError(f"Please enter your {label}.")
    if len(value) > max_length:
        raise ValueError(f"Your {label} is too long: please keep it to {max_length} characters "
                         f"(it has {len(value):,}).")
    return value


def fold_case(text: str) -> str:
    """Text as compared without case, in every script: NFKC, then Unicode case
    folding ("Straße" and "STRASSE" -> "strasse", "ΟΔΟΣ" and "οδος" -> "οδοσ")."""
    return unicodedata.normalize("NFKC", text).casefold()


def normalise_email(value: object) -> str:
    email = clean_text(value, label="email", max_length=EMAIL_MAX)
    local, at, domain = email.rpartition("@")
    if not at or not local or "." not in domain.strip(".") or any(ch.isspace() for ch in email):
        raise ValueError("Please enter an email address like name@example.com.")
    return f"{local}@{domain.lower()}".lower()


@lru_cache(maxsize=1)
def known_time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_time_zone(value: object) -> str:
    zone = clean_text(value, label="time zone", max_length=64)
    if zone not in known_time_zones():
        raise ValueError("We don't recognise that time zone. Please pick one from the list, "
                         "like America/Chicago.")
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
        raise ValueError("Please type your password as text.")
    if _has_lone_surrogate(value) or "\x00" in value:
        raise ValueError("Your password has a character we can't use. Please retype it.")
    value = normalise_password(value)
    if len(value) < PASSWORD_MIN:
        raise ValueError(f"Please use at least {PASSWORD_MIN} characters (this has {len(value)}). "
                         "A short sentence or a few unrelated words work well.")
    if len(value) > PASSWORD_MAX:
        raise ValueError(f"Please use at most {PASSWORD_MAX} characters (this has {len(value)}).")
    return value


def _check_name(value: object) -> str:
    return clean_text(value, label="name", max_length=NAME_MAX)


def _check_role(value: object) -> Role:
    if value not in {role.value for role in Role}:
        raise ValueError("Please choose whether you are a patient or a therapist.")
    return Role(value)


def _typed_password(value: object, *, missing: str) -> str:
    """A password typed to prove who someone is, normalised like a new one.

    Anything that cannot be anyone's password comes back as "", which
    `core.auth` answers (and counts) like a wrong password.
    """
    if not isinstance(value, str) or not value:
        raise ValueError(missing)
    if _has_lone_surrogate(value) or "\x00" in value:
        return ""
    value = normalise_password(value)
    return value if len(value) <= PASSWORD_MAX else ""


def _check_sign_in_password(value: object) -> str:
    return _typed_password(value, missing="Please enter your password.")


def _check_current_password(value: object) -> str:
    return _typed_password(value, missing="Please enter your current password.")


DisplayName = Annotated[str, BeforeValidator(_check_name)]
Email = Annotated[str, BeforeValidator(normalise_email)]
TimeZone = Annotated[str, BeforeValidator(check_time_zone)]
NewPassword = Annotated[str, BeforeValidator(check_password_characters)]


class _Form(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SignUpForm(_Form):
    display_name: DisplayName
    email: Email
    password: NewPassword
    role: Annotated[Role, BeforeValidator(_check_role)]
    time_zone: TimeZone


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


_TYPE_MESSAGES = {
    "missing": "This is required.",
}


def parse_form(model: type[FormT], raw: object) -> tuple[FormT | None, FieldErrors]:
    """Validate `raw` (anything a browser sent) as `model`; never raises."""
    if not isinstance(raw, Mapping):
        return None, {"form": "Something went wrong with this form. Please try again."}
    data: dict[str, Any] = {name: raw.get(name) for name in model.model_fields}
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        errors: FieldErrors = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            cause = error.get("ctx", {}).get("error")
            message = str(cause) if isinstance(cause, ValueError) else _TYPE_MESSAGES.get(
                error["type"], "Please check this field.")
            errors.setdefault(field, message)
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
