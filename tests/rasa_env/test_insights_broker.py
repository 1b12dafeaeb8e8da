"""The Rasa process's event broker (assistant.insights.broker): Rasa's SQL broker on the
project database and Rasa's Pika broker on RabbitMQ; a broker that is down never fails
a turn and loses nothing (events are spooled and replayed in order)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import socket
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy

from assistant.insights.broker import InsightsEventBroker, SpoolingPikaEventBroker, SpoolingSQLEventBroker
from assistant.insights.spool import EventSpool
from assistant.settings import get_settings
from tests.conftest import service_unavailable

RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")


def event(n: int, sender: str = "web-1") -> dict[str, Any]:
    return {"event": "user", "timestamp": 1_700_000_000 + n, "sender_id": sender, "text": f"question {n}"}


def rows(url: str) -> list[dict[str, Any]]:
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as connection:
        data = [json.loads(r[0]) for r in connection.execute(sqlalchemy.text("SELECT data FROM broker_events ORDER BY id"))]
    engine.dispose()
    return data


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_sql_broker_writes_to_the_project_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EVENT_BROKER_URL", raising=False)
    get_settings.cache_clear()

    async def run() -> Any:
        broker = await InsightsEventBroker.from_endpoint_config(None)  # type: ignore[arg-type]
        assert isinstance(broker, SpoolingSQLEventBroker)
        broker.publish(event(1))
        broker.drain()  # written by the broker's own thread
        return broker

    broker = asyncio.run(run())
    assert isinstance(broker, SpoolingSQLEventBroker)
    assert rows(url) == [event(1)]
    get_settings.cache_clear()


def test_sql_broker_writes_a_batch_in_order_each_event_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    broker = SpoolingSQLEventBroker(url, EventSpool(tmp_path / "spool"))
    published = [event(n, sender=f"web-{n % 3}") for n in range(450)]  # several batches of up to MAX_BATCH
    for item in published:
        broker.publish(item)
    broker.drain()
    assert rows(url) == published


def test_sql_broker_down_spools_and_replays_in_order(tmp_path: Path) -> None:
    spool = EventSpool(tmp_path / "spool")
    down = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"  # nothing listens there

    async def run() -> None:
        broker = SpoolingSQLEventBroker(down, spool)  # starts although the database is down
        broker.publish(event(1))
        broker.publish(event(2))
        broker.drain()
        assert spool.pending()
        # the database comes back
        good = f"sqlite:///{tmp_path / 'assistant.db'}"
        recovered = SpoolingSQLEventBroker(good, spool)
        broker.engine, broker.sessionmaker = recovered.engine, recovered.sessionmaker
        broker._last_retry = float("-inf")
        broker.publish(event(3))
        broker.drain()

    asyncio.run(run())
    assert not spool.pending()
    assert [e["timestamp"] for e in rows(f"sqlite:///{tmp_path / 'assistant.db'}")] == [
        event(1)["timestamp"], event(2)["timestamp"], event(3)["timestamp"]
    ]


async def _proxy(listen_port: int, target_port: int) -> asyncio.AbstractServer:
    """A TCP relay to RabbitMQ: closed = RabbitMQ unreachable, open = back."""

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target_port)
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    return await asyncio.start_server(handle, "127.0.0.1", listen_port)


def _rabbitmq_or_skip() -> None:
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
    except OSError as exc:
        service_unavailable("RabbitMQ", f"{RABBITMQ_URL} unreachable ({exc.__class__.__name__})")


def test_pika_broker_publishes_and_survives_rabbitmq_down(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _rabbitmq_or_skip()
    import aio_pika

    import assistant.insights.broker as broker_module

    monkeypatch.setattr(broker_module, "RETRY_SECONDS", 0.2)
    queue_name = f"test_broker_{secrets.token_hex(4)}"
    port = free_port()

    async def run() -> list[dict[str, Any]]:
        spool = EventSpool(tmp_path / "spool")
        # RabbitMQ unreachable at start: Rasa starts anyway and events are spooled
        broker = SpoolingPikaEventBroker(f"amqp://guest:guest@127.0.0.1:{port}/", queue_name, spool, asyncio.get_running_loop())
        await broker.start()
        broker.publish(event(1))
        broker.publish(event(2))
        assert spool.pending() and not broker.is_ready()
        proxy = await _proxy(port, 5672)  # RabbitMQ is back
        try:
            for _ in range(100):
                await asyncio.sleep(0.1)
                if broker.is_ready() and not spool.pending():
                    break
            broker.publish(event(3))
            await asyncio.sleep(0.5)
            connection = await aio_pika.connect(RABBITMQ_URL)
            received = []
            async with connection:
                channel = await connection.channel()
                queue = await channel.declare_queue(queue_name, durable=True)
                while (message := await queue.get(fail=False, no_ack=True)) is not None:
                    received.append(json.loads(message.body))
                await queue.delete(if_unused=False, if_empty=False)
            await broker.close()
            return received
        finally:
            proxy.close()

    received = asyncio.run(run())
    assert [e["timestamp"] for e in received] == [event(n)["timestamp"] for n in (1, 2, 3)]


def test_a_hanging_database_never_blocks_rasa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Connection accepted, never answered: publishing returns at once (Rasa's event loop keeps
    answering everyone); the events wait for the broker's thread and are spooled at shutdown."""
    import assistant.insights.broker as broker_module

    monkeypatch.setattr(broker_module, "DATABASE_TIMEOUT", 1.0)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    spool = EventSpool(tmp_path / "spool")

    async def run() -> float:
        broker = SpoolingSQLEventBroker(f"postgresql://nobody@127.0.0.1:{server.getsockname()[1]}/none", spool)
        started = time.monotonic()
        for n in range(20):
            broker.publish(event(n))
        took = time.monotonic() - started
        await broker.close()
        return took

    try:
        took = asyncio.run(run())
    finally:
        server.close()
    assert took < 0.5, took
    assert spool.pending()  # nothing lost


def test_a_hanging_database_keeps_memory_bounded_and_spills_to_the_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The broker's queue is bounded: while the database hangs, events past the bound go to
    the spool on disk at once (in order), memory does not grow, and nothing is lost."""
    import assistant.insights.broker as broker_module

    monkeypatch.setattr(broker_module, "DATABASE_TIMEOUT", 1.0)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    spool = EventSpool(tmp_path / "spool")

    def spooled() -> list[int]:
        # the broker's thread may rotate a file (.jsonl -> .jsonl.replay) between the listing
        # and the reading: read again until one listing is read whole
        while True:
            try:
                return [
                    json.loads(line)["timestamp"]
                    for path in sorted((tmp_path / "spool").glob("*.jsonl*"))
                    for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
                ]
            except FileNotFoundError:
                continue

    async def run() -> tuple[float, int, list[int]]:
        broker = SpoolingSQLEventBroker(f"postgresql://nobody@127.0.0.1:{server.getsockname()[1]}/none", spool,
                                        max_queued=5)
        started = time.monotonic()
        most = 0
        for n in range(200):
            broker.publish(event(n))
            most = max(most, broker._events.qsize())
        took = time.monotonic() - started
        on_disk = spooled()  # before the thread gave up on its first event
        await broker.close()
        return took, most, on_disk

    try:
        took, most, on_disk = asyncio.run(run())
    finally:
        server.close()
    assert took < 2.0, took
    assert most <= 5
    assert len(on_disk) >= 200 - 5 - 1  # all but the queue and the event being written
    assert on_disk == sorted(on_disk)  # in the order published
    everything = spooled()
    assert sorted(everything) == [event(n)["timestamp"] for n in range(200)]  # nothing lost, no duplicates
