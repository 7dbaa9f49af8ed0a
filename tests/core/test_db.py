"""The database layer: SQLite safety settings, migrations, and the PostgreSQL switch."""

from __future__ import annotations

import os
import socket
import uuid
from multiprocessing import get_context
from pathlib import Path

import pytest
from sqlalchemy import text

from skills_app.core import auth, db


def test_sqlite_connections_use_the_safe_settings(database: str) -> None:
    with db.get_engine().connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") >= 5000
        assert pragma("foreign_keys") == 1


def test_the_default_database_is_a_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REFLEX_DB_URL", raising=False)
    assert db.database_url() == "sqlite:///skills.db"
    monkeypatch.setenv("REFLEX_DB_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    assert db.database_url().startswith("postgresql+psycopg://")


def test_migrating_twice_is_harmless(database: str) -> None:
    db.migrate(database)
    with db.get_engine().connect() as connection:
        tables = {row[0] for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"user_account", "auth_session", "login_throttle", "alembic_version"} <= tables


def test_deleting_a_user_deletes_their_sessions(alice) -> None:  # noqa: ANN001
    with db.transaction() as session:
        session.execute(text("DELETE FROM user_account WHERE id = :id"),
                        {"id": alice.identity.user_id})
    with db.transaction() as session:
        count = session.execute(text("SELECT count(*) FROM auth_session")).scalar()
    assert count == 0


def _sign_up_many(url: str, worker: int) -> int:
    engine = db.make_engine(url)
    db.use_engine(engine)
    saved = 0
    for n in range(4):
        result = auth.sign_up({"display_name": f"W{worker}", "email": f"w{worker}-{n}@example.org",
                               "password": "correct horse battery staple", "role": "patient",
                               "time_zone": "UTC"})
        saved += result.ok
    return saved


def test_concurrent_writers_from_several_processes_all_succeed(database: str) -> None:
    """BEGIN IMMEDIATE + busy_timeout: writers queue instead of failing."""
    with get_context("spawn").Pool(4) as pool:
        saved = pool.starmap(_sign_up_many, [(database, worker) for worker in range(4)])
    assert saved == [4, 4, 4, 4]


def _postgres_url() -> str | None:
    url = os.environ.get("SKILLS_TEST_POSTGRES_URL",
                         "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return None
    return url


@pytest.mark.skipif(_postgres_url() is None, reason="no PostgreSQL server on 127.0.0.1:5432")
def test_the_same_migrations_and_rules_run_on_postgresql(tmp_path: Path) -> None:
    base = _postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}?options=-csearch_path%3D{schema}"
    engine = db.make_engine(url)
    db.use_engine(engine)
    try:
        db.migrate(url)
        result = auth.sign_up({"display_name": "Pat", "email": "pat@example.org",
                               "password": "correct horse battery staple", "role": "patient",
                               "time_zone": "UTC"})
        assert result.ok
        assert auth.resolve_session(result.token).user_id == result.identity.user_id
        assert not auth.sign_in({"email": "pat@example.org", "password": "wrong wrong wrong"},
                                address="10.0.0.1").ok
    finally:
        db.use_engine(None)
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
