"""The accounting of disclosures: an append-only log of every therapist view and
every report disclosed, allowed or denied, and every refused attempt.

Rows are only ever inserted (the database refuses UPDATE). The patient reads
theirs on "Who has seen my data" (`patient_log`), in plain words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from skills_app.core import db
from skills_app.core.clock import utcnow
from skills_app.core.models import AuditEvent, User

# action -> what it means for the patient, in words
ACTIONS = {
    "dashboard": "saw you in their patient list",
    "detail": "opened your progress",
    "diary_review": "opened your diary card review",
    "report_view": "opened a session summary",
    "report_pdf": "downloaded a session summary (PDF)",
    "report_csv": "downloaded a session summary (spreadsheet)",
}
# reason -> why a try was refused, in words
REASONS = {
    "not_signed_in": "they were not signed in",
    "not_therapist": "they are not a therapist",
    "wrong_role": "that page is not for their kind of account",
    "inactive": "their account was not active",
    "no_grant": "you are not sharing with them",
    "category": "you are not sharing that part with them",
    "unknown_patient": "no such patient",
}
ACTION_MAX = 32


@dataclass(frozen=True)
class LogLine:
    when: datetime
    who: str
    what: str
    categories: tuple[str, ...]
    allowed: bool
    report_id: str | None


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
    lines = []
    for event in events_for(patient_id)[:limit]:
        who = event.actor_name or "Someone who was not signed in"
        if event.allowed:
            what = ACTIONS.get(event.action, "looked at your shared data")
        else:
            why = REASONS.get(event.reason, "they were not allowed")
            what = f"tried to see your data and was stopped ({why})"
        lines.append(LogLine(event.at, who, what, tuple(event.categories), event.allowed,
                             event.report_id))
    return lines
