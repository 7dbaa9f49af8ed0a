"""sign-in delays per (email, address) instead of a 15-minute lock per email

Adds sign_in_delay (failures of one email from one address, with the last
one's time). login_throttle keeps only the consecutive count per email: its
locked_until goes, since a lock now comes only at 100 failures and lasts until
a server admin lifts it. Counts already stored stay (they were below 10).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 07:45:00.000000
"""

from alembic import op
import sqlalchemy as sa
import skills_app.core.models


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sign_in_delay',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('email', 'address')
    )
    with op.batch_alter_table('sign_in_delay', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_delay_last_failure_at'), ['last_failure_at'], unique=False)
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_column('locked_until')


def downgrade() -> None:
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', skills_app.core.models.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('sign_in_delay', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_delay_last_failure_at'))
    op.drop_table('sign_in_delay')
