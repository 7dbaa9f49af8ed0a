"""The scale profile: PostgreSQL + Redis with several web workers.

Started the way an operator would (`reflex run --env prod`, backend only, so it
never touches the frontend build the browser tests use), against its own
PostgreSQL schema and Redis database.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

from skills_app.core import db
from tests.conftest import require_postgres, require_redis

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("SKILLS_SCALE_TEST_PORT", "3191"))
BASE_URL = f"http://127.0.0.1:{PORT}"
WORKERS = 4
BURST = 60


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local server)
            return response.status
    except (OSError, urllib.error.HTTPError):
        return 0


@pytest.fixture
def scale_server(tmp_path: Path) -> Iterator[str]:
    base = require_postgres()
    redis_url = require_redis()
    schema = f"w_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    log_path = tmp_path / "server.log"
    env = {
        **os.environ,
        "REFLEX_DB_URL": f"{base}?options=-csearch_path%3D{schema}",
        "REFLEX_REDIS_URL": redis_url,
        "GRANIAN_WORKERS": str(WORKERS),
        "SKILLS_ALLOWED_ORIGINS": BASE_URL,
        "SKILLS_SIGNUPS_PER_ADDRESS_HOUR": "1000",
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod",
             "--backend-only", "--backend-port", str(PORT)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while _get(f"{BASE_URL}/ping") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield BASE_URL
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _sign_up(n: int) -> int:
    body = json.dumps({"display_name": f"Burst {n}", "email": f"burst-{n}-{uuid.uuid4().hex}@e.org",
                       "password": "lanterns drift over quiet harbours", "role": "patient",
                       "time_zone": "UTC"}).encode()
    request = urllib.request.Request(f"{BASE_URL}/auth/signup", data=body, method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Origin": BASE_URL})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_burst_of_sign_ups_right_after_start_all_succeed(scale_server: str) -> None:
    """Workers forked from the process that ran the migrations must not share its
    database connections (that failed 2 of the first ~60 sign-ups with a 500)."""
    with ThreadPoolExecutor(max_workers=BURST) as pool:
        statuses = list(pool.map(_sign_up, range(BURST)))
    assert statuses == [200] * BURST, {status: statuses.count(status) for status in statuses}
