"""Extracting, updating and checking the gettext catalogues (Babel).

    python -m skills_app.text.catalogue extract   # write locale/<domain>.pot
    python -m skills_app.text.catalogue update    # merge new messages into every .po
    python -m skills_app.text.catalogue check     # list what a translation misses
    python -m skills_app.text.catalogue stub es skills_app/pages/patient.py ...
        # print .po entries for the untranslated messages of those files

The same work with Babel's own command line, for translators used to it:

    pybabel extract -F skills_app/text/babel-messages.cfg -k N_ -k ngettext:1,2 \
        -k pgettext:1c,2 -o skills_app/text/locale/messages.pot skills_app
    pybabel update -D messages -i skills_app/text/locale/messages.pot \
        -d skills_app/text/locale

Domains: "messages" (what the Python says to patients and to everyone before
sign-in), "content" (the exercise files) and "therapist" (the therapist side,
English only for now). The app compiles the .po files itself when it starts.
"""

from __future__ import annotations

import re
import string
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from skills_app import text

APP_DIR = Path(__file__).resolve().parent.parent
TEXT_DIR = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


@dataclass(frozen=True)
class Domain:
    name: str
    # Whether every other language must translate it (the therapist side: not yet).
    translated: bool

    @property
    def mapping(self) -> Path:
        return TEXT_DIR / f"babel-{self.name}.cfg"

    @property
    def template_path(self) -> Path:
        return text.LOCALE_DIR / f"{self.name}.pot"

    def po_path(self, code: str) -> Path:
        return text.LOCALE_DIR / code / "LC_MESSAGES" / f"{self.name}.po"


DOMAINS = (Domain("messages", True), Domain("content", True), Domain("therapist", False))


def template(domain: Domain) -> Catalog:
    """Every message of `domain` found in the app's files, as Babel extracts them."""
    with domain.mapping.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, str(domain.mapping))
    catalog = Catalog(project="Skills Practice", domain=domain.name)
    for filename, line, message, comments, context in extract_from_dir(
            str(APP_DIR), method_map, options_map, keywords=KEYWORDS):
        catalog.add(message, None, [(f"skills_app/{filename}", line)],
                    auto_comments=comments, context=context)
    return catalog


def write_templates() -> None:
    for domain in DOMAINS:
        with domain.template_path.open("wb") as out:
            write_po(out, template(domain), width=88, omit_header=False)


def update(code: str) -> None:
    """Bring `code`'s catalogues up to the templates: new messages added untranslated."""
    for domain in DOMAINS:
        if not domain.translated:
            continue
        path = domain.po_path(code)
        if path.exists():
            with path.open("rb") as po_file:
                catalog = read_po(po_file, locale=code, domain=domain.name)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=code, domain=domain.name, project="Skills Practice")
        catalog.update(template(domain), update_header_comment=False)
        with path.open("wb") as out:
            write_po(out, catalog, width=88, ignore_obsolete=True)


_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def placeholders(message: str) -> set[str]:
    """The `{named}` fields of a message ("{n} days" → {"n"})."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(message)
                if field is not None and _FIELD.fullmatch(field)}
    except ValueError:
        return {"<broken placeholder>"}


def _entries(code: str) -> dict[tuple[object, str | None], object]:
    """Every entry of every .po file of `code`, as the app merges them when it starts."""
    found: dict[tuple[object, str | None], object] = {}
    for po_path in sorted((text.LOCALE_DIR / code / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as po_file:
            for entry in read_po(po_file, locale=code):
                if entry.id:
                    found.setdefault((entry.id, entry.context), entry)
    return found


def translation_problems(code: str) -> list[str]:
    """Every message `code` does not translate, or translates with other placeholders."""
    problems: list[str] = []
    translated = _entries(code)
    for domain in DOMAINS:
        if not domain.translated:
            continue
        for message in template(domain):
            if not message.id:
                continue
            entry = translated.get((message.id, message.context))
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            shown = repr(ids[0][:60])
            if entry is None or not entry.string or (
                    isinstance(entry.string, tuple) and not all(entry.string)):
                problems.append(f"{domain.name}: no {code} text for {shown}")
                continue
            if entry.fuzzy:
                problems.append(f"{domain.name}: {code} text for {shown} is marked fuzzy")
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            wanted = set().union(*(placeholders(i) for i in ids))
            for form in strings:
                if placeholders(form) - wanted or (len(ids) == 1 and placeholders(form) != wanted):
                    problems.append(f"{domain.name}: {code} text for {shown} has placeholders "
                                    f"{sorted(placeholders(form))}, English has {sorted(wanted)}")
    return problems


def stub(code: str, files: list[str]) -> Catalog:
    """The messages of `files` that `code` does not translate yet, ready to fill in."""
    wanted = {str(Path(name).resolve().relative_to(APP_DIR.parent)) for name in files}
    translated = _entries(code)
    missing = Catalog(locale=code, project="Skills Practice")
    for domain in DOMAINS:
        if not domain.translated:
            continue
        for message in template(domain):
            entry = translated.get((message.id, message.context))
            if (message.id and any(path in wanted for path, _line in message.locations)
                    and (entry is None or not entry.string)):
                missing.add(message.id, None, message.locations, context=message.context)
    return missing


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "stub":
        write_po(sys.stdout.buffer, stub(argv[2], argv[3:]), width=88, omit_header=True)
    elif command == "extract":
        write_templates()
    elif command == "update":
        for language in text.LANGUAGES[1:]:
            update(language.code)
    elif command == "check":
        problems = [p for language in text.LANGUAGES[1:]
                    for p in translation_problems(language.code)]
        print("\n".join(problems) or "every message is translated")
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
