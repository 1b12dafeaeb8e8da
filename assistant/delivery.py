"""Real delivery state of staff replies, recorded by the Rasa process (applied by rasa_patches).

The relay action (assistant/actions/handoff.py) marks a reply `sending` and sends it with
its `staff_message_id`; only the output channel knows what happened to it. After each
such message this records, in `staff_messages`:
- `sent`: the channel accepted it (Graph API or Twilio returned a message id, or a
  widget was connected to the conversation's socket.io room);
- `pending` again (retried by the guidance service's relay worker until accepted): the
  channel refused it or failed (Graph API down), or no widget was open;
- `failed`, note `channel_cannot_push`: the REST channel, which cannot reach its user.
`delivered` is left to read receipts; the console never shows a reply as sent otherwise.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from functools import lru_cache
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel
from rasa.core.channels.socketio import SocketIOOutput
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from assistant.settings import get_settings

logger = logging.getLogger(__name__)

STAFF_MESSAGE_KEY = "staff_message_id"


def outcome(output: OutputChannel, recipient_id: str, failures_before: int) -> tuple[str, str | None]:
    """(status, note) of the message `output` just tried to send."""
    if isinstance(output, CollectingOutputChannel):
        return "failed", "channel_cannot_push"
    if isinstance(output, SocketIOOutput):
        rooms = getattr(output.sio.manager, "rooms", {}).get("/", {})
        return ("sent", None) if rooms.get(recipient_id) else ("pending", "no_open_widget")
    if getattr(output, "failed_sends", 0) > failures_before:
        return "pending", "channel_refused"
    return "sent", None


@lru_cache(maxsize=1)
def _engine() -> Engine:
    from assistant.channels.dedup import make_engine

    return make_engine(get_settings().database_url)


def record(message_id: int, status: str, note: str | None) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    with _engine().begin() as connection:
        connection.execute(
            text(
                "UPDATE staff_messages SET status = :status, delivered_at = :at,"
                " delivery_note = COALESCE(:note, delivery_note) WHERE id = :id"
            ),
            {"status": status, "at": now if status == "sent" else None, "note": note, "id": message_id},
        )


def guarded(original: Any) -> Any:
    """`send_response` that records the outcome of staff replies."""

    async def send_response(self: OutputChannel, recipient_id: str, message: dict[str, Any]) -> None:
        staff_id = message.pop(STAFF_MESSAGE_KEY, None)
        if staff_id is None:
            await original(self, recipient_id, message)
            return
        before = getattr(self, "failed_sends", 0)
        try:
            await original(self, recipient_id, message)
            status, note = outcome(self, recipient_id, before)
        except Exception as exc:  # a channel that raises: not sent, retried later
            logger.error("staff reply %s not sent (%s)", staff_id, type(exc).__name__)
            status, note = "pending", "channel_error"
        try:
            await asyncio.to_thread(record, int(staff_id), status, note)
        except (SQLAlchemyError, ValueError) as exc:
            logger.error("delivery state of staff reply %s not recorded (%s)", staff_id, type(exc).__name__)
        logger.info("staff reply %s: %s", staff_id, status)

    send_response.guarded = True  # type: ignore[attr-defined]
    return send_response


def apply() -> None:
    from assistant.channels.socketio import StampedSocketIOOutput  # overrides send_response

    for cls in (OutputChannel, StampedSocketIOOutput):
        if not getattr(cls.__dict__.get("send_response"), "guarded", False):
            cls.send_response = guarded(cls.__dict__["send_response"])  # type: ignore[method-assign]
