"""consent language: which language's consent text a grant was signed on

Every existing grant was signed on the English text, the only one there was.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 03:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("share_grant") as batch:
        batch.add_column(sa.Column("consent_language", sa.String(8), nullable=False,
                                   server_default="en"))


def downgrade() -> None:
    # Not in batch mode: on SQLite that copies and drops the table, and dropping
    # it would delete every row that refers to it (ON DELETE CASCADE).
    op.drop_column("share_grant", "consent_language")
