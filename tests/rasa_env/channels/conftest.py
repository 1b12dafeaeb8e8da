"""Fixtures of the channel tests: local fake Graph and Twilio APIs, and one shared stack.

The stack (real Rasa + action server on loopback, temporary SQLite database) takes
~30 s to start, so the integration tests share one per session; it has both
WhatsApp channels enabled and pointed at the fakes. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fakes import FakeGraphApi, FakeTwilioApi
from tests.support.stack import Stack
from tests.support.whatsapp_stack import running, whatsapp_stack


@pytest.fixture(scope="session")
def graph() -> Iterator[FakeGraphApi]:
    with FakeGraphApi() as fake:
        yield fake


@pytest.fixture(scope="session")
def twilio_api() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi() as fake:
        yield fake


@pytest.fixture
def fresh_graph(graph: FakeGraphApi) -> FakeGraphApi:
    graph.reset()
    return graph


@pytest.fixture
def fresh_twilio(twilio_api: FakeTwilioApi) -> FakeTwilioApi:
    twilio_api.reset()
    return twilio_api


@pytest.fixture(scope="session")
def stack(graph: FakeGraphApi, twilio_api: FakeTwilioApi) -> Iterator[Stack]:
    """Rasa with the REST channel and both WhatsApp channels, talking to the fakes."""
    yield from running(whatsapp_stack(graph, twilio_api, rest="rest", website=False, start_service=False))
