"""The accounting of disclosures: an append-only log of every therapist view and
every report disclosed, allowed or denied, and every refused attempt.

Rows are only ever inserted (the database refuses UPDATE). The patient reads
theirs on "Who has seen my data" (`trail_page`, a fixed number of rows per query,
keyset-paged), in plain words written by views/sharing.py.

Refusals are logged against the CALLER (`actor_id`, their name). They also go on
the patient's trail (`patient_id`) only when the caller is `related` to that
patient (see its docstring: the one definition of "relation"). Anonymous and
unrelated refusals are the security log: rows with `patient_id` NULL, at most
`SECURITY_ROWS_PER_MINUTE` per caller-or-address per minute; the rest are counted
(`security_counts`) and reported on the "skills_app.security" logger with ids
only. They never reach a patient's screen, so nobody can push real disclosures
out of a patient's view by asking for that patient's data.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, union
from sqlmodel import select

from skills_app.core import db
from skills_app.core.clock import utcnow
from skills_app.core.models import (
    AuditEvent,
    ProgramMember,
    ShareGrant,
    Track,
    TrackMember,
    User,
)
from skills_app.core.schemas import without_invisible

ACTION_MAX = 32
# Rows of one query of the patient's trail ("Earlier" asks for the next ones).
PAGE_ROWS = 50
# Disclosures: data that left the app (downloads, prints, FHIR). Listed first.
DISCLOSURES = frozenset({"report_pdf", "report_csv", "report_view", "report_print", "fhir"})
# At most this many refusal rows per caller-or-address per minute in the security log.
SECURITY_ROWS_PER_MINUTE = 20

security_logger = logging.getLogger("skills_app.security")


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
    actor_id: int | None = None
    row_id: int = 0


def related(session: db.Session, actor_id: int | None, patient_id: int | None) -> bool:
    """Whether a refusal of `actor_id` about `patient_id` belongs on the patient's trail.

    A caller is related to a patient when they are signed in (`actor_id` not None)
    and one of these holds:
      1. they are that patient;
      2. the patient has, or ever had, a sharing grant with them (active, revoked or
         expired);
      3. they are, or were, a member (therapist or admin, active or deactivated)
         of a program the patient belongs to: one the patient had a grant with, was
         ever on a track of, or is a member of.
    Anyone else (not signed in, another program's staff, another patient, an
    unknown id) is unrelated: their refusal goes to the security log only.
    """
    if actor_id is None or patient_id is None:
        return False
    if actor_id == patient_id:
        return True
    if session.exec(select(ShareGrant.id).where(
            ShareGrant.patient_id == patient_id,
            ShareGrant.therapist_id == actor_id).limit(1)).first() is not None:
        return True
    programs = union(
        select(ShareGrant.program_id).where(ShareGrant.patient_id == patient_id),
        select(Track.program_id).join(TrackMember, TrackMember.track_id == Track.id)
        .where(TrackMember.patient_id == patient_id),
        select(ProgramMember.program_id).where(ProgramMember.user_id == patient_id))
    return session.exec(select(ProgramMember.id).where(
        ProgramMember.user_id == actor_id,
        ProgramMember.program_id.in_(select(programs.subquery().c[0]))).limit(1)
    ).first() is not None


class _Limiter:
    """Rows per caller-or-address per minute in this process, and what was held back."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._window: dict[str, tuple[int, int]] = {}  # key -> (minute, rows written)
        self.suppressed: dict[str, int] = {}

    def admit(self, key: str, at: datetime) -> bool:
        minute = int(at.timestamp() // 60)
        with self._lock:
            if len(self._window) > 10_000:  # forget old windows
                self._window = {k: v for k, v in self._window.items() if v[0] == minute}
            seen_minute, rows = self._window.get(key, (minute, 0))
            if seen_minute != minute:
                rows = 0
            if rows < SECURITY_ROWS_PER_MINUTE:
                self._window[key] = (minute, rows + 1)
                return True
            count = self.suppressed.get(key, 0) + 1
            self.suppressed[key] = count
        if count == 1 or count % 1000 == 0:
            security_logger.warning("refusals over the limit from %s: %d not stored", key, count)
        return False


_limiter = _Limiter()


def security_counts() -> dict[str, int]:
    """Refusals counted but not stored, by caller-or-address (since the process began)."""
    with _limiter._lock:
        return dict(_limiter.suppressed)


def reset_security_limits() -> None:
    """Forget the per-minute windows and counts (tests start from nothing)."""
    global _limiter
    _limiter = _Limiter()


def caller_key(actor_id: int | None, address: str | None) -> str:
    if actor_id is not None:
        return f"user:{actor_id}"
    return f"address:{(address or 'unknown')[:64]}"


def record(session: db.Session, *, actor_id: int | None, patient_id: int | None,
           action: str, categories: Iterable[str] = (), allowed: bool, reason: str = "",
           report_id: str | None = None, at: datetime | None = None,
           address: str | None = None) -> None:
    """Append one row inside the caller's transaction (the name is looked up now,
    so the line still says who it was if the account goes).

    A refusal by a caller not `related` to the patient is written against the
    caller only (no patient), within the security log's per-minute limit.
    """
    at = at or utcnow()
    if not allowed and not related(session, actor_id, patient_id):
        if patient_id is not None:
            security_logger.info("refused %s by %s (reason %s, patient id %s)",
                                 action[:ACTION_MAX], caller_key(actor_id, address),
                                 reason[:32], patient_id)
        patient_id = None
        if not _limiter.admit(caller_key(actor_id, address), at):
            return
    actor_name = ""
    if actor_id is not None:
        actor_name = session.exec(select(User.display_name).where(
            User.id == actor_id)).first() or ""
    session.add(AuditEvent(
        actor_id=actor_id, actor_name=actor_name, patient_id=patient_id,
        action=action[:ACTION_MAX], categories=sorted(set(categories)), report_id=report_id,
        allowed=allowed, reason=reason[:32], at=at))


def record_now(**fields: object) -> None:
    """`record` in a transaction of its own."""
    with db.transaction() as session:
        record(session, **fields)  # type: ignore[arg-type]


def events_for(patient_id: int) -> list[AuditEvent]:
    """Every row of a patient's trail, newest first (exports and tests; screens page)."""
    with db.read() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.patient_id == patient_id)
                                 .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


def _line(event: AuditEvent) -> LogLine:
    # The trail is append-only, so a name copied in before names were checked
    # (migration 0015) keeps its hidden characters there: they are taken out here.
    return LogLine(event.at, without_invisible(event.actor_name or ""), event.action,
                   tuple(event.categories), event.allowed, event.report_id,
                   "" if event.allowed else event.reason, event.actor_id, event.id or 0)


@dataclass(frozen=True)
class Page:
    """One query's worth of a patient's trail, and where the next one starts."""

    lines: tuple[LogLine, ...]
    # (at, id) of the last row: pass it back as `before` for the next page; None: no more.
    next_before: tuple[datetime, int] | None


def trail_page(patient_id: int, *, disclosures: bool,
               before: tuple[datetime, int] | None = None) -> Page:
    """PAGE_ROWS rows of the patient's trail, newest first, older than `before`:
    the disclosures (`disclosures=True`) or everything else. One query, whatever
    the size of the trail (keyset pagination on (at, id))."""
    kind = (AuditEvent.action.in_(sorted(DISCLOSURES)) if disclosures
            else AuditEvent.action.not_in(sorted(DISCLOSURES)))
    query = select(AuditEvent).where(AuditEvent.patient_id == patient_id, kind)
    if before is not None:
        at, row_id = before
        query = query.where(or_(AuditEvent.at < at,
                                and_(AuditEvent.at == at, AuditEvent.id < row_id)))
    with db.read() as session:
        rows = list(session.exec(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                 .limit(PAGE_ROWS + 1)))
    more = len(rows) > PAGE_ROWS
    lines = tuple(_line(event) for event in rows[:PAGE_ROWS])
    last = lines[-1] if lines else None
    return Page(lines, (last.when, last.row_id) if more and last else None)


def patient_log(patient_id: int, limit: int = PAGE_ROWS) -> list[LogLine]:
    """The newest lines of the patient's trail, disclosures first (one page of each)."""
    first = trail_page(patient_id, disclosures=True).lines
    rest = trail_page(patient_id, disclosures=False).lines
    return list(first + rest)[:limit * 2]
