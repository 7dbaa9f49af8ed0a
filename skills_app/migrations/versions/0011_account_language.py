"""account language: the language the app speaks to each person

Every existing account keeps English, the only language there was.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 03:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=False,
                                   server_default="en"))


def downgrade() -> None:
    # Not in batch mode: on SQLite that copies and drops the table, and dropping
    # it would delete every row that refers to it (ON DELETE CASCADE).
    op.drop_column("user_account", "language")
