"""Shared fixtures: a fresh migrated database per test and three named users.

alice and bob are patients, carol is a therapist, so permission tests read
like sentences: "alice cannot read bob's entry".
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from skills_app.core import audit, auth, db, programs
from tests.push_service import push_service  # noqa: F401  (a push service on 127.0.0.1)

PASSWORDS = {
    "alice": "correct horse battery staple",
    "bob": "lanterns drift over quiet harbours",
    "carol": "seven orange kites above the meadow",
    "dave": "copper whistles under a sleepy bridge",
    "erin": "violet trains cross the silent desert",
    "frank": "nine paper boats sail past the lighthouse",
    "gina": "amber foxes nap beside the old mill",
    "hank": "quiet glaciers hum beneath winter stars",
    "iris": "silver owls guard the sleeping orchard",
}


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'test.db'}"
    engine = db.make_engine(url)
    db.use_engine(engine)
    db.migrate(url)
    # The security log's per-minute windows belong to this database's callers.
    audit.reset_security_limits()
    try:
        yield url
    finally:
        db.use_engine(None)
        engine.dispose()


POSTGRES_URL = os.environ.get("SKILLS_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def require_postgres() -> str:
    """The PostgreSQL URL for tests; skips without a server, but fails under CI=true.

    The CI machine has a server, so a missing one there is a broken setup,
    not a reason to pass with less tested.
    """
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but no PostgreSQL server answers on 127.0.0.1:5432")
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    return POSTGRES_URL


REDIS_URL = os.environ.get("SKILLS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def require_redis() -> str:
    """The Redis URL for tests; like `require_postgres`, a missing server fails under CI=true."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but no Redis server answers on 127.0.0.1:6379")
        pytest.skip("no Redis server on 127.0.0.1:6379")
    return REDIS_URL


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A migrated PostgreSQL schema of its own, used by the app for this test."""
    base = require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}?options=-csearch_path%3D{schema}"
    engine = db.make_engine(url)
    db.use_engine(engine)
    try:
        db.migrate(url)
        yield url
    finally:
        db.use_engine(None)
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class Account:
    name: str
    email: str
    password: str
    token: str
    identity: auth.Identity


def make_program(name: str = "Riverside IOP") -> int:
    program_id, _ = programs.create_program(name)
    return program_id


def make_account(name: str, role: str, time_zone: str = "America/Chicago", *,
                 program_id: int | None = None, program_role: str = "therapist") -> Account:
    """An account made the way the app makes it: a therapist through a program's
    invitation (a program of their own unless `program_id` is given)."""
    email = f"{name}@example.org"
    raw = {"display_name": name.title(), "email": email, "password": PASSWORDS[name],
           "role": role, "time_zone": time_zone}
    if role == "therapist":
        program_id = program_id or make_program(f"{name.title()}'s program")
        raw["invitation"] = programs.create_invitation(program_id,
                                                       programs.ProgramRole(program_role))
    result = auth.sign_up(raw, address="10.0.0.1")
    assert result.ok, result.errors
    return Account(name, email, PASSWORDS[name], result.token, result.identity)


@pytest.fixture
def alice(database: str) -> Account:
    return make_account("alice", "patient")


@pytest.fixture
def bob(database: str) -> Account:
    return make_account("bob", "patient")


@pytest.fixture
def carol(database: str) -> Account:
    return make_account("carol", "therapist")


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement sent while the test runs (to see a read stays batched)."""
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    yield seen
    event.remove(Engine, "before_cursor_execute", count)


def migration_config(url: str) -> Config:
    """Alembic's settings for the app's migrations on `url` (tests that go down a
    revision and back up)."""
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
