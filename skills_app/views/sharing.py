"""What the sharing screens show, from core results (plain Python)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from skills_app.core import audit, sharing
from skills_app.core.dates import local_date_of
from skills_app.views.journal import clock_time

EARLIER_CONSENT = ("You signed this before Safety was its own choice. Here, Safety means "
                   "your urges and whether you acted on them. To share the new Safety "
                   "choice, tap Change what I share.")


def long_date(day: date) -> str:
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def categories_line(keys: Iterable[str]) -> str:
    return "; ".join(sharing.category_label(key) for key in keys) or "Nothing"


def grant_rows(grants: Sequence[sharing.GrantRow]) -> list[dict[str, Any]]:
    return [{
        "id": grant.grant_id,
        "therapist": grant.therapist_name,
        "program": grant.program_name,
        "shares": categories_line(grant.categories),
        "since": f"Signed {long_date(grant.signed_at.date())}; "
                 f"ends {long_date(grant.expires_at.date())}",
        "earlier": EARLIER_CONSENT if grant.before_safety else "",
    } for grant in grants]


def category_choices(ticked: Iterable[str]) -> list[dict[str, Any]]:
    ticked = set(ticked)
    return [{"key": category.key, "name": f"share_{category.key}", "label": category.label,
             "holds": category.holds[0].upper() + category.holds[1:] + ".",
             "why": category.why,
             "checked": category.key in ticked} for category in sharing.CATEGORIES]


def _moment(at: datetime, time_zone: str) -> str:
    return f"{long_date(local_date_of(at, time_zone))}, {clock_time(at, time_zone)}"


def log_rows(lines: Sequence[audit.LogLine], time_zone: str) -> list[dict[str, Any]]:
    """One plain sentence per audit line: who, what, which parts, when."""
    rows = []
    for line in lines:
        parts = (f" ({categories_line(line.categories)})"
                 if line.allowed and line.categories else "")
        rows.append({"when": _moment(line.when, time_zone),
                     "text": f"{line.who} {line.what}{parts}.",
                     "allowed": line.allowed})
    return rows
