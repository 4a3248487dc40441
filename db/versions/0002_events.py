"""大事记 events and the departments they name

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 19:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('volume_id', sa.Integer(), nullable=False),
    sa.Column('ord', sa.Integer(), nullable=False),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_events_section_id_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volume_id'], ['volumes.id'], name=op.f('fk_events_volume_id_volumes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_date_start'), ['date_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_volume_id'), ['volume_id'], unique=False)
    op.create_table('event_departments',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_event_departments_department_id_departments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_departments_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'department_id', name=op.f('pk_event_departments'))
    )
    with op.batch_alter_table('event_departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_departments_department_id'), ['department_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('event_departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_departments_department_id'))
    op.drop_table('event_departments')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_volume_id'))
        batch_op.drop_index(batch_op.f('ix_events_section_id'))
        batch_op.drop_index(batch_op.f('ix_events_date_start'))
    op.drop_table('events')
