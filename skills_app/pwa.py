"""The offline page and the service worker, in every language the app speaks.

- /offline.html, /es/offline.html: the page the service worker shows when
  there is no network. It carries the crisis resources and the overdose and
  withdrawal safety text (content/crisis.py, content/overdose.py), and the
  words assets/safety.js needs to draw the phone's copy of the safety plan.
  Each language's page is at its own address; the plain /offline.html follows
  the browser's language (`Accept-Language`) unless `?lang=` names one, which
  is how the service worker asks for the English one.
- /sw.js: the service worker, served with a version that follows what it
  precaches. A phone that installed the app keeps its service worker and
  caches until the script itself changes. So the script's VERSION is a hash of
  every precached file (each language's offline page as rendered, the help
  pages' crisis list, the manifest, styles, script and icons): change a crisis
  number or a translation and every installed phone fetches the new offline
  pages at its next visit.

The worker precaches every language's offline and help pages, and serves the
one of the page's language (/es/... is Spanish); for a page without a language
in its address (the start page, a sign-in), the language of the last page
this phone opened, else the browser's (see templates/sw.js).
"""

from __future__ import annotations

import hashlib
import html
import json
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from skills_app import text
from skills_app.content import mindfulness as mindfulness_content
from skills_app.content.crisis import CRISIS_RESOURCES, NOBODY_WATCHES, CrisisAction
from skills_app.content.overdose import OVERDOSE_SAFETY, SECTION_ID, TITLE, OverdoseSafety
from skills_app.text import _, problems
from skills_app.text.words import push as push_words

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
TEMPLATE = Path(__file__).parent / "templates" / "sw.js"
OFFLINE_TEMPLATE = Path(__file__).parent / "templates" / "offline.html"
OFFLINE_PATH = "/offline.html"
HELP_PATH = "/help/"
# Static files the worker precaches (besides the offline and help pages).
PRECACHED_ASSETS = ("manifest.webmanifest", "styles.css", "app.js", "safety.js",
                    "icons/icon-192.png", "icons/icon-512.png", "measures.js",
                    # The mindfulness timers and their bells work offline after one visit.
                    "timer.js", "sounds/bowl.wav", "sounds/bell.wav", "sounds/chime.wav",
                    # The diary card's fold titles, offline too.
                    "diary_card.js")

# A patient's pages, kept by the service worker once the patient has signed in,
# even before they are opened (templates/sw.js "warm"): the practice list, the
# mindfulness scripts and every screen a patient uses. What each shows offline
# is the copy the phone kept of it (assets/app.js), except what is in the page
# itself (the exercise list, the scripts, help). Sharing, the account and
# "your data" say offline that they need a connection.
OFFLINE_PAGES = ("/today/", "/journal/", "/journal/new/", "/practice/", "/practice/do/",
                 "/practice/history/", "/mindfulness/", "/mindfulness/breathe/",
                 "/mindfulness/timer/", "/mindfulness/log/", "/progress/", "/measures/",
                 "/measures/take/", "/safety-plan/", "/relapse-plan/", "/homework/",
                 "/groups/", "/more/", HELP_PATH,
                 # Offline these say plainly that they need a connection.
                 "/sharing/", "/account/", "/your-data/")


def offline_pages() -> list[str]:
    """The pages to keep, in the current language."""
    guided = [f"/mindfulness/guided/{practice.key}/"
              for practice in mindfulness_content.GUIDED_PRACTICES]
    return [text.href(path) for path in (*OFFLINE_PAGES, *guided)]


# --- the offline page --------------------------------------------------------------

def _action_label(label: str) -> str:
    """A button's words, a phone number at its end kept on one line."""
    head, _space, last = label.rpartition(" ")
    if head and sum(ch.isdigit() for ch in last) >= 7:
        return f'{html.escape(head)} <span class="nowrap">{html.escape(last)}</span>'
    return html.escape(label)


def _action_links(actions: tuple[CrisisAction, ...]) -> str:
    return "".join(
        f'<a class="action" href="{html.escape(_(action.href))}">'
        f"{_action_label(_(action.label))}</a>"
        for action in actions)


def _overdose_html(section: OverdoseSafety) -> str:
    """The overdose and withdrawal section, as the help page shows it (one text)."""
    parts = []
    for part in section.parts:
        points = "".join(f"<li>{html.escape(_(point))}</li>" for point in part.points)
        tag = "ol" if part.steps else "ul"
        parts.append(
            f"<h3>{html.escape(_(part.heading))}</h3>"
            + (f"<p>{html.escape(_(part.lead))}</p>" if part.lead else "")
            + (f"<{tag} class=points>{points}</{tag}>" if points else "")
            + (f"<p>{html.escape(_(part.after))}</p>" if part.after else ""))
    return (f'<section id="{SECTION_ID}" class="overdose" aria-labelledby="{SECTION_ID}-h">'
            f'<h2 id="{SECTION_ID}-h">{html.escape(_(TITLE))}</h2>'
            f"<p><strong>{html.escape(_(section.lead))}</strong></p>"
            f"{_action_links(section.actions)}{''.join(parts)}</section>")


def _crisis_items() -> str:
    items = []
    for resource in CRISIS_RESOURCES:
        label = (f'<p class="referral">{html.escape(_("Treatment referral, not a crisis line"))}'
                 "</p>" if resource.referral_only else "")
        options = "".join(f"<li>{html.escape(_(option))}</li>" for option in resource.options)
        items.append(f"<li><h2>{html.escape(_(resource.name))}</h2>{label}"
                     f"<p>{html.escape(_(resource.description))}</p>"
                     f"{f'<ul class=options>{options}</ul>' if options else ''}"
                     f"{_action_links(resource.actions)}</li>")
    return "".join(items)


def _page_text() -> str:
    """The words safety.js shows (the plan's copy), as the app's pages carry them."""
    return (f'<div id="page-text" hidden aria-hidden="true" data-language="{text.current()}" '
            f'data-text="{html.escape(json.dumps(problems.script_text(), ensure_ascii=False))}">'
            "</div>")


@cache
def _offline_page_in(code: str) -> str:
    with text.language(code):
        fills = {
            "{lang}": code,
            "{title}": html.escape(_("You're offline - Skills Practice")),
            "{heading}": html.escape(_("You're offline")),
            "{cannot_reach}": html.escape(_("We can't reach Skills Practice right now. Anything "
                                            "you were typing stays saved on this phone.")),
            "{home}": html.escape(text.href("/")),
            "{try_again}": html.escape(_("Try again")),
            "{help_now}": html.escape(_("If you need help now")),
            "{work_without}": html.escape(_("These work without the app:")),
            "{items}": _crisis_items(),
            "{nobody}": html.escape(_(NOBODY_WATCHES)),
            "{overdose}": _overdose_html(OVERDOSE_SAFETY),
            "{page_text}": _page_text(),
        }
    page = OFFLINE_TEMPLATE.read_text(encoding="utf-8")
    for placeholder, value in fills.items():
        page = page.replace(placeholder, value)
    return page


def offline_page_html(code: str | None = None) -> str:
    """A self-contained page (inline styles; one script, /safety.js, that shows the
    patient's own safety plan when this phone keeps a copy) with the crisis resources
    and the overdose and withdrawal safety section, in `code` (default: the current
    language)."""
    return _offline_page_in(text.known(code if code is not None else text.current()))


def offline_path(code: str) -> str:
    """Where the offline page of `code` is: "/offline.html", "/es/offline.html"."""
    return text.href(OFFLINE_PATH, code)


def _offline_response(code: str) -> Response:
    return HTMLResponse(offline_page_html(code), headers={"Cache-Control": "no-cache"})


async def _offline_page(request: Request) -> Response:
    """The plain address: `?lang=` when it names a language, else the browser's."""
    asked = request.query_params.get("lang")
    code = (asked if asked in text.BY_CODE
            else text.from_accept_language(request.headers.get("accept-language")))
    return _offline_response(code)


def _offline_page_of(code: str):  # noqa: ANN202 - a Starlette endpoint
    async def endpoint(request: Request) -> Response:
        return _offline_response(code)

    return endpoint


# --- the service worker ----------------------------------------------------------

def precache_version(*, assets: Path = ASSETS, crisis: object = CRISIS_RESOURCES,
                     offline_html: str | None = None) -> str:
    """A short hash of everything the service worker precaches."""
    digest = hashlib.sha256()
    digest.update(TEMPLATE.read_bytes())
    pages = ([offline_html] if offline_html is not None
             else [offline_page_html(language.code) for language in text.LANGUAGES])
    for page in pages:
        digest.update(page.encode())
    digest.update(repr(crisis).encode())  # the cached help pages are rendered from it
    for name in PRECACHED_ASSETS:
        digest.update(name.encode())
        digest.update((assets / name).read_bytes())
    return digest.hexdigest()[:16]


def _push_words() -> str:
    """The reminders' words the worker needs, in every language (its notification's
    buttons, and a title should a message come without one)."""
    words = {}
    for language in text.LANGUAGES:
        with text.language(language.code):
            words[language.code] = {"title": _("Skills Practice"),
                                    "snooze_30": _(push_words.SNOOZE_30),
                                    "snooze_60": _(push_words.SNOOZE_60)}
    return json.dumps(words, ensure_ascii=False, separators=(",", ":"))


def _worker_languages() -> str:
    """What the worker needs to know of each language: its prefix and its pages."""
    return json.dumps([
        {"code": language.code, "prefix": language.prefix,
         # The source language's plain /offline.html would follow the browser: ask for it.
         "offline": (offline_path(language.code) if language.prefix
                     else f"{OFFLINE_PATH}?lang={language.code}"),
         "help": text.href(HELP_PATH, language.code)}
        for language in text.LANGUAGES], separators=(",", ":"))


@cache
def service_worker_script() -> str:
    # The worker's list is filled from PRECACHED_ASSETS, so the two cannot drift apart.
    assets = ", ".join(f'"/{name}"' for name in PRECACHED_ASSETS)
    return (TEMPLATE.read_text(encoding="utf-8").replace("{{version}}", precache_version())
            .replace("{{precached_assets}}", assets)
            .replace("{{languages}}", _worker_languages())
            .replace("{{push_words}}", _push_words()))


async def _service_worker(request: Request) -> Response:
    # no-cache: the browser asks every time, so a new version is found at once.
    return Response(service_worker_script(), media_type="text/javascript",
                    headers={"Cache-Control": "no-cache"})


routes = [
    Route("/sw.js", _service_worker, methods=["GET"]),
    Route(OFFLINE_PATH, _offline_page, methods=["GET"]),
    *[Route(offline_path(language.code), _offline_page_of(language.code), methods=["GET"])
      for language in text.LANGUAGES if language.prefix],
]
