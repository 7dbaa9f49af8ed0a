"""The one place that turns UTC instants into a patient's local days and back.

Entries are stored with a UTC moment; "today", a diary-card day and a week
are the patient's local ones. Local days are not always 24 hours long (DST
makes 23- and 25-hour days, and some zones skip or repeat midnight), so a day
is always handled as the half-open UTC range [start, end) computed here, never
as "start + 24 hours".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from skills_app.core.clock import ensure_utc, utcnow
from skills_app.core.schemas import known_time_zones


@lru_cache(maxsize=512)
def zone(time_zone: str) -> ZoneInfo:
    """The IANA zone called `time_zone`; ValueError for a name we don't know."""
    if time_zone not in known_time_zones():
        raise ValueError(f"Unknown time zone: {time_zone[:64]!r}")
    return ZoneInfo(time_zone)


def local_date_of(moment: datetime, time_zone: str) -> date:
    """The patient's calendar date at `moment` (naive moments are taken as UTC)."""
    return ensure_utc(moment).astimezone(zone(time_zone)).date()


def local_today(time_zone: str) -> date:
    """The patient's "today" right now."""
    return local_date_of(utcnow(), time_zone)


def local_day_start(day: date, time_zone: str) -> datetime:
    """The first UTC instant of the local `day`.

    When DST skips midnight, local 00:00 does not exist; zoneinfo reads it with
    the offset in force before the jump, which lands exactly on the first
    instant that exists (01:00 after the jump).
    """
    return datetime.combine(day, time.min, tzinfo=zone(time_zone)).astimezone(UTC)


def local_day_bounds(day: date, time_zone: str) -> tuple[datetime, datetime]:
    """The UTC range [start, end) of the local `day`; 23, 24 or 25 hours long."""
    return local_day_start(day, time_zone), local_day_start(day + timedelta(days=1), time_zone)


def week_start(day: date) -> date:
    """The Monday of the week that holds `day`."""
    return day - timedelta(days=day.weekday())


def week_days(day: date) -> tuple[date, ...]:
    """Monday to Sunday of the week that holds `day`."""
    monday = week_start(day)
    return tuple(monday + timedelta(days=offset) for offset in range(7))
