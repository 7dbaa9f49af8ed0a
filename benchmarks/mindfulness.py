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

Reuses the journal benchmark's measuring and report. Run from the repository
root:

    .venv/bin/python benchmarks/mindfulness.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/mindfulness.py --sqlite-only
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
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import create_engine, make_url, text  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from benchmarks.journal import (  # noqa: E402
    DEFAULT_POSTGRES_URL,
    Measurement,
    Operation,
    StatementCounter,
    measure,
    postgres_schema,
    report,
    say,
)
from skills_app.core import auth, db, journal, mindfulness  # noqa: E402
from skills_app.core.clock import frozen_clock  # noqa: E402
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
    with frozen_clock(datetime.combine(FIRST_SEEDED_DAY, clock_time(23, 0),
                                       tzinfo=ZONE).astimezone(UTC)) as clock:
        for offset in range(SEED_DAYS):
            day = FIRST_SEEDED_DAY + timedelta(days=offset)
            evening = datetime.combine(day, clock_time(23, 0), tzinfo=ZONE).astimezone(UTC)
            clock.advance(seconds=(evening - clock.now).total_seconds())
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
    def baseline(_iteration: int) -> object:
        with db.transaction() as session:
            return session.execute(text("SELECT 1")).scalar()

    year = (FIRST_SEEDED_DAY, LAST_SEEDED_DAY)
    week = (LAST_SEEDED_DAY - timedelta(days=6), LAST_SEEDED_DAY)
    return [
        Operation("baseline SELECT 1", baseline, 2 * iterations, None),
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
        seeded = seed(user_id, random.Random(2026))
        say(name, f"seeded {seeded:,} sessions ({FIRST_SEEDED_DAY} to {LAST_SEEDED_DAY}) "
                  f"via mindfulness.log_session in {time.perf_counter() - started:.1f} s")
        counter = StatementCounter(engine)
        with frozen_clock(NOW):
            check(user_id)
            return [measure(name, operation, counter)
                    for operation in operations(user_id, iterations)]
    finally:
        db.use_engine(None)
        engine.dispose()


def run_sqlite(iterations: int) -> list[Measurement]:
    with tempfile.TemporaryDirectory(prefix="skills-bench-") as folder:
        say("sqlite", f"SQLite {sqlite3.sqlite_version}, temporary file, WAL, synchronous=FULL")
        return run_backend("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", iterations)


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
    parser.add_argument("--iterations", type=int, default=DEFAULT_ITERATIONS)
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
