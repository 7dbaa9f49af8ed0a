"""Server-side time of the Practice tab's data and Today's plan, with a year of practice.

Seeds one patient with a year (365 days) of finished exercises: on about five
days a week, one to three exercises, each saved through
`practice.finish_exercise` with the frozen clock moved to that evening, so
every row is what the app would store. Four exercises are starred. Then it
freezes the clock the next morning and times, in-process (no HTTP, no Reflex,
no browser), what the two screens' handlers ask for off the event loop:

- practice tab: `views.practice_tab.tab_data` (favourites and each exercise's
                last finished day)
- today's plan: `views.practice_tab.today_data` (the day's risk prompts,
                `day_signal.todays_route`; `practice.todays_plan` following
                them; the weekly count behind the gentle line)
- baseline:     `db.transaction()` + `SELECT 1`, measured in the same run

The session lookup each handler also does is the same for every screen and is
not included. Uses benchmarks/harness.py for the databases, measuring and report
(median, p95, ratio to the baseline, SQL statements per call).

Run from the repository root:

    .venv/bin/python benchmarks/practice.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/practice.py --sqlite-only
    .venv/bin/python benchmarks/practice.py --iterations 50
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
from skills_app.core import exercises, practice  # noqa: E402
from skills_app.core.exercises import Exercise, Step  # noqa: E402
from skills_app.views import practice_tab  # noqa: E402

TIME_ZONE = "America/Chicago"
ZONE = ZoneInfo(TIME_ZONE)
SEED_DAYS = 365
LAST_SEEDED_DAY = date(2026, 3, 4)  # a Wednesday: this week already has practice in it
FIRST_SEEDED_DAY = LAST_SEEDED_DAY - timedelta(days=SEED_DAYS - 1)
NOW = datetime.combine(LAST_SEEDED_DAY + timedelta(days=1), clock_time(8, 0),
                       tzinfo=ZONE).astimezone(UTC)
DEFAULT_ITERATIONS = 100
TARGET_P95_MS = 50.0
STARRED = ("urge-surfing", "dear-man", "paced-breathing", "halt-check")


def _answer(step: Step, rng: random.Random) -> object:
    if step.input == "choice":
        return rng.choice(step.options)
    if step.input in ("multi_choice", "checklist"):
        return rng.sample(step.options, rng.randint(1, min(3, len(step.options))))
    if step.input == "scale":
        return rng.randint(0, 10)
    return "I noticed it, named it and gave it a few minutes before I did anything."


def finished(exercise: Exercise, started: datetime, rng: random.Random) -> dict[str, object]:
    """A finished exercise as the phone sends it, every step answered."""
    return {
        "idempotency_key": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "exercise_id": exercise.id,
        "answers": {step.key: _answer(step, rng) for step in exercise.steps if step.asks},
        "distress_before": rng.randint(4, 9), "distress_after": rng.randint(1, 6),
        "helped": rng.choice(("yes", "some", "no")),
        "started_at": started.isoformat(),
        "finished_at": (started + timedelta(minutes=exercise.minutes)).isoformat(),
    }


def practise_evening(user_id: int, day: date, pool: Sequence[Exercise],
                     rng: random.Random) -> int:
    """One to three exercises finished that evening; returns how many."""
    count = 0
    for number in range(rng.choice((1, 1, 2, 3))):
        exercise = rng.choice(pool)
        started = datetime.combine(day, clock_time(19 + number, rng.randint(0, 30)),
                                   tzinfo=ZONE)
        result = practice.finish_exercise(user_id, TIME_ZONE, finished(exercise, started, rng))
        if not result.created:
            raise RuntimeError(f"seeding {day} failed: {result.errors}")
        count += 1
    return count


def seed(user_id: int, rng: random.Random) -> int:
    """A year of practice through `practice.finish_exercise`; returns how many."""
    pool = exercises.all_exercises()
    count = 0
    for day in harness.evenings(FIRST_SEEDED_DAY, SEED_DAYS, ZONE):
        if rng.random() <= 5 / 7:
            count += practise_evening(user_id, day, pool, rng)
    for exercise_id in STARRED:
        practice.set_favourite(user_id, exercise_id, True)
    return count


def operations(user_id: int, iterations: int) -> list[Operation]:
    return [
        harness.baseline(iterations),
        Operation("practice tab", lambda _: practice_tab.tab_data(user_id, TIME_ZONE),
                  iterations, TARGET_P95_MS),
        Operation("today's plan", lambda _: practice_tab.today_data(user_id, TIME_ZONE),
                  iterations, TARGET_P95_MS),
    ]


def check_views(user_id: int) -> None:
    """Sanity checks, so a fast number can't come from an empty result."""
    tab = practice_tab.tab_data(user_id, TIME_ZONE)
    today = practice_tab.today_data(user_id, TIME_ZONE)
    if (len(tab.favourite_ids) != len(STARRED) or len(tab.last_done) < 20
            or len(today.plan) != 3 or not today.week_line.startswith("You practised on")):
        raise RuntimeError("the seeded data does not look as expected; timings would mislead")


def seeded(user_id: int, rng: random.Random) -> str:
    return (f"{seed(user_id, rng):,} finished exercises ({FIRST_SEEDED_DAY} to "
            f"{LAST_SEEDED_DAY}) via practice.finish_exercise")


def run_backend(name: str, url: str, iterations: int) -> list[Measurement]:
    return harness.run_patient(name, url, NOW, TIME_ZONE, seeded, check_views,
                               lambda user_id: operations(user_id, iterations))


def main(argv: Sequence[str] | None = None) -> int:
    return harness.main(__doc__, argv, DEFAULT_ITERATIONS, run_backend,
                        iterations_help="timed calls per screen (default: %(default)s); "
                                        "the baseline runs twice as many",
                        header=f"clock frozen at {NOW.astimezone(ZONE).isoformat()} ({TIME_ZONE})")


if __name__ == "__main__":
    sys.exit(main())
