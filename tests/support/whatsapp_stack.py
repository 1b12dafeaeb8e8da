"""A stack whose WhatsApp channels (Meta's Cloud API and Twilio) talk to the local fakes.

The channel tests (tests/rasa_env/channels), the fault tests (tests/e2e/conftest.py's
`faulty`) and the console-presence test each run one; what differs is passed in: the REST
channel's class, whether the website channel is on, the channels' own options and extra
settings. The secrets are made up per test session; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

from tests.support.fakes import FakeGraphApi, FakeTwilioApi
from tests.support.stack import Stack

PHONE_NUMBER_ID = "109876543210"
APP_SECRET = secrets.token_hex(16)
VERIFY_TOKEN = secrets.token_urlsafe(12)
TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = secrets.token_hex(16)
TWILIO_NUMBER = "+14155238886"

VALIDATED_REST = "assistant.channels.rest.ValidatedRestInput"
WEBSITE = {
    "assistant.channels.socketio.SessionSocketIOInput": {
        "user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True,
    },
}
#: How quickly the channels retry a refused send in tests.
RETRY = {"retry_base_delay": 0.05}


def whatsapp_stack(
    graph: FakeGraphApi, twilio_api: FakeTwilioApi, *, rest: str = VALIDATED_REST, website: bool = True,
    whatsapp: dict[str, Any] | None = None, twilio: dict[str, Any] | None = None,
    settings: dict[str, str] | None = None, **stack: Any,
) -> Stack:
    """A Stack (not started) with REST, the website (unless `website=False`), WhatsApp and Twilio."""
    env = {
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN, "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_ACCESS_TOKEN": "fake-access-token", "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_API_URL": f"{graph.url}/v21.0", "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "TWILIO_WHATSAPP_NUMBER": TWILIO_NUMBER,
        **(settings or {}),
    }
    credentials: dict[str, Any] = {rest: None, **(WEBSITE if website else {})}
    credentials["assistant.channels.whatsapp.WhatsAppInput"] = {**RETRY, **(whatsapp or {})}
    credentials["assistant.channels.twilio.TwilioWhatsAppInput"] = {"api_base_url": twilio_api.url, **RETRY, **(twilio or {})}
    return Stack(env_overrides=env, credentials=credentials, **stack)


def running(stack: Stack) -> Iterator[Stack]:
    """A fixture's body: the stack started for the tests, stopped and removed after them."""
    with stack:
        yield stack
    stack.cleanup()
