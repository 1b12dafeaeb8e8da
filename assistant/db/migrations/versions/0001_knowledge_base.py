"""Knowledge base: versioned loads of the knowledge/ entries.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kb_versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('vocabulary', sa.JSON(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_versions')),
    sa.UniqueConstraint('checksum', name=op.f('uq_kb_versions_checksum'))
    )
    op.create_table('kb_entries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=True),
    sa.Column('facet', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('source_file', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['kb_versions.id'], name=op.f('fk_kb_entries_version_id_kb_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_entries')),
    sa.UniqueConstraint('version_id', 'entry_id', name=op.f('uq_kb_entries_version_id_entry_id'))
    )
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_entries_version_id'), ['version_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_entries_version_id'))

    op.drop_table('kb_entries')
    op.drop_table('kb_versions')
