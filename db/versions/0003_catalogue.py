"""catalogue: photo title, location, rights, original image name; change sets for the history

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('change_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('reverts_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reverts_id'], ['change_sets.id'], name=op.f('fk_change_sets_reverts_id_change_sets'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_sets'))
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('location', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('rights', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('image_name', sa.String(length=500), nullable=True))
    with op.batch_alter_table('photo_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_set_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_photo_changes_change_set_id'), ['change_set_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_photo_changes_change_set_id_change_sets'), 'change_sets', ['change_set_id'], ['id'], ondelete='CASCADE')
    # earlier edits (one write each) become one change set per moment of writing
    op.execute("INSERT INTO change_sets (created_at, user, action, summary) "
               "SELECT DISTINCT changed_at, '', 'edit', '' FROM photo_changes ORDER BY changed_at")
    op.execute("UPDATE photo_changes SET change_set_id = (SELECT c.id FROM change_sets c "
               "WHERE c.created_at = photo_changes.changed_at)")


def downgrade() -> None:
    with op.batch_alter_table('photo_changes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_photo_changes_change_set_id_change_sets'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_photo_changes_change_set_id'))
        batch_op.drop_column('change_set_id')
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_column('image_name')
        batch_op.drop_column('rights')
        batch_op.drop_column('location')
        batch_op.drop_column('title')
    op.drop_table('change_sets')
