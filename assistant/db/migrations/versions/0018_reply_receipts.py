"""Staff replies keep the channel's message id (WhatsApp wamid, Twilio SID), so the channel's
delivery receipts can mark them delivered; a reply kept for a closed widget is `stored`.

Revision ID: 0018_reply_receipts
Revises: 0017_presence_ids
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018_reply_receipts'
down_revision = '0017_presence_ids'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel_message_id', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_staff_messages_channel_message_id'), ['channel_message_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staff_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_messages_channel_message_id'))
        batch_op.drop_column('channel_message_id')
