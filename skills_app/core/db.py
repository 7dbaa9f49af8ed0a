"""Database engine, sessions and migrations.

SQLite is the embedded default (one file, one process). `REFLEX_DB_URL`
switches to PostgreSQL for the scale profile. SQLite connections get the
pragmas that keep data safe under concurrent writers (WAL, synchronous=FULL,
a busy timeout, foreign keys).

Two kinds of transaction:
- `transaction()` writes. On SQLite it starts with `BEGIN IMMEDIATE`, so two
  writers queue instead of failing mid-transaction. Keep it short: nothing
  slow (argon2, network) runs inside one.
- `read()` only reads. On SQLite it starts a deferred transaction, which never
  takes the write lock, so reads go on while someone writes.

Bound parameters never reach logs or exception text (`hide_parameters`): they
hold what patients typed. A process forked from one that already used the
engine (several web workers) starts with a fresh pool.

`folded(text)` is `schemas.fold_case` in SQL, for searches that ignore case in
every script: SQLite's LIKE and lower() fold ASCII only, so every SQLite
connection gets the Python function itself; PostgreSQL uses its ICU
collation "und-x-icu" (built in wherever PostgreSQL was built with ICU, as
Debian's and the official images are).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Float, Text
from sqlmodel import Session, SQLModel, create_engine

from skills_app.core.schemas import fold_case

DEFAULT_DATABASE_URL = "sqlite:///skills.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000
MIGRATION_LOCK_ID = 8152026  # any constant shared by every worker
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

_READ_ONLY = "skills_read_only"
_ONE_STATEMENT = "skills_one_statement"
_SQLITE_FOLD = "skills_fold_case"

_engine: Engine | None = None
_read_engine: Engine | None = None
_one_statement_engine: Engine | None = None
_engine_lock = threading.Lock()


def database_url() -> str:
    """The configured database URL (`REFLEX_DB_URL`, else the SQLite file)."""
    return os.environ.get("REFLEX_DB_URL") or DEFAULT_DATABASE_URL


def _fold_case_or_null(value: str | None) -> str | None:
    return None if value is None else fold_case(value)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        # Let SQLAlchemy's "begin" event decide how each transaction starts.
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function(_SQLITE_FOLD, 1, _fold_case_or_null,
                                         deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # noqa: ANN001
        options = connection.get_execution_options()
        if options.get(_ONE_STATEMENT):
            return  # SQLite runs a lone statement as a transaction of its own
        connection.exec_driver_sql("BEGIN" if options.get(_READ_ONLY) else "BEGIN IMMEDIATE")


class folded(FunctionElement):  # noqa: N801  (used like a SQL function)
    """`fold_case(text)` computed by the database, to compare with a folded term."""

    type = Text()
    inherit_cache = True


@compiles(folded)
def _folded_sqlite(element: folded, compiler: SQLCompiler, **kw: object) -> str:
    return f"{_SQLITE_FOLD}({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler: SQLCompiler, **kw: object) -> str:
    # ICU lower-cases every script whatever the database's locale. Of what
    # casefold() adds, final sigma and sharp s are added here; rarer foldings
    # (Greek iota subscripts, Cherokee) still differ from SQLite.
    text_sql = compiler.process(element.clauses, **kw)
    return (f"replace(translate(lower(normalize({text_sql}, NFKC) COLLATE \"und-x-icu\"), "
            "'ς', 'σ'), 'ß', 'ss')")


class seconds_between(FunctionElement):  # noqa: N801  (used like a SQL function)
    """Seconds from one timestamp column to another, computed by the database."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between)
def _seconds_between_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: object) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_between_postgresql(element: seconds_between, compiler: SQLCompiler,
                                **kw: object) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


def make_engine(url: str) -> Engine:
    """Create an engine for `url` with this app's connection settings."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                         hide_parameters=True)


def _set_engine(engine: Engine | None) -> None:
    global _engine, _read_engine, _one_statement_engine
    _engine = engine
    _read_engine = None if engine is None else engine.execution_options(**{_READ_ONLY: True})
    _one_statement_engine = None if engine is None else engine.execution_options(
        **{_ONE_STATEMENT: True})


def get_engine() -> Engine:
    """The process-wide engine, created on first use."""
    with _engine_lock:
        if _engine is None:
            _set_engine(make_engine(database_url()))
        return _engine


def _get_read_engine() -> Engine:
    get_engine()
    return _read_engine


def use_engine(engine: Engine | None) -> None:
    """Point the app at another engine (tests and benchmarks)."""
    with _engine_lock:
        _set_engine(engine)


# SQLite lets one writer in at a time; the others wait in its busy handler,
# which sleeps in steps (1, 2, 5, 10 ms and more) and so leaves the lock idle
# while writers queue. Writers of this process queue on a lock of their own
# instead and are let in the moment the previous one commits. Other processes
# (a second app or a script on the same file) still wait in the busy handler.
_sqlite_writer = threading.RLock()


def _dispose_after_fork() -> None:
    global _sqlite_writer
    # A forked worker must not share the parent's open connections, nor a lock
    # that a thread of the parent held at the fork.
    _sqlite_writer = threading.RLock()
    if _engine is not None:
        _engine.dispose(close=False)


os.register_at_fork(after_in_child=_dispose_after_fork)


def release_connections() -> None:
    """Close every pooled connection (before forking workers, at shutdown)."""
    with _engine_lock:
        if _engine is not None:
            _engine.dispose()


@contextlib.contextmanager
def transaction() -> Iterator[Session]:
    """A write transaction: committed at the end of the block, or rolled back."""
    engine = get_engine()
    queue = _sqlite_writer if engine.dialect.name == "sqlite" else contextlib.nullcontext()
    with queue, Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextlib.contextmanager
def one_statement(*, writes: bool) -> Iterator[Connection]:
    """A connection for exactly one statement, which is its own transaction.

    For the hottest paths: the session check of every event, and a new entry's
    single INSERT. On SQLite the statement runs without BEGIN and COMMIT
    around it (SQLite commits it as it finishes, durably), so the write lock is
    held for one call into SQLite instead of three, none of which has to wait
    for Python's GIL in between. Never use it for more than one statement.
    """
    engine = get_engine()
    if engine.dialect.name != "sqlite":
        with (engine.begin() if writes else _get_read_engine().connect()) as connection:
            yield connection
        return
    with (_sqlite_writer if writes else contextlib.nullcontext()), \
            _one_statement_engine.connect() as connection:
        yield connection


def upsert(session: Session, model: type[SQLModel]) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can say ON CONFLICT: SQLite and PostgreSQL spell it alike,
    each with its own construct."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


@contextlib.contextmanager
def read() -> Iterator[Session]:
    """A read-only transaction that never takes SQLite's write lock.

    Rows read stay usable after the block: closing the session detaches them
    with what was loaded (a rollback would expire them), so a caller can read,
    then do slow work with no transaction open, then write.
    """
    with Session(_get_read_engine(), expire_on_commit=False) as session:
        yield session


def migrate(url: str | None = None) -> None:
    """Bring the database schema up to date with the committed migrations.

    Runs at app start so a fresh clone finds a ready database without extra
    commands. On PostgreSQL an advisory lock stops several workers from
    migrating at once.
    """
    from alembic import command
    from alembic.config import Config

    url = url or database_url()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    engine = get_engine() if url == database_url() else make_engine(url)
    with engine.connect() as connection:
        is_postgres = connection.dialect.name == "postgresql"
        if is_postgres:
            connection.execute(text(f"SELECT pg_advisory_lock({MIGRATION_LOCK_ID})"))
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            if is_postgres:
                connection.execute(text(f"SELECT pg_advisory_unlock({MIGRATION_LOCK_ID})"))
                connection.commit()
