"""What both WhatsApp webhooks (`whatsapp`, `twilio`) share: claimed messages, answered once.

A webhook claims each message in the database (`dedup`), with what is needed to answer
it, before it acknowledges the message; `ClaimedMessages` does the rest for one channel:
- `answer`: answers a claimed message in the background, one sender at a time (`common`),
  then marks it handled; a server stopping meanwhile releases the claim instead;
- `recover_forever`: answers the messages acknowledged but never answered (the process
  stopped), once their claim is stale, read back from what was kept with the claim, until
  the server stops;
- `install`: the webhook's health route (`GET /`), the recovery loop started with the
  server (when the channel is configured), and the shutdown that ends the recovery loop at
  once and lets running work finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels.common import Background, agent_of
from assistant.channels.dedup import InboundMessageLog

logger = logging.getLogger(__name__)

#: What a channel reads back from a claim's payload (its parsed message).
Kept = TypeVar("Kept")


class ClaimedMessages:
    """The claimed inbound messages of one channel, answered in the background and recovered."""

    def __init__(self, channel: str, database_url: str, recovery_seconds: float, stale_after: dt.timedelta) -> None:
        self.channel = channel
        self.recovery_seconds = recovery_seconds
        self.background = Background(channel)
        self.log = InboundMessageLog(database_url, channel, stale_after=stale_after)
        self._stopping = asyncio.Event()

    def stop_recovering(self) -> None:
        """Server shutdown: the recovery loop ends now, or after the message it is answering.
        (Waiting for its next round held every stop for the drain's whole timeout.)"""
        self._stopping.set()

    async def claim(self, message_id: str, sender_id: str, payload: str) -> bool:
        """True when the message is this process's to answer (recorded with `payload`), False for a duplicate."""
        return await self.log.claim(message_id, sender_id, payload)

    async def answer(self, message_id: str, sender_id: str, work: Callable[[], Awaitable[None]]) -> None:
        """Runs `work` (answering a claimed message) in the sender's turn, then marks the message
        handled (not if the server stops meanwhile: the claim is released for a re-delivery)."""
        async with self.background.sender(sender_id):
            try:
                await work()
            except asyncio.CancelledError:
                self.log.release(message_id)
                raise
            except Exception as exc:  # keep serving the other users; a bug is not retried forever
                logger.error("%s: message %s failed (%s)", self.channel, message_id, type(exc).__name__)
                logger.debug("%s: message %s failed", self.channel, message_id, exc_info=True)
            await self.log.done(message_id)  # handled: a re-delivery after a crash before this is answered

    async def recover_forever(
        self,
        app: Any,
        read: Callable[[str | None], tuple[str, Kept] | None],
        respond: Callable[[str, str, Kept, Any], Awaitable[None]],
    ) -> None:
        """Answers messages acknowledged but never answered (the process stopped): `read` gives
        (sender id, message) from a claim's payload, or None when it cannot be read (then the
        message is dropped, never retried for ever); `respond(message id, sender id, message, agent)`
        answers it. Returns after `stop_recovering()`."""
        while not self._stopping.is_set():
            agent = agent_of(app)
            if agent is not None:
                for message_id, payload in await self.log.unfinished():
                    if self._stopping.is_set():
                        break  # not claimed: still unfinished for the next start
                    found = read(payload)
                    if found is None:
                        await self.log.done(message_id)
                    elif await self.log.claim(message_id, found[0], payload):
                        work = functools.partial(respond, message_id, found[0], found[1], agent)
                        await self.answer(message_id, found[0], work)
            with contextlib.suppress(asyncio.TimeoutError):  # the next round, or the server stops
                await asyncio.wait_for(self._stopping.wait(), self.recovery_seconds)

    def install(
        self,
        webhook: Blueprint,
        configured: Callable[[], bool],
        recovery: Callable[[Any], Coroutine[Any, Any, None]],
        close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Adds the health route and the start/stop listeners to the channel's blueprint.

        `recovery(app)` is the channel's recovery loop, started with the server when
        `configured()`; at shutdown the loop ends, running work may finish, then `close` (the channel's
        clients) runs and the claims' database is let go."""

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": configured()})

        @webhook.listener("after_server_start")
        async def start_recovery(app: Any, *_: Any) -> None:
            if configured():
                self.background.spawn(recovery(app))

        @webhook.listener("before_server_stop")
        async def shutdown(*_: Any) -> None:
            self.stop_recovering()
            await self.background.drain()
            if close is not None:
                await close()
            self.log.close()
