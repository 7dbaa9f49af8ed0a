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
from typing import Any

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


def _through(read: Callable[[object], object], save: Callable[[int, str, object], Any],
             stored: Callable[[Any], Any], bad: Problem) -> Callable[[Identity, object],
                                                                     QueuedResult]:
    """A saver: the form's values read as the form's handler reads them (`read`,
    None when they are no such form), the core save, and the stored row's key."""

    def saver(identity: Identity, values: object) -> QueuedResult:
        raw = read(values)
        if raw is None:
            return QueuedResult(errors={"form": bad})
        result = save(identity.user_id, identity.time_zone, raw)
        if not result.ok:
            return QueuedResult(errors=result.errors or {"form": bad})
        return QueuedResult(saved_key=stored(result).idempotency_key)

    return saver


def _entry_input(kind: EntryKind) -> Callable[[object], object]:
    def read(values: object) -> object:
        raw = entry_input_from_form(values)
        return {**raw, "kind": kind.value} if isinstance(raw, dict) else None

    return read


def _entry(kind: EntryKind) -> Callable[[Identity, object], QueuedResult]:
    return _through(_entry_input(kind), journal.save_entry, lambda result: result.entry,
                    BAD_FORM)


SAVERS: dict[str, Callable[[Identity, object], QueuedResult]] = {
    "checkin": _entry(EntryKind.CHECKIN),
    "diary": _entry(EntryKind.DIARY),
    "practice": _through(practice_views.finish_input, practice.finish_exercise,
                         lambda result: result.finished, practice.BAD_FORM),
    "measure": _through(measure_views.submission_input, measures.save_result,
                        lambda outcome: outcome.result, measures.BAD_FORM),
    "mindful": _through(mindful_views.log_input, mindfulness.log_session,
                        lambda result: result.session, mindfulness.BAD_LOG),
}


def save_queued(identity: Identity, name: object, values: object) -> QueuedResult:
    """Save one queued draft (`name` as the page named it, `values` its fields) for
    `identity`; anything the browser could send is answered, never raised."""
    kind = drafts.queued_kind(name)
    if kind is None or not isinstance(values, Mapping) or not all(
            isinstance(key, str) for key in values):
        return QueuedResult(errors={"form": BAD_FORM})
    return SAVERS[kind](identity, values)
