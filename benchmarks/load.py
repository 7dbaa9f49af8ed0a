"""Saves under an open loop of many signed-in patients, against a no-op in the same run.

The load side of issue 24, on both profiles an operator can run:

* **sqlite**: the embedded default, `reflex run --env prod --backend-only`, one
  worker, a fresh SQLite file in a temporary folder;
* **postgres+redis**: the scale profile, a fresh PostgreSQL schema, Reflex's Redis
  state manager and `--workers` workers.

For each profile it signs up `--patients` patients over the app's own HTTP API,
connects one websocket per patient (python-socketio with the patient's session
cookie, as a phone would) and then, `--runs` times:

1. **open loop**: every patient saves a check-in once every `--period` seconds
   and, half a period later, sends a no-op event (a screen var set from the
   argument: no session lookup, no database). Events go out on schedule whether
   or not the last one was answered, as phones do. Latency is measured from
   sending to the frame that carries the save's key (or the no-op's argument).
2. **saturation** (once per profile): `--saturation-clients` clients send events
   back to back, no-ops first, then saves; printed as saves/s divided by no-ops/s.

Afterwards it counts, in the server's log, Redis's "Lock for token ... was held
too long" warnings, LockExpiredError and "database is locked", and checks in
the database that every acknowledged save is stored exactly once.

Usage (from the repository root; about 4 minutes per profile with the defaults):

    .venv/bin/python benchmarks/load.py                          # both profiles, 3 runs each
    .venv/bin/python benchmarks/load.py --profiles sqlite --runs 1 --seconds 20
    .venv/bin/python benchmarks/load.py --keep-logs /tmp/load    # keep the server logs

It is a measurement, not a test: it exits 0 when a target is missed, 1 when an
acknowledged save is missing or doubled, or when a handler it measures does not
answer at all. The benchmark client runs on the same machine and takes CPU too:
compare the saves with the no-ops of the same run, not with another day's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import statistics
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.contention import (  # noqa: E402
    NO_OP,
    SAVE_CHECKIN,
    HandlerSilent,
    Patient,
    Server,
    closed_loop,
    percentile,
    ratio,
    sign_up,
)
from benchmarks.harness import DEFAULT_POSTGRES_URL, postgres_schema  # noqa: E402
from skills_app.core import db  # noqa: E402
from skills_app.core.models import JournalEntry  # noqa: E402

HELD_TOO_LONG = "was held too long"
LOCK_EXPIRED = "LockExpiredError"
DB_LOCKED = "database is locked"
TARGET_P95_MS = 100
TARGET_RATIO = 0.4


@dataclass
class OpenLoopRun:
    saves: list[float] = field(default_factory=list)
    no_ops: list[float] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)

    @staticmethod
    def _ms(values: list[float]) -> list[float]:
        return [value * 1000 for value in values if value == value]

    def summary(self) -> dict[str, float]:
        saves, no_ops = self._ms(self.saves), self._ms(self.no_ops)
        if not saves or not no_ops:
            raise HandlerSilent("no save or no no-op was answered in an open-loop run")
        return {
            "saves": len(self.saves), "save_lost": len(self.saves) - len(saves),
            "save_p50": statistics.median(saves), "save_p95": percentile(saves, 0.95),
            "save_p99": percentile(saves, 0.99), "no_op_p95": percentile(no_ops, 0.95),
            "no_op_lost": len(self.no_ops) - len(no_ops)}


async def open_loop(phones: list[Patient], seconds: float, period: float,
                    timeout: float) -> OpenLoopRun:
    run = OpenLoopRun()
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.5
    tasks: list[asyncio.Task] = []

    async def saving(phone: Patient, at: float) -> None:
        await asyncio.sleep(max(0.0, at - loop.time()))
        key = str(uuid.uuid4())
        took = await phone.save_checkin(timeout, key=key)
        run.saves.append(took)
        if took == took:
            run.acknowledged.append(key)

    async def no_op(phone: Patient, at: float) -> None:
        await asyncio.sleep(max(0.0, at - loop.time()))
        run.no_ops.append(await phone.no_op(uuid.uuid4().hex[:12], timeout))

    ticks = int(seconds / period)
    for index, phone in enumerate(phones):
        offset = period * index / len(phones)
        for tick in range(ticks):
            at = start + offset + tick * period
            tasks.append(asyncio.create_task(saving(phone, at)))
            tasks.append(asyncio.create_task(no_op(phone, at + period / 2)))
    await asyncio.gather(*tasks)
    return run


def stored_once(database_url: str, keys: list[str]) -> tuple[int, int]:
    """(acknowledged keys not stored, keys stored more than once)."""
    engine = db.make_engine(database_url)
    try:
        counts: dict[str, int] = {}
        with engine.connect() as connection:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = connection.execute(
                    select(JournalEntry.idempotency_key, func.count())
                    .where(JournalEntry.idempotency_key.in_(chunk))
                    .group_by(JournalEntry.idempotency_key))
                counts.update({key: count for key, count in rows})
    finally:
        engine.dispose()
    return sum(1 for key in keys if key not in counts), sum(1 for n in counts.values() if n > 1)


@contextlib.contextmanager
def sqlite_profile(port: int, folder: Path, _args: argparse.Namespace
                   ) -> Iterator[tuple[Server, str]]:
    server = Server(port, folder)
    try:
        yield server, f"sqlite:///{folder / 'bench.db'}"
    finally:
        server.stop()


@contextlib.contextmanager
def postgres_redis_profile(port: int, folder: Path, args: argparse.Namespace
                           ) -> Iterator[tuple[Server, str]]:
    admin = db.make_engine(args.postgres_url)
    try:
        with postgres_schema(admin, args.postgres_url) as (_schema, database_url):
            server = Server(port, folder, database_url=database_url,
                            redis_url=args.redis_url, workers=args.workers)
            try:
                yield server, database_url
            finally:
                server.stop()
    finally:
        admin.dispose()


async def in_batches(coroutines: list, size: int) -> list:
    done = []
    for start in range(0, len(coroutines), size):
        done += await asyncio.gather(*coroutines[start:start + size])
    return done


async def drive(server: Server, database_url: str, label: str,
                args: argparse.Namespace) -> dict:
    phones: list[Patient] = []
    async with aiohttp.ClientSession() as http:
        print(f"{label}: signing up {args.patients} patients ...", flush=True)
        accounts = await in_batches(
            [sign_up(http, server.url, f"load {n}") for n in range(args.patients)], 8)
    try:
        phones = [Patient(server, token) for _, token in accounts]
        await in_batches([phone.connect() for phone in phones], 50)
        # The first event of each phone loads its states; then every handler must answer.
        warm = await in_batches([phone.save_checkin(60) for phone in phones], 25)
        if any(took != took for took in warm):
            raise HandlerSilent(f"{SAVE_CHECKIN} did not answer every phone's first save")
        probe = await phones[0].no_op("-probe", 15)
        if probe != probe:
            raise HandlerSilent(f"the no-op {NO_OP} does not answer")
        runs = []
        for number in range(1, args.runs + 1):
            print(f"{label}: run {number} of {args.runs} ...", flush=True)
            log_before = server.log()
            # This client's own full collections (500 sockets' worth of objects) would
            # stall its loop and add to every latency it is measuring: none during a run.
            gc.collect()
            gc.disable()
            try:
                run = await open_loop(phones, args.seconds, args.period, args.timeout)
            finally:
                gc.enable()
            new_log = server.log()[len(log_before):]
            missing, doubled = stored_once(database_url, run.acknowledged)
            row = {**run.summary(), "held": new_log.count(HELD_TOO_LONG),
                   "expired": new_log.count(LOCK_EXPIRED), "locked": new_log.count(DB_LOCKED),
                   "missing": missing, "doubled": doubled, "run": number}
            print(f"{label}: run {number}: saves p50 {row['save_p50']:.0f} ms, "
                  f"p95 {row['save_p95']:.0f} ms, p99 {row['save_p99']:.0f} ms; "
                  f"no-ops p95 {row['no_op_p95']:.0f} ms; unanswered saves {row['save_lost']}, "
                  f"no-ops {row['no_op_lost']}; "
                  f"held too long {row['held']}", flush=True)
            runs.append(row)
        patients = phones[:args.saturation_clients]
        no_ops, _ = await closed_loop(server, patients, args.saturation_seconds, "no-op")
        saves, _ = await closed_loop(server, patients, args.saturation_seconds, "save")
        return {"label": label, "runs": runs, "no_ops_per_s": no_ops, "saves_per_s": saves,
                "log": server.log()}
    finally:
        await asyncio.gather(*(phone.close() for phone in phones))


def print_table(results: list[dict], args: argparse.Namespace) -> bool:
    print(f"\n{args.patients} patients, a save every {args.period:g} s each and a no-op "
          f"half a period later; {args.seconds:g} s per run")
    print("| profile | run | saves | save p50 | save p95 | save p99 | no-op p95 | "
          "save p95 / no-op p95 | unanswered | held too long | LockExpired | missing | doubled |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    clean = True
    for result in results:
        for row in result["runs"]:
            print(f"| {result['label']} | {row['run']} | {row['saves']} | "
                  f"{row['save_p50']:.0f} ms | {row['save_p95']:.0f} ms | "
                  f"{row['save_p99']:.0f} ms | {row['no_op_p95']:.0f} ms | "
                  f"{ratio(row['save_p95'], row['no_op_p95'])} | {row['save_lost']} | "
                  f"{row['held']} | {row['expired']} | {row['missing']} | {row['doubled']} |")
            clean = clean and not row["missing"] and not row["doubled"]
    print(f"\nsaturation, {args.saturation_clients} clients back to back, "
          f"{args.saturation_seconds:g} s each")
    print("| profile | no-ops/s | saves/s | saves / no-ops (aim >= 0.4) |")
    print("|---|---|---|---|")
    for result in results:
        print(f"| {result['label']} | {result['no_ops_per_s']:.1f} | {result['saves_per_s']:.1f} "
              f"| {ratio(result['saves_per_s'], result['no_ops_per_s'])} |")
    print(f"\ntargets: save p95 <= {TARGET_P95_MS} ms in every run, 0 held too long, "
          f"0 LockExpiredError, saves / no-ops >= {TARGET_RATIO}")
    return clean


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", nargs="+", choices=("sqlite", "postgres+redis"),
                        default=["sqlite", "postgres+redis"])
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--period", type=float, default=5.0,
                        help="seconds between one patient's saves")
    parser.add_argument("--seconds", type=float, default=30, help="length of each run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=30,
                        help="an event unanswered this long counts as unanswered")
    parser.add_argument("--saturation-clients", type=int, default=20)
    parser.add_argument("--saturation-seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2,
                        help="workers on postgres+redis (the machine has 2 cores)")
    parser.add_argument("--port", type=int, default=3172)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--keep-logs", metavar="FOLDER", help="keep the server logs there")
    args = parser.parse_args(argv)
    profiles = {"sqlite": sqlite_profile, "postgres+redis": postgres_redis_profile}
    results = []
    try:
        for offset, name in enumerate(args.profiles):
            with contextlib.ExitStack() as stack:
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="skills-load-"))
                server, database_url = stack.enter_context(
                    profiles[name](args.port + offset, Path(folder), args))
                label = name if name == "sqlite" else f"{name}, {args.workers} workers"
                result = asyncio.run(drive(server, database_url, label, args))
                results.append(result)
                if args.keep_logs:
                    keep = Path(args.keep_logs)
                    keep.mkdir(parents=True, exist_ok=True)
                    (keep / f"{name}-server.log").write_text(result["log"])
    except HandlerSilent as silent:
        sys.exit(f"load.py stopped: {silent}")
    return 0 if print_table(results, args) else 1


if __name__ == "__main__":
    sys.exit(main())
