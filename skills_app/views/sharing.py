"""What the sharing screens show, from core results (plain Python), in the
current language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from skills_app.core import audit, sharing
from skills_app.text import N_, _, formats
from skills_app.text.words import account as words

EARLIER_CONSENT = N_("You signed this before Safety was its own choice. Here, Safety means "
                     "your urges and whether you acted on them. To share the new Safety "
                     "choice, tap Change what I share.")


def categories_line(keys: Iterable[str]) -> str:
    return "; ".join(sharing.category_label(key) for key in keys) or _("Nothing")


def grant_rows(grants: Sequence[sharing.GrantRow]) -> list[dict[str, Any]]:
    return [{
        "id": grant.grant_id,
        "therapist": grant.therapist_name,
        "program": grant.program_name,
        "shares": categories_line(grant.categories),
        "since": _("Signed {signed}; ends {ends}",
                   signed=formats.date_with_year(grant.signed_at.date()),
                   ends=formats.date_with_year(grant.expires_at.date())),
        "earlier": _(EARLIER_CONSENT) if grant.before_safety else "",
    } for grant in grants]


def category_choices(ticked: Iterable[str]) -> list[dict[str, Any]]:
    ticked = set(ticked)
    choices = []
    for category in sharing.CATEGORIES:
        holds = _(category.holds)
        choices.append({"key": category.key, "name": f"share_{category.key}",
                        "label": _(category.label),
                        "holds": holds[:1].upper() + holds[1:] + ".",
                        "why": _(category.why) if category.why else "",
                        "checked": category.key in ticked})
    return choices


def _moment(at: datetime, time_zone: str) -> str:
    return _("{day}, {time}", day=formats.date_with_year(at, time_zone),
             time=formats.clock(at, time_zone))


def log_sentence(line: audit.LogLine) -> str:
    """One plain sentence for an audit line: who, what, which parts."""
    who = line.who or _(words.LOG_NOBODY_SIGNED_IN)
    if not line.allowed:
        why = _(words.LOG_REASONS.get(line.reason, words.LOG_ANY_REASON))
        return _(words.LOG_STOPPED, who=who, why=why)
    plain, with_parts = words.LOG_ACTIONS.get(line.action, words.LOG_ANY_ACTION)
    if line.categories:
        return _(with_parts, who=who, parts=categories_line(line.categories))
    return _(plain, who=who)


def log_rows(lines: Sequence[audit.LogLine], time_zone: str) -> list[dict[str, Any]]:
    return [{"when": _moment(line.when, time_zone), "text": log_sentence(line),
             "allowed": line.allowed} for line in lines]
