"""Creation plans (one per conversation, unguessable download token).

Revision ID: 0013_creation_plans
Revises: 0014_insights
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013_creation_plans'
down_revision = '0014_insights'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('creation_plans',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_creation_plans')),
    sa.UniqueConstraint('conversation_id', name=op.f('uq_creation_plans_conversation_id')),
    sa.UniqueConstraint('token', name=op.f('uq_creation_plans_token'))
    )


def downgrade() -> None:
    op.drop_table('creation_plans')
