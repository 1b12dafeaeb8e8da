"""Atomic login counters; staff sessions remember when they were last used (idle timeout);
inbound channel messages are marked handled after they were answered (crash recovery);
staff replies record their real delivery state and attempts.

Revision ID: 0009_security_state
Revises: 0009_conversation_ids
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009_security_state'
down_revision = '0009_conversation_ids'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_counters',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_counters'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('channel_inbound_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('payload', sa.Text(), nullable=True))
    op.execute("UPDATE channel_inbound_messages SET handled_at = received_at")  # claimed before: answered
    with op.batch_alter_table('staff_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('sending_since', sa.DateTime(timezone=True), nullable=True))
    # "delivered" used to mean "handed to Rasa": the channel may not have accepted it
    op.execute("UPDATE staff_messages SET status = 'sent' WHERE status = 'delivered'")


def downgrade() -> None:
    with op.batch_alter_table('staff_messages', schema=None) as batch_op:
        batch_op.drop_column('sending_since')
        batch_op.drop_column('attempts')
    with op.batch_alter_table('channel_inbound_messages', schema=None) as batch_op:
        batch_op.drop_column('payload')
        batch_op.drop_column('handled_at')
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
    op.drop_table('login_counters')
