"""Presence rows from before conversation ids carried their channel get the current ids.

Migration 0009 moved cases and channel message ids, `make db` the tracker store
(assistant/db/tracker_ids.py); presence rows record their channel, so they move the same
way (a row the new id already has is simply dropped: presence is rewritten at the next
connection). Creation plans (0013) have no channel column, so a bare id cannot be given
an owner (a number may be a WhatsApp user's or a REST sender's): they are left as they
are. Bare plan ids existed only between the two commits of session 16 that added plans
and the prefixes; such a plan stays reachable by its unguessable link.

Revision ID: 0017_presence_ids
Revises: 0016_reviewed_on
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from assistant import conversation_ids

revision = '0017_presence_ids'
down_revision = '0016_reviewed_on'
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    presence = sa.table("channel_presence", sa.column("conversation_id", sa.String), sa.column("channel", sa.String))
    rows = connection.execute(sa.select(presence.c.conversation_id, presence.c.channel)).all()
    existing = {row.conversation_id for row in rows}
    for row in rows:
        new = conversation_ids.current_id(row.conversation_id, row.channel or "")
        if new == row.conversation_id:
            continue
        if new in existing:
            connection.execute(presence.delete().where(presence.c.conversation_id == row.conversation_id))
        else:
            connection.execute(presence.update().where(presence.c.conversation_id == row.conversation_id)
                               .values(conversation_id=new))
            existing.add(new)


def downgrade() -> None:
    """Ids are left as they are: the old bare ids were the vulnerability."""
