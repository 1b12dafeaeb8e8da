"""Fixtures of the channel tests: local fake Graph and Twilio APIs, and one shared stack.

The stack (real Rasa + action server on loopback, temporary SQLite database) takes
~30 s to start, so the integration tests share one per session; it has both
WhatsApp channels enabled and pointed at the fakes. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.rasa_env.channels.support import (
    APP_SECRET,
    PHONE_NUMBER_ID,
    TWILIO_NUMBER,
    TWILIO_SID,
    TWILIO_TOKEN,
    VERIFY_TOKEN,
)
from tests.support.fakes import FakeGraphApi, FakeTwilioApi
from tests.support.stack import Stack


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
    running = Stack(
        start_service=False,
        env_overrides={
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_ACCESS_TOKEN": "fake-access-token",
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "WHATSAPP_API_URL": f"{graph.url}/v21.0",
            "TWILIO_ACCOUNT_SID": TWILIO_SID,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "TWILIO_WHATSAPP_NUMBER": TWILIO_NUMBER,
        },
        credentials={
            "rest": None,
            "assistant.channels.whatsapp.WhatsAppInput": {"retry_base_delay": 0.05},
            "assistant.channels.twilio.TwilioWhatsAppInput": {
                "api_base_url": twilio_api.url,
                "retry_base_delay": 0.05,
            },
        },
    )
    with running:
        yield running
    running.cleanup()
