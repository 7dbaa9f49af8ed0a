"""A fixed data set for the therapist's words: every kind of flag, tier and "not
shared" line, the caseload rows, and the demo program's caseload, patient
details and session summaries (CSV), all in English.

`tests/views/therapist_english_before.json` is what these said before the
therapist side went through the text layer (issue 19);
`test_therapist_english.py` checks they still say the same.
Regenerate it only on purpose: `python -m tests.views.therapist_samples > ...`.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select

from skills_app import demo
from skills_app.core import db, review, sharing
from skills_app.core.clock import frozen_clock
from skills_app.core.dates import local_today
from skills_app.core.journal import GridRow
from skills_app.core.models import User
from skills_app.core.review import Flag, FlagKind, Tier
from skills_app.views import reports
from skills_app.views import therapist as views

# A Monday at noon in Chicago: the demo's eight weeks end the day before.
NOW = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
TUE = date(2026, 12, 1)
RISK = frozenset({"safety", "substance_use", sharing.ITEM9})
# Every category the samples were recorded with (therapist_english_before.json):
# Homework (issue 20) came later and has words of its own.
EVERYTHING = (frozenset(sharing.CATEGORY_KEYS) - {"homework"}) | {sharing.ITEM9,
                                                                  sharing.PLAN_EXISTS}
# Parts of the detail that other areas word (the plan's own lines and its "last changed").
# The program's groups (issue 20) are worded by their own tests too.
NOT_OURS = ("plan_updated", "plan_lines", "plan_contacts", "attendance", "attendance_note")
# Parts added after the snapshot (issue 20): checked by their own tests
# (tests/views/test_homework_therapist.py), left out here.
ADDED_LATER = ("homework", "next_group")


def _without_added_parts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if key not in ADDED_LATER}
            for row in rows]


def _csv_without_added_parts(text: str) -> str:
    """The CSV without the Homework part (its title line down to the next blank line)."""
    lines, kept, skipping = text.splitlines(keepends=True), [], False
    for line in lines:
        if line.strip() == "Homework":
            skipping = True
            kept.pop()  # the blank line before the title
            continue
        if skipping and not line.strip():
            skipping = False
        if not skipping:
            kept.append(line)
    return "".join(kept)


def flags() -> list[Flag]:
    found = []
    for count in (1, 2, 3, 7):
        for acted in (False, True):
            for value in (None, 0, 4, 5):
                for key in views.URGE_NAMES:
                    tier = Tier.SAFETY_ACT if acted else Tier.SAFETY_URGE
                    found.append(Flag(tier, FlagKind.URGE, key, TUE, value, acted, count))
                found.append(Flag(Tier.OTHER, FlagKind.OWN_TARGET, "<b>Gambling</b>", TUE,
                                  value, acted, count))
        found.append(Flag(Tier.USE_PATTERN, FlagKind.USE_PATTERN, "urge_substance_use",
                          date(2026, 12, 3), count=count))
    for value in (1, 2, 3, 5, 21):
        found.append(Flag(Tier.MISSING, FlagKind.NO_CHECK_IN, None,
                          TUE - timedelta(days=value), value))
    found.append(Flag(Tier.MISSING, FlagKind.NO_CHECK_IN, None, None))
    for age in (0, 6, 9):
        found.append(Flag(Tier.SAFETY_ACT if age < 7 else Tier.SAFETY_URGE,
                          FlagKind.PHQ9_ITEM9, "phq9", TUE - timedelta(days=age), 2))
    for item in ("phq9", "gad7"):
        found.append(Flag(Tier.MISSING, FlagKind.CHECKUP_OVERDUE, item, date(2026, 11, 13), 4))
        found.append(Flag(Tier.MISSING, FlagKind.CHECKUP_OVERDUE, item, None))
    return found


def caseload() -> list[review.CaseloadRow]:
    today = date(2026, 3, 6)
    every = flags()
    rows = []
    shares = (frozenset(), frozenset({"exercises"}), frozenset({"mood"}), RISK,
              frozenset({"safety"}), frozenset({"safety", "mood"}), EVERYTHING)
    for n, categories in enumerate(shares):
        for m, last in enumerate((None, today, today - timedelta(days=1),
                                  today - timedelta(days=4))):
            for average, direction in ((None, None), (6.04, "up"), (3.0, "down"),
                                       (7.25, "same"), (10.0, None)):
                picked = tuple(every[(n * 7 + m * 3) % len(every)::23][:3]) if m else ()
                rows.append(review.CaseloadRow(len(rows) + 1, f"P{len(rows)}", categories,
                                               last, average, direction, picked, today))
    return rows


def pure() -> dict[str, Any]:
    """What needs no database."""
    grid = {kind: GridRow("urge.suicide", "Suicide", kind, 5, (), "Urges")
            for kind in ("rating", "acted_on", "yes_no", "hours", "average")}
    cells = [views.cell_text(grid[kind], value) for kind, value in (
        ("rating", None), ("rating", 0), ("rating", 4), ("acted_on", True),
        ("acted_on", False), ("acted_on", None), ("yes_no", True), ("yes_no", False),
        ("yes_no", 1), ("yes_no", 3), ("hours", 6.5), ("hours", 7.0), ("hours", (5, 8)),
        ("hours", (6.5, 6.5)), ("average", 4.25), ("average", 6.0), ("average", 10.0))]
    checkups = [{"name": "PHQ-9", "total": "15 out of 27", "band": "Moderately severe",
                 "day": "Dec 1, 2026", "item9": ""}]
    return {
        "flags": [views.flag_text(flag) for flag in flags()],
        "tiers": {int(tier): label for tier, label in views.TIER_LABELS.items()},
        "not_shared": [views.not_shared(part) for part in views.SHORT_NAMES],
        "caseload": _without_added_parts(views.caseload_rows(caseload())),
        "cells": cells,
        "checkup_lines": [views.checkup_lines(checkups, True), views.checkup_lines([], True),
                          views.checkup_lines(checkups, False)],
        "plan_lines": [views.plan_line(value) for value in (None, True, False)],
        "notice": views.NOT_LIVE,
    }


def _user_id(email: str) -> int:
    with db.read() as session:
        return session.exec(select(User.id).where(User.email == email)).one()


def with_demo() -> dict[str, Any]:
    """The demo program as its therapist sees it (needs a migrated database in use)."""
    with frozen_clock(NOW):
        demo.seed_demo()
        therapist_id = _user_id(demo.THERAPIST[1])
        patients = sharing.caseload(therapist_id)
        rows = review.caseload_rows([(pid, name, categories, local_today(zone))
                                     for pid, name, zone, categories in patients])
        shown: dict[str, Any] = {}
        for sort in review.SORTS:
            shown[f"caseload_{sort}"] = _without_added_parts(
                views.caseload_rows(review.sort_caseload(rows, sort)))
        for pid, name, _zone, categories in patients:
            for week in ("", "2026-11-23", "2026-10-15"):
                screen = views.detail_screen(pid, categories, week).as_dict()
                csv = _csv_without_added_parts(
                    reports.session_csv(screen, disclosed=True, report_id="R-1"))
                for key in NOT_OURS + ADDED_LATER:
                    screen.pop(key, None)  # next_group is only on caseload rows
                shown[f"{name} {week or 'this week'}"] = {"screen": screen, "csv": csv}
    return shown


def samples() -> dict[str, Any]:
    return {"pure": pure(), "demo": with_demo()}


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'samples.db'}"
        engine = db.make_engine(url)
        db.use_engine(engine)
        db.migrate(url)
        try:
            json.dump(samples(), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        finally:
            db.use_engine(None)
            engine.dispose()
