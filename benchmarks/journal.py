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

import cProfile
import io
import platform
import pstats
import random
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

import sqlalchemy  # noqa: E402

from benchmarks import harness  # noqa: E402
from benchmarks.harness import (  # noqa: E402
    WARMUP,
    Measurement,
    Operation,
    StatementCounter,
    measure,
    say,
)
from skills_app.content.skills import SKILLS_BY_KEY  # noqa: E402
from skills_app.core import journal  # noqa: E402
from skills_app.core.clock import frozen_clock  # noqa: E402

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

    return [
        harness.baseline(view_iterations),
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


# --- backend --------------------------------------------------------------------------------

def run_backend(name: str, url: str, view_iterations: int,
                with_profile: bool) -> list[Measurement]:
    """Migrate, seed and measure one database at `url` (which must be empty)."""
    with harness.database(url) as engine:
        with frozen_clock(NOW):
            started = time.perf_counter()
            user_id = harness.sign_up_patient(TIME_ZONE)
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = harness.make_parser(__doc__, DEFAULT_VIEW_ITERATIONS,
                                 "timed calls per view (default: %(default)s); "
                                 "saves and the baseline run twice as many")
    parser.add_argument("--profile", action="store_true",
                        help=f"also print a cProfile summary of {PROFILE_CALLS} calls "
                             "of each operation")
    args = harness.parse_args(parser, argv)

    print(f"Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}; "
          f"clock frozen at {NOW.astimezone(ZONE).isoformat()} ({TIME_ZONE}); "
          f"{WARMUP} warm-up calls per operation")
    return harness.run_backends(
        args, lambda name, url: run_backend(name, url, args.iterations, args.profile),
        show_sqlite_path=True, postgres_detail=", psycopg 3, pool_pre_ping=True")


if __name__ == "__main__":
    sys.exit(main())
