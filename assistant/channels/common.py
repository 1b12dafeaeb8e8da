"""What the WhatsApp channels share: background work, canned replies.

Webhooks are acknowledged at once and the messages handled in background tasks,
one sender at a time in arrival order (`Background`). A number typed after a
numbered menu, like a button's title typed, is the option's payload: that is read in
Rasa's message handling, on the turn's tracker (`assistant/typed_buttons.py`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.channels.channel import OutputChannel
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import response
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

#: Response (responses/channels.yml) for images, audio, locations… that are not read.
UNSUPPORTED_RESPONSE = "utter_unsupported_message"


def json_error(status: int, message: str) -> HTTPResponse:
    """A JSON error body: webhooks are called by machines that log what they get."""
    return response.json({"error": message}, status=status)


class Background:
    """Background tasks of a channel, run one sender at a time and awaited on shutdown."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._tasks: set[asyncio.Task[None]] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Starts `work` now; keeps a reference so the task is not garbage-collected."""
        task = asyncio.get_running_loop().create_task(self._guard(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not kill the channel: log and go on
            logger.error("%s: background processing failed (%s)", self.name, type(exc).__name__)
            logger.debug("%s: background processing failed", self.name, exc_info=True)

    @asynccontextmanager
    async def sender(self, sender_id: str) -> AsyncIterator[None]:
        """Holds the sender's turn: their messages are handled in order, others in parallel."""
        lock = self._locks.setdefault(sender_id, asyncio.Lock())
        self._waiting[sender_id] = self._waiting.get(sender_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[sender_id] -= 1
            if not self._waiting[sender_id]:
                del self._waiting[sender_id]
                del self._locks[sender_id]

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float = 10.0) -> None:
        """Lets running work finish (server shutdown); cancels what is left after `timeout`."""
        if not self._tasks:
            return
        _, late = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in late:
            task.cancel()
        if late:
            logger.warning("%s: %d messages still in progress at shutdown were cancelled", self.name, len(late))


def agent_of(app: Any) -> Any:
    """Rasa's agent (tracker store, NLG) from the Sanic app; None while no model is loaded."""
    agent = getattr(app.ctx, "agent", None)
    return agent if agent is not None and agent.is_ready() else None


#: Answered while no model is loaded: the sender (Meta, Twilio) delivers again later.
NOT_READY = "the assistant is starting, try again later"


async def current_tracker(agent: Any, sender_id: str) -> DialogueStateTracker:
    """The conversation's tracker, or an empty one (initial slot values) for a new sender."""
    tracker: DialogueStateTracker | None = await agent.tracker_store.retrieve(sender_id)
    if tracker is None:
        tracker = DialogueStateTracker(sender_id, agent.domain.slots if agent.domain else [])
    return tracker


async def send_unsupported_reply(agent: Any, sender_id: str, output: OutputChannel, channel: str) -> None:
    """Tells the user, in the conversation's language, that only text is read for now."""
    if agent is None or agent.nlg is None:
        logger.warning("%s: no agent loaded, unsupported message left unanswered", channel)
        return
    tracker = await current_tracker(agent, sender_id)
    message = await agent.nlg.generate(UNSUPPORTED_RESPONSE, tracker, channel)
    if not message:
        logger.error("%s: response %s is missing", channel, UNSUPPORTED_RESPONSE)
        return
    await output.send_response(sender_id, message)
