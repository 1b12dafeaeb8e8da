"""The three processes start and answer."""

from __future__ import annotations

import json
import urllib.request
import uuid

from tests.support.stack import Stack


def test_health_endpoints(stack: Stack) -> None:
    with urllib.request.urlopen(f"{stack.action_url}/health") as response:
        assert json.loads(response.read())["status"] == "ok"
    with urllib.request.urlopen(f"{stack.service_url}/health") as response:
        health = json.loads(response.read())
    assert health["status"] == "ok" and health["knowledge_version"] >= 1


def test_rest_channel_answers(stack: Stack) -> None:
    messages = stack.say(uuid.uuid4().hex, "Bonjour")
    assert messages and "Bonjour" in messages[0]["text"]
