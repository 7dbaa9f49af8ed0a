"""Registering a screen once per language: "/today/" in English, "/es/today/" in Spanish.

Reflex compiles each page once, so a page's words are chosen when it is built:
`add_page` builds the component inside `text.language(code)` for every
language the app speaks. No translation dictionary rides in a tab's state,
each language's pages are plain static pages the service worker can cache,
and `html lang` is set for each (see `html_lang_script`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx

from skills_app import text
from skills_app.text import _

APP_NAME = "Skills Practice"
ENGLISH_ONLY = (text.SOURCE,)


def localized_route(route: str, code: str) -> str:
    """`route` as registered for the language `code` ("/today" → "/es/today")."""
    prefix = text.BY_CODE[code].prefix
    if not prefix:
        return route
    return prefix if route in ("", "/", "/index") else f"{prefix}{route}"


def page_title(title: str) -> str:
    """The tab's title in the current language: "<screen> - Skills Practice"."""
    return _("{screen} - Skills Practice", screen=_(title)) if title else APP_NAME


def _built_in(component: Callable[[], rx.Component], code: str) -> Callable[[], rx.Component]:
    def build() -> rx.Component:
        with text.language(code):
            return component()

    build.__name__ = f"{component.__name__}_{code}"
    # Reflex writes a page's memoised parts into a module named after its page
    # function's module: named after this one, every page's parts in both
    # languages became one 550 KB chunk that each page loaded. One module per
    # page and language: each page loads only what it draws.
    build.__module__ = f"{component.__module__}.{component.__name__}_{code}"
    return build


def add_page(app: rx.App, component: Callable[[], rx.Component], route: str, *,
             title: str = "", on_load: Any = None,
             meta: Sequence[dict[str, Any]] | None = None,
             languages: Sequence[text.Language] = text.LANGUAGES) -> None:
    """Register `component` at `route` in every language the app speaks.

    `title` is the screen's English name (for example "Today"); each language's
    page gets it translated, followed by the app's name. The therapist side is
    English only for now (`languages=ENGLISH_ONLY`), through the same layer.
    """
    for language in languages:
        with text.language(language.code):
            page_args: dict[str, Any] = {"title": page_title(title), "on_load": on_load}
        if meta is not None:
            page_args["meta"] = meta
        app.add_page(_built_in(component, language.code),
                     route=localized_route(route, language.code), **page_args)


HTML_LANG_SCRIPT = (
    "(function(){var root=document.documentElement;function want(){var p=location.pathname;"
    + "".join(
        f"if(p==={lang.prefix!r}||p.indexOf({lang.prefix + '/'!r})===0)return {lang.code!r};"
        for lang in text.LANGUAGES if lang.prefix)
    + f"return {text.SOURCE.code!r};}}"
    # Set only when it differs: setting it again would wake the observer below.
    + "function lang(){var code=want();if(root.lang!==code)root.lang=code;}"
    # Pages change in place too (the router's pushState, a redirect to the
    # person's language): follow every change of address.
    + "['pushState','replaceState'].forEach(function(n){var f=history[n];"
    + "history[n]=function(){var r=f.apply(this,arguments);lang();return r;};});"
    + "window.addEventListener('popstate',lang);lang();"
    # React writes the app-wide `lang` again when it hydrates or re-renders the
    # root (a page served offline): put the page's back each time.
    + "new MutationObserver(lang).observe(root,{attributes:true,attributeFilter:['lang']});"
    + "})();"
)


def html_lang_script() -> rx.Component:
    """Set `<html lang>` from the page's language before anything is read aloud.

    Reflex writes one `html lang` for the whole app; this inline script in the
    head runs before the body is parsed, on every page and every language, and
    again whenever the address changes without a load.
    """
    return rx.el.script(HTML_LANG_SCRIPT)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def sentence(message: str, **values: rx.Var | str) -> rx.Var | str:
    """A translated `message` whose `{placeholders}` are state vars, joined in the
    browser: `sentence(_("Hi {name}."), name=SessionState.display_name)`.

    The words stay one message in the catalogue, so a translation can move the
    name anywhere in its sentence.
    """
    pieces: list[rx.Var | str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(message):
        if match.start() > position:
            pieces.append(message[position:match.start()])
        pieces.append(values[match.group(1)])
        position = match.end()
    if position < len(message):
        pieces.append(message[position:])
    if not any(isinstance(piece, rx.Var) for piece in pieces):
        return "".join(str(piece) for piece in pieces)
    joined: rx.Var = rx.Var.create("")
    for piece in pieces:
        joined = joined + (piece.to(str) if isinstance(piece, rx.Var) else piece)
    return joined
