"""Server-side time of the Progress tab, with three years of history.

Seeds one patient with three years (1,096 days) of daily diary cards (the
journal benchmark's seeding, through `journal.save_entry`), finished
exercises on about five days a week (`practice.finish_exercise`) and
mindfulness sessions on about three days a week (`mindfulness.log_session`),
each saved with the frozen clock moved to that evening, so every row is what
the app would store. Then it freezes the clock the next morning and times,
in-process (no HTTP, no Reflex, no browser), what the tab's handler asks for
off the event loop:

- 7 / 30 / 90 / 365 days: `views.progress.progress_view` (core's days and
  weeks for the range, every chart's points, tables and lines, and the weekly
  summary shown above them)
- weekly summary: `progress.weekly_summary` on its own (the therapist list
  reuses it)
- baseline: `db.transaction()` + `SELECT 1`, measured in the same run

The session lookup each handler also does is the same for every screen and is
not included. Uses benchmarks/harness.py for the databases, measuring and report
(median, p95, ratio to the baseline, SQL statements per call). PostgreSQL runs in a
temporary schema that is dropped afterwards.

Run from the repository root:

    .venv/bin/python benchmarks/progress.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/progress.py --sqlite-only
    .venv/bin/python benchmarks/progress.py --iterations 50
"""

from __future__ import annotations

import random
import sys
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from benchmarks import harness  # noqa: E402
from benchmarks import journal as journal_bench  # noqa: E402
from benchmarks.harness import Measurement, Operation  # noqa: E402
from benchmarks.journal import (  # noqa: E402
    FIRST_SEEDED_DAY,
    LAST_SEEDED_DAY,
    NOW,
    SEED_DAYS,
    TIME_ZONE,
    ZONE,
)
from benchmarks.practice import practise_evening  # noqa: E402
from skills_app.core import exercises, mindfulness, progress  # noqa: E402
from skills_app.views import progress as progress_views  # noqa: E402

DEFAULT_ITERATIONS = 100
TARGET_P95_MS = 50.0
MINDFUL_PRACTICES = ("timer", "breathe.box", "guided.body-scan")


def seed_practice(user_id: int, rng: random.Random) -> tuple[int, int]:
    """Exercises and mindfulness sessions over the three years; returns how many of each."""
    pool = exercises.all_exercises()
    practices = [key for key in MINDFUL_PRACTICES if mindfulness.practice(key)] or [
        next(iter(mindfulness.PRACTICES))]
    done = sessions = 0
    for day in harness.evenings(FIRST_SEEDED_DAY, SEED_DAYS, ZONE):
        if rng.random() < 5 / 7:
            done += practise_evening(user_id, day, pool, rng)
        if rng.random() < 3 / 7:
            minutes = rng.choice((3, 5, 10, 15))
            ended = datetime.combine(day, clock_time(22, rng.randint(0, 50)), tzinfo=ZONE)
            result = mindfulness.log_session(user_id, TIME_ZONE, {
                "idempotency_key": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "practice": rng.choice(practices),
                "started_at": (ended - timedelta(minutes=minutes)).isoformat(),
                "ended_at": ended.isoformat(), "seconds": minutes * 60,
                "ended_early": False})
            if not result.ok:
                raise RuntimeError(f"seeding {day} failed: {result.errors}")
            sessions += 1
    return done, sessions


def operations(user_id: int, iterations: int) -> list[Operation]:
    today = LAST_SEEDED_DAY + timedelta(days=1)

    def view(days: int) -> Callable[[int], object]:
        return lambda _: progress_views.progress_view(user_id, TIME_ZONE, days)

    return [
        harness.baseline(iterations),
        *(Operation(f"progress {days} days", view(days), iterations, TARGET_P95_MS)
          for days in progress.RANGE_CHOICES),
        Operation("weekly summary", lambda _: progress.weekly_summary(user_id, today),
                  iterations, TARGET_P95_MS),
    ]


def check_views(user_id: int) -> None:
    """Sanity checks, so a fast number can't come from an empty result."""
    year = progress_views.progress_view(user_id, TIME_ZONE, 365)
    week = progress_views.progress_view(user_id, TIME_ZONE, 7)
    if (len(year.mood.rows) < 52 or not year.urges or not year.minutes.shown
            or "Mindfulness" not in year.minutes.headers or len(week.mood.rows) != 7
            or not week.summary_lines or week.summary_lines[0] == progress.TOO_LITTLE
            or sum(week.exercises for week in progress.progress(
                user_id, progress.range_ending(365, LAST_SEEDED_DAY)).weeks) < 200):
        raise RuntimeError("the seeded data does not look as expected; timings would mislead")


def seeded(user_id: int, rng: random.Random) -> str:
    entries = journal_bench.seed(user_id, rng)
    done, sessions = seed_practice(user_id, rng)
    return (f"{entries:,} diary cards, {done:,} finished exercises and "
            f"{sessions:,} mindfulness sessions ({FIRST_SEEDED_DAY} to {LAST_SEEDED_DAY})"
            " through core's own saves")


def run_backend(name: str, url: str, iterations: int) -> list[Measurement]:
    return harness.run_patient(name, url, NOW, TIME_ZONE, seeded, check_views,
                               lambda user_id: operations(user_id, iterations))


def main(argv: Sequence[str] | None = None) -> int:
    return harness.main(__doc__, argv, DEFAULT_ITERATIONS, run_backend,
                        iterations_help="timed calls per range (default: %(default)s); "
                                        "the baseline runs twice as many",
                        header=f"clock frozen at {NOW.astimezone(ZONE).isoformat()} ({TIME_ZONE})",
                        show_load=True)


if __name__ == "__main__":
    sys.exit(main())
