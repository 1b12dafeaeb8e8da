"""End-to-end fixtures: the real stack on loopback (see tests/support/stack.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.stack import Stack


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The assistant with its default channels (REST, socketio) and the guidance service."""
    with Stack() as running:
        yield running
    running.cleanup()
