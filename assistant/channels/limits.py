"""Rate limits of the public channels (REST, socket.io), per conversation and per client.

A sliding one-minute window kept in memory: each Rasa replica limits what reaches it,
which is what protects its CPU. Keys are conversation ids and client addresses; they
are never logged.
"""

from __future__ import annotations

import time
from collections import deque


class RateLimiter:
    """At most `limit` events per `window` seconds for each key."""

    def __init__(self, limit: int, window: float = 60.0, max_keys: int = 50_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._events: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        """Records one event for `key`; False when the key is over its limit (not recorded)."""
        if self.limit <= 0:
            return True
        now = time.monotonic() if now is None else now
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self.max_keys:
                self._prune(now)
            events = self._events[key] = deque()
        while events and now - events[0] > self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def _prune(self, now: float) -> None:
        for key in [k for k, v in self._events.items() if not v or now - v[-1] > self.window]:
            del self._events[key]
        while len(self._events) >= self.max_keys:  # still full: forget the oldest keys
            del self._events[next(iter(self._events))]


class ChannelLimits:
    """The two limits of a public channel (settings RATE_LIMIT_CONVERSATION / _CLIENT)."""

    def __init__(self, per_conversation: int, per_client: int) -> None:
        self.conversations = RateLimiter(per_conversation)
        self.clients = RateLimiter(per_client)

    def allow(self, conversation_id: str, client: str) -> bool:
        return self.clients.allow(client) and self.conversations.allow(conversation_id)
