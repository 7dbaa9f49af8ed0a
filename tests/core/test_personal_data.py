"""A person's data found generically from the tables: every table that refers to a
person is exported and erased, a row is seeded in each of them here (whatever
tables exist when the test runs), and erasing one patient leaves none of their
rows and all of another patient's. Audit-like rows are kept but anonymised.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from skills_app.core import auth, db, journal, personal_data
from skills_app.core.clock import frozen_clock
from skills_app.core.models import User
from skills_app.core.problems import Problem
from skills_app.text import language as text_language
from tests.conftest import Account, make_account

T0 = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)
TRICKY_NOTE = ('She said "no", then <script>alert(1)</script>, a comma, here\n'
               'a new line, tabs\there, and emoji 👩🏽‍💻🏳️‍🌈 ✔')


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with frozen_clock(T0):
        yield


@pytest.fixture(params=["database", "postgres_database"])
def any_database(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(request.param)


def refers_to_a_person(table: Table) -> list[Column]:
    """Stated independently of the code under test: a person column by name or by
    a foreign key to the account."""
    return [column for column in table.columns
            if column.name in ("user_id", "patient_id", "therapist_id")
            or column.name.endswith("_user_id")
            or any(key.column.table.name == "user_account" for key in column.foreign_keys)]


def test_every_table_that_refers_to_a_person_is_found() -> None:
    found = {table.name for table in personal_data.personal_tables()}
    for table in SQLModel.metadata.sorted_tables:
        if refers_to_a_person(table):
            assert table.name in found, f"{table.name} refers to a person but is not erased"
    # Today's tables, named so a reader sees what the rule finds.
    assert {"user_account", "auth_session", "journal_entry", "trigger_tag",
            "journal_entry_trigger", "diary_card_choice", "exercise_session",
            "exercise_favourite", "login_throttle"} <= found
    assert "address_attempt" not in found


def _value(column: Column, number: int) -> object:
    """Some valid value for a column, unique enough for unique constraints."""
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, DateTime):
        return T0
    if isinstance(kind, Date):
        return T0.date()
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Float):
        return 1.5
    if isinstance(kind, Integer):
        return number
    if isinstance(kind, JSON):
        return []
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None) or 36
        return (uuid.uuid4().hex + uuid.uuid4().hex)[:min(length, 36)]
    raise AssertionError(f"no test value for {column.table.name}.{column.name} ({kind})")


def _shared_parent(session, table, number: int, made: dict[str, object]) -> object:  # noqa: ANN001
    """A row of a table that holds nobody's data, made once, with its own parents."""
    if table.name not in made:
        values: dict[str, object] = {}
        for column in table.columns:
            if column.primary_key:
                continue
            keys = list(column.foreign_keys)
            values[column.name] = (_shared_parent(session, keys[0].column.table, number, made)
                                   if keys else _value(column, number))
        made[table.name] = session.execute(insert(table).values(**values)
                                           ).inserted_primary_key[0]
    return made[table.name]


def seed_every_personal_table(user_id: int, email: str) -> dict[str, int]:
    """One row in every personal table, whatever tables exist, pointing at this person
    (and at their rows in parent tables). Returns rows per table afterwards."""
    made: dict[str, object] = {}
    with db.transaction() as session:
        for number, personal in enumerate(personal_data.personal_tables(), start=1000):
            table = personal.table
            if table.name == "user_account":
                continue
            values: dict[str, object] = {}
            for column in table.columns:
                keys = list(column.foreign_keys)
                if column in personal.person_columns:
                    values[column.name] = user_id
                elif keys and keys[0].column.table.name in made:
                    values[column.name] = made[keys[0].column.table.name]
                elif keys and keys[0].column.table.name != "user_account":
                    # A parent that holds nobody's data (a program, a program's
                    # track): one row of its own, and of its own parents.
                    values[column.name] = _shared_parent(session, keys[0].column.table,
                                                         number, made)
                elif column.name == personal_data.EMAIL_COLUMN:
                    values[column.name] = email
                elif column.primary_key and column.autoincrement in (True, "auto") \
                        and isinstance(column.type, Integer):
                    continue
                else:
                    values[column.name] = _value(column, number)
            result = session.execute(insert(table).values(**values))
            pk = result.inserted_primary_key
            made[table.name] = pk[0] if pk else None
    return rows_per_table()


def rows_per_table() -> dict[str, int]:
    with db.read() as session:
        return {t.name: session.execute(select(func.count()).select_from(t.table)).scalar_one()
                for t in personal_data.personal_tables()}


def rows_referring_to(user_id: int, email: str) -> dict[str, int]:
    """Rows of any table whose person column holds this id, or whose email is this one."""
    left: dict[str, int] = {}
    with db.read() as session:
        for table in SQLModel.metadata.sorted_tables:
            for column in refers_to_a_person(table):
                found = session.execute(select(func.count()).select_from(table).where(
                    column == user_id)).scalar_one()
                if found:
                    left[f"{table.name}.{column.name}"] = found
            if "email" in table.c:
                found = session.execute(select(func.count()).select_from(table).where(
                    table.c.email == email)).scalar_one()
                if found:
                    left[f"{table.name}.email"] = found
    return left


def test_erasing_leaves_no_row_of_the_patient_in_any_table_and_all_of_another(
        any_database: str) -> None:
    alice = make_account("alice", "patient")
    bob = make_account("bob", "patient")
    seed_every_personal_table(alice.identity.user_id, alice.email)
    before = seed_every_personal_table(bob.identity.user_id, bob.email)
    bobs = rows_referring_to(bob.identity.user_id, bob.email)
    assert rows_referring_to(alice.identity.user_id, alice.email)
    with db.transaction() as session:
        erased = personal_data.erase(session, alice.identity.user_id, alice.email)
    assert erased["user_account"] == 1 and erased["journal_entry_trigger"] == 1
    assert rows_referring_to(alice.identity.user_id, alice.email) == {}
    assert rows_referring_to(bob.identity.user_id, bob.email) == bobs
    after = rows_per_table()
    for name, count in before.items():
        # Bob's rows stay; only alice's went (one seeded row each, two sessions,
        # and her account row).
        assert after[name] < count, name
        assert after[name] >= 1, name


def test_the_session_cookie_is_refused_after_erasing(alice: Account) -> None:
    assert auth.resolve_session(alice.token) is not None
    with db.transaction() as session:
        personal_data.erase(session, alice.identity.user_id, alice.email)
    assert auth.resolve_session(alice.token) is None


def test_delete_account_needs_the_right_password_and_a_wrong_one_deletes_nothing(
        alice: Account, bob: Account) -> None:
    uid = alice.identity.user_id
    journal.save_entry(uid, "America/Chicago", {"idempotency_key": str(uuid.uuid4()),
                                                "kind": "checkin", "mood": 6})
    before = rows_per_table()
    for wrong in ("not my password at all, sorry", "", None, 12345, ["x"], "x" * 300):
        errors = auth.delete_account(alice.identity, {"password": wrong}, address="10.0.0.9",
                                     erase=personal_data.erase)
        assert errors, wrong
    wrong_password = auth.delete_account(alice.identity, {"password": bob.password},
                                         address="10.0.0.9", erase=personal_data.erase)
    assert wrong_password == {"password": auth.WRONG_PASSWORD}
    after = rows_per_table()
    # Nothing deleted; the failed tries are counted like failed sign-ins.
    counters = {"login_throttle", "sign_in_delay"}
    assert {k: v for k, v in after.items() if k not in counters} == {
        k: v for k, v in before.items() if k not in counters}
    assert auth.resolve_session(alice.token) is not None
    assert auth.delete_account(alice.identity, {"password": alice.password},
                               address="10.0.0.9", erase=personal_data.erase) == {}
    assert rows_referring_to(uid, alice.email) == {}
    assert auth.resolve_session(alice.token) is None
    assert auth.resolve_session(bob.token) is not None


def test_delete_account_is_throttled_like_a_password_check(alice: Account) -> None:
    for _ in range(auth.PAIR_FREE_FAILURES - 1):
        assert auth.delete_account(alice.identity, {"password": "wrong wrong wrong wrong"},
                                   address="10.0.0.9", erase=personal_data.erase) == {
            "password": auth.WRONG_PASSWORD}
    waiting = auth.delete_account(alice.identity, {"password": "wrong wrong wrong wrong"},
                                  address="10.0.0.9", erase=personal_data.erase)
    assert waiting == {"form": Problem("wait_one_minute")}
    # Waiting: even the right password deletes nothing for now.
    assert auth.delete_account(alice.identity, {"password": alice.password},
                               address="10.0.0.9", erase=personal_data.erase) == {
        "form": Problem("wait_one_minute")}
    with db.read() as session:
        assert session.get(User, alice.identity.user_id) is not None


# --- export ------------------------------------------------------------------------

def unzip(archive: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {name: opened.read(name).decode("utf-8") for name in opened.namelist()}


def test_the_export_holds_every_row_of_the_patient_and_nothing_of_another(
        any_database: str) -> None:
    alice = make_account("alice", "patient")
    bob = make_account("bob", "patient")
    seed_every_personal_table(alice.identity.user_id, alice.email)
    seed_every_personal_table(bob.identity.user_id, bob.email)
    saved = journal.save_entry(alice.identity.user_id, "America/Chicago", {
        "idempotency_key": str(uuid.uuid4()), "kind": "diary", "mood": 4, "note": TRICKY_NOTE,
        "triggers": ["work", "<b>money</b>"]})
    assert saved.ok, saved.errors
    files = unzip(personal_data.export_zip(alice.identity.user_id))
    tables = {t.name for t in personal_data.personal_tables()}
    assert set(files) == {"README.txt"} | {f"json/{n}.json" for n in tables} | {
        f"csv/{n}.csv" for n in tables}
    exported = {name: json.loads(files[f"json/{name}.json"]) for name in tables}
    # Every row of alice's, by the same independent rule as the erasing test.
    assert len(exported["user_account"]) == 1
    assert exported["user_account"][0]["email"] == alice.email
    for table in SQLModel.metadata.sorted_tables:
        for column in refers_to_a_person(table):
            with db.read() as session:
                hers = session.execute(select(func.count()).select_from(table).where(
                    column == alice.identity.user_id)).scalar_one()
            assert sum(row[column.name] == alice.identity.user_id
                       for row in exported[table.name]) == hers, table.name
    text = json.dumps(exported) + "".join(files[f"csv/{n}.csv"] for n in tables)
    assert bob.email not in text
    assert all(row[c.name] != bob.identity.user_id for t in SQLModel.metadata.sorted_tables
               for c in refers_to_a_person(t) for row in exported[t.name])
    # Secrets never leave.
    assert "password_hash" not in text and "token_hash" not in text
    assert "$argon2id$" not in text
    # Nor a phone's push address and keys (a device row says only that it exists).
    assert exported["push_subscription"] and all(
        set(row) == {"id", "user_id", "auth_session_id", "created_at", "last_sent_at"}
        for row in exported["push_subscription"])


def test_journal_text_survives_json_and_csv_exactly(alice: Account) -> None:
    saved = journal.save_entry(alice.identity.user_id, "America/Chicago", {
        "idempotency_key": str(uuid.uuid4()), "kind": "diary", "mood": 4, "note": TRICKY_NOTE,
        "skills": ["mindfulness.observe"],
        "custom_emotions": [{"name": 'Numb, "flat"', "rating": 2}]})
    assert saved.ok, saved.errors
    stored_note = saved.entry.content.note
    files = unzip(personal_data.export_zip(alice.identity.user_id))
    [row] = json.loads(files["json/journal_entry.json"])
    assert row["note"] == stored_note and "<script>" in stored_note and "👩🏽‍💻" in stored_note
    assert row["custom_emotions"] == [{"name": 'Numb, "flat"', "rating": 2}]
    assert row["mood"] == 4 and row["local_date"] == "2026-03-04"
    assert row["occurred_at"] == "2026-03-04T18:00:00+00:00"
    assert files["csv/journal_entry.csv"].startswith("\ufeff")
    [csv_row] = list(csv.DictReader(io.StringIO(files["csv/journal_entry.csv"][1:],
                                                newline="")))
    assert csv_row["note"] == stored_note
    assert json.loads(csv_row["custom_emotions"]) == row["custom_emotions"]
    assert json.loads(csv_row["skills"]) == ["mindfulness.observe"]
    assert csv_row["mood"] == "4" and csv_row["urge_suicide"] == ""  # blank is not 0
    readme = files["README.txt"]
    assert "json/journal_entry.json, csv/journal_entry.csv (1 record)\n" in readme
    assert "Your check-ins and diary cards" in readme and "988" in readme
    # Asked from a Spanish page, the README is in Spanish (the data stays as typed).
    with text_language("es"):
        spanish = unzip(personal_data.export_zip(alice.identity.user_id))
    assert spanish["README.txt"].startswith("Tus datos de Skills Practice\n")
    assert "json/journal_entry.json, csv/journal_entry.csv (1 dato)\n" in spanish["README.txt"]
    assert "Tus registros y tarjetas diarias" in spanish["README.txt"]
    assert spanish["json/journal_entry.json"] == files["json/journal_entry.json"]


def test_an_account_that_is_gone_exports_nothing(alice: Account) -> None:
    with db.transaction() as session:
        personal_data.erase(session, alice.identity.user_id, alice.email)
    assert personal_data.export_zip(alice.identity.user_id) is None


# --- keep but anonymise --------------------------------------------------------------

def test_a_kept_table_is_anonymised_irreversibly_and_the_rest_deleted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    metadata = MetaData()
    Table("user_account", metadata, Column("id", Integer, primary_key=True),
          Column("email", String(50)), Column("password_hash", String(50)))
    Table("note", metadata, Column("id", Integer, primary_key=True),
          Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE")),
          Column("text", Text))
    Table("view_audit", metadata, Column("id", Integer, primary_key=True),
          Column("patient_id", ForeignKey("user_account.id", ondelete="SET NULL"),
                 nullable=True),
          Column("viewer_user_id", Integer, nullable=True),
          Column("what", String(40)), Column("detail", Text, nullable=True),
          Column("at", DateTime))
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with Session(engine) as session:
        for uid in (1, 2):
            session.execute(insert(metadata.tables["user_account"]).values(
                id=uid, email=f"u{uid}@example.org", password_hash="secret"))
            session.execute(insert(metadata.tables["note"]).values(user_id=uid, text="hi"))
            session.execute(insert(metadata.tables["view_audit"]).values(
                patient_id=uid, viewer_user_id=3, what="diary card", detail=f"patient {uid}",
                at=datetime(2026, 3, 4)))
        monkeypatch.setitem(personal_data.KEEP_ANONYMISED, "view_audit", ("detail",))
        erased = personal_data.erase(session, 1, "u1@example.org", metadata)
        session.commit()
        audit = session.execute(select(metadata.tables["view_audit"]).order_by("id")).all()
        notes = session.execute(select(metadata.tables["note"].c.user_id)).scalars().all()
    assert erased == {"view_audit": 1, "note": 1, "user_account": 1}
    assert notes == [2]
    # The record stays (a therapist viewed a diary card then), with nobody in it.
    assert [(row.patient_id, row.what, row.detail) for row in audit] == [
        (None, "diary card", None), (2, "diary card", "patient 2")]
    assert audit[0].viewer_user_id == 3
    assert date(2026, 3, 4) == audit[0].at.date()
