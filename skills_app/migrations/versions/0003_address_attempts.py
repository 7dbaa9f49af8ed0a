"""address attempts: failed sign-ins and sign-ups per network address in one table

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa
import skills_app.core.models


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('address_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('address_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_address_attempt_at'), ['at'], unique=False)
        batch_op.create_index('ix_address_attempt_kind_address_at', ['kind', 'address', 'at'], unique=False)

    # Keep the last day's failures, so an upgrade does not lift a running per-address cap.
    op.execute("INSERT INTO address_attempt (kind, address, at) "
               "SELECT 'sign_in_failure', address, at FROM login_failure")

    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_address'))
        batch_op.drop_index(batch_op.f('ix_login_failure_at'))

    op.drop_table('login_failure')


def downgrade() -> None:
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_address'), ['address'], unique=False)

    op.execute("INSERT INTO login_failure (address, at) "
               "SELECT address, at FROM address_attempt WHERE kind = 'sign_in_failure'")

    with op.batch_alter_table('address_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_address_attempt_kind_address_at')
        batch_op.drop_index(batch_op.f('ix_address_attempt_at'))

    op.drop_table('address_attempt')
