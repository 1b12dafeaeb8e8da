"""Inbound message ids claimed in the database: at most one answer, across restarts."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from pathlib import Path

import pytest

from assistant.channels import dedup
from assistant.channels.dedup import InboundMessageLog, inbound_messages, make_engine


def make_log(tmp_path: Path) -> tuple[str, InboundMessageLog]:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    engine = make_engine(url)
    inbound_messages.metadata.create_all(engine, tables=[inbound_messages])
    engine.dispose()
    return url, InboundMessageLog(url, "whatsapp")


def test_a_message_is_claimed_once(tmp_path: Path) -> None:
    _, log = make_log(tmp_path)

    async def scenario() -> list[bool]:
        return [
            await log.claim("wamid.1", "212600000001"),
            await log.claim("wamid.1", "212600000001"),
            await log.claim("wamid.2", "212600000001"),
        ]

    assert asyncio.run(scenario()) == [True, False, True]
    log.close()


def test_claims_survive_a_restart(tmp_path: Path) -> None:
    url, first = make_log(tmp_path)
    assert asyncio.run(first.claim("wamid.1", "212600000001"))
    first.close()
    restarted = InboundMessageLog(url, "whatsapp")  # empty memory, same database
    assert not asyncio.run(restarted.claim("wamid.1", "212600000001"))
    with restarted.engine.connect() as connection:
        rows = connection.execute(inbound_messages.select()).mappings().all()
    assert [(r["message_id"], r["channel"]) for r in rows] == [("wamid.1", "whatsapp")]
    restarted.close()


def test_concurrent_deliveries_of_one_message_yield_one_claim(tmp_path: Path) -> None:
    url, _ = make_log(tmp_path)
    logs = [InboundMessageLog(url, "whatsapp") for _ in range(5)]  # e.g. five replicas

    async def scenario() -> list[bool]:
        return list(await asyncio.gather(*(log.claim("wamid.same", "212600000001") for log in logs)))

    assert sorted(asyncio.run(scenario())) == [False, False, False, False, True]


def test_without_the_table_messages_are_processed_and_memory_still_deduplicates(tmp_path: Path) -> None:
    log = InboundMessageLog(f"sqlite:///{tmp_path / 'empty.db'}", "whatsapp")

    async def scenario() -> list[bool]:
        return [await log.claim("wamid.1", "x"), await log.claim("wamid.1", "x")]

    assert asyncio.run(scenario()) == [True, False]


def test_a_claim_never_answered_is_taken_again_once(tmp_path: Path) -> None:
    """Rasa killed after acknowledging: Meta's re-delivery or the recovery loop answers it, once."""
    url, _ = make_log(tmp_path)
    crashed = InboundMessageLog(url, "whatsapp")
    assert asyncio.run(crashed.claim("wamid.lost", "whatsapp:212600000001", '{"text": "Bonjour"}'))
    crashed.close()  # the process dies before `done`
    restarted = [InboundMessageLog(url, "whatsapp") for _ in range(3)]
    assert not asyncio.run(restarted[0].claim("wamid.lost", "whatsapp:212600000001"))  # maybe still running
    for log in restarted:  # credentials.yml: stale_after_seconds
        log.stale_after = dt.timedelta(seconds=0.5)
    time.sleep(0.6)
    assert asyncio.run(restarted[0].unfinished()) == [("wamid.lost", '{"text": "Bonjour"}')]

    async def redeliveries() -> list[bool]:
        return list(await asyncio.gather(*(log.claim("wamid.lost", "whatsapp:212600000001") for log in restarted)))

    assert sorted(asyncio.run(redeliveries())) == [False, False, True]
    asyncio.run(restarted[0].done("wamid.lost"))
    assert asyncio.run(restarted[1].unfinished()) == []
    assert not asyncio.run(InboundMessageLog(url, "whatsapp").claim("wamid.lost", "whatsapp:212600000001"))
    for log in restarted:
        log.close()


def test_a_hanging_database_does_not_hold_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connection accepted, never answered: the message is processed after DATABASE_TIMEOUT
    (Meta gets its acknowledgement in time), and marking it handled gives up as quickly."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    monkeypatch.setattr(dedup, "DATABASE_TIMEOUT", 1.0)
    log = InboundMessageLog(f"postgresql://nobody@127.0.0.1:{server.getsockname()[1]}/none", "whatsapp")

    async def scenario() -> tuple[bool, float]:
        started = time.monotonic()
        claimed = await log.claim("wamid.hang", "whatsapp:212600000001", "{}")
        await log.done("wamid.hang")
        assert await log.unfinished() == []
        return claimed, time.monotonic() - started

    try:
        claimed, took = asyncio.run(scenario())
    finally:
        server.close()
    assert claimed and took < 10, took
