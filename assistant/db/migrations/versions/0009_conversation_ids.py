"""Conversation ids carry their channel (`whatsapp:212…`, `twilio:+212…`, `web:…`, `rest:…`).

Existing cases and channel message ids are rewritten from their recorded channel, the
same way the channels now build ids (assistant/conversation_ids.py): a widget session's
id becomes the digest of the old id (which was the session secret), so a browser that
still holds it finds its conversation. Erasure requests keep the ids of the tracker
conversations they must delete.

Revision ID: 0009_conversation_ids
Revises: 0012_presence
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from assistant import conversation_ids

revision = '0009_conversation_ids'
down_revision = '0012_presence'
branch_labels = None
depends_on = None


def migrated(channel: str, old: str) -> str:
    """The same ids as the tracker store's conversations get (assistant/db/tracker_ids.py)."""
    return conversation_ids.current_id(old, channel)


def upgrade() -> None:
    connection = op.get_bind()
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("channel", sa.String),
                     sa.column("conversation_id", sa.String))
    for row in connection.execute(sa.select(cases.c.id, cases.c.channel, cases.c.conversation_id)).all():
        new = migrated(row.channel or "", row.conversation_id or "")
        if new != row.conversation_id:
            connection.execute(cases.update().where(cases.c.id == row.id).values(conversation_id=new))
    inbound = sa.table("channel_inbound_messages", sa.column("message_id", sa.String),
                       sa.column("channel", sa.String), sa.column("sender_id", sa.String))
    if sa.inspect(connection).has_table("channel_inbound_messages"):
        for row in connection.execute(sa.select(inbound.c.message_id, inbound.c.channel, inbound.c.sender_id)).all():
            new = migrated(row.channel or "", row.sender_id or "")
            if new != row.sender_id:
                connection.execute(inbound.update().where(inbound.c.message_id == row.message_id).values(sender_id=new))


def downgrade() -> None:
    """Ids are left prefixed: the old bare ids were the vulnerability."""
