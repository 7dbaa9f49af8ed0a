"""Reminders sent exactly once by several scheduler processes on PostgreSQL.

Each process is `tests/scale/reminder_worker.py`: the app's own rounds
(`reminders.run_once`) with a fake push channel that appends "<pid> <delivery
id>" to a shared file. They race over the same due settings (planning) and the
same due deliveries (claiming).

- Exactly once: 4 processes over 300 patients with 2 reminders each, all due
  this minute: every delivery is in the file once, none is missing, and
  planning made exactly one delivery per reminder.
- A crash: a process whose push service is slow is killed with SIGKILL while it
  sends. What it handed to the push service before dying was never stored as
  "sent", so after its lease runs out another process sends it again: that is
  a resend, which the phone shows once because the notice's tag
  ("reminder-<id>") is the same both times. Nothing is lost. The counts are
  printed (run with -s to see them).
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.reminders import seed_patients, seed_settings
from skills_app.core import reminders
from skills_app.core.clock import utcnow

ROOT = Path(__file__).resolve().parents[2]


def due_this_minute(patients: int, kinds: tuple[str, ...]) -> int:
    """`patients` patients in UTC, each with `kinds` reminders due a moment ago."""
    due = (utcnow() - timedelta(seconds=30)).replace(second=0, microsecond=0)
    ids = seed_patients(patients)
    for kind in kinds:
        seed_settings(ids, kind, due.hour * 60 + due.minute, next_due_at=due)
    return patients * len(kinds)


def start_worker(url: str, sent_file: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.scale.reminder_worker", url, str(sent_file), *extra],
        cwd=ROOT, env={**os.environ, "SKILLS_REMINDERS_EVERY_SECONDS": "0"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def sends(sent_file: Path) -> list[tuple[int, int]]:
    if not sent_file.exists():
        return []
    return [(int(pid), int(delivery)) for pid, delivery in
            (line.split() for line in sent_file.read_text().splitlines())]


def finish(process: subprocess.Popen, timeout: float = 180) -> None:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output


def test_four_processes_send_every_reminder_exactly_once(postgres_database: str,
                                                        tmp_path: Path) -> None:
    expected = due_this_minute(300, ("practice", "checkin"))
    sent_file = tmp_path / "sent.txt"
    start_at = str(time.time() + 4)  # all four start racing at the same moment
    # Small batches, so many claims of the four interleave.
    workers = [start_worker(postgres_database, sent_file, "--start-at", start_at,
                            "--sleep", "0.002", "--batch", "25")
               for _ in range(4)]
    for worker in workers:
        finish(worker)
    delivered = sends(sent_file)
    times_sent = collections.Counter(delivery for _pid, delivery in delivered)
    by_status = reminders.counts()
    by_process = collections.Counter(pid for pid, _delivery in delivered)
    print(f"\nexactly once: {expected} due, {len(delivered)} sends, "
          f"{len(times_sent)} distinct, per process {sorted(by_process.values())}, "
          f"rows by status {by_status}")
    assert by_status == {"sent": expected}  # one row per reminder, all sent: none lost
    assert len(times_sent) == expected
    assert max(times_sent.values()) == 1  # none twice
    assert len(by_process) == 4  # they really did share the work


def test_a_worker_killed_mid_send_loses_nothing(postgres_database: str, tmp_path: Path) -> None:
    expected = due_this_minute(40, ("practice",))
    sent_file = tmp_path / "sent.txt"
    # A short lease (and a send timeout well inside it) so the test needn't wait minutes.
    lease, timeout = "5", "1.5"
    # 8 sends at a time, each answered a second after the push service took it:
    # killed once 12 were taken, while the second 8 wait for their answer.
    doomed = start_worker(postgres_database, sent_file, "--sleep", "1", "--lease", lease,
                          "--timeout", timeout)
    deadline = time.time() + 60
    while len(sends(sent_file)) < 12 and time.time() < deadline:
        time.sleep(0.05)
    doomed.send_signal(signal.SIGKILL)
    doomed.communicate(timeout=30)
    before_crash = {delivery for _pid, delivery in sends(sent_file)}
    stuck = reminders.counts().get("sending", 0)
    assert before_crash and stuck > 0  # it died holding claimed rows, some already pushed
    survivor = start_worker(postgres_database, sent_file, "--lease", lease, "--timeout", timeout,
                            "--idle-rounds", "200")  # outlasts the lease
    finish(survivor)
    delivered = sends(sent_file)
    after = [delivery for pid, delivery in delivered if pid == survivor.pid]
    times_sent = collections.Counter(delivery for _pid, delivery in delivered)
    resent = sorted(delivery for delivery, n in times_sent.items() if n > 1)
    by_status = reminders.counts()
    lost = expected - by_status.get("sent", 0)
    print(f"\ncrash: {expected} due; pushed before the kill {len(before_crash)}; "
          f"held by the dead worker {stuck}; sent after its lease ran out {len(after)}; "
          f"resent (same tag, one notification) {len(resent)}; lost {lost}; "
          f"rows by status {by_status}")
    assert lost == 0 and by_status == {"sent": expected}
    assert set(times_sent) == set(range(min(times_sent), min(times_sent) + expected))
    assert max(times_sent.values()) <= 2
    assert set(resent) <= before_crash  # only what the dead worker had pushed ...
    assert resent  # ... and had not yet recorded as sent
