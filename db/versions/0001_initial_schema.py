"""initial schema: volumes, sections, articles, paragraphs, photos, tables, departments

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 19:09:30.334358
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('name', name=op.f('uq_departments_name'))
    )
    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_meta'))
    )
    op.create_table('volumes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('edition_year', sa.Integer(), nullable=True),
    sa.Column('covered_year', sa.Integer(), nullable=True),
    sa.Column('source_name', sa.String(length=500), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('encoding', sa.String(length=20), nullable=False),
    sa.Column('char_count', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volumes')),
    sa.UniqueConstraint('checksum', name=op.f('uq_volumes_checksum'))
    )
    op.create_table('department_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_department_aliases_department_id_departments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_aliases')),
    sa.UniqueConstraint('alias', name=op.f('uq_department_aliases_alias'))
    )
    op.create_table('sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volume_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('ord', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['volume_id'], ['volumes.id'], name=op.f('fk_sections_volume_id_volumes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sections'))
    )
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sections_volume_id'), ['volume_id'], unique=False)

    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('volume_id', sa.Integer(), nullable=False),
    sa.Column('ord', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('attribution', sa.String(length=200), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('source_note', sa.Text(), nullable=True),
    sa.Column('page_start', sa.Integer(), nullable=False),
    sa.Column('page_end', sa.Integer(), nullable=False),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_articles_department_id_departments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_articles_section_id_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volume_id'], ['volumes.id'], name=op.f('fk_articles_volume_id_volumes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_volume_id'), ['volume_id'], unique=False)

    op.create_table('data_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('volume_id', sa.Integer(), nullable=False),
    sa.Column('ord', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('columns_json', sa.Text(), nullable=False),
    sa.Column('n_rows', sa.Integer(), nullable=False),
    sa.Column('attribution', sa.String(length=200), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_data_tables_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_data_tables_department_id_departments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['volume_id'], ['volumes.id'], name=op.f('fk_data_tables_volume_id_volumes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_tables'))
    )
    with op.batch_alter_table('data_tables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_tables_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_tables_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_tables_volume_id'), ['volume_id'], unique=False)

    op.create_table('paragraphs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('ord', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_paragraphs_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paragraphs'))
    )
    with op.batch_alter_table('paragraphs', schema=None) as batch_op:
        batch_op.create_index('ix_paragraphs_article_ord', ['article_id', 'ord'], unique=False)

    op.create_table('photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('volume_id', sa.Integer(), nullable=False),
    sa.Column('ord', sa.Integer(), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('date_precision', sa.String(length=10), nullable=False),
    sa.Column('credit', sa.String(length=200), nullable=True),
    sa.Column('credit_kind', sa.String(length=20), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('image_sha256', sa.String(length=64), nullable=True),
    sa.Column('image_ext', sa.String(length=10), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_photos_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_photos_department_id_departments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['volume_id'], ['volumes.id'], name=op.f('fk_photos_volume_id_volumes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photos'))
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photos_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photos_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photos_volume_id'), ['volume_id'], unique=False)

    op.create_table('photo_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_photo_changes_photo_id_photos'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo_changes'))
    )
    with op.batch_alter_table('photo_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_changes_photo_id'), ['photo_id'], unique=False)

    op.create_table('photo_tags',
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_photo_tags_photo_id_photos'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('photo_id', 'tag', name=op.f('pk_photo_tags'))
    )
    op.create_table('table_cells',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('col', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('number', sa.Float(), nullable=True),
    sa.Column('number_max', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['table_id'], ['data_tables.id'], name=op.f('fk_table_cells_table_id_data_tables'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_table_cells')),
    sa.UniqueConstraint('table_id', 'row', 'col', name=op.f('uq_table_cells_table_id'))
    )


def downgrade() -> None:
    op.drop_table('table_cells')
    op.drop_table('photo_tags')
    with op.batch_alter_table('photo_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_changes_photo_id'))

    op.drop_table('photo_changes')
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photos_volume_id'))
        batch_op.drop_index(batch_op.f('ix_photos_department_id'))
        batch_op.drop_index(batch_op.f('ix_photos_article_id'))

    op.drop_table('photos')
    with op.batch_alter_table('paragraphs', schema=None) as batch_op:
        batch_op.drop_index('ix_paragraphs_article_ord')

    op.drop_table('paragraphs')
    with op.batch_alter_table('data_tables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_tables_volume_id'))
        batch_op.drop_index(batch_op.f('ix_data_tables_department_id'))
        batch_op.drop_index(batch_op.f('ix_data_tables_article_id'))

    op.drop_table('data_tables')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_volume_id'))
        batch_op.drop_index(batch_op.f('ix_articles_section_id'))
        batch_op.drop_index(batch_op.f('ix_articles_department_id'))

    op.drop_table('articles')
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sections_volume_id'))

    op.drop_table('sections')
    op.drop_table('department_aliases')
    op.drop_table('volumes')
    op.drop_table('meta')
    op.drop_table('departments')
