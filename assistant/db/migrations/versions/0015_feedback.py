"""Insights: typed feedback comments and case ratings (#14, item 6).

Revision ID: 0015_feedback
Revises: 0009_security_state
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015_feedback'
down_revision = '0009_security_state'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('insights_turns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_comment', sa.Text(), nullable=True))
    op.create_table('insights_case_ratings',
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('conversation', sa.String(length=64), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=True),
    sa.Column('channel', sa.String(length=40), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('reference', name=op.f('pk_insights_case_ratings'))
    )
    with op.batch_alter_table('insights_case_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insights_case_ratings_conversation'), ['conversation'], unique=False)
        batch_op.create_index(batch_op.f('ix_insights_case_ratings_rated_at'), ['rated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('insights_case_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insights_case_ratings_rated_at'))
        batch_op.drop_index(batch_op.f('ix_insights_case_ratings_conversation'))
    op.drop_table('insights_case_ratings')
    with op.batch_alter_table('insights_turns', schema=None) as batch_op:
        batch_op.drop_column('feedback_comment')
