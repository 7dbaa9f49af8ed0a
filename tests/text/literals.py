"""Counting the words a person could read that are still written into the code.

A string literal counts when it looks like prose (a capitalised word, or two
words with a space) and is not: a docstring; the message of `_()`, `N_()`,
`ngettext()` or `pgettext()`; a technical keyword argument (`class_name`,
`id`, `href`, ...); a log line; JavaScript or SQL handed to the browser or the
database. It is a heuristic, stable on purpose: the ratchet only needs it to
go down as words move into the catalogues, and up when someone writes
English straight into a screen again.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

APP_DIR = Path(__file__).resolve().parents[2] / "skills_app"
# Folders whose words are data by design (the text layer itself, migrations).
SKIPPED = ("text", "migrations")
TRANSLATED_CALLS = frozenset({"_", "N_", "ngettext", "pgettext"})
CODE_CALLS = frozenset({
    "call_script", "script", "Var", "create", "execute", "text", "debug", "info",
    "warning", "error", "exception", "critical", "getLogger", "getenv", "get", "setdefault",
    "compile", "match", "fullmatch", "search", "sub", "split", "strftime", "strptime",
    "format_skeleton", "format_date", "format_time", "startswith", "endswith", "join",
    "add_column", "Column", "ForeignKey", "Index", "UniqueConstraint", "CheckConstraint",
    "icon", "Path", "open", "asset", "cast", "to", "set_cookie", "delete_cookie", "field",
    "json", "replace", "encode", "decode", "hexdigest", "sha256", "environ",
    # An email header's name and protocol value (RFC 8058's "List-Unsubscribe=One-Click").
    "add_header",
})
TECHNICAL_KEYWORDS = frozenset({
    "class_name", "id", "href", "src", "type", "name", "auto_complete", "input_mode",
    "pattern", "route", "key", "html_for", "as_", "size", "position", "rel", "content",
    "target", "method", "action", "width", "height", "variant", "color_scheme", "justify",
    "align", "direction", "spacing", "loading", "enter_key_hint", "mode", "lang", "dir",
    "media_type", "library", "tag", "alias", "role", "style", "default", "accept",
    "aria_labelledby", "aria_describedby", "aria_controls", "aria_live", "aria_current",
    "on_load", "autocomplete", "auto_capitalize", "spell_check", "data", "path",
    "filename", "headers", "samesite", "format", "locale", "regex",
})
_PROSE = re.compile(r"^[A-Z][a-z]+\b|[A-Za-z]{2,}[,.?!]? [A-Za-z]{2,}")
_CODE_LOOK = re.compile(r"[{};=<>]\s*$|^\s*(function|var|const|let|return|if|SELECT|UPDATE|"
                        r"INSERT|DELETE|CREATE|ALTER|WITH)\b|=>|\$\{|document\.|window\.")


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


# One token with a slash is a name of something, not words ("America/Chicago").
_PATH_LIKE = re.compile(r"^[\w.+-]+(/[\w.+-]+)+$")


def _prose(value: str) -> bool:
    if _PATH_LIKE.match(value):
        return False
    return bool(_PROSE.search(value)) and not _CODE_LOOK.search(value) and "_" not in value.split(
        " ")[0][1:]


def _count_file(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ignored: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ignored.add(id(body[0].value))
        if isinstance(node, ast.Call):
            name = _call_name(node)
            skip_args = name in TRANSLATED_CALLS or name in CODE_CALLS
            for arg in node.args if skip_args else ():
                for inner in ast.walk(arg):
                    ignored.add(id(inner))
            for keyword in node.keywords:
                if skip_args or keyword.arg in TECHNICAL_KEYWORDS:
                    for inner in ast.walk(keyword.value):
                        ignored.add(id(inner))
        if isinstance(node, ast.Dict):
            for dict_key in node.keys:
                if dict_key is not None:
                    ignored.add(id(dict_key))
        if isinstance(node, ast.Subscript):
            for inner in ast.walk(node.slice):
                ignored.add(id(inner))
        if isinstance(node, ast.Compare):
            for inner in ast.walk(node):
                ignored.add(id(inner))
    count = 0
    for node in ast.walk(tree):
        if id(node) in ignored:
            continue
        if isinstance(node, ast.JoinedStr):
            words = "".join(part.value for part in node.values
                            if isinstance(part, ast.Constant) and isinstance(part.value, str))
            if _prose(words):
                count += 1
            for part in node.values:
                ignored.add(id(part))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and _prose(node.value)):
            count += 1
    return count


def count_literals(app_dir: Path = APP_DIR) -> Counter[str]:
    """Prose literals per top-level folder of skills_app ("." for its own modules)."""
    counts: Counter[str] = Counter()
    for path in sorted(app_dir.rglob("*.py")):
        relative = path.relative_to(app_dir)
        folder = relative.parts[0] if len(relative.parts) > 1 else "."
        if folder in SKIPPED:
            continue
        counts[folder] += _count_file(path)
    return counts


def count_javascript(assets_dir: Path = APP_DIR.parent / "assets") -> int:
    """English sentences in the app's own JavaScript (quoted prose)."""
    quoted = re.compile(r"""(["'`])((?:(?!\1).){3,}?)\1""")
    total = 0
    for path in sorted(assets_dir.glob("*.js")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("//"):
                continue
            total += sum(1 for _, value in quoted.findall(line) if _prose(value))
    return total


if __name__ == "__main__":
    found = count_literals()
    for folder, number in sorted(found.items()):
        print(f"{folder:12} {number}")
    print(f"{'assets/*.js':12} {count_javascript()}")
    print(f"{'total':12} {sum(found.values()) + count_javascript()}")
