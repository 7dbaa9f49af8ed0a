"""Reminder rows as the scheduler writes them, for tests of what the patient sees."""

from __future__ import annotations

from datetime import datetime

from skills_app.core import db
from skills_app.core.models import DeliveryStatus, ReminderDelivery


def add_delivery(user_id: int, kind: str, due_at: datetime, status: str, channel: str = "",
                 reason: str = "") -> None:
    """One `reminder_delivery` row; a sent one was sent when it came due."""
    with db.transaction() as session:
        session.add(ReminderDelivery(
            user_id=user_id, kind=kind, due_at=due_at, status=status, channel=channel,
            reason=reason, next_attempt_at=due_at,
            sent_at=due_at if status == DeliveryStatus.SENT else None))
