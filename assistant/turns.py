"""Turns a client can safely retry, and honest refusals (Rasa process, applied by rasa_patches).

- **Idempotent turns.** A client may give each message a `message_id` (REST body, the
  widget's `user_uttered`): Rasa keeps it on the user event in the tracker. A message whose
  id the conversation already holds is not run again: its bot messages are sent again
  from the tracker instead. So a client that got no answer (the replica it spoke to was
  killed, the connection dropped, a 503) resends the same message with the same id, and the
  conversation has it once, with one bot turn, whether or not the first try was processed.
  The check runs inside the conversation's lock (Redis across replicas), on the tracker
  Rasa loads for the turn anyway: no extra read.
- **Refusals.** A turn that fails because a shared service is down (the Redis lock store,
  the tracker database) is `unavailable`; any other failure is `internal`. Rasa 3.6's REST
  channel answered both with `200 []` and its socket.io channel with nothing: the channels
  now answer 503 / 500 with a JSON error, and a `turn_failed` event on socket.io
  (assistant/channels/rest.py, socketio.py); the texts are in channels/turn_failed.yml.
"""

from __future__ import annotations

import contextvars
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)

#: A client's message id: 8 to 64 letters, digits, `_` or `-` (a UUID's hex fits).
MESSAGE_ID = re.compile(r"[A-Za-z0-9_\-]{8,64}")
#: Seconds a refused client should wait before sending the message again.
RETRY_AFTER_SECONDS = 3
TEXTS = Path(__file__).parent / "channels" / "turn_failed.yml"


def client_message_id(value: Any) -> str | None:
    """The client's message id when it is one, else None (Rasa then makes its own)."""
    return value if isinstance(value, str) and MESSAGE_ID.fullmatch(value) else None


class TurnAlreadyHandled(Exception):
    """The conversation already holds this message: its bot messages, to send again."""

    def __init__(self, messages: list[dict[str, Any]]) -> None:
        super().__init__("message already handled")
        self.messages = messages


def answered_messages(tracker: DialogueStateTracker, message_id: str) -> list[dict[str, Any]] | None:
    """The bot messages that answered the user message `message_id`, or None when the
    conversation does not hold it."""
    found = False
    messages: list[dict[str, Any]] = []
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if found:
                break
            found = event.message_id == message_id
        elif found and isinstance(event, BotUttered):
            messages.append(event.message())
    return messages if found else None


def unavailable(error: BaseException) -> bool:
    """Whether a turn failed because a shared service is down (retrying later can work)."""
    import redis.exceptions

    return isinstance(error, (redis.exceptions.RedisError, LockError, SQLAlchemyError, ConnectionError,
                              TimeoutError, OSError))


def failure_code(error: BaseException) -> str:
    return "unavailable" if unavailable(error) else "internal"


@lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, str]]:
    loaded = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
    return {code: dict(by_language) for code, by_language in loaded.items()}


def failure_body(code: str) -> dict[str, Any]:
    """The JSON error of a refused REST turn: one message in fr / ar / en, and each apart."""
    by_language = texts()[code]
    return {"error": {"code": code, "message": " / ".join(by_language[lang] for lang in ("fr", "ar", "en")),
                      "messages": by_language, "retry_after": RETRY_AFTER_SECONDS}}


#: Set while MessageProcessor.handle_message runs (other callers of log_message are not checked).
_checking: contextvars.ContextVar[bool] = contextvars.ContextVar("checking_duplicates", default=False)
_original_handle = MessageProcessor.handle_message
_original_with_tracker = MessageProcessor._handle_message_with_tracker


async def _handle_message(self: MessageProcessor, message: UserMessage) -> list[dict[str, Any]] | None:
    token = _checking.set(True)
    try:
        return await _original_handle(self, message)
    except TurnAlreadyHandled as done:
        logger.info("turn: a message already answered was sent again; its %d bot messages are sent again",
                    len(done.messages))
        for bot_message in done.messages:
            await message.output_channel.send_response(message.sender_id, bot_message)
        if isinstance(message.output_channel, CollectingOutputChannel):
            return message.output_channel.messages
        return None
    finally:
        _checking.reset(token)


async def _handle_message_with_tracker(self: MessageProcessor, message: UserMessage,
                                       tracker: DialogueStateTracker) -> None:
    if _checking.get() and message.message_id:
        answered = answered_messages(tracker, message.message_id)
        if answered is not None:
            raise TurnAlreadyHandled(answered)
    await _original_with_tracker(self, message, tracker)


def apply() -> None:
    MessageProcessor.handle_message = _handle_message  # type: ignore[method-assign]
    MessageProcessor._handle_message_with_tracker = _handle_message_with_tracker  # type: ignore[method-assign]
