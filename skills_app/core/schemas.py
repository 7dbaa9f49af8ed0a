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


# Invisible characters that can make text read as something it is not: the bidi
# embeddings, overrides and isolates (U+202E turns "cod.exe" into "exe.doc" on screen)
# and the zero-width characters (a "Sam" that is not the other "Sam").
BIDI_CONTROLS = frozenset(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
INVISIBLE = BIDI_CONTROLS | ZERO_WIDTH
_ZWNJ, _ZWJ = "\u200c", "\u200d"
# Scripts whose letters join, where a zero-width non-joiner is spelling (Persian "می‌خواهم").
_JOINING_SCRIPTS = ("ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "MANDAIC", "PHAGS-PA")


def _is_emoji_part(ch: str) -> bool:
    """An emoji, a skin tone or the emoji variation selector: what a ZWJ sequence joins."""
    return unicodedata.category(ch) in ("So", "Sk") or ch == "\ufe0f"


def _joining_letter(ch: str) -> bool:
    return (unicodedata.category(ch).startswith("L")
            and unicodedata.name(ch, "").startswith(_JOINING_SCRIPTS))


def _needed_joiner(text: str, i: int) -> bool:
    """A zero-width (non-)joiner where writing needs it (RFC 5892 CONTEXTJ: after a
    virama; a non-joiner between joining letters) or inside an emoji ZWJ sequence
    ("👩🏽‍💻", "🏳️‍🌈"). Anywhere else it only hides."""
    ch = text[i]
    if ch not in (_ZWJ, _ZWNJ) or i == 0 or i == len(text) - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    if unicodedata.combining(before) == 9:  # a virama (Devanagari, Bengali, Sinhala...)
        return True
    if ch == _ZWJ:
        return _is_emoji_part(before) and unicodedata.category(after) == "So"
    return _joining_letter(before) and _joining_letter(after)


def normalise_text(value: str, *, label: str, name: bool = False) -> str:
    """The one normalisation of every piece of free text: NFC (the same letters stored
    the same way), and no invisible bidi controls or zero-width characters (see
    `INVISIBLE`), except joiners a script or an emoji needs. A name, which others
    read to know who someone is, is refused with a kind message
    ("invisible_character"); longer text (notes, answers, plan lines) has them
    taken out."""
    value = unicodedata.normalize("NFC", value)
    hidden = [i for i, ch in enumerate(value)
              if ch in INVISIBLE and not _needed_joiner(value, i)]
    if hidden and name:
        raise ProblemError("invisible_character", label=label)
    if hidden:
        drop = set(hidden)
        value = "".join(ch for i, ch in enumerate(value) if i not in drop)
    return value


def without_invisible(value: str) -> str:
    """`value` in NFC with its hidden characters taken out (the rule notes follow):
    for text stored before the rule, by migration 0015."""
    return normalise_text(value, label="")


def clean_text(value: object, *, label: str, max_length: int, required: bool = True,
               multiline: bool = False, name: bool = False) -> str:
    """Check one piece of user text; return it normalised (`normalise_text`) and
    trimmed, or raise `ProblemError`.

    `label` is the field's English name (a catalogue message, "note"), put
    into the sentence in the reader's language. `name`: a name others read to know
    who someone is (refuses invisible characters instead of taking them out)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ProblemError("not_text", label=label)
    if _has_lone_surrogate(value):
        raise ProblemError("unstorable_character", label=label)
    allowed = _ALLOWED_CONTROLS_MULTILINE if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ProblemError("control_character", label=label)
    value = normalise_text(value, label=label, name=name).strip()
    if required and not value:
        raise ProblemError("missing_text", label=label)
    if len(value) > max_length:
        raise ProblemError("too_long", label=label, high=max_length, count=len(value))
    return value


def fold_case(text: str) -> str:
    """Text as compared without case, in every script: NFKC, then Unicode case
    folding ("Straße" and "STRASSE" -> "strasse", "ΟΔΟΣ" and "οδος" -> "οδοσ")."""
    return unicodedata.normalize("NFKC", text).casefold()


# Latin look-alikes in Cyrillic and Greek (after case folding), for `look_alike_key`.
_LOOK_ALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ӏ": "l", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "η": "n", "μ": "u",
})


def look_alike_key(name: str) -> str:
    """What a name looks like to a reader, so two that a therapist could mistake for
    each other compare equal: NFKC and case folding, no accents or other marks, no
    invisible or format characters, spaces collapsed, and the common Cyrillic and
    Greek letters that look Latin read as Latin ("Sam Lee", "sam  lee", "Ｓａｍ Ｌｅｅ",
    "Sаm Lее" with Cyrillic a and e)."""
    folded = unicodedata.normalize("NFKD", fold_case(name))
    kept = "".join(ch for ch in folded
                   if unicodedata.category(ch) not in ("Mn", "Me", "Cf") and ch not in INVISIBLE)
    return " ".join(kept.translate(_LOOK_ALIKES).split())


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
    return clean_text(value, label="name", max_length=NAME_MAX, name=True)


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
