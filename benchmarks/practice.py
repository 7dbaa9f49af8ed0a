"""Server-side time of the Practice tab's data and Today's plan, with a year of practice.

Seeds one patient with a year (365 days) of finished exercises: on about five
days a week, one to three exercises, each saved through
`practice.finish_exercise` with the frozen clock moved to that evening, so
every row is what the app would store. Four exercises are starred. Then it
freezes the clock the next morning and times, in-process (no HTTP, no Reflex,
no browser), what the two screens' handlers ask for off the event loop:

- practice tab: `views.practice_tab.tab_data` (favourites and each exercise's
                last finished day)
- today's plan: `views.practice_tab.today_data` (`practice.todays_plan` and the
                weekly count behind the gentle line)
- baseline:     `db.transaction()` + `SELECT 1`, measured in the same run

The session lookup each handler also does is the same for every screen and is
not included. Reuses the journal benchmark's measuring and report (median,
p95, ratio to the baseline, SQL statements per call).

Run from the repository root:

    .venv/bin/python benchmarks/practice.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/practice.py --sqlite-only
    .venv/bin/python benchmarks/practice.py --iterations 50
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
from skills_app.core import auth, db, exercises, practice  # noqa: E402
from skills_app.core.clock import frozen_clock  # noqa: E402
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


def seed(user_id: int, rng: random.Random) -> int:
    """A year of practice through `practice.finish_exercise`; returns how many."""
    pool = exercises.all_exercises()
    count = 0
    with frozen_clock(datetime.combine(FIRST_SEEDED_DAY, clock_time(23, 0),
                                       tzinfo=ZONE).astimezone(UTC)) as clock:
        for offset in range(SEED_DAYS):
            day = FIRST_SEEDED_DAY + timedelta(days=offset)
            evening = datetime.combine(day, clock_time(23, 0), tzinfo=ZONE).astimezone(UTC)
            clock.advance(seconds=(evening - clock.now).total_seconds())
            if rng.random() > 5 / 7:
                continue
            for number in range(rng.choice((1, 1, 2, 3))):
                exercise = rng.choice(pool)
                started = datetime.combine(day, clock_time(19 + number, rng.randint(0, 30)),
                                           tzinfo=ZONE)
                result = practice.finish_exercise(user_id, TIME_ZONE,
                                                  finished(exercise, started, rng))
                if not result.created:
                    raise RuntimeError(f"seeding {day} failed: {result.errors}")
                count += 1
    for exercise_id in STARRED:
        practice.set_favourite(user_id, exercise_id, True)
    return count


def operations(user_id: int, iterations: int) -> list[Operation]:
    def baseline(_iteration: int) -> object:
        with db.transaction() as session:
            return session.execute(text("SELECT 1")).scalar()

    return [
        Operation("baseline SELECT 1", baseline, 2 * iterations, None),
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
        say(name, f"seeded {seeded:,} finished exercises ({FIRST_SEEDED_DAY} to "
                  f"{LAST_SEEDED_DAY}) via practice.finish_exercise in "
                  f"{time.perf_counter() - started:.1f} s")
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
                        help="timed calls per screen (default: %(default)s); "
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
