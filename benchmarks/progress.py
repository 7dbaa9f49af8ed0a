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
not included. Reuses the journal benchmark's measuring and report (median,
p95, ratio to the baseline, SQL statements per call). PostgreSQL runs in a
temporary schema that is dropped afterwards.

Run from the repository root:

    .venv/bin/python benchmarks/progress.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/progress.py --sqlite-only
    .venv/bin/python benchmarks/progress.py --iterations 50
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import create_engine, make_url, text  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from benchmarks import journal as journal_bench  # noqa: E402
from benchmarks.journal import (  # noqa: E402
    DEFAULT_POSTGRES_URL,
    FIRST_SEEDED_DAY,
    LAST_SEEDED_DAY,
    NOW,
    SEED_DAYS,
    TIME_ZONE,
    ZONE,
    Measurement,
    Operation,
    StatementCounter,
    measure,
    postgres_schema,
    report,
    say,
)
from benchmarks.practice import finished  # noqa: E402
from skills_app.core import auth, db, exercises, mindfulness, practice, progress  # noqa: E402
from skills_app.core.clock import frozen_clock  # noqa: E402
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
    start = datetime.combine(FIRST_SEEDED_DAY, clock_time(23, 0), tzinfo=ZONE).astimezone(UTC)
    with frozen_clock(start) as clock:
        for offset in range(SEED_DAYS):
            day = FIRST_SEEDED_DAY + timedelta(days=offset)
            evening = datetime.combine(day, clock_time(23, 0), tzinfo=ZONE).astimezone(UTC)
            clock.advance(seconds=(evening - clock.now).total_seconds())
            if rng.random() < 5 / 7:
                for number in range(rng.choice((1, 1, 2, 3))):
                    exercise = rng.choice(pool)
                    began = datetime.combine(day, clock_time(19 + number, rng.randint(0, 30)),
                                             tzinfo=ZONE)
                    result = practice.finish_exercise(user_id, TIME_ZONE,
                                                      finished(exercise, began, rng))
                    if not result.created:
                        raise RuntimeError(f"seeding {day} failed: {result.errors}")
                    done += 1
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

    def baseline(_iteration: int) -> object:
        with db.transaction() as session:
            return session.execute(text("SELECT 1")).scalar()

    def view(days: int) -> Callable[[int], object]:
        return lambda _: progress_views.progress_view(user_id, TIME_ZONE, days)

    return [
        Operation("baseline SELECT 1", baseline, 2 * iterations, None),
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


def run_backend(name: str, url: str, iterations: int) -> list[Measurement]:
    engine = db.make_engine(url)
    db.use_engine(engine)
    try:
        db.migrate(url)
        with frozen_clock(NOW):
            signed_up = auth.sign_up({
                "display_name": "Bench Patient", "email": "bench.patient@example.org",
                "password": "correct horse battery staple", "role": "patient",
                "time_zone": TIME_ZONE}, address="127.0.0.1")
        if not signed_up.ok or signed_up.identity is None:
            raise RuntimeError(f"sign-up failed: {signed_up.errors}")
        user_id = signed_up.identity.user_id
        started = time.perf_counter()
        rng = random.Random(2026)
        entries = journal_bench.seed(user_id, rng)
        done, sessions = seed_practice(user_id, rng)
        say(name, f"seeded {entries:,} diary cards, {done:,} finished exercises and "
                  f"{sessions:,} mindfulness sessions ({FIRST_SEEDED_DAY} to {LAST_SEEDED_DAY})"
                  f" through core's own saves in {time.perf_counter() - started:.1f} s")
        counter = StatementCounter(engine)
        with frozen_clock(NOW):
            check_views(user_id)
            return [measure(name, operation, counter)
                    for operation in operations(user_id, iterations)]
    finally:
        db.use_engine(None)
        engine.dispose()


def run_sqlite(iterations: int) -> list[Measurement]:
    with tempfile.TemporaryDirectory(prefix="skills-bench-") as folder:
        path = Path(folder) / "bench.db"
        say("sqlite", f"SQLite {sqlite3.sqlite_version}, temporary file, WAL, synchronous=FULL")
        return run_backend("sqlite", f"sqlite:///{path}", iterations)


def run_postgres(base_url: str, iterations: int) -> list[Measurement] | None:
    shown = make_url(base_url).render_as_string(hide_password=True)
    admin = create_engine(base_url, connect_args={"connect_timeout": 5})
    try:
        try:
            with admin.connect() as connection:
                version = str(connection.execute(text("SHOW server_version")).scalar())
        except OperationalError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            say("postgresql", f"skipped: no PostgreSQL at {shown} ({reason})")
            return None
        with postgres_schema(admin, base_url) as (schema, url):
            say("postgresql", f"PostgreSQL {version} at {shown}, temporary schema {schema}")
            return run_backend("postgresql", url, iterations)
    finally:
        admin.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--iterations", type=int, default=DEFAULT_ITERATIONS,
                        help="timed calls per range (default: %(default)s); "
                             "the baseline runs twice as many")
    args = parser.parse_args(argv)
    if args.iterations < 2:
        parser.error("--iterations must be at least 2")
    print(f"clock frozen at {NOW.astimezone(ZONE).isoformat()} ({TIME_ZONE})")
    backends: list[tuple[str, Callable[[], list[Measurement] | None]]] = [
        ("sqlite", lambda: run_sqlite(args.iterations))]
    if not args.sqlite_only:
        backends.append(("postgresql", lambda: run_postgres(args.postgres_url, args.iterations)))
    runs: list[list[Measurement]] = []
    failed = False
    for name, run in backends:
        try:
            result = run()
        except Exception:  # report and go on with the next backend
            failed = True
            print(f"{name}: FAILED\n{traceback.format_exc()}", file=sys.stderr)
            continue
        if result is not None:
            runs.append(result)
    if runs:
        print()
        print(report(runs))
        missed = [f"{m.backend} {m.operation}" for run in runs for m in run if m.ok is False]
        print()
        print("targets missed: " + ", ".join(missed) if missed else "all targets met")
    return 1 if failed or not runs else 0


if __name__ == "__main__":
    sys.exit(main())
