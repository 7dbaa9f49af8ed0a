"""reminders: settings, preferences, push subscriptions, the delivery outbox, deployment keys

Adds reminder_setting (per patient and kind, with the scheduler's next_due_at
cursor), reminder_preference (quiet hours, daily cap, wording, channels, feed
and unsubscribe token hashes), push_subscription (per device, tied to the
signed-in browser), reminder_delivery (the outbox and the sent log, unique per
patient, kind and due moment) and deployment_key (the VAPID key pair).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:28:38.354729
"""

from alembic import op
import sqlalchemy as sa
import skills_app.core.models


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deployment_key',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('created_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('reminder_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('snoozed', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.SmallInteger(), nullable=False),
    sa.Column('next_attempt_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=False),
    sa.Column('sent_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'kind', 'due_at', name='uq_reminder_delivery_due')
    )
    with op.batch_alter_table('reminder_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_delivery_status_next', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_reminder_delivery_user_due', ['user_id', 'due_at'], unique=False)

    op.create_table('reminder_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('quiet_start', sa.SmallInteger(), nullable=True),
    sa.Column('quiet_end', sa.SmallInteger(), nullable=True),
    sa.Column('daily_cap', sa.SmallInteger(), nullable=False),
    sa.Column('wording', sa.String(length=16), nullable=False),
    sa.Column('by_push', sa.Boolean(), nullable=False),
    sa.Column('by_email', sa.Boolean(), nullable=False),
    sa.Column('asked_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('calendar_token_hash', sa.String(length=64), nullable=True),
    sa.Column('email_token_hash', sa.String(length=64), nullable=True),
    sa.Column('updated_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id'),
    sa.UniqueConstraint('calendar_token_hash'),
    sa.UniqueConstraint('email_token_hash')
    )
    op.create_table('reminder_setting',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('minute', sa.SmallInteger(), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('next_due_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind')
    )
    with op.batch_alter_table('reminder_setting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_setting_next_due_at'), ['next_due_at'], unique=False)

    op.create_table('push_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('auth_session_id', sa.Integer(), nullable=True),
    sa.Column('endpoint', sa.String(length=1024), nullable=False),
    sa.Column('p256dh', sa.String(length=128), nullable=False),
    sa.Column('auth', sa.String(length=64), nullable=False),
    sa.Column('created_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_sent_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['auth_session_id'], ['auth_session.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('endpoint')
    )
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscription_auth_session_id'), ['auth_session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_subscription_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscription_user_id'))
        batch_op.drop_index(batch_op.f('ix_push_subscription_auth_session_id'))

    op.drop_table('push_subscription')
    with op.batch_alter_table('reminder_setting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_setting_next_due_at'))

    op.drop_table('reminder_setting')
    op.drop_table('reminder_preference')
    with op.batch_alter_table('reminder_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_reminder_delivery_user_due')
        batch_op.drop_index('ix_reminder_delivery_status_next')

    op.drop_table('reminder_delivery')
    op.drop_table('deployment_key')
