"""homework, the program's schedule and attendance

Adds the program's time zone (None until an admin sets it: no group time is
shown before), the homework tables, plan reviews, tracks, their exceptions,
their patients and attendance.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 06:00:28.387705
"""

from alembic import op
import sqlalchemy as sa
import skills_app.core.models


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.Column('assigned_by_name', sa.String(length=200), nullable=False),
    sa.Column('idempotency_key', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.Column('minutes', sa.SmallInteger(), nullable=True),
    sa.Column('repeat', sa.String(length=16), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('times_per_week', sa.SmallInteger(), nullable=True),
    sa.Column('start_day', sa.Date(), nullable=False),
    sa.Column('end_day', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index('ix_assignment_patient_start', ['patient_id', 'start_day'], unique=False)

    op.create_table('plan_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('plan_review', schema=None) as batch_op:
        batch_op.create_index('ix_plan_review_user_day', ['user_id', 'local_date'], unique=False)

    op.create_table('track',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('start_minute', sa.SmallInteger(), nullable=False),
    sa.Column('end_minute', sa.SmallInteger(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.Column('created_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('archived_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('track', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_track_program_id'), ['program_id'], unique=False)

    op.create_table('assignment_skip',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assignment_id', 'week_start', name='uq_assignment_skip_week')
    )
    with op.batch_alter_table('assignment_skip', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_skip_patient_id'), ['patient_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('marked_by', sa.Integer(), nullable=True),
    sa.Column('marked_by_name', sa.String(length=200), nullable=False),
    sa.Column('marked_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['track_id'], ['track.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('track_id', 'patient_id', 'day', name='uq_attendance_meeting')
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_patient_day', ['patient_id', 'day'], unique=False)

    op.create_table('track_exception',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['track_id'], ['track.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('track_id', 'day', name='uq_track_exception_day')
    )
    op.create_table('track_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.Column('created_at', skills_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['track_id'], ['track.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('track_member', schema=None) as batch_op:
        batch_op.create_index('ix_track_member_patient', ['patient_id', 'first_day'], unique=False)
        batch_op.create_index(batch_op.f('ix_track_member_track_id'), ['track_id'], unique=False)

    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))



def downgrade() -> None:
    # Not in batch mode: on SQLite that copies and drops the table, and dropping
    # it would delete every row that refers to it (ON DELETE CASCADE).
    op.drop_column('program', 'time_zone')

    with op.batch_alter_table('track_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_track_member_track_id'))
        batch_op.drop_index('ix_track_member_patient')

    op.drop_table('track_member')
    op.drop_table('track_exception')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_patient_day')

    op.drop_table('attendance')
    with op.batch_alter_table('assignment_skip', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_skip_patient_id'))

    op.drop_table('assignment_skip')
    with op.batch_alter_table('track', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_track_program_id'))

    op.drop_table('track')
    with op.batch_alter_table('plan_review', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_review_user_day')

    op.drop_table('plan_review')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_patient_start')

    op.drop_table('assignment')
