"""socket.io emits through Redis fail soft (issue #15): the real Redis behind a TCP proxy that
refuses or hangs on demand (tests/support/faulty_tcp.py), so nothing else sees the failure.

- Publishing to a Redis that refuses or hangs returns, without raising, within bounded time
  (an emit is delivered on its own replica first: a turn's answer is never held up).
- The listener receives what another replica publishes, notices a connection gone silent,
  and receives again once Redis answers.

Needs REDIS_URL: skipped with the reason without it, failed with REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from assistant.channels import socketio_redis
from assistant.channels.socketio_redis import FailSoftRedisManager
from tests.conftest import service_unavailable
from tests.support.faulty_tcp import FaultyProxy

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def proxy() -> Iterator[FaultyProxy]:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        service_unavailable("Redis", "REDIS_URL is not set")
    parsed = urlparse(url)
    with FaultyProxy(parsed.hostname or "127.0.0.1", parsed.port or 6379) as faulty:
        faulty.db = parsed.path or "/0"  # type: ignore[attr-defined]
        yield faulty


def _url(proxy: FaultyProxy) -> str:
    return f"redis://127.0.0.1:{proxy.port}{proxy.db}"  # type: ignore[attr-defined]


def _manager(proxy: FaultyProxy, channel: str) -> FailSoftRedisManager:
    manager = FailSoftRedisManager(_url(proxy))
    manager.channel = channel  # one channel per test: nothing from other runs
    return manager


async def _pump(messages: AsyncIterator[Any], received: asyncio.Queue[Any]) -> None:
    """Published messages' data into `received` (subscription confirmations and PONGs skipped)."""
    async for message in messages:
        if message.get("type") == "message":
            await received.put(message["data"])


def test_publishing_to_a_refusing_or_hanging_redis_returns_soon(proxy: FaultyProxy) -> None:
    asyncio.run(_publishing(proxy))


async def _publishing(proxy: FaultyProxy) -> None:
    manager = _manager(proxy, f"test-{uuid.uuid4().hex}")
    for mode in ("refuse", "hang"):
        proxy.set_mode(mode)  # type: ignore[arg-type]
        manager.connected = False  # a new connection, in this mode
        started = time.monotonic()
        assert await manager._publish({"method": "emit", "event": "bot_uttered"}) is None
        assert time.monotonic() - started < socketio_redis.PUBLISH_TIMEOUT + 1.5, mode
    proxy.set_mode("forward")
    manager.connected = False
    assert await manager._publish({"method": "emit"}) is not None  # the number of subscribers


def test_the_listener_receives_notices_silence_and_receives_again(
        proxy: FaultyProxy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socketio_redis, "IDLE_SECONDS", 1.0)
    monkeypatch.setattr(socketio_redis, "PING_TIMEOUT", 1.0)
    monkeypatch.setattr(socketio_redis, "MAX_RETRY_SECONDS", 1.0)
    asyncio.run(_listening(proxy))


async def _listening(proxy: FaultyProxy) -> None:
    channel = f"test-{uuid.uuid4().hex}"
    listener, other_replica = _manager(proxy, channel), _manager(proxy, channel)
    received: asyncio.Queue[Any] = asyncio.Queue()
    pump = asyncio.ensure_future(_pump(listener._redis_listen_with_retries(), received))
    try:
        await asyncio.sleep(1)  # subscribed
        await other_replica._publish({"n": 1})
        assert b'"n": 1' in await asyncio.wait_for(received.get(), 5)
        accepted = proxy.accepted
        proxy.set_mode("hang")  # the open connection goes silent, new ones hang
        await asyncio.sleep(6)
        assert proxy.accepted >= accepted + 1  # the unanswered PING made the listener connect again
        proxy.set_mode("forward")
        started = time.monotonic()
        while received.empty() and time.monotonic() - started < 15:
            other_replica.connected = False
            await other_replica._publish({"n": 2})
            await asyncio.sleep(0.5)
        assert b'"n": 2' in await asyncio.wait_for(received.get(), 1)
        assert time.monotonic() - started < 10  # not the 60 s python-socketio may wait
    finally:
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pump
