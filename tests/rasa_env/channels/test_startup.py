"""credentials.yml loads both WhatsApp channels; they answer 503 until they can work.

Served by `serve_channels` (Rasa's channel registration without a model): unset
settings give "not configured", and a configured channel without a loaded model asks
Meta to deliver again later instead of accepting a message it cannot answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.rasa_env.channels.support import (
    http,
    post_whatsapp,
    text_notification,
    wa_id,
)
from tests.support.stack import ROOT, free_port, wait_http
from tests.support.whatsapp_stack import (
    APP_SECRET,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
)


def serve(env_overrides: dict[str, str]) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "TWILIO_"))}
    env.update(PYTHONPATH=str(ROOT), **env_overrides)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.rasa_env.channels.serve_channels", str(ROOT / "credentials.yml"), str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/webhooks/whatsapp/", 60, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(15)


@pytest.fixture(scope="module")
def unconfigured() -> Iterator[str]:
    yield from serve({})


@pytest.fixture(scope="module")
def without_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve({
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN, "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_ACCESS_TOKEN": "token", "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_API_URL": "http://127.0.0.1:9/unused",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'assistant.db'}",
    })


def test_channels_start_and_say_they_are_not_configured(unconfigured: str) -> None:
    for channel in ("whatsapp", "twilio"):
        status, body = http(f"{unconfigured}/webhooks/{channel}/")
        assert status == 200 and json.loads(body) == {"status": "ok", "configured": False}


def test_unconfigured_webhooks_answer_503_with_a_clear_message(unconfigured: str) -> None:
    for method, path in (("GET", "whatsapp/webhook?hub.mode=subscribe"), ("POST", "whatsapp/webhook"),
                         ("POST", "twilio/webhook")):
        status, body = http(f"{unconfigured}/webhooks/{path}", b"{}" if method == "POST" else None, method=method)
        assert status == 503
        assert "not configured" in json.loads(body)["error"]


def test_messages_are_not_accepted_before_a_model_is_loaded(without_model: str) -> None:
    status, body = post_whatsapp(without_model, text_notification(wa_id(), "Bonjour"))
    assert status == 503 and "try again later" in json.loads(body)["error"]
