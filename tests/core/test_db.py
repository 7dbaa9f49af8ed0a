"""The database layer: SQLite safety settings, migrations, and the PostgreSQL switch."""

from __future__ import annotations

from multiprocessing import get_context

import pytest
from alembic import command
from sqlalchemy import text

from skills_app.core import auth, db
from skills_app.core.models import User
from tests.conftest import migration_config


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
    assert {"user_account", "auth_session", "login_throttle", "address_attempt",
            "alembic_version"} <= tables


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
                               "time_zone": "UTC"}, address=f"10.0.0.{worker}")
        saved += result.ok
    return saved


def test_concurrent_writers_from_several_processes_all_succeed(database: str) -> None:
    """BEGIN IMMEDIATE + busy_timeout: writers queue instead of failing."""
    with get_context("spawn").Pool(4) as pool:
        saved = pool.starmap(_sign_up_many, [(database, worker) for worker in range(4)])
    assert saved == [4, 4, 4, 4]


def test_the_same_migrations_and_rules_run_on_postgresql(postgres_database: str) -> None:
    result = auth.sign_up({"display_name": "Pat", "email": "pat@example.org",
                           "password": "correct horse battery staple", "role": "patient",
                           "time_zone": "UTC"}, address="10.0.0.1")
    assert result.ok
    assert auth.resolve_session(result.token).user_id == result.identity.user_id
    assert not auth.sign_in({"email": "pat@example.org", "password": "wrong wrong wrong"},
                            address="10.0.0.1").ok


def test_a_read_transaction_does_not_wait_for_a_writer(database: str) -> None:
    """Reads start deferred on SQLite: a held write lock does not block them."""
    with db.transaction() as writer:
        writer.execute(text("UPDATE user_account SET display_name = display_name"))
        with db.read() as reader:
            assert reader.execute(text("SELECT count(*) FROM user_account")).scalar() == 0


def test_bound_values_never_appear_in_database_errors(alice) -> None:  # noqa: ANN001
    """An IntegrityError quotes the SQL, never the email or text that was bound."""
    marker = "marker-7c1e@example.org"
    with pytest.raises(Exception) as failure, db.transaction() as session:
        session.execute(text("INSERT INTO user_account (id, email, display_name, role, "
                             "password_hash, time_zone, created_at) VALUES "
                             "(:id, :email, 'x', 'patient', 'x', 'UTC', '2026-01-01')"),
                        {"id": alice.identity.user_id, "email": marker})
    assert marker not in str(failure.value)


@pytest.mark.parametrize("database_fixture", ["database", "postgres_database"])
def test_upgrading_to_address_attempts_keeps_recent_sign_in_failures(
        request: pytest.FixtureRequest, database_fixture: str) -> None:
    url = request.getfixturevalue(database_fixture)
    config = migration_config(url)
    with db.get_engine().connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
        connection.execute(text("INSERT INTO login_failure (address, at) "
                                "VALUES ('10.0.0.9', '2026-03-07 22:00:00')"))
        command.upgrade(config, "head")
        rows = connection.execute(text("SELECT kind, address FROM address_attempt")).all()
        connection.commit()
    assert [tuple(row) for row in rows] == [("sign_in_failure", "10.0.0.9")]


def test_rows_read_stay_usable_after_the_read_ends(alice) -> None:  # noqa: ANN001
    """So slow work (argon2) can run between a read and a write with no transaction open."""
    with db.read() as session:
        user = session.get(User, alice.identity.user_id)
    assert db.get_engine().pool.checkedout() == 0
    assert user.email == alice.email


def test_a_one_statement_write_has_committed_when_it_returns(database: str) -> None:
    """No BEGIN or COMMIT around it: the statement is its own, durable, transaction."""
    with db.one_statement(writes=True) as connection:
        connection.execute(text(
            "INSERT INTO login_throttle (email, failures) VALUES ('a@example.org', 3)"))
    other = db.make_engine(database)
    try:
        with other.connect() as connection:
            assert connection.execute(text(
                "SELECT failures FROM login_throttle")).scalar() == 3
    finally:
        other.dispose()


@pytest.mark.parametrize("database_fixture", ["database", "postgres_database"])
def test_upgrading_takes_hidden_characters_out_of_stored_names(
        request: pytest.FixtureRequest, database_fixture: str) -> None:
    """Names stored before they were checked lose their bidi controls and zero-width
    characters (migration 0015), by the rule the forms use: joiners a script or an
    emoji needs stay, NFC is stored, and a name that was only hidden characters
    gets one its owner can change."""
    from tests.conftest import make_account

    url = request.getfixturevalue(database_fixture)
    stored = {
        "reversed": "Sam \u202eeeL",           # a right-to-left override
        "twin": "Sam\u200b Lee",               # a zero-width space between look-alikes
        "hidden": "\u200b\u2066\ufeff",         # nothing a person can see
        "decomposed": "Jose\u0301",            # é as e + a combining accent
        "emoji": "Dev \U0001f469\U0001f3fd\u200d\U0001f4bb",  # a ZWJ sequence, kept
        "persian": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # a ZWNJ that spells
        "plain": "Ana García",
    }
    ids = {key: make_account(person, "patient").identity.user_id
           for key, person in zip(stored, ("alice", "bob", "carol", "dave", "erin", "frank",
                                           "gina"), strict=True)}
    config = migration_config(url)
    with db.get_engine().connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0014")
        for key, name in stored.items():
            connection.execute(text("UPDATE user_account SET display_name = :n WHERE id = :i"),
                               {"n": name, "i": ids[key]})
        command.upgrade(config, "head")
        names = dict(connection.execute(text("SELECT id, display_name FROM user_account")).all())
        connection.commit()
    assert {key: names[ids[key]] for key in stored} == {
        "reversed": "Sam eeL", "twin": "Sam Lee", "hidden": "Unnamed", "decomposed": "José",
        "emoji": stored["emoji"], "persian": stored["persian"], "plain": "Ana García"}
