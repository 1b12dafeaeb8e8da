"""Shared channel helpers: per-sender ordering (a typed menu number: tests/rasa_env/test_typed_buttons.py)."""

from __future__ import annotations

import asyncio

from assistant.channels.common import Background


def test_background_handles_one_sender_in_order_and_others_in_parallel() -> None:
    log: list[str] = []

    async def scenario() -> None:
        background = Background("test")

        async def work(sender: str, name: str, delay: float) -> None:
            async with background.sender(sender):
                log.append(f"start {name}")
                await asyncio.sleep(delay)
                log.append(f"end {name}")

        background.spawn(work("a", "a1", 0.05))
        background.spawn(work("a", "a2", 0.0))
        background.spawn(work("b", "b1", 0.0))
        await background.drain(timeout=2)
        assert background.pending == 0 and not background._locks

    asyncio.run(scenario())
    assert log.index("end a1") < log.index("start a2")  # same sender: in order
    assert log.index("end b1") < log.index("end a1")  # another sender did not wait


def test_a_failing_task_does_not_stop_the_others() -> None:
    done: list[str] = []

    async def scenario() -> None:
        background = Background("test")

        async def boom() -> None:
            raise RuntimeError("bug")

        async def fine() -> None:
            done.append("fine")

        background.spawn(boom())
        background.spawn(fine())
        await background.drain(timeout=2)

    asyncio.run(scenario())
    assert done == ["fine"]
