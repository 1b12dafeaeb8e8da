"""What TwilioWhatsAppOutput sends to Twilio's REST API (a local fake, never twilio.com)."""

from __future__ import annotations

import asyncio
from typing import Any

from assistant.channels.graph_api import RetryPolicy
from assistant.channels.twilio import TwilioWhatsAppOutput, whatsapp_address
from tests.support.fakes import FakeTwilioApi

SID = "AC" + "1" * 32
USER = "whatsapp:+212600000001"


def send(fake: FakeTwilioApi, message: dict[str, Any]) -> list[dict[str, str]]:
    output = TwilioWhatsAppOutput(SID, "token", "+14155238886", api_base_url=fake.url,
                                  retry=RetryPolicy(attempts=3, base_delay=0.01, timeout=2.0))
    asyncio.run(output.send_response(USER, dict(message)))
    return fake.messages_to(USER)


def test_messages_go_to_the_configured_base_url_from_the_whatsapp_number(fresh_twilio: FakeTwilioApi) -> None:
    assert send(fresh_twilio, {"text": "Bonjour"}) == [{"To": USER, "From": "whatsapp:+14155238886", "Body": "Bonjour"}]
    request = fresh_twilio.requests[0]
    assert request.path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request.headers["Authorization"].startswith("Basic ")


def test_buttons_become_numbered_lines(fresh_twilio: FakeTwilioApi) -> None:
    buttons = [{"title": "Formes juridiques", "payload": "/ask_legal_form"},
               {"title": "Parler à un conseiller", "payload": "/request_human"}]
    (sent,) = send(fresh_twilio, {"text": "Quelle est votre question ?", "buttons": buttons})
    assert sent["Body"] == "Quelle est votre question ?\n\n1. Formes juridiques\n2. Parler à un conseiller"


def test_long_texts_are_split_under_twilios_1600_characters(fresh_twilio: FakeTwilioApi) -> None:
    bodies = [m["Body"] for m in send(fresh_twilio, {"text": "Une phrase complète ici. " * 100})]
    assert len(bodies) == 2 and all(len(b) <= 1600 and b.endswith("ici.") for b in bodies)


def test_server_errors_are_retried_and_client_errors_are_not(fresh_twilio: FakeTwilioApi) -> None:
    fresh_twilio.fail_next(500)
    assert len(send(fresh_twilio, {"text": "Bonjour"})) == 1
    assert [r.status for r in fresh_twilio.requests] == [500, 201]
    fresh_twilio.reset()
    fresh_twilio.fail_next(400)
    assert send(fresh_twilio, {"text": "Bonjour"}) == []
    assert [r.status for r in fresh_twilio.requests] == [400]


def test_a_cloud_api_template_request_is_sent_as_text(fresh_twilio: FakeTwilioApi) -> None:
    custom = {"whatsapp_template": {"name": "x", "language": "fr", "parameters": ["Sara", "Bonjour"]},
              "text": "Bonjour"}
    assert [m["Body"] for m in send(fresh_twilio, {"custom": custom})] == ["Bonjour"]


def test_whatsapp_address() -> None:
    assert whatsapp_address("+14155238886") == "whatsapp:+14155238886"
    assert whatsapp_address("whatsapp:+14155238886") == "whatsapp:+14155238886"
