"""The accounting of disclosures: an append-only log of every therapist view and
every report disclosed, allowed or denied, and every refused attempt.

Rows are only ever inserted (the database refuses UPDATE). The patient reads
theirs on "Who has seen my data" (`patient_log`), in plain words written by
views/sharing.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from skills_app.core import db
from skills_app.core.clock import utcnow
from skills_app.core.models import AuditEvent, User

ACTION_MAX = 32


@dataclass(frozen=True)
class LogLine:
    """One line of "Who has seen my data", as facts: the views write the sentence
    (skills_app/text/words/account.py names each action and reason)."""

    when: datetime
    # The therapist's name when the row was written; "" when nobody was signed in.
    who: str
    # What was done (`action`: "detail", "report_pdf", ...) or, when refused, why (`reason`).
    action: str
    categories: tuple[str, ...]
    allowed: bool
    report_id: str | None
    reason: str = ""


def record(session: db.Session, *, actor_id: int | None, patient_id: int | None,
           action: str, categories: Iterable[str] = (), allowed: bool, reason: str = "",
           report_id: str | None = None, at: datetime | None = None) -> None:
    """Append one row inside the caller's transaction (the name is looked up now,
    so the line still says who it was if the account goes)."""
    actor_name = ""
    if actor_id is not None:
        actor_name = session.exec(select(User.display_name).where(
            User.id == actor_id)).first() or ""
    session.add(AuditEvent(
        actor_id=actor_id, actor_name=actor_name, patient_id=patient_id,
        action=action[:ACTION_MAX], categories=sorted(set(categories)), report_id=report_id,
        allowed=allowed, reason=reason[:32], at=at or utcnow()))


def record_now(**fields: object) -> None:
    """`record` in a transaction of its own."""
    with db.transaction() as session:
        record(session, **fields)  # type: ignore[arg-type]


def events_for(patient_id: int) -> list[AuditEvent]:
    with db.read() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.patient_id == patient_id)
                                 .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


def patient_log(patient_id: int, limit: int = 200) -> list[LogLine]:
    """What the patient's "Who has seen my data" screen lists, newest first."""
    return [LogLine(event.at, event.actor_name or "", event.action, tuple(event.categories),
                    event.allowed, event.report_id, "" if event.allowed else event.reason)
            for event in events_for(patient_id)[:limit]]
