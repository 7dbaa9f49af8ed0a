"""What the sharing screens show, from core results (plain Python), in the
current language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from skills_app.core import audit, dates, sharing
from skills_app.text import N_, _, formats, ngettext
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


def _did(action: str, allowed: bool, reason: str, count: int) -> str:
    if allowed:
        did = _(words.LOG_DID.get(action, words.LOG_DID_ANY))
    else:
        did = _(words.LOG_DID_STOPPED,
                why=_(words.LOG_REASONS.get(reason, words.LOG_ANY_REASON)))
    return ngettext("{did} once", "{did} {n} times", count, did=did)


def log_groups(lines: Sequence[audit.LogLine], time_zone: str) -> list[dict[str, Any]]:
    """One sentence per person and day, newest first: "Taylor Therapist opened your
    progress 3 times on Tue, Dec 1; downloaded a session summary (PDF) once."

    Within a sentence, what was done in `words.LOG_DID`'s order, refusals last.
    """
    groups: dict[tuple[object, object], dict[str, Any]] = {}
    for line in lines:
        local_day = dates.local_date_of(line.when, time_zone)
        key = (line.actor_id if line.actor_id is not None else line.who, local_day)
        group = groups.setdefault(key, {"who": line.who, "day": local_day, "when": line.when,
                                        "doings": {}, "parts": set(), "allowed": True})
        doing = (line.action if line.allowed else "", line.allowed, line.reason)
        group["doings"][doing] = group["doings"].get(doing, 0) + 1
        group["parts"].update(line.categories)
        group["allowed"] = group["allowed"] and line.allowed
    rows, this_year = [], dates.local_today(time_zone).year
    for (actor, local_day), group in groups.items():
        order = list(words.LOG_DID)
        doings = sorted(group["doings"].items(), key=lambda item: (
            not item[0][1], order.index(item[0][0]) if item[0][0] in order else len(order)))
        did = "; ".join(_did(action, allowed, reason, count)
                        for (action, allowed, reason), count in doings)
        who = group["who"] or _(words.LOG_NOBODY_SIGNED_IN)
        day = (formats.day(local_day) if local_day.year == this_year
               else formats.date_with_year(local_day))
        sentence = (_(words.LOG_GROUP_PARTS, who=who, did=did, day=day,
                      parts=categories_line(group["parts"])) if group["parts"]
                    else _(words.LOG_GROUP, who=who, did=did, day=day))
        rows.append({"key": f"{actor}-{local_day.isoformat()}", "text": sentence,
                     "when": _moment(group["when"], time_zone), "allowed": group["allowed"]})
    return rows
