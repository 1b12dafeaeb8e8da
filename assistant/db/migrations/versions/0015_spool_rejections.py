"""Case requests set aside from the spool are kept in the database, for every machine's console.

Revision ID: 0015_spool_rejections
Revises: 0015_feedback
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0015_spool_rejections'
down_revision = '0015_feedback'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('spool_rejections',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=100), nullable=False),
    sa.Column('conversation_digest', sa.String(length=64), nullable=True),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('dismissed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dismissed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dismissed_by_id'], ['staff_users.id'],
                            name=op.f('fk_spool_rejections_dismissed_by_id_staff_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spool_rejections'))
    )
    with op.batch_alter_table('spool_rejections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spool_rejections_rejected_at'), ['rejected_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_spool_rejections_conversation_digest'), ['conversation_digest'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('spool_rejections')
