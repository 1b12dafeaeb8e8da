"""The fake Graph API and Twilio REST API as pytest fixtures (see `fakes`), one of each per session.

Imported by the conftests that need them (tests/rasa_env/channels, tests/e2e) rather than
typed in each: `graph` and `twilio_api` run for the session; `fresh_graph` and
`fresh_twilio` are the same fakes with their records and scripted failures cleared.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fakes import FakeGraphApi, FakeTwilioApi

__all__ = ["fresh_graph", "fresh_twilio", "graph", "twilio_api"]


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
