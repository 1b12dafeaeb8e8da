"""The e2e stacks started ahead (tests/support/ahead.py): one at a time, in order, errors raised by
the fixture that takes them, every started one stopped once, whether taken or not."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import pytest

from tests.support.ahead import Ahead

events: list[str] = []
lock = threading.Lock()


def log(text: str) -> None:
    with lock:
        events.append(text)


def started(name: str, seconds: float = 0.05) -> contextlib.AbstractContextManager[str]:
    @contextlib.contextmanager
    def factory() -> Iterator[str]:
        log(f"start {name}")
        time.sleep(seconds)
        log(f"up {name}")
        try:
            yield name
        finally:
            log(f"stop {name}")
    return factory()


def first() -> contextlib.AbstractContextManager[str]:
    return started("first")


def second() -> contextlib.AbstractContextManager[str]:
    return started("second")


def missing() -> contextlib.AbstractContextManager[str]:
    pytest.skip("RabbitMQ not available")


def never_taken() -> contextlib.AbstractContextManager[str]:
    return started("never taken")


@pytest.fixture(autouse=True)
def clean() -> None:
    events.clear()


def test_one_at_a_time_in_order_and_stopped_when_taken_or_at_the_end() -> None:
    ahead = Ahead([first, second, missing, never_taken])
    taken = ahead.take(first)
    assert next(taken) == "first"  # starts the thread, waits for its job only
    second_taken = ahead.take(second)
    assert next(second_taken) == "second"
    assert events[:4] == ["start first", "up first", "start second", "up second"]  # never two at once
    with pytest.raises(StopIteration):
        next(taken)  # the first module is over
    assert events[-1] == "stop first"
    with pytest.raises(pytest.skip.Exception, match="RabbitMQ"):
        next(ahead.take(missing))  # the module's fixture skips (or fails) as if it had started it
    ahead.close()  # the session is over: the second (taken, its module not over) and the one never taken
    assert events.count("stop second") == 1 and events.count("stop never taken") == 1
    second_taken.close()  # the module's teardown after the session's: stopped once
    assert events.count("stop second") == 1


def test_nothing_starts_after_the_session_ended() -> None:
    ahead = Ahead([first])
    ahead.close()
    assert events == []
    with pytest.raises(RuntimeError, match="session ended"):
        next(ahead.take(first))
