"""Tables the Rasa process's channels use, in SQLAlchemy Core.

The Rasa environment has SQLAlchemy 1.4 and the app environment 2.0: Core tables
work in both, so the WhatsApp channel (Rasa process) and the migrations (app
environment) share this one definition.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, MetaData, String, Table, Text

from assistant.db.naming import NAMING_CONVENTION

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: Inbound WhatsApp message ids already handled: Meta re-delivers, a restart must not answer twice.
channel_inbound_messages = Table(
    "channel_inbound_messages",
    metadata,
    Column("message_id", String(255), primary_key=True),
    Column("channel", String(40), nullable=False),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("received_at", DateTime(timezone=True), nullable=False),  # when it was (last) claimed
    Column("handled_at", DateTime(timezone=True), nullable=True),  # NULL: not answered yet
    Column("payload", Text, nullable=True),  # the message, kept until handled (crash recovery)
)

#: Whether a website visitor's widget is connected now (staff console "presence"). Written by
#: the socketio channel (Rasa process) on connect, heartbeat and disconnect; read by the service.
#: "Connected" is trusted only while `seen_at` is recent, so a crashed replica cannot leave it on.
channel_presence = Table(
    "channel_presence",
    metadata,
    Column("conversation_id", String(255), primary_key=True),
    Column("channel", String(40), nullable=False),
    Column("connected", Boolean(), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)
