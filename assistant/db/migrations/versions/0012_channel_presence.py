"""Presence of website visitors (connected now, last seen) for the staff console.

Revision ID: 0012_presence
Revises: 0013_creation_plans
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012_presence'
down_revision = '0013_creation_plans'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('channel_presence',
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('connected', sa.Boolean(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('conversation_id', name=op.f('pk_channel_presence'))
    )


def downgrade() -> None:
    op.drop_table('channel_presence')
