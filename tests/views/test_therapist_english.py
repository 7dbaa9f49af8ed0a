"""The therapist's words keep their meaning through the text layer (issue 19).

`therapist_english_before.json` is what the caseload rows, every kind of flag,
the patient details and the CSV session summaries said in English before
their words moved into the catalogue. Today's output must be the same, except
for the three changes the text layer makes on purpose, which are undone in the
old text here, one rule each:

- dates are written in the app's one set of styles (`text.formats`): a flag's
  "Tue 1 Dec" is now `formats.day` ("Tue, Dec 1"), the review's columns "Tue 1"
  too, "Week of December 7, 2026" is `formats.date_with_year`;
- a number with nothing after the point is written without it ("6.0" → "6"), as
  everywhere else in the app (`formats.decimal`);
- plurals come from the catalogue's plural rules: "1 days" → "1 day".
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from skills_app import text
from skills_app.text import formats
from tests.views import therapist_samples

BEFORE = Path(__file__).with_name("therapist_english_before.json")
# Every day the samples name: the demo's eight weeks, the flags' days, the fixtures'.
FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)


def _days() -> list[date]:
    return [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]


def _old_short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _old_long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _old_column(day: date) -> str:
    return f"{day:%a} {day.day}"


@cache
def _new_dates() -> dict[str, str]:
    """Each old way of writing a day of the samples' year, with today's way."""
    new = {}
    for day in _days():
        new[_old_short_day(day)] = formats.day(day)
        new[f"Week of {_old_long_date(day)}"] = f"Week of {formats.date_with_year(day)}"
    return new


@cache
def _old_dates() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(old) for old in sorted(_new_dates(), key=len,
                                                                reverse=True)))


def _dates_restyled(old: str, week: date | None) -> str:
    old = _old_dates().sub(lambda found: _new_dates()[found.group(0)], old)
    for day in ([week + timedelta(days=n) for n in range(7)] if week else []):
        old = re.sub(rf"\b{re.escape(_old_column(day))}\b", formats.day(day), old)
    return old


def _restyled(old: str, week: date | None = None) -> str:
    old = _dates_restyled(old, week)
    old = re.sub(r"(?<![\d.])(\d+)\.0\b(?!\.)", r"\1", old)
    return re.sub(r"\b1 (day|minute)s\b", r"1 \1", old)


def _each_string(value: Any, change) -> Any:  # noqa: ANN001
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_each_string(item, change) for item in value]
    if isinstance(value, dict):
        return {key: _each_string(item, change) for key, item in value.items()}
    return value


@pytest.fixture(scope="module")
def before() -> dict[str, Any]:
    return json.loads(BEFORE.read_text(encoding="utf-8"))


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))


def _csv_as_cells(entry: dict[str, Any]) -> dict[str, Any]:
    """A summary's CSV as its cells (a day with a comma is quoted now, its words are not)."""
    if "csv" not in entry:
        return entry
    return {**entry, "csv": list(csv.reader(io.StringIO(entry["csv"])))}


def test_the_flags_and_lines_say_what_they_said(before: dict[str, Any]) -> None:
    with text.language("en"):
        now = _as_json(therapist_samples.pure())
    old = _each_string(before["pure"], _restyled)
    assert now.keys() == old.keys()
    for key in old:
        assert now[key] == old[key], key


def test_the_demo_caseload_details_and_reports_say_what_they_said(
        database: str, before: dict[str, Any]) -> None:
    with text.language("en"):
        now = _as_json(therapist_samples.with_demo())
    old = before["demo"]
    assert now.keys() == old.keys()
    for key, entry in old.items():
        week = date.fromisoformat(entry["screen"]["week"]) if "screen" in entry else None
        assert _csv_as_cells(now[key]) == _each_string(
            _csv_as_cells(entry), lambda s, w=week: _restyled(s, w)), key


def test_the_rules_above_change_only_what_they_name() -> None:
    assert _restyled("Suicide urge 4 — Tue 1 Dec (and 1 more day in the last 7)") == \
        "Suicide urge 4 — Tue, Dec 1 (and 1 more day in the last 7)"
    assert _restyled("6.0 / 10, ↑ up; 4.5; 42 CFR 2.12(c)(5); 1 days; 3 days") == \
        "6 / 10, ↑ up; 4.5; 42 CFR 2.12(c)(5); 1 day; 3 days"
    assert _restyled("Mon 7,Tue 8", date(2026, 12, 7)) == "Mon, Dec 7,Tue, Dec 8"
