"""Alembic environment: runs on the connection `core.db.migrate` hands over."""

from alembic import context
from sqlmodel import SQLModel

import skills_app.core.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from skills_app.core.db import make_engine

        with make_engine(config.get_main_option("sqlalchemy.url")).connect() as connection:
            _run(connection)
            connection.commit()
    else:
        _run(connection)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
