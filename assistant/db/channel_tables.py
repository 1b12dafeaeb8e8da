"""Tables the Rasa process's channels use, in SQLAlchemy Core.

The Rasa environment has SQLAlchemy 1.4 and the app environment 2.0: Core tables
work in both, so the WhatsApp channel (Rasa process) and the migrations (app
environment) share this one definition.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, String, Table

from assistant.db.naming import NAMING_CONVENTION

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: Inbound WhatsApp message ids already handled: Meta re-delivers, a restart must not answer twice.
channel_inbound_messages = Table(
    "channel_inbound_messages",
    metadata,
    Column("message_id", String(255), primary_key=True),
    Column("channel", String(40), nullable=False),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
)
