"""The reminder scheduler with 10,000 patients: planning, claiming, sending, the loop.

For each backend (a temporary SQLite file, then a temporary PostgreSQL schema):

1. **spread**: 10,000 patients (UTC) with 3 reminders each at random minutes of
   the day. Timed: the first plan (30,000 cursors computed), then one minute's
   plan + claim (about 21 rows due).
2. **peak**: the same 10,000 patients with their practice reminder moved to
   one minute (everyone at 19:00: the worst minute). Timed: the plan that turns
   10,000 due cursors into delivery rows, one claim of CLAIM_BATCH rows, then
   sending all 10,000 through the app's own rounds (`reminders.run_once`: claim,
   send in the sender threads, finish) to a fake push service, a threaded HTTP
   server on 127.0.0.1 that answers 201 (the notice as JSON, no encryption:
   that cost is core/push.py's), in a process of its own. Printed: sends per
   second, and the event loop's worst pause while sending (a task that asks to
   wake every 5 ms records how late it woke), next to the same with nothing
   running (the machine's own noise).

    .venv/bin/python benchmarks/reminders.py                # SQLite and PostgreSQL
    .venv/bin/python benchmarks/reminders.py --sqlite-only --patients 2000

A measurement, not a test. The machine it runs on may be shared: the load average
is printed with the table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from sqlalchemy import insert  # noqa: E402

from benchmarks import harness  # noqa: E402
from benchmarks.harness import say  # noqa: E402
from skills_app.core import db, notify, reminders  # noqa: E402
from skills_app.core.clock import frozen_clock  # noqa: E402
from skills_app.core.models import ReminderSetting, User  # noqa: E402

# A Monday evening, so "now" is the same on every run.
NOW = datetime(2026, 12, 7, 18, 59, 30, tzinfo=UTC)
PEAK = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)
SPREAD_KINDS = ("checkin", "practice", "mindfulness")
CHUNK = 1000


# --- seeding (also used by tests/scale/test_reminder_workers.py) ---------------------------

def seed_patients(count: int, prefix: str = "p") -> list[int]:
    """`count` patients in UTC, inserted directly (no password hashing); their ids."""
    table = User.__table__
    ids: list[int] = []
    with db.transaction() as session:
        connection = session.connection()
        for start in range(0, count, CHUNK):
            rows = [{"email": f"{prefix}{n}@example.org", "display_name": f"Patient {n}",
                     "role": "patient", "password_hash": "-", "time_zone": "UTC",
                     "language": "en", "created_at": NOW}
                    for n in range(start, min(start + CHUNK, count))]
            ids.extend(connection.execute(insert(table).returning(table.c.id), rows).scalars())
    return ids


def seed_settings(user_ids: Sequence[int], kind: str, minute_of: dict[int, int] | int,
                  next_due_at: datetime | None = None) -> None:
    """One enabled daily reminder of `kind` for each patient, at `minute_of` (one
    minute for all, or each patient's own), every day."""
    with db.transaction() as session:
        connection = session.connection()
        for start in range(0, len(user_ids), CHUNK):
            connection.execute(insert(ReminderSetting.__table__), [
                {"user_id": user_id, "kind": kind, "enabled": True,
                 "minute": minute_of if isinstance(minute_of, int) else minute_of[user_id],
                 "weekdays": list(range(7)), "next_due_at": next_due_at, "updated_at": NOW}
                for user_id in user_ids[start:start + CHUNK]])


# --- the fake push service ------------------------------------------------------------------

# Its own process, so its threads don't take the GIL from the loop being measured.
PUSH_SERVICE = """
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
received = 0
lock = threading.Lock()
class Push(BaseHTTPRequestHandler):
    def do_POST(self):
        global received
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            received += 1
        self.send_response(201); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self):
        body = str(received).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Push)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""


@contextlib.contextmanager
def push_service() -> Iterator[str]:
    """A fake push service on 127.0.0.1 answering 201; yields its URL."""
    process = subprocess.Popen([sys.executable, "-c", PUSH_SERVICE], stdout=subprocess.PIPE,
                               text=True)
    try:
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}/push"
    finally:
        process.kill()
        process.wait()


def received(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return int(response.read())


def http_sender(url: str):  # noqa: ANN201
    def send(notice: notify.Notice) -> notify.SendResult:
        body = json.dumps({"title": notice.title, "body": notice.body, "url": notice.url,
                           "tag": notice.tag}).encode()
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return notify.SendResult.SENT if response.status < 300 else notify.SendResult.RETRY
    return send


# --- measuring ------------------------------------------------------------------------------

def timed(call) -> tuple[float, object]:  # noqa: ANN001
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


async def idle_pauses(seconds: float = 3.0) -> list[float]:
    """The loop's pauses with nothing else running (the machine's own noise)."""
    pauses, until = [], time.perf_counter() + seconds
    while time.perf_counter() < until:
        asked = time.perf_counter()
        await asyncio.sleep(0.005)
        pauses.append((time.perf_counter() - asked - 0.005) * 1000)
    return pauses


async def send_everything(expected: int) -> tuple[float, list[float], int]:
    """Rounds until `expected` are sent; (seconds, the loop's pauses in ms, sent)."""
    pauses: list[float] = []
    stop = asyncio.Event()

    async def watch() -> None:
        while not stop.is_set():
            asked = time.perf_counter()
            await asyncio.sleep(0.005)
            pauses.append((time.perf_counter() - asked - 0.005) * 1000)

    watcher = asyncio.create_task(watch())
    started, sent = time.perf_counter(), 0
    while sent < expected:
        done = await reminders.run_once("bench")
        if done.claimed == 0:
            break
        sent += done.sent
    took = time.perf_counter() - started
    stop.set()
    await watcher
    return took, pauses, sent


def pause_summary(pauses: Sequence[float]) -> str:
    ordered = sorted(pauses)
    return (f"worst {ordered[-1]:.1f} ms, p99 {ordered[int(len(ordered) * 0.99)]:.1f} ms, "
            f"median {statistics.median(ordered):.1f} ms")


def run_backend(backend: str, url: str, patients: int) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    rng = random.Random(2026)
    with harness.database(url):
        with frozen_clock(NOW) as clock:
            took, ids = timed(lambda: seed_patients(patients))
            for kind in SPREAD_KINDS:
                seed_settings(ids, kind, {user_id: rng.randrange(1440) for user_id in ids})
            say(backend, f"seeded {patients} patients x {len(SPREAD_KINDS)} reminders "
                         f"in {took / 1000:.1f} s")
            took, planned = timed(reminders.plan_all)
            rows.append((backend, f"first plan: {planned} cursors computed", f"{took:.0f} ms"))
            clock.advance(seconds=60)
            took_plan, planned = timed(reminders.plan_all)
            took_claim, claimed = timed(lambda: reminders.claim("bench"))
            rows.append((backend, f"one minute, spread: plan ({planned} due)",
                         f"{took_plan:.1f} ms"))
            rows.append((backend, f"one minute, spread: claim ({len(claimed)} rows)",
                         f"{took_claim:.1f} ms"))
            reminders.finish("bench", [(item, reminders.Outcome(notify.SendResult.SENT, "app"))
                                       for item in claimed])
        # The peak: everyone's reminder at 19:00 (the clock at 19:00:20).
        with frozen_clock(NOW):
            with db.transaction() as session:
                table = ReminderSetting.__table__
                session.execute(table.update().where(table.c.kind == "practice")
                                .values(minute=19 * 60, next_due_at=PEAK))
        with frozen_clock(PEAK + timedelta(seconds=20)):
            took, planned = timed(reminders.plan_all)
            rows.append((backend, f"peak minute: plan ({planned} settings)", f"{took:.0f} ms"))
            took, claimed = timed(lambda: reminders.claim("peek"))
            rows.append((backend, f"peak minute: claim {len(claimed)} rows", f"{took:.1f} ms"))
            with db.transaction() as session:  # give them back for the send run
                session.execute(reminders._deliveries.update()
                                .where(reminders._deliveries.c.claimed_by == "peek")
                                .values(status="pending", attempts=0,
                                        next_attempt_at=PEAK, claimed_by=""))
            due = reminders.counts().get("pending", 0)
            with push_service() as push_url:
                notify.register("push", http_sender(push_url))
                try:
                    # As the app does once started (skills_app.py): what lives on
                    # stays out of full collections.
                    gc.collect()
                    gc.freeze()
                    idle = asyncio.run(idle_pauses())
                    took, pauses, sent = asyncio.run(send_everything(due))
                finally:
                    notify.SENDERS.pop("push", None)
                got = received(push_url)
            rows.append((backend, f"peak minute: send {sent} of {due} via HTTP push",
                         f"{sent / took:.0f} sends/s ({took:.1f} s)"))
            rows.append((backend, "event loop pause while sending", pause_summary(pauses)))
            rows.append((backend, "event loop pause, idle (the machine's noise)",
                         pause_summary(idle)))
            rows.append((backend, "fake push service received", str(got)))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres-url", default=harness.DEFAULT_POSTGRES_URL)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=reminders.SEND_CONCURRENCY,
                        help="sends at a time (reminders.SEND_CONCURRENCY)")
    args = parser.parse_args(argv)
    reminders.SEND_CONCURRENCY = args.concurrency
    results: list[tuple[str, str, str]] = []
    results += harness.run_sqlite(lambda name, url: run_backend(name, url, args.patients))
    if not args.sqlite_only:
        results += harness.run_postgres(
            args.postgres_url, lambda name, url: run_backend(name, url, args.patients)) or []
    widths = [max(len(row[i]) for row in results) for i in range(3)]
    print()
    for row in results:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print()
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
          + f" on {os.cpu_count()} cores (a shared machine: other work runs alongside)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
