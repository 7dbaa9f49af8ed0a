"""One scheduler process for tests/scale/test_reminder_workers.py (and the benchmark).

    python -m tests.scale.reminder_worker DATABASE_URL SENT_FILE [--sleep S]
        [--lease S] [--start-at EPOCH] [--idle-rounds N] [--batch N] [--timeout S]

Runs the app's own rounds (`reminders.run_once`: plan, claim, send, finish) against
DATABASE_URL with a fake "push" channel that appends "<pid> <delivery id>" to
SENT_FILE for every notice it takes (one short O_APPEND write per line, so lines of
several processes never mix), then answers after `--sleep` seconds (a slow push
service: a process killed then has pushed notices it never recorded as sent).
Waits for `--start-at` so several processes race over the same rows, and stops
after `--idle-rounds` rounds in a row found nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import timedelta

from skills_app.core import db, notify, reminders


class FileChannel:
    def __init__(self, path: str, sleep: float) -> None:
        self.path, self.sleep = path, sleep

    def __call__(self, notice: notify.Notice) -> notify.SendResult:
        line = f"{os.getpid()} {notice.delivery_id}\n".encode()
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line)
        finally:
            os.close(descriptor)
        # The push service has it; its answer is slow to come back.
        time.sleep(self.sleep)
        return notify.SendResult.SENT


async def work(idle_rounds: int) -> None:
    worker, idle = reminders.worker_name(), 0
    while idle < idle_rounds:
        done = await reminders.run_once(worker)
        idle = idle + 1 if done.claimed == 0 and done.planned == 0 else 0
        await asyncio.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("sent_file")
    parser.add_argument("--sleep", type=float, default=0.0)
    parser.add_argument("--lease", type=float, default=None)
    parser.add_argument("--start-at", type=float, default=0.0)
    parser.add_argument("--idle-rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=None)
    args = parser.parse_args()
    if args.timeout is not None:
        reminders.SEND_TIMEOUT_SECONDS = args.timeout
    if args.batch is not None:
        reminders.CLAIM_BATCH = reminders.PLAN_BATCH = args.batch
    if args.lease is not None:
        reminders.LEASE = timedelta(seconds=args.lease)
    db.use_engine(db.make_engine(args.url))
    notify.register("push", FileChannel(args.sent_file, args.sleep))
    time.sleep(max(0.0, args.start_at - time.time()))
    asyncio.run(work(args.idle_rounds))


if __name__ == "__main__":
    main()
