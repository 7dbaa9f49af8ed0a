"""The patient's local day, week and "today", across DST changes and skipped midnights."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from skills_app.core import dates
from skills_app.core.clock import frozen_clock

CHICAGO = "America/Chicago"
ONE_MICROSECOND = timedelta(microseconds=1)


def test_a_late_evening_moment_belongs_to_the_local_day_not_the_utc_day() -> None:
    moment = datetime(2026, 3, 8, 5, 30, tzinfo=UTC)  # 23:30 CST on Saturday 7 March
    assert dates.local_date_of(moment, CHICAGO) == date(2026, 3, 7)


def test_half_past_one_on_the_spring_forward_day_is_that_day() -> None:
    # 2026-03-08 is the US change: 02:00 CST jumps to 03:00 CDT.
    moment = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 01:30 CST
    assert dates.local_date_of(moment, CHICAGO) == date(2026, 3, 8)


def test_both_half_past_ones_on_the_fall_back_day_are_that_day() -> None:
    first = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 CDT
    second = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)  # 01:30 CST, an hour later
    assert dates.local_date_of(first, CHICAGO) == dates.local_date_of(second, CHICAGO) \
        == date(2026, 11, 1)


def test_naive_moments_are_read_as_utc() -> None:
    assert dates.local_date_of(datetime(2026, 3, 8, 5, 30), CHICAGO) == date(2026, 3, 7)


def test_one_instant_is_already_tomorrow_in_auckland_and_still_today_in_los_angeles() -> None:
    with frozen_clock(datetime(2026, 3, 10, 20, 0, tzinfo=UTC)):
        assert dates.local_today("Pacific/Auckland") == date(2026, 3, 11)  # 09:00 NZDT
        assert dates.local_today("America/Los_Angeles") == date(2026, 3, 10)  # 13:00 PDT
        assert dates.local_today("UTC") == date(2026, 3, 10)


@pytest.mark.parametrize(("day", "hours"), [
    (date(2026, 3, 7), 24), (date(2026, 3, 8), 23), (date(2026, 11, 1), 25),
])
def test_local_days_are_23_24_or_25_hours_long(day: date, hours: int) -> None:
    start, end = dates.local_day_bounds(day, CHICAGO)
    assert end - start == timedelta(hours=hours)
    assert start.tzinfo is UTC and end.tzinfo is UTC


def test_the_spring_forward_day_starts_at_local_midnight() -> None:
    start, end = dates.local_day_bounds(date(2026, 3, 8), CHICAGO)
    assert start == datetime(2026, 3, 8, 6, 0, tzinfo=UTC)  # 00:00 CST
    assert end == datetime(2026, 3, 9, 5, 0, tzinfo=UTC)  # 00:00 CDT


def test_a_day_whose_midnight_is_skipped_starts_at_one_oclock() -> None:
    # Cuba moves clocks from 00:00 straight to 01:00 on 2026-03-08.
    start, _ = dates.local_day_bounds(date(2026, 3, 8), "America/Havana")
    assert start == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)
    assert start.astimezone(dates.zone("America/Havana")).hour == 1


ZONES = ["America/Chicago", "America/Havana", "America/Santiago", "Europe/London",
         "Pacific/Auckland", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata", "UTC"]


@pytest.mark.parametrize("time_zone", ZONES)
def test_every_day_of_the_year_tiles_time_without_gaps_or_overlaps(time_zone: str) -> None:
    day = date(2026, 1, 1)
    while day.year == 2026:
        start, end = dates.local_day_bounds(day, time_zone)
        assert dates.local_date_of(start, time_zone) == day
        assert dates.local_date_of(start - ONE_MICROSECOND, time_zone) == day - timedelta(days=1)
        assert dates.local_date_of(end - ONE_MICROSECOND, time_zone) == day
        assert dates.local_date_of(end, time_zone) == day + timedelta(days=1)
        assert timedelta(hours=22) <= end - start <= timedelta(hours=26)
        day += timedelta(days=1)


def test_weeks_start_on_monday() -> None:
    monday = date(2026, 3, 2)
    for offset in range(7):
        assert dates.week_start(monday + timedelta(days=offset)) == monday
    assert dates.week_start(date(2026, 3, 1)) == date(2026, 2, 23)  # a Sunday


def test_week_days_run_monday_to_sunday_across_a_month_end() -> None:
    days = dates.week_days(date(2026, 3, 1))
    assert days[0] == date(2026, 2, 23) and days[-1] == date(2026, 3, 1)
    assert [day.weekday() for day in days] == list(range(7))


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../../etc/passwd", "america/chicago"])
def test_unknown_time_zones_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        dates.zone(name)
