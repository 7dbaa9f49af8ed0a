"""Server-side latency of the mood journal on SQLite and PostgreSQL.

Seeds one patient with three years (1,096 days) of daily diary-card entries,
freezes the clock just after the last seeded day, then times the core journal
calls in-process (no HTTP, no Reflex, no browser):

- save:      `journal.save_entry` of a full diary card with a fresh idempotency key
- 90-day:    `journal.daily_summaries` over the last 90 local days
- week grid: `journal.diary_card_week` for the last full Monday-Sunday week
- week list: `journal.entries_for_week` for the same week
- 1,096-day: `journal.daily_summaries` over all three years (for information:
             the longest range it allows; no target)
- baseline:  `db.transaction()` + `SELECT 1`, the floor every call pays

Seeding goes through `journal.save_entry` itself, with the frozen clock moved
to each day in turn, so the rows are exactly what the app would store.

Each operation is warmed up, then timed with `time.perf_counter` around the
call; the report gives median and p95 in milliseconds, the target, the ratio
to the baseline median and how many SQL statements one call sends.

Run from the repository root:

    .venv/bin/python benchmarks/journal.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/journal.py --sqlite-only
    .venv/bin/python benchmarks/journal.py --iterations 50 --profile

It prints a report and exits 0 even when a target is missed; it exits 1 only
when a backend could not be benchmarked at all (an unexpected error).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import platform
import pstats
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
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import sqlalchemy  # noqa: E402
from sqlalchemy import Engine, create_engine, event, make_url, text  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from skills_app.content.skills import SKILLS_BY_KEY  # noqa: E402
from skills_app.core import auth, db, journal  # noqa: E402
from skills_app.core.clock import frozen_clock  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TIME_ZONE = "America/Chicago"
ZONE = ZoneInfo(TIME_ZONE)
SEED_DAYS = 1_096  # three years, one of them a leap year
LAST_SEEDED_DAY = date(2026, 3, 1)  # a Sunday, so the last full week is fully seeded
FIRST_SEEDED_DAY = LAST_SEEDED_DAY - timedelta(days=SEED_DAYS - 1)
# "Now": early next morning, local time; nothing has been written today yet.
NOW = datetime.combine(LAST_SEEDED_DAY + timedelta(days=1), clock_time(8, 0),
                       tzinfo=ZONE).astimezone(UTC)
VIEW_DAYS = 90
DEFAULT_VIEW_ITERATIONS = 100  # saves and the baseline run twice as many
WARMUP = 5
SAVE_TARGET_P95_MS = 20.0
VIEW_TARGET_P95_MS = 50.0
PROFILE_CALLS = 20
PROFILE_LINES = 18

TRIGGERS = ("Work", "Family", "Money", "Poor sleep", "Loneliness", "Conflict with partner",
            "Social media", "Pain", "Anniversary", "Traffic", "Court date", "Old friends")
SKILL_KEYS = tuple(SKILLS_BY_KEY)
NOTE_SENTENCES = (
    "Woke up tired and a bit on edge.", "Group today helped more than I expected.",
    "Used TIPP with cold water when the urge spiked after lunch.",
    "Talked to my sister on the phone for an hour.", "Work was loud and I felt overwhelmed.",
    "Went for a walk around the block before dinner.", "Skipped the meeting and regretted it.",
    "Noticed the craving, named it, and let it pass.", "Slept badly, kept replaying the argument.",
    "Made a cope-ahead plan for the weekend.", "Felt proud that I asked for help.",
    "Checked the facts before sending that text.", "Cooked a real meal for the first time in days.",
    "Anxious before therapy, calmer after.", "Wrote down three things that went okay today.",
    "Hard evening; used the crisis plan and called my sponsor.",
)


# --- seed data ------------------------------------------------------------------------------

def _note(rng: random.Random) -> str:
    """A diary note of roughly 200 characters."""
    words: list[str] = []
    while len(" ".join(words)) < 200:
        words.extend(rng.choice(NOTE_SENTENCES).split())
    note = ""
    for word in words:
        if len(note) + len(word) + 1 > 200:
            break
        note = f"{note} {word}" if note else word
    return note


def _low_rating(rng: random.Random, high: int, spike: float) -> int:
    """Mostly 0-1, sometimes higher: how urges look on most diary cards."""
    if rng.random() < spike:
        return rng.randint(2, high)
    return rng.choice((0, 0, 0, 1))


def diary_card(rng: random.Random, mood: int, occurred_at: datetime) -> dict[str, object]:
    """One realistic full diary card, as the browser would send it."""
    urge_suicide = _low_rating(rng, 5, 0.04)
    urge_self_harm = _low_rating(rng, 5, 0.06)
    urge_substance = _low_rating(rng, 5, 0.25)
    used = urge_substance >= 3 and rng.random() < 0.3
    raw: dict[str, object] = {
        "idempotency_key": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "kind": "diary",
        "occurred_at": occurred_at.astimezone(ZONE).isoformat(),
        "mood": mood,
        "note": _note(rng),
        "emotion_joy": rng.randint(0, 5),
        "emotion_anger": rng.randint(0, 4),
        "emotion_sadness": rng.randint(0, 5),
        "emotion_fear": rng.randint(0, 4),
        "emotion_shame": rng.randint(0, 3),
        "emotion_guilt": rng.randint(0, 3),
        "urge_suicide": urge_suicide,
        "acted_suicide": False,
        "urge_self_harm": urge_self_harm,
        "acted_self_harm": urge_self_harm >= 4 and rng.random() < 0.2,
        "urge_substance_use": urge_substance,
        "acted_substance_use": used,
        "urge_quit_therapy": _low_rating(rng, 5, 0.1),
        "acted_quit_therapy": False,
        "craving": min(10, urge_substance * 2 + rng.randint(0, 1)),
        "substance_what": "Alcohol" if used else "",
        "substance_amount": f"{rng.randint(2, 6)} drinks" if used else "",
        "medications_taken": rng.random() < 0.9,
        "sleep_hours": rng.randint(8, 20) / 2,
        "skills": rng.sample(SKILL_KEYS, rng.randint(0, 4)),
        "triggers": rng.sample(TRIGGERS, rng.choice((0, 0, 1, 1, 2, 3))),
    }
    if rng.random() < 0.15:
        raw["custom_emotions"] = [{"name": "Numb", "rating": rng.randint(1, 5)}]
    if rng.random() < 0.1:
        raw["custom_urges"] = [{"name": "Isolate", "rating": rng.randint(1, 5),
                                "acted_on": rng.random() < 0.3}]
    return raw


def seed(user_id: int, rng: random.Random) -> int:
    """Save one diary card per day through `journal.save_entry`; returns how many.

    The clock is moved to a few minutes after each entry, so every entry goes
    through exactly the validation and storage path a real save does (the
    one-year backdate limit included) and gets realistic created_at values.
    """
    mood = 6
    first_moment = datetime.combine(FIRST_SEEDED_DAY, clock_time(20, 30), tzinfo=ZONE)
    with frozen_clock(first_moment) as clock:
        for offset in range(SEED_DAYS):
            day = FIRST_SEEDED_DAY + timedelta(days=offset)
            occurred_at = datetime.combine(day, clock_time(20, 30), tzinfo=ZONE) + timedelta(
                minutes=rng.randint(0, 90))
            created = occurred_at + timedelta(minutes=rng.randint(1, 10))
            clock.advance(seconds=(created.astimezone(UTC) - clock.now).total_seconds())
            mood = max(0, min(10, mood + rng.choice((-2, -1, -1, 0, 0, 0, 1, 1, 2))))
            result = journal.save_entry(user_id, TIME_ZONE, diary_card(rng, mood, occurred_at))
            if not result.ok:
                raise RuntimeError(f"seeding {day} failed: {result.errors}")
    return SEED_DAYS


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


def profile(operation: Operation) -> str:
    """The top of a cProfile run of a few calls, by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        for call in range(PROFILE_CALLS):
            operation.call(call)
    finally:
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(PROFILE_LINES)
    return out.getvalue()


def operations(user_id: int, view_iterations: int) -> list[Operation]:
    """The timed calls, reads first so the saves don't pile up inside the viewed days."""
    today = NOW.astimezone(ZONE).date()
    view_start = today - timedelta(days=VIEW_DAYS - 1)
    last_full_week = today - timedelta(days=today.weekday() + 7)
    save_iterations = 2 * view_iterations
    rng = random.Random(7)
    # A full diary card per save; payloads are built before timing starts.
    payloads = [diary_card(rng, rng.randint(3, 8), NOW)
                for _ in range(WARMUP + save_iterations + PROFILE_CALLS)]
    for payload in payloads:
        payload.update(triggers=["Work", "Poor sleep"], skills=list(SKILL_KEYS[:3]),
                       custom_emotions=[{"name": "Numb", "rating": 2}],
                       custom_urges=[{"name": "Isolate", "rating": 1, "acted_on": False}])
    fresh = iter(payloads)  # one idempotency key per call, warm-up and profiling included

    def save(_iteration: int) -> object:
        result = journal.save_entry(user_id, TIME_ZONE, next(fresh))
        if not result.created:
            raise RuntimeError(f"save did not create an entry: {result.errors}")
        return result

    def baseline(_iteration: int) -> object:
        with db.transaction() as session:
            return session.execute(text("SELECT 1")).scalar()

    return [
        Operation("baseline SELECT 1", baseline, save_iterations, None),
        Operation(f"{VIEW_DAYS}-day view",
                  lambda _: journal.daily_summaries(user_id, view_start, today),
                  view_iterations, VIEW_TARGET_P95_MS),
        Operation("week grid", lambda _: journal.diary_card_week(user_id, last_full_week),
                  view_iterations, VIEW_TARGET_P95_MS),
        Operation("week list", lambda _: journal.entries_for_week(user_id, last_full_week),
                  view_iterations, None),
        # For information: the longest range daily_summaries allows (SUMMARY_DAYS_MAX).
        Operation(f"{SEED_DAYS:,}-day view",
                  lambda _: journal.daily_summaries(user_id, FIRST_SEEDED_DAY, LAST_SEEDED_DAY),
                  view_iterations, None),
        Operation("save entry", save, save_iterations, SAVE_TARGET_P95_MS),
    ]


def check_views(user_id: int) -> None:
    """Sanity checks, so a fast number can't come from an empty result."""
    today = NOW.astimezone(ZONE).date()
    last_full_week = today - timedelta(days=today.weekday() + 7)
    summaries = journal.daily_summaries(user_id, today - timedelta(days=VIEW_DAYS - 1), today)
    grid = journal.diary_card_week(user_id, last_full_week)
    week = journal.entries_for_week(user_id, last_full_week)
    # Nothing is written "today" before the saves run, hence VIEW_DAYS - 1 entries.
    if (len(summaries) != VIEW_DAYS or sum(s.diary_count for s in summaries) != VIEW_DAYS - 1
            or None in grid.row("mood").cells or len(week) != 7):
        raise RuntimeError("the seeded data does not look as expected; timings would mislead")


# --- backends -------------------------------------------------------------------------------

def say(backend: str, message: str) -> None:
    print(f"{backend}: {message}", flush=True)


def run_backend(name: str, url: str, view_iterations: int,
                with_profile: bool) -> list[Measurement]:
    """Migrate, seed and measure one database at `url` (which must be empty)."""
    engine = db.make_engine(url)
    db.use_engine(engine)
    try:
        db.migrate(url)
        with frozen_clock(NOW):
            started = time.perf_counter()
            signed_up = auth.sign_up({
                "display_name": "Bench Patient", "email": "bench.patient@example.org",
                "password": "correct horse battery staple", "role": "patient",
                "time_zone": TIME_ZONE}, address="127.0.0.1")
            if not signed_up.ok or signed_up.identity is None:
                raise RuntimeError(f"sign-up failed: {signed_up.errors}")
            user_id = signed_up.identity.user_id
            say(name, f"sign-up (argon2id hash, once): {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        seeded = seed(user_id, random.Random(2026))
        elapsed = time.perf_counter() - started
        say(name, f"seeded {seeded:,} diary entries ({FIRST_SEEDED_DAY} to {LAST_SEEDED_DAY}) "
                  f"via journal.save_entry in {elapsed:.1f} s "
                  f"({elapsed / seeded * 1000:.1f} ms each)")
        counter = StatementCounter(engine)
        measurements: list[Measurement] = []
        with frozen_clock(NOW):
            check_views(user_id)
            for operation in operations(user_id, view_iterations):
                measurements.append(measure(name, operation, counter))
                if with_profile:
                    print(f"\n--- cProfile: {name} / {operation.name} "
                          f"({PROFILE_CALLS} calls) ---")
                    print(profile(operation))
        return measurements
    finally:
        db.use_engine(None)
        engine.dispose()


def run_sqlite(view_iterations: int, with_profile: bool) -> list[Measurement]:
    with tempfile.TemporaryDirectory(prefix="skills-bench-") as folder:
        path = Path(folder) / "bench.db"
        say("sqlite", f"SQLite {sqlite3.sqlite_version}, temporary file {path}, "
                      "WAL, synchronous=FULL")
        return run_backend("sqlite", f"sqlite:///{path}", view_iterations, with_profile)


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


def run_postgres(base_url: str, view_iterations: int,
                 with_profile: bool) -> list[Measurement] | None:
    """Benchmark PostgreSQL, or say it was skipped when the server can't be reached."""
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
            say("postgresql", f"PostgreSQL {version} at {shown}, temporary schema {schema}, "
                              "psycopg 3, pool_pre_ping=True")
            return run_backend("postgresql", url, view_iterations, with_profile)
    finally:
        admin.dispose()


# --- report ---------------------------------------------------------------------------------

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL,
                        help=f"PostgreSQL server to use (default: {DEFAULT_POSTGRES_URL}); "
                             "a temporary schema is created and dropped")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--iterations", type=int, default=DEFAULT_VIEW_ITERATIONS,
                        help="timed calls per view (default: %(default)s); "
                             "saves and the baseline run twice as many")
    parser.add_argument("--profile", action="store_true",
                        help=f"also print a cProfile summary of {PROFILE_CALLS} calls "
                             "of each operation")
    args = parser.parse_args(argv)
    if args.iterations < 2:
        parser.error("--iterations must be at least 2")

    print(f"Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}; "
          f"clock frozen at {NOW.astimezone(ZONE).isoformat()} ({TIME_ZONE}); "
          f"{WARMUP} warm-up calls per operation")
    runs: list[list[Measurement]] = []
    failed = False
    backends: list[tuple[str, Callable[[], list[Measurement] | None]]] = [
        ("sqlite", lambda: run_sqlite(args.iterations, args.profile))]
    if not args.sqlite_only:
        backends.append(("postgresql",
                         lambda: run_postgres(args.postgres_url, args.iterations, args.profile)))
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

