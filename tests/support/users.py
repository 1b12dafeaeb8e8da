"""Simulated users for the scaled-out tests: REST and socket.io conversations with retries.

Every message carries a `message_id` (kept on the user event in the tracker; a message sent
again with the same id is answered once, assistant/turns.py), so the conversation stored in
PostgreSQL can be checked turn by turn against what each client saw: answered, or a clear
error (5xx, refused, `turn_failed`, disconnected, timeout) followed by a retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

MAX_ATTEMPTS = 8
MIN_TURNS = 3  # a conversation stopped early still has this many turns
TURN_TIMEOUT = 90.0  # longer than a dead replica's lock tickets live (TICKET_LOCK_LIFETIME)


def answer(raw: bytes) -> Any:
    """The JSON body of a response, or None (an HTML error page from the balancer, nothing)."""
    try:
        return json.loads(raw)
    except ValueError:
        return None


@dataclass
class Turn:
    conversation: str
    text: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    failures: list[str] = field(default_factory=list)
    answered: bool = False
    statuses: list[int] = field(default_factory=list)


def turns_unanswered(journal: Journal, conversation: str) -> bool:
    return any(not t.answered for t in journal.turns if t.conversation == conversation)


@dataclass
class Journal:
    """Everything the simulated users sent and saw."""

    turns: list[Turn] = field(default_factory=list)

    def new(self, conversation: str, text: str) -> Turn:
        turn = Turn(conversation, text)
        self.turns.append(turn)
        return turn

    def by_conversation(self) -> dict[str, list[Turn]]:
        grouped: dict[str, list[Turn]] = {}
        for turn in self.turns:
            grouped.setdefault(turn.conversation, []).append(turn)
        return grouped


async def rest_user(url: str, turns: Sequence[str], journal: Journal, stop: asyncio.Event, seed: int,
                    conversation_length: int = 6) -> None:
    """Conversations on the REST channel until `stop`; a failed turn is retried with the same turn_id."""
    rng = random.Random(seed)
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while not stop.is_set():
            conversation = f"rest-{uuid.uuid4().hex}"
            start = rng.randrange(len(turns))
            for i in range(conversation_length):
                turn = journal.new(conversation, turns[(start + i) % len(turns)])
                for attempt in range(MAX_ATTEMPTS):
                    payload = {"sender": conversation, "message": turn.text, "message_id": turn.id}
                    try:
                        async with session.post(url, json=payload) as response:
                            turn.statuses.append(response.status)
                            body = answer(await response.read())
                        if response.status == 200 and body:
                            turn.answered = True
                            break
                        turn.failures.append(f"http {response.status}" if response.status != 200 else "empty answer")
                    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                        turn.failures.append(type(error).__name__)
                    await asyncio.sleep(0.5 + attempt)
                if not turn.answered or (stop.is_set() and i >= MIN_TURNS - 1):
                    break
                await asyncio.sleep(rng.uniform(0.3, 1.2))  # the user reads and types
            if turns_unanswered(journal, conversation):
                return


class SocketUser:
    """A website visitor on socket.io (python-socketio's client speaks the widget's protocol)."""

    def __init__(self, url: str, journal: Journal, seed: int) -> None:
        import socketio

        self.url = url
        self.journal = journal
        self.rng = random.Random(seed)
        # reconnects itself (below) with socket.io-client's patience: python-socketio's own reconnection
        # waits only 1 s for the namespace, less than a busy replica takes
        self.client = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.failed: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.session = ""
        self.received = 0
        self.connections = 0  # socket.io connections made (more than one: reconnected)
        self.confirmed = asyncio.Event()
        self.lost = asyncio.Event()  # the connection went away (the replica died): retry at once
        self.client.on("connect", self._on_connect)
        self.client.on("disconnect", self._on_disconnect)
        self.client.on("session_confirm", self._on_confirm)
        self.client.on("bot_uttered", self._on_bot)
        self.client.on("turn_failed", self._on_failed)

    async def _on_connect(self) -> None:
        if self.session:
            await self.client.emit("session_request", {"session_id": self.session})

    def _on_disconnect(self, *_: Any) -> None:
        self.confirmed.clear()
        self.lost.set()

    def _on_confirm(self, session: Any) -> None:
        if session == self.session:
            self.confirmed.set()

    def _on_bot(self, data: Any) -> None:
        self.inbox.put_nowait(data)
        self.received += 1

    def _on_failed(self, data: Any) -> None:
        self.failed.put_nowait(data)

    async def connected(self) -> None:
        """Connected, with this conversation's session confirmed (reconnecting when the replica went away)."""
        if self.client.connected and self.confirmed.is_set():
            return
        self.confirmed.clear()
        if not self.client.connected:
            with contextlib.suppress(Exception):
                await self.client.disconnect()  # reset a half-open client
            await self.client.connect(self.url, transports=["websocket"], socketio_path="/socket.io", wait_timeout=30)
            self.connections += 1
        else:
            await self.client.emit("session_request", {"session_id": self.session})
        await asyncio.wait_for(self.confirmed.wait(), 30)

    async def start_conversation(self) -> str:
        """A new conversation (session_id); connection failures are retried."""
        self.session = f"sock-{uuid.uuid4().hex}"
        self.confirmed.clear()
        for attempt in range(MAX_ATTEMPTS):
            try:
                await self.connected()
                return self.session
            except Exception:  # replica down or busy: the widget retries too
                await asyncio.sleep(0.5 + attempt)
        raise ConnectionError("could not start a socket.io conversation")

    async def _reply_to(self, message_id: str) -> dict[str, Any]:
        """The first bot message answering `message_id` (a late one of an earlier turn is skipped)."""
        while True:
            data = await self.inbox.get()
            if not isinstance(data, dict) or data.get("reply_to") in (None, message_id):
                return data  # type: ignore[return-value]

    async def say(self, turn: Turn) -> None:
        """One turn with retries: answered when a bot message arrives (then the rest of the turn's messages)."""
        for attempt in range(MAX_ATTEMPTS):
            while not self.inbox.empty():
                self.inbox.get_nowait()
            while not self.failed.empty():
                self.failed.get_nowait()
            try:
                await self.connected()
                self.lost.clear()
                await self.client.emit("user_uttered", {"message": turn.text, "session_id": self.session,
                                                        "message_id": turn.id})
                first = asyncio.ensure_future(self._reply_to(turn.id))
                refused = asyncio.ensure_future(self.failed.get())
                lost = asyncio.ensure_future(self.lost.wait())
                done, pending = await asyncio.wait({first, refused, lost}, timeout=TURN_TIMEOUT,
                                                   return_when=asyncio.FIRST_COMPLETED)
                for task in pending:
                    task.cancel()
                if first in done:
                    turn.answered = True
                    while True:  # the turn's other messages
                        try:
                            await asyncio.wait_for(self.inbox.get(), 0.4)
                        except asyncio.TimeoutError:
                            return
                turn.failures.append("turn_failed" if refused in done else "disconnected" if lost in done else "timeout")
            except Exception as error:  # disconnected while sending or waiting: a clear error, retry
                turn.failures.append(type(error).__name__)
            await asyncio.sleep(0.5 + attempt)

    async def run(self, turns: Sequence[str], stop: asyncio.Event, conversation_length: int = 6) -> None:
        try:
            while not stop.is_set():
                conversation = await self.start_conversation()
                start = self.rng.randrange(len(turns))
                for i in range(conversation_length):
                    turn = self.journal.new(conversation, turns[(start + i) % len(turns)])
                    await self.say(turn)
                    if not turn.answered:
                        return
                    if stop.is_set() and i >= MIN_TURNS - 1:
                        break
                    await asyncio.sleep(self.rng.uniform(0.3, 1.2))
        finally:
            await self.client.disconnect()
