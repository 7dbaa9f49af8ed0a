"""The tables built from the code are exactly the tables the migrations made.

`journal_entry` takes its diary-card columns from `core.diary`: a change to
the card without a migration shows up here.
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from skills_app.core import db, diary
from skills_app.core.models import JournalEntry


@pytest.fixture(params=["database", "postgres_database"])
def migrated(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(request.param)


def test_autogenerate_finds_nothing_to_migrate(migrated: str) -> None:
    with db.get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_every_diary_item_is_a_migrated_column_of_the_same_kind(migrated: str) -> None:
    with db.get_engine().connect() as connection:
        migrated_columns = {column["name"]: column
                            for column in inspect(connection).get_columns("journal_entry")}
    model_columns = JournalEntry.__table__.columns
    assert set(migrated_columns) == set(model_columns.keys())
    for name in diary.DIARY_CARD.fields():
        column, stored = model_columns[name], migrated_columns[name]
        assert column.nullable == stored["nullable"], name
        assert column.type.python_type is stored["type"].python_type, name
