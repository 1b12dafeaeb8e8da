"""Real delivery state of staff replies, recorded by the Rasa process (applied by rasa_patches).

One delivery path for every channel (states in assistant/contract.py). The relay action
(assistant/actions/handoff.py) marks a reply `sending` and utters it with its
`staff_message_id`; only the output channel knows what happened to it. After each such
message this records, in `staff_messages`:
- website (socket.io): the reply is now in the conversation's tracker, which is the
  widget's outbox. `sent` when a widget was connected to the conversation's room, else
  `stored` (the widget catches up from the tracker when the investor comes back). Never
  relayed again: the widget acknowledges what it showed (`received`, or its catch-up
  cursor) and that, only that, makes the reply `delivered`;
- WhatsApp/Twilio: `sent` with the channel's message id when the API accepted it (its
  delivery receipts make it `delivered`, see `receipt`); `pending` again when the API
  refused it or failed, retried with backoff by the service's relay worker until accepted,
  and `failed` when still refused REPLY_GIVE_UP_HOURS after the reply was made (staff can
  resend it);
- REST: `failed`, note `channel_cannot_push` (it cannot reach its user).
A state never goes back from `delivered`: an acknowledgement may beat the send's own report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel
from rasa.core.channels.socketio import SocketIOOutput
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from assistant.channels.dedup import make_engine
from assistant.contract import (
    REPLY_DELIVERED,
    REPLY_FAILED,
    REPLY_PENDING,
    REPLY_SENT,
    REPLY_STORED,
)
from assistant.settings import get_settings

logger = logging.getLogger(__name__)

STAFF_MESSAGE_KEY = "staff_message_id"
#: What the widget gets of a staff reply's id, to acknowledge it (`received`).
RECEIPT_KEY = "receipt"
#: Channel statuses (WhatsApp `statuses[].status`, Twilio `MessageStatus`) -> (state, note).
RECEIPTS = {
    "delivered": (REPLY_DELIVERED, None),
    "read": (REPLY_DELIVERED, "read"),
    "failed": (REPLY_FAILED, "channel_failed"),
    "undelivered": (REPLY_FAILED, "channel_failed"),
}


def outcome(output: OutputChannel, recipient_id: str, failures_before: int) -> tuple[str, str | None]:
    """(status, note) of the message `output` just tried to send."""
    if isinstance(output, CollectingOutputChannel):
        return REPLY_FAILED, "channel_cannot_push"
    if isinstance(output, SocketIOOutput):
        rooms = getattr(output.sio.manager, "rooms", {}).get("/", {})
        return (REPLY_SENT, None) if rooms.get(recipient_id) else (REPLY_STORED, "investor_away")
    if getattr(output, "failed_sends", 0) > failures_before:
        return REPLY_PENDING, "channel_refused"
    return REPLY_SENT, None


@lru_cache(maxsize=1)
def _engine() -> Engine:
    return make_engine(get_settings().database_url)


def record(
    message_id: int, status: str, note: str | None, channel_message_id: str | None = None,
    give_up_after: dt.timedelta | None = None,
) -> None:
    """The send's outcome; a reply still refused `give_up_after` (REPLY_GIVE_UP_HOURS) after it
    was made becomes `failed`, before that it stays `pending` (retried with backoff)."""
    if give_up_after is None:
        give_up_after = dt.timedelta(hours=get_settings().reply_give_up_hours)
    cutoff = dt.datetime.now(dt.timezone.utc) - give_up_after
    with _engine().begin() as connection:
        connection.execute(
            text(
                "UPDATE staff_messages SET"
                " status = CASE WHEN :status = :pending AND created_at < :cutoff THEN :failed ELSE :status END,"
                " delivery_note = COALESCE(:note, delivery_note),"
                " channel_message_id = COALESCE(:channel_id, channel_message_id)"
                " WHERE id = :id AND status <> :delivered"
            ),
            {"status": status, "note": note, "channel_id": channel_message_id, "id": message_id,
             "pending": REPLY_PENDING, "failed": REPLY_FAILED, "delivered": REPLY_DELIVERED,
             "cutoff": cutoff},
        )


def mark_delivered(conversation_id: str, message_ids: Iterable[int]) -> int:
    """The investor's widget showed these replies: delivered, if they are this conversation's."""
    ids = sorted({int(i) for i in message_ids})
    if not ids:
        return 0
    statement = text(
        "UPDATE staff_messages SET status = :delivered, delivered_at = :at"
        " WHERE id IN :ids AND status <> :delivered"
        " AND case_id IN (SELECT id FROM cases WHERE conversation_id = :conversation)"
    ).bindparams(bindparam("ids", expanding=True))
    with _engine().begin() as connection:
        result = connection.execute(
            statement,
            {"delivered": REPLY_DELIVERED, "at": dt.datetime.now(dt.timezone.utc), "ids": ids,
             "conversation": conversation_id},
        )
    return int(result.rowcount or 0)


def receipt(channel_message_id: str, channel_status: str) -> bool:
    """A WhatsApp/Twilio status callback for a message; True when it was a staff reply's."""
    change = RECEIPTS.get(channel_status)
    if change is None or not channel_message_id:
        return False
    status, note = change
    delivered_at = dt.datetime.now(dt.timezone.utc) if status == REPLY_DELIVERED else None
    with _engine().begin() as connection:
        result = connection.execute(
            text(
                "UPDATE staff_messages SET status = :status, delivery_note = COALESCE(:note, delivery_note),"
                " delivered_at = COALESCE(delivered_at, :at)"
                " WHERE channel_message_id = :channel_id AND (status <> :delivered OR :status = :delivered)"
            ),
            {"status": status, "note": note, "at": delivered_at, "channel_id": channel_message_id,
             "delivered": REPLY_DELIVERED},
        )
    return bool(result.rowcount)


async def record_receipts(statuses: Iterable[tuple[str, str]]) -> None:
    """Channel receipts (message id, status), from a webhook; failures are logged, not raised."""
    for channel_message_id, channel_status in statuses:
        try:
            if await asyncio.to_thread(receipt, channel_message_id, channel_status):
                logger.info("staff reply receipt: %s", channel_status)
        except SQLAlchemyError as exc:
            logger.error("staff reply receipt not recorded (%s)", type(exc).__name__)


def guarded(original: Any) -> Any:
    """`send_response` that records the outcome of staff replies."""

    async def send_response(self: OutputChannel, recipient_id: str, message: dict[str, Any]) -> None:
        staff_id = message.pop(STAFF_MESSAGE_KEY, None)
        if staff_id is None:
            await original(self, recipient_id, message)
            return
        if isinstance(self, SocketIOOutput):
            message[RECEIPT_KEY] = staff_id  # the widget acknowledges it by this
        before = getattr(self, "failed_sends", 0)
        sent_before = len(getattr(self, "sent_ids", []))
        try:
            await original(self, recipient_id, message)
            status, note = outcome(self, recipient_id, before)
        except Exception as exc:  # a channel that raises: not sent, retried later
            logger.error("staff reply %s not sent (%s)", staff_id, type(exc).__name__)
            status, note = REPLY_PENDING, "channel_error"
        sent_ids = getattr(self, "sent_ids", [])[sent_before:]
        try:
            await asyncio.to_thread(record, int(staff_id), status, note, sent_ids[-1] if sent_ids else None)
        except (SQLAlchemyError, ValueError) as exc:
            logger.error("delivery state of staff reply %s not recorded (%s)", staff_id, type(exc).__name__)
        logger.info("staff reply %s: %s", staff_id, status)

    send_response.guarded = True  # type: ignore[attr-defined]
    return send_response


def apply(*overriding: type[OutputChannel]) -> None:
    """Guards `OutputChannel.send_response` and that of each class in `overriding` (output
    channels that override it, e.g. the widget's StampedSocketIOOutput). They are passed in
    (assistant/rasa_patches.py) rather than imported here: the socket.io channel imports this
    module to record the widget's acknowledgements."""
    classes: tuple[type[OutputChannel], ...] = (OutputChannel, *overriding)
    for cls in classes:
        if not getattr(cls.__dict__.get("send_response"), "guarded", False):
            cls.send_response = guarded(cls.__dict__["send_response"])  # type: ignore[method-assign]
