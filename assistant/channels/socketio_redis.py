"""socket.io emits shared by every Rasa replica through Redis (issue #15, `make run-scaled`).

With several replicas behind the balancer, the widget's socket is held by one replica while a
message for its conversation may be produced on another: a staff reply or the "adviser
joined" notice that the guidance service executes through Rasa's HTTP API (hashed on the
conversation id, not on the client address). python-socketio's `AsyncRedisManager` publishes
every emit on a Redis channel and each replica delivers it to the sockets of the room it
holds. Without a Redis URL (`make run`) the channel keeps the in-process manager.

Redis down must not break turns, so this manager fails soft, in bounded time:
- an emit is delivered to the sockets of this replica first, then published; publishing
  gives up after `PUBLISH_TIMEOUT` (python-socketio's own retry catches refused connections
  but waits forever on a Redis that accepts and never answers);
- the listener notices a silent connection (a PING unanswered for `PING_TIMEOUT` after
  `IDLE_SECONDS` without traffic) and reconnects, waiting at most `MAX_RETRY_SECONDS`
  between attempts (python-socketio waits up to 60 s and never notices a hung connection).
A message published while a replica was cut from Redis is not delivered live: the widget
gets it at its next catch-up (`sync_request`, every 20 s while an adviser holds the
conversation, and on reconnect).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from socketio import AsyncRedisManager

logger = logging.getLogger(__name__)

PUBLISH_TIMEOUT = 2.0
CONNECT_TIMEOUT = 2.0
POLL_SECONDS = 1.0
IDLE_SECONDS = 10.0
PING_TIMEOUT = 5.0
MAX_RETRY_SECONDS = 5.0
CHANNEL = "assistant-socketio"


class FailSoftRedisManager(AsyncRedisManager):  # type: ignore[misc]
    """`AsyncRedisManager` whose publishing and listening give up or reconnect in bounded time."""

    def __init__(self, url: str) -> None:
        super().__init__(url, channel=CHANNEL, logger=logger,
                         redis_options={"socket_connect_timeout": CONNECT_TIMEOUT, "socket_keepalive": True})

    async def _publish(self, data: Any) -> Any:
        try:
            return await asyncio.wait_for(super()._publish(data), PUBLISH_TIMEOUT)
        except asyncio.TimeoutError:
            self.connected = False  # a new connection next time
            logger.warning("socketio: Redis did not answer within %s s, %s not shared with the other replicas",
                           PUBLISH_TIMEOUT, data.get("method") if isinstance(data, dict) else "message")
            return None

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:
        retry = 1.0
        while True:
            pubsub = None
            try:
                self._redis_connect()
                pubsub = self.pubsub
                await asyncio.wait_for(pubsub.subscribe(self.channel), PING_TIMEOUT)
                async for message in self._messages(pubsub):
                    retry = 1.0  # Redis answered
                    yield message
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # refused, cut or silent: try again soon
                logger.warning("socketio: not receiving from Redis (%s), retrying in %s s",
                               exc.__class__.__name__, retry)
            if pubsub is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(pubsub.reset(), PING_TIMEOUT)
            await asyncio.sleep(retry)
            retry = min(retry * 2, MAX_RETRY_SECONDS)

    @staticmethod
    async def _messages(pubsub: Any) -> AsyncIterator[Any]:
        """What the subscription receives; raises when the connection went silent."""
        heard, pinged = time.monotonic(), 0.0
        while True:
            message = await asyncio.wait_for(pubsub.get_message(timeout=POLL_SECONDS),
                                             POLL_SECONDS + PING_TIMEOUT)
            now = time.monotonic()
            if message is not None:  # a published message or the answer to our PING
                heard, pinged = now, 0.0
                yield message
            elif pinged and now - pinged > PING_TIMEOUT:
                raise ConnectionError("Redis did not answer PING")
            elif not pinged and now - heard > IDLE_SECONDS:
                await asyncio.wait_for(pubsub.ping(), PING_TIMEOUT)
                pinged = now
