"""The scale profile: PostgreSQL + Redis with several web workers.

Started the way an operator would (`reflex run --env prod`, backend only, so it
never touches the frontend build the browser tests use), against its own
PostgreSQL schema and Redis database.
"""

from __future__ import annotations

import contextlib
import json
import os
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.harness import postgres_schema
from benchmarks.live_server import LiveServer, ServerDidNotStart
from skills_app.core import db
from tests.conftest import require_postgres, require_redis

PORT = int(os.environ.get("SKILLS_SCALE_TEST_PORT", "3191"))
BASE_URL = f"http://127.0.0.1:{PORT}"
WORKERS = 4
BURST = 60


@contextlib.contextmanager
def scale_profile(log_path: Path, port: int = PORT,
                  workers: int = WORKERS) -> Iterator[tuple[str, str]]:
    """The app on PostgreSQL (a schema of its own, dropped afterwards) and Redis with
    `workers` workers; yields (the server's base URL, its database URL)."""
    base = require_postgres()
    redis_url = require_redis()
    admin = db.make_engine(base)
    try:
        with postgres_schema(admin, base) as (_schema, url):
            server = LiveServer(port, log_path, {
                "REFLEX_DB_URL": url,
                "REFLEX_REDIS_URL": redis_url,
                "GRANIAN_WORKERS": str(workers),
                "SKILLS_SIGNUPS_PER_ADDRESS_HOUR": "1000",
            })
            try:
                yield server.url, url
            finally:
                server.stop()
    except ServerDidNotStart as failed:
        pytest.fail(str(failed))
    finally:
        admin.dispose()


@pytest.fixture
def scale_server(tmp_path: Path) -> Iterator[str]:
    with scale_profile(tmp_path / "server.log") as (url, _database):
        yield url


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
