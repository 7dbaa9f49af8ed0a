"""Server-side time of the mindfulness log's reads, with a year of sessions.

Seeds one patient with a year (365 days) of mindfulness: on about six days a
week, one to three sessions (pacer, timer, guided practices), each logged
through `mindfulness.log_session` with the frozen clock moved to that evening,
so every row is what the app would store. Then it freezes the clock the next
morning and times, in-process (no HTTP, no Reflex, no browser):

- log page:        `views.mindfulness.log_data` (7 days and 30 days of minutes)
- minutes by day:  `mindfulness.minutes_by_day` over the whole year (progress views)
- by practice:     `mindfulness.minutes_by_practice` over the whole year
- week summaries:  `journal.daily_summaries` for a week (skills used includes
                   the mindfulness sessions' skills)
- baseline:        `db.transaction()` + `SELECT 1`, measured in the same run

Uses benchmarks/harness.py for the databases, measuring and report. Run from the repository
root:

    .venv/bin/python benchmarks/mindfulness.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/mindfulness.py --sqlite-only
"""

from __future__ import annotations

import random
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from benchmarks import harness  # noqa: E402
from benchmarks.harness import Measurement, Operation  # noqa: E402
from skills_app.core import journal, mindfulness  # noqa: E402
from skills_app.views import mindfulness as views  # noqa: E402

TIME_ZONE = "America/Chicago"
ZONE = ZoneInfo(TIME_ZONE)
SEED_DAYS = 365
LAST_SEEDED_DAY = date(2026, 3, 4)
FIRST_SEEDED_DAY = LAST_SEEDED_DAY - timedelta(days=SEED_DAYS - 1)
NOW = datetime.combine(LAST_SEEDED_DAY + timedelta(days=1), clock_time(8, 0),
                       tzinfo=ZONE).astimezone(UTC)
DEFAULT_ITERATIONS = 100
TARGET_P95_MS = 50.0
LENGTHS = {"timer": (5, 30), "breathe.box": (2, 6), "breathe.4-7-8": (1, 4),
           "breathe.coherent": (3, 10), "guided.urge-surfing": (10, 10),
           "guided.grounding": (5, 5), "guided.breathing-space": (3, 3)}


def seed(user_id: int, rng: random.Random) -> int:
    """A year of sessions through `mindfulness.log_session`; returns how many."""
    count = 0
    for day in harness.evenings(FIRST_SEEDED_DAY, SEED_DAYS, ZONE):
        if rng.random() > 6 / 7:
            continue
        for number in range(rng.choice((1, 1, 2, 3))):
            practice = rng.choice(sorted(LENGTHS))
            minutes = rng.randint(*LENGTHS[practice])
            started = datetime.combine(day, clock_time(7 + 5 * number, rng.randint(0, 50)),
                                       tzinfo=ZONE)
            ended = started + timedelta(minutes=minutes)
            result = mindfulness.log_session(user_id, TIME_ZONE, {
                "idempotency_key": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "practice": practice, "started_at": started.isoformat(),
                "ended_at": ended.isoformat(), "seconds": minutes * 60,
                "ended_early": False})
            if not result.created:
                raise RuntimeError(f"seeding {day} failed: {result.errors}")
            count += 1
    return count


def operations(user_id: int, iterations: int) -> list[Operation]:
    year = (FIRST_SEEDED_DAY, LAST_SEEDED_DAY)
    week = (LAST_SEEDED_DAY - timedelta(days=6), LAST_SEEDED_DAY)
    return [
        harness.baseline(iterations),
        Operation("log page", lambda _: views.log_data(user_id, TIME_ZONE), iterations,
                  TARGET_P95_MS),
        Operation("minutes by day, a year",
                  lambda _: mindfulness.minutes_by_day(user_id, *year), iterations,
                  TARGET_P95_MS),
        Operation("minutes by practice, a year",
                  lambda _: mindfulness.minutes_by_practice(user_id, *year), iterations,
                  TARGET_P95_MS),
        Operation("week summaries", lambda _: journal.daily_summaries(user_id, *week),
                  iterations, TARGET_P95_MS),
    ]


def check(user_id: int) -> None:
    """Sanity checks, so a fast number can't come from an empty result."""
    by_day = mindfulness.minutes_by_day(user_id, FIRST_SEEDED_DAY, LAST_SEEDED_DAY)
    used = journal.skills_used_by_day(user_id, FIRST_SEEDED_DAY, LAST_SEEDED_DAY)
    if len(by_day) < 250 or sum(1 for skills in used.values() if skills) < 250:
        raise RuntimeError("the seeded data does not look as expected; timings would mislead")


def seeded(user_id: int, rng: random.Random) -> str:
    return (f"{seed(user_id, rng):,} sessions ({FIRST_SEEDED_DAY} to {LAST_SEEDED_DAY}) "
            "via mindfulness.log_session")


def run_backend(name: str, url: str, iterations: int) -> list[Measurement]:
    return harness.run_patient(name, url, NOW, TIME_ZONE, seeded, check,
                               lambda user_id: operations(user_id, iterations))


def main(argv: Sequence[str] | None = None) -> int:
    return harness.main(__doc__, argv, DEFAULT_ITERATIONS, run_backend,
                        header=f"clock frozen at {NOW.astimezone(ZONE).isoformat()} ({TIME_ZONE})")


if __name__ == "__main__":
    sys.exit(main())
