"""Fixtures of the channel tests: local fake Graph and Twilio APIs (tests/support/fake_api_fixtures.py),
and one shared stack.

The stack (real Rasa + action server on loopback, temporary SQLite database) takes
~30 s to start, so the integration tests share one per session; it has both
WhatsApp channels enabled and pointed at the fakes. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import fake_api_fixtures
from tests.support.fakes import FakeGraphApi, FakeTwilioApi
from tests.support.stack import Stack
from tests.support.whatsapp_stack import running, whatsapp_stack

#: The fakes' fixtures, defined once (also used by tests/e2e).
graph = fake_api_fixtures.graph
twilio_api = fake_api_fixtures.twilio_api
fresh_graph = fake_api_fixtures.fresh_graph
fresh_twilio = fake_api_fixtures.fresh_twilio


@pytest.fixture(scope="session")
def stack(graph: FakeGraphApi, twilio_api: FakeTwilioApi) -> Iterator[Stack]:
    """Rasa with the REST channel and both WhatsApp channels, talking to the fakes."""
    yield from running(whatsapp_stack(graph, twilio_api, rest="rest", website=False, start_service=False))
