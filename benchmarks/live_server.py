"""A real `reflex run --env prod --backend-only` process, started as an operator would.

Shared by the scripts that drive a running server (`contention.py`,
`reconnects.py`) and the scale tests (`tests/scale/`): the command, the wait
for `/ping`, the log file and the stop (the whole process group, workers too).
The caller chooses the database, Redis and worker count through `env`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 300


class ServerDidNotStart(RuntimeError):
    """The server exited, or did not answer /ping in time; the message ends with its log."""


def answers_ping(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/ping", timeout=2) as response:  # noqa: S310 (local)
            return response.status == 200
    except OSError:
        return False


class LiveServer:
    """The backend on 127.0.0.1:`port`, its output in `log_path`.

    `env` is added to this process's environment; a value of None removes the
    variable (e.g. REFLEX_REDIS_URL for the one-worker SQLite profile).
    """

    def __init__(self, port: int, log_path: Path, env: Mapping[str, str | None]) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        if answers_ping(self.url):
            # A server left running by an interrupted run would answer the pings
            # and be measured (with its own database) in place of this one.
            raise ServerDidNotStart(f"something already answers on port {port}: stop it "
                                    "(a server left by an interrupted run?) or choose "
                                    "another port")
        merged = {**os.environ, "SKILLS_ALLOWED_ORIGINS": self.url}
        for key, value in env.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod",
                 "--backend-only", "--backend-port", str(port)],
                cwd=ROOT, env=merged, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + START_SECONDS
        while not answers_ping(self.url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise ServerDidNotStart(f"the server did not start:\n{self.log()[-3000:]}")
            time.sleep(0.2)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
