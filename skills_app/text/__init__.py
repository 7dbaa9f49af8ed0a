"""The home of the app's words: one text layer for every screen, in the reader's language.

English is the source language: a message id is the English text itself, with
`{named}` placeholders, never a sentence glued from fragments. Every other
language is a gettext catalogue under `locale/<language>/LC_MESSAGES/` (see
docs/languages.md): `messages.po` for what the Python code says, `content.po`
for the exercise and content files. They are read and compiled with Babel
when the app starts.

Which language a piece of text is in is decided once per event or per page
build, not passed through every function: pages are built once per language
(`add_page`), and each event speaks the language of the page it came from
(`skills_app.state.session`). `_()` and `ngettext()` answer in that language;
`skills_app.text.formats` writes dates, times and numbers in it.

This package imports neither Reflex nor the database, so `core/` and the
tests can use it too; `core/` itself returns facts, and the words for them are
chosen here and in `views/`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations


@dataclass(frozen=True)
class Language:
    """A language the app speaks: its code, its own name and its URL prefix."""

    code: str
    name: str
    # "" for the source language: its pages keep the plain routes (/today/).
    prefix: str


SOURCE = Language("en", "English", "")
# Every language the app speaks. Adding one is a catalogue and a line here.
LANGUAGES: tuple[Language, ...] = (SOURCE, Language("es", "Español", "/es"))
CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}

LOCALE_DIR = Path(__file__).parent / "locale"

_current: ContextVar[str] = ContextVar("skills_language", default=SOURCE.code)


def known(code: object) -> str:
    """`code` when the app speaks it, else the source language (any input is safe)."""
    return code if isinstance(code, str) and code in BY_CODE else SOURCE.code


def current() -> str:
    """The language this event or page build speaks."""
    return _current.get()


def use(code: object) -> None:
    """Speak `code` for the rest of this event (each event runs in its own context)."""
    _current.set(known(code))


@contextmanager
def language(code: object) -> Iterator[str]:
    """Speak `code` inside the block, then go back to what was spoken before."""
    token = _current.set(known(code))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@cache
def translations(code: str) -> NullTranslations:
    """Every catalogue of `code`, compiled with Babel; the source language has none."""
    if code == SOURCE.code:
        return NullTranslations()
    merged: Translations | None = None
    for po_path in sorted((LOCALE_DIR / code / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=code)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        part = Translations(compiled, domain=po_path.stem)
        if merged is None:
            merged = part
        else:
            merged.merge(part)
    return merged or NullTranslations()


def _fill(text: str, params: dict[str, object]) -> str:
    return text.format(**params) if params else text


def _(message: str, **params: object) -> str:
    """`message` in the current language, its `{placeholders}` filled from `params`."""
    return _fill(translations(current()).gettext(message), params)


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it yet (module constants)."""
    return message


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    """The form of `singular`/`plural` the current language's plural rules pick for `n`.

    `{n}` is filled with n, written the current language's way.
    """
    from skills_app.text.formats import number

    chosen = translations(current()).ngettext(singular, plural, n)
    return _fill(chosen, {"n": number(n), **params})


def pgettext(context: str, message: str, **params: object) -> str:
    """`message` in the current language, told apart from the same English in
    another `context` (for example "May" the month, "may" the verb)."""
    return _fill(translations(current()).pgettext(context, message), params)


def href(path: str, code: str | None = None) -> str:
    """`path` (an app route such as "/journal/") in the current language, or in `code`."""
    if not path.startswith("/") or path.startswith("//"):
        return path
    prefix = BY_CODE[known(code) if code is not None else current()].prefix
    return f"{prefix}{path}" if prefix else path


def language_of_path(path: object) -> str:
    """The language of the page at `path` ("/es/today/" → "es", "/today/" → "en")."""
    if not isinstance(path, str):
        return SOURCE.code
    for lang in LANGUAGES:
        if lang.prefix and (path == lang.prefix or path.startswith(lang.prefix + "/")):
            return lang.code
    return SOURCE.code


def without_language(path: str) -> str:
    """`path` with its language prefix removed ("/es/today/" → "/today/")."""
    prefix = BY_CODE[language_of_path(path)].prefix
    return (path[len(prefix):] or "/") if prefix else path


def from_accept_language(header: object) -> str:
    """The first language the browser asks for that the app speaks, else the source one."""
    if not isinstance(header, str):
        return SOURCE.code
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header[:512].split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        weighted.append((-weight, position, tag.strip().split("-")[0].lower()))
    for weight, _position, code in sorted(weighted):
        if weight < 0 and code in BY_CODE:
            return code
    return SOURCE.code
