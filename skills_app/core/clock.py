"""The one place that tells the time.

Every rule that depends on "now" calls `utcnow()` so tests can freeze or move
the clock with `frozen_clock` instead of sleeping.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

_frozen: datetime | None = None

# How far a phone's clock may run ahead of the server's before a time it sends
# counts as "the future": every rule that believes a phone's time allows this much.
PHONE_CLOCK_AHEAD = timedelta(minutes=5)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def ensure_utc(moment: datetime) -> datetime:
    """Treat naive datetimes (as SQLite returns them) as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class FrozenClock:
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime) -> None:
        self.now = ensure_utc(start)

    def advance(self, **delta: float) -> datetime:
        global _frozen
        self.now = self.now + timedelta(**delta)
        _frozen = self.now
        return self.now


@contextlib.contextmanager
def frozen_clock(start: datetime | None = None) -> Iterator[FrozenClock]:
    """Freeze `utcnow()` at `start` (default: the real now) for the block."""
    global _frozen
    clock = FrozenClock(start or datetime.now(UTC))
    previous, _frozen = _frozen, clock.now
    try:
        yield clock
    finally:
        _frozen = previous
