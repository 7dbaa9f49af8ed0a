"""One set of date and time styles: every date a person reads comes from text.formats."""

from __future__ import annotations

import ast
import re
from pathlib import Path

APP_DIR = Path(__file__).resolve().parents[2] / "skills_app"
ASSETS_DIR = APP_DIR.parent / "assets"
FORMATTER = APP_DIR / "text" / "formats.py"
# Calls that write a date or time by hand, in a style of their own.
HAND_MADE = frozenset({"strftime", "ctime", "asctime"})


def _hand_made_dates(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                node.func.attr in HAND_MADE):
            found.append(f"{path.relative_to(APP_DIR.parent)}:{node.lineno} {node.func.attr}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("babel.dates"):
            found.append(f"{path.relative_to(APP_DIR.parent)}:{node.lineno} imports babel.dates")
    return found


def test_python_writes_dates_only_through_the_formatter() -> None:
    found = [line for path in sorted(APP_DIR.rglob("*.py")) if path != FORMATTER
             for line in _hand_made_dates(path)]
    assert found == []


def test_scripts_tell_time_in_the_pages_language_and_the_accounts_zone() -> None:
    """A script that writes a time uses the page's language (skillsLanguage()) and
    the account's zone (data-time-zone), never the phone's own locale or clock."""
    hand_made = re.compile(r"toLocale(Time|Date)?String|getHours|getMinutes|"
                           r"Intl\.DateTimeFormat\(\s*[\"']")
    found = [f"{path.name}:{number}" for path in sorted(ASSETS_DIR.glob("*.js"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if hand_made.search(line) and not line.strip().startswith("//")]
    assert found == []
