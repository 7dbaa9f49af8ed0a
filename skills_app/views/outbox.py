"""What a phone made offline and queued (assets/app.js), saved once by its
idempotency key when the phone is back online, from whichever page is open.

The queue is the phone's pending drafts: each is sent as the values its form
holds, exactly as the form's own handler would receive them, and goes through
the same form reading and the same core save (`journal.save_entry`,
`practice.finish_exercise`, `measures.save_result`; a timer's session as
its hidden log form sends it, `mindfulness.log_session`), so a queued save and the
form's own (a resend, Reflex's queued event) are one row by their key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from skills_app.core import drafts, journal, measures, mindfulness, practice
from skills_app.core.auth import Identity
from skills_app.core.journal.html_form import entry_input_from_form
from skills_app.core.models import EntryKind
from skills_app.core.problems import Problem
from skills_app.core.schemas import BAD_FORM
from skills_app.views import measures as measure_views
from skills_app.views import mindfulness as mindful_views
from skills_app.views import practice as practice_views


@dataclass(frozen=True)
class QueuedResult:
    """The stored save's idempotency key, or why nothing was saved."""

    saved_key: str = ""
    errors: Mapping[str, Problem] = field(default_factory=dict)


def _entry(kind: EntryKind) -> Callable[[Identity, object], QueuedResult]:
    def save(identity: Identity, values: object) -> QueuedResult:
        raw = entry_input_from_form(values)
        if not isinstance(raw, dict):
            return QueuedResult(errors={"form": BAD_FORM})
        raw["kind"] = kind.value
        result = journal.save_entry(identity.user_id, identity.time_zone, raw)
        if not result.ok:
            return QueuedResult(errors=result.errors or {"form": BAD_FORM})
        return QueuedResult(saved_key=result.entry.idempotency_key)

    return save


def _practice(identity: Identity, values: object) -> QueuedResult:
    raw = practice_views.finish_input(values)
    if raw is None:
        return QueuedResult(errors={"form": practice.BAD_FORM})
    result = practice.finish_exercise(identity.user_id, identity.time_zone, raw)
    if not result.ok:
        return QueuedResult(errors=result.errors or {"form": practice.BAD_FORM})
    return QueuedResult(saved_key=result.finished.idempotency_key)


def _measure(identity: Identity, values: object) -> QueuedResult:
    raw = measure_views.submission_input(values)
    if raw is None:
        return QueuedResult(errors={"form": measures.BAD_FORM})
    outcome = measures.save_result(identity.user_id, identity.time_zone, raw)
    if not outcome.ok:
        return QueuedResult(errors=outcome.errors or {"form": measures.BAD_FORM})
    return QueuedResult(saved_key=outcome.result.idempotency_key)


def _mindful(identity: Identity, values: object) -> QueuedResult:
    raw = mindful_views.log_input(values)
    result = mindfulness.log_session(identity.user_id, identity.time_zone, raw)
    if not result.ok:
        return QueuedResult(errors=result.errors or {"form": mindfulness.BAD_LOG})
    return QueuedResult(saved_key=result.session.idempotency_key)


SAVERS: dict[str, Callable[[Identity, object], QueuedResult]] = {
    "checkin": _entry(EntryKind.CHECKIN),
    "diary": _entry(EntryKind.DIARY),
    "practice": _practice,
    "measure": _measure,
    "mindful": _mindful,
}


def save_queued(identity: Identity, name: object, values: object) -> QueuedResult:
    """Save one queued draft (`name` as the page named it, `values` its fields) for
    `identity`; anything the browser could send is answered, never raised."""
    kind = drafts.queued_kind(name)
    if kind is None or not isinstance(values, Mapping) or not all(
            isinstance(key, str) for key in values):
        return QueuedResult(errors={"form": BAD_FORM})
    return SAVERS[kind](identity, values)
