"""journal entries and trigger tags

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa
import skills_app.core.models


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('journal_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('occurred_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('mood', sa.SmallInteger(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('emotion_joy', sa.SmallInteger(), nullable=True),
    sa.Column('emotion_anger', sa.SmallInteger(), nullable=True),
    sa.Column('emotion_sadness', sa.SmallInteger(), nullable=True),
    sa.Column('emotion_fear', sa.SmallInteger(), nullable=True),
    sa.Column('emotion_shame', sa.SmallInteger(), nullable=True),
    sa.Column('emotion_guilt', sa.SmallInteger(), nullable=True),
    sa.Column('urge_suicide', sa.SmallInteger(), nullable=True),
    sa.Column('acted_suicide', sa.Boolean(), nullable=False),
    sa.Column('urge_self_harm', sa.SmallInteger(), nullable=True),
    sa.Column('acted_self_harm', sa.Boolean(), nullable=False),
    sa.Column('urge_substance_use', sa.SmallInteger(), nullable=True),
    sa.Column('acted_substance_use', sa.Boolean(), nullable=False),
    sa.Column('urge_quit_therapy', sa.SmallInteger(), nullable=True),
    sa.Column('acted_quit_therapy', sa.Boolean(), nullable=False),
    sa.Column('custom_emotions', sa.JSON(), nullable=False),
    sa.Column('custom_urges', sa.JSON(), nullable=False),
    sa.Column('craving', sa.SmallInteger(), nullable=True),
    sa.Column('substance_what', sa.String(length=200), nullable=False),
    sa.Column('substance_amount', sa.String(length=200), nullable=False),
    sa.Column('medications_taken', sa.Boolean(), nullable=True),
    sa.Column('sleep_hours', sa.Float(), nullable=True),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('risk_flag', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('journal_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_entry_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index('ix_journal_entry_user_day', ['user_id', 'local_date'], unique=False)

    op.create_table('trigger_tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_key', sa.String(length=160), nullable=False),
    sa.Column('created_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'name_key', name='uq_trigger_tag_user_key')
    )
    op.create_table('journal_entry_trigger',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['journal_entry.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['trigger_tag.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'tag_id')
    )
    with op.batch_alter_table('journal_entry_trigger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_entry_trigger_tag_id'), ['tag_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('journal_entry_trigger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_entry_trigger_tag_id'))

    op.drop_table('journal_entry_trigger')
    op.drop_table('trigger_tag')
    with op.batch_alter_table('journal_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_journal_entry_user_day')
        batch_op.drop_index(batch_op.f('ix_journal_entry_deleted_at'))

    op.drop_table('journal_entry')
