"""What the in-process benchmarks share: databases, seeding clock, timing and the report.

`journal.py`, `practice.py`, `mindfulness.py`, `progress.py` and `dashboard.py`
each seed their own data and choose their own operations; everything around
that lives here:

- the databases: a temporary SQLite file, or a fresh PostgreSQL schema that is
  dropped at the end (`run_sqlite`, `run_postgres`, `database`)
- seeding with the frozen clock: `sign_up_patient`, `evenings`
- timing: `Operation`, `measure` (warm-up, then N timed calls, SQL statements
  per call), `baseline` (`db.transaction()` + `SELECT 1`)
- the command line and the report: `make_parser`, `parse_args`, `run_backends`
  (median, p95, target, ratio to the baseline; optionally the load average)

The scripts are run as files (`.venv/bin/python benchmarks/<name>.py`), so each
puts the repository root on sys.path before importing `benchmarks.harness`.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as clock_time
from pathlib import Path
from typing import TypeVar

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import Engine, create_engine, event, make_url, text  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from skills_app.core import auth, db  # noqa: E402
from skills_app.core.clock import frozen_clock  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WARMUP = 5

T = TypeVar("T")


def say(backend: str, message: str) -> None:
    print(f"{backend}: {message}", flush=True)


# --- measuring ------------------------------------------------------------------------------

class StatementCounter:
    """Counts SQL statements sent through an engine (N+1 queries show up here)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: object) -> None:
        self.count += 1


@dataclass(frozen=True)
class Operation:
    name: str
    call: Callable[[int], object]  # gets the iteration number (negative while warming up)
    iterations: int
    target_p95_ms: float | None


@dataclass(frozen=True)
class Measurement:
    backend: str
    operation: str
    samples_ms: tuple[float, ...]
    statements_per_call: float
    target_p95_ms: float | None

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.samples_ms, n=100, method="inclusive")[94]

    @property
    def ok(self) -> bool | None:
        return None if self.target_p95_ms is None else self.p95 <= self.target_p95_ms


def measure(backend: str, operation: Operation, counter: StatementCounter) -> Measurement:
    gc.collect()  # start each operation from the same garbage-free heap
    gc.freeze()  # and keep what lives on out of full collections, as the app does
    for warmup in range(WARMUP):
        operation.call(-1 - warmup)
    samples: list[float] = []
    statements_before = counter.count
    for iteration in range(operation.iterations):
        started = time.perf_counter()
        operation.call(iteration)
        samples.append((time.perf_counter() - started) * 1000)
    statements = (counter.count - statements_before) / operation.iterations
    return Measurement(backend, operation.name, tuple(samples), statements,
                       operation.target_p95_ms)


def measure_all(backend: str, engine: Engine, now: datetime, check: Callable[[], None],
                operations: Callable[[], Sequence[Operation]]) -> list[Measurement]:
    """With the clock frozen at `now`: the sanity `check`, then each operation measured."""
    counter = StatementCounter(engine)
    with frozen_clock(now):
        check()
        return [measure(backend, operation, counter) for operation in operations()]


def run_patient(backend: str, url: str, now: datetime, time_zone: str,
                seed: Callable[[int, random.Random], str], check: Callable[[int], None],
                operations: Callable[[int], Sequence[Operation]]) -> list[Measurement]:
    """One patient's benchmark on an empty database at `url`.

    Signs the patient up (clock frozen at `now`), calls `seed(user_id, rng)` (which
    returns what it seeded, for the log line), then `check(user_id)` and the
    measured `operations(user_id)` with the clock frozen at `now`.
    """
    with database(url) as engine:
        with frozen_clock(now):
            user_id = sign_up_patient(time_zone)
        started = time.perf_counter()
        seeded = seed(user_id, random.Random(2026))
        say(backend, f"seeded {seeded} in {time.perf_counter() - started:.1f} s")
        return measure_all(backend, engine, now, lambda: check(user_id),
                           lambda: operations(user_id))


def select_one(_iteration: int) -> object:
    with db.transaction() as session:
        return session.execute(text("SELECT 1")).scalar()


def baseline(iterations: int) -> Operation:
    """`db.transaction()` + `SELECT 1`, the floor every call pays (twice `iterations` calls)."""
    return Operation("baseline SELECT 1", select_one, 2 * iterations, None)


# --- seeding --------------------------------------------------------------------------------

def sign_up_patient(time_zone: str) -> int:
    """The benchmark's patient, signed up through `auth.sign_up`; returns the user id."""
    signed_up = auth.sign_up({
        "display_name": "Bench Patient", "email": "bench.patient@example.org",
        "password": "correct horse battery staple", "role": "patient",
        "time_zone": time_zone}, address="127.0.0.1")
    if not signed_up.ok or signed_up.identity is None:
        raise RuntimeError(f"sign-up failed: {signed_up.errors}")
    return signed_up.identity.user_id


def evenings(first_day: date, days: int, zone: tzinfo) -> Iterator[date]:
    """Each of `days` days from `first_day`, with the frozen clock at 23:00 local that day."""
    start = datetime.combine(first_day, clock_time(23, 0), tzinfo=zone).astimezone(UTC)
    with frozen_clock(start) as clock:
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            evening = datetime.combine(day, clock_time(23, 0), tzinfo=zone).astimezone(UTC)
            clock.advance(seconds=(evening - clock.now).total_seconds())
            yield day


# --- backends -------------------------------------------------------------------------------

@contextlib.contextmanager
def database(url: str) -> Iterator[Engine]:
    """An engine on `url` (which must be empty), migrated and in use by the app's code."""
    engine = db.make_engine(url)
    db.use_engine(engine)
    try:
        db.migrate(url)
        yield engine
    finally:
        db.use_engine(None)
        engine.dispose()


def run_sqlite(run_backend: Callable[[str, str], T], show_path: bool = False) -> T:
    """`run_backend("sqlite", url)` on a temporary SQLite file."""
    with tempfile.TemporaryDirectory(prefix="skills-bench-") as folder:
        path = Path(folder) / "bench.db"
        where = f"temporary file {path}" if show_path else "temporary file"
        say("sqlite", f"SQLite {sqlite3.sqlite_version}, {where}, WAL, synchronous=FULL")
        return run_backend("sqlite", f"sqlite:///{path}")


@contextlib.contextmanager
def postgres_schema(admin: Engine, base_url: str) -> Iterator[tuple[str, str]]:
    """A fresh schema on the server, dropped afterwards (as tests/core/test_db.py does).

    Yields (the schema's name, `base_url` with search_path set to it).
    """
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield schema, url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def run_postgres(base_url: str, run_backend: Callable[[str, str], T],
                 detail: str = "") -> T | None:
    """`run_backend("postgresql", url)` in a temporary schema, or None (said) when the
    server can't be reached."""
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
            say("postgresql", f"PostgreSQL {version} at {shown}, temporary schema {schema}"
                              f"{detail}")
            return run_backend("postgresql", url)
    finally:
        admin.dispose()


# --- command line and report ----------------------------------------------------------------

def make_parser(doc: str, default_iterations: int,
                iterations_help: str | None = None) -> argparse.ArgumentParser:
    """--postgres-url, --sqlite-only and --iterations; a script may add its own."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL,
                        help=f"PostgreSQL server to use (default: {DEFAULT_POSTGRES_URL}); "
                             "a temporary schema is created and dropped")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--iterations", type=int, default=default_iterations,
                        help=iterations_help)
    return parser


def parse_args(parser: argparse.ArgumentParser,
               argv: Sequence[str] | None = None) -> argparse.Namespace:
    args = parser.parse_args(argv)
    if args.iterations < 2:
        parser.error("--iterations must be at least 2")
    return args


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    return " | ".join(cell.ljust(width) if index < 2 else cell.rjust(width)
                      for index, (cell, width) in enumerate(zip(cells, widths, strict=True)))


def report(runs: Sequence[Sequence[Measurement]]) -> str:
    header = ("backend", "operation", "median ms", "p95 ms", "target", "ok?",
              "x baseline", "SQL/call", "n")
    lines: list[list[str]] = []
    for run in runs:
        base = next(m for m in run if m.operation.startswith("baseline"))
        for m in run:
            target = "-" if m.target_p95_ms is None else f"p95 <= {m.target_p95_ms:g}"
            ok = {None: "-", True: "yes", False: "NO"}[m.ok]
            lines.append([m.backend, m.operation, f"{m.median:.2f}", f"{m.p95:.2f}", target, ok,
                          f"{m.median / base.median:.1f}x", f"{m.statements_per_call:g}",
                          str(len(m.samples_ms))])
    widths = [max(len(row[i]) for row in [list(header), *lines]) for i in range(len(header))]
    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([_row(header, widths), rule, *(_row(row, widths) for row in lines)])


def main(doc: str, argv: Sequence[str] | None, default_iterations: int,
         run_backend: Callable[[str, str, int], list[Measurement]],
         iterations_help: str | None = None, header: str | None = None,
         show_load: bool = False) -> int:
    """The usual command line: parse it, print `header`, run both backends, report."""
    args = parse_args(make_parser(doc, default_iterations, iterations_help), argv)
    if header is not None:
        print(header)
    return run_backends(args, lambda name, url: run_backend(name, url, args.iterations),
                        show_load=show_load)


def run_backends(args: argparse.Namespace,
                 run_backend: Callable[[str, str], list[Measurement]], *,
                 show_sqlite_path: bool = False, postgres_detail: str = "",
                 show_load: bool = False) -> int:
    """SQLite, then PostgreSQL unless --sqlite-only; prints the report; the exit code.

    A backend that fails is reported and the next one still runs; the exit code is 1
    when one failed or none ran, 0 otherwise (a missed target is not a failure).
    """
    backends: list[tuple[str, Callable[[], list[Measurement] | None]]] = [
        ("sqlite", lambda: run_sqlite(run_backend, show_sqlite_path))]
    if not args.sqlite_only:
        backends.append(("postgresql",
                         lambda: run_postgres(args.postgres_url, run_backend, postgres_detail)))
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
        if show_load:
            # The machine may be shared: its load and each operation's fastest call say
            # how much of a p95 is this code and how much is waiting for a core.
            print()
            print("load average (1, 5, 15 min): "
                  + ", ".join(f"{x:.1f}" for x in os.getloadavg())
                  + f" on {os.cpu_count()} cores")
            for run in runs:
                print(f"{run[0].backend} fastest call, ms: " + ", ".join(
                    f"{m.operation} {min(m.samples_ms):.1f}" for m in run))
        missed = [f"{m.backend} {m.operation}" for run in runs for m in run if m.ok is False]
        print()
        print("targets missed: " + ", ".join(missed) if missed else "all targets met")
    return 1 if failed or not runs else 0
