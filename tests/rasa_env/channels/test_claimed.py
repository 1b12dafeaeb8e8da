"""ClaimedMessages: a claimed message is answered once, marked handled, and recovered after a crash.

The WhatsApp and Twilio webhook tests exercise it through HTTP; these check its own promises
directly on a real SQLite database: handled after an answer (also after a failing answer, so a
bug is not retried for ever), released when the server stops mid-answer, and the recovery loop
answering what a stopped process acknowledged but never answered.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from assistant.channels.claimed import ClaimedMessages
from assistant.channels.dedup import inbound_messages, make_engine


def make_claimed(tmp_path: Path, stale_after: dt.timedelta = dt.timedelta(minutes=5)) -> ClaimedMessages:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    engine = make_engine(url)
    inbound_messages.metadata.create_all(engine, tables=[inbound_messages])
    engine.dispose()
    return ClaimedMessages("whatsapp", url, recovery_seconds=0.05, stale_after=stale_after)


def rows(claimed: ClaimedMessages) -> dict[str, tuple[bool, str | None]]:
    """message id -> (handled, payload kept)."""
    table = inbound_messages
    with claimed.log.engine.connect() as connection:
        found = connection.execute(select(table.c.message_id, table.c.handled_at, table.c.payload)).all()
    return {row.message_id: (row.handled_at is not None, row.payload) for row in found}


def test_an_answered_message_is_marked_handled_and_never_claimed_again(tmp_path: Path) -> None:
    claimed = make_claimed(tmp_path)
    answered: list[str] = []

    async def work() -> None:
        answered.append("wamid.1")

    async def scenario() -> bool:
        assert await claimed.claim("wamid.1", "212600000001", '{"text": "salam"}')
        await claimed.answer("wamid.1", "212600000001", work)
        return await claimed.claim("wamid.1", "212600000001", '{"text": "salam"}')

    assert asyncio.run(scenario()) is False
    assert answered == ["wamid.1"]
    assert rows(claimed) == {"wamid.1": (True, None)}  # the message's text is dropped once handled
    claimed.log.close()


def test_a_failing_answer_is_logged_and_marked_handled_not_retried_for_ever(tmp_path: Path) -> None:
    claimed = make_claimed(tmp_path)

    async def broken() -> None:
        raise ValueError("a bug in the answer")

    async def scenario() -> None:
        assert await claimed.claim("wamid.2", "212600000001", "{}")
        await claimed.answer("wamid.2", "212600000001", broken)  # does not raise

    asyncio.run(scenario())
    assert rows(claimed) == {"wamid.2": (True, None)}
    claimed.log.close()


def test_a_server_stopping_mid_answer_releases_the_claim_and_keeps_the_message(tmp_path: Path) -> None:
    claimed = make_claimed(tmp_path, stale_after=dt.timedelta(0))
    started = asyncio.Event()

    async def slow() -> None:
        started.set()
        await asyncio.sleep(60)

    async def scenario() -> bool:
        assert await claimed.claim("wamid.3", "212600000001", '{"text": "et le capital ?"}')
        task = asyncio.create_task(claimed.answer("wamid.3", "212600000001", slow))
        await started.wait()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return await claimed.claim("wamid.3", "212600000001", '{"text": "et le capital ?"}')

    assert asyncio.run(scenario()) is True  # released: a re-delivery is answered
    assert rows(claimed) == {"wamid.3": (False, '{"text": "et le capital ?"}')}
    claimed.log.close()


def test_recovery_answers_unfinished_messages_and_drops_unreadable_ones(tmp_path: Path) -> None:
    claimed = make_claimed(tmp_path, stale_after=dt.timedelta(0))
    agent = SimpleNamespace(is_ready=lambda: True)
    app = SimpleNamespace(ctx=SimpleNamespace(agent=agent))
    responded: list[tuple[str, str, str, Any]] = []

    def read(payload: str | None) -> tuple[str, str] | None:
        if payload is None or not payload.startswith("212"):
            return None
        sender, _, text = payload.partition(":")
        return sender, text

    async def respond(message_id: str, sender_id: str, text: str, used_agent: Any) -> None:
        responded.append((message_id, sender_id, text, used_agent))

    async def scenario() -> None:
        # Claimed by a process that stopped before answering (another ClaimedMessages, same database).
        stopped = ClaimedMessages("whatsapp", f"sqlite:///{tmp_path / 'assistant.db'}", 0.05, dt.timedelta(0))
        assert await stopped.claim("wamid.4", "212600000004", "212600000004:ch7al lcapital?")
        assert await stopped.claim("wamid.5", "212600000005", "garbage")
        stopped.log.close()
        loop = asyncio.create_task(claimed.recover_forever(app, read, respond))
        for _ in range(100):
            if responded and rows(claimed)["wamid.5"][0]:
                break
            await asyncio.sleep(0.05)
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)

    asyncio.run(scenario())
    assert responded == [("wamid.4", "212600000004", "ch7al lcapital?", agent)]
    assert rows(claimed) == {"wamid.4": (True, None), "wamid.5": (True, None)}
    claimed.log.close()


def test_recovery_waits_while_no_model_is_loaded(tmp_path: Path) -> None:
    claimed = make_claimed(tmp_path, stale_after=dt.timedelta(0))
    app = SimpleNamespace(ctx=SimpleNamespace(agent=None))
    responded: list[str] = []

    async def respond(message_id: str, *_: Any) -> None:
        responded.append(message_id)

    async def scenario() -> None:
        assert await claimed.claim("wamid.6", "212600000006", "212600000006:salam")
        claimed.log.release("wamid.6")  # as after a restart: only the database remembers it
        loop = asyncio.create_task(claimed.recover_forever(app, lambda p: ("212600000006", p), respond))
        await asyncio.sleep(0.3)
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)

    asyncio.run(scenario())
    assert responded == []
    assert rows(claimed) == {"wamid.6": (False, "212600000006:salam")}  # kept for when the model is loaded
    claimed.log.close()


def test_recovery_ends_at_once_when_the_server_stops(tmp_path: Path) -> None:
    # recovery_seconds 60: the loop must not sleep out its round (each stop waited for the drain's timeout)
    claimed = ClaimedMessages("whatsapp", f"sqlite:///{tmp_path / 'assistant.db'}", 60, dt.timedelta(minutes=5))
    inbound_messages.metadata.create_all(claimed.log.engine, tables=[inbound_messages])
    app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(is_ready=lambda: True)))

    async def respond(*_: Any) -> None:
        raise AssertionError("nothing to recover")

    async def scenario() -> None:
        loop = asyncio.create_task(claimed.recover_forever(app, lambda p: None, respond))
        await asyncio.sleep(0.3)  # a round done, sleeping until the next
        claimed.stop_recovering()
        await asyncio.wait_for(loop, 2)  # returned, not cancelled

    asyncio.run(scenario())
    claimed.log.close()
