"""The Twilio WhatsApp webhook in the real Rasa server, answering through the fake Twilio API."""

from __future__ import annotations

import json
import urllib.parse
import uuid

from tests.rasa_env.channels.support import (
    conversation_of,
    http,
    post_twilio,
    twilio_form,
    user_events,
    wait_user_events,
)
from tests.support.fakes import FakeTwilioApi
from tests.support.stack import Stack


def twilio_sender() -> str:
    return "whatsapp:+2126" + str(uuid.uuid4().int)[:8]


def test_signed_message_is_answered_with_numbered_buttons_and_a_number_maps_back(
    stack: Stack, fresh_twilio: FakeTwilioApi
) -> None:
    sender = twilio_sender()
    assert post_twilio(stack, twilio_form(sender, "Bonjour"))[0] == 204
    (greeting,) = fresh_twilio.wait_messages(sender)
    assert greeting["From"] == "whatsapp:+14155238886"
    assert greeting["Body"].startswith("Bonjour et bienvenue")
    assert "\n\n1. Formes juridiques\n2. Démarches de création\n3. Financements\n4. Parler à un conseiller" in (
        greeting["Body"]
    )
    post_twilio(stack, twilio_form(sender, "1"))
    events = wait_user_events(stack, sender, 2)
    assert events[-1]["text"] == "/ask_legal_form" and events[-1]["input_channel"] == "twilio"
    assert events[-1]["parse_data"]["intent"]["name"] == "ask_legal_form"


def test_forged_or_unsigned_requests_are_refused_and_not_processed(
    stack: Stack, fresh_twilio: FakeTwilioApi
) -> None:
    sender = twilio_sender()
    assert post_twilio(stack, twilio_form(sender, "Bonjour"), token="not-the-auth-token")[0] == 403
    assert post_twilio(stack, twilio_form(sender, "Bonjour"), headers={"X-Twilio-Signature": ""})[0] == 403
    signed_for_other_url = "http://127.0.0.1:1/webhooks/twilio/webhook"
    assert post_twilio(stack, twilio_form(sender, "Bonjour"), signed_url=signed_for_other_url)[0] == 403
    assert not fresh_twilio.quiet(1.0)
    assert user_events(stack, sender) == []


def test_the_public_url_behind_a_proxy_is_honoured(stack: Stack, fresh_twilio: FakeTwilioApi) -> None:
    sender = twilio_sender()
    public = "https://assistant.example.org/webhooks/twilio/webhook"
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "assistant.example.org"}
    assert post_twilio(stack, twilio_form(sender, "Bonjour"), signed_url=public, headers=proxy)[0] == 204
    fresh_twilio.wait_messages(sender)


def test_a_retried_webhook_is_answered_once_and_media_gets_the_polite_reply(
    stack: Stack, fresh_twilio: FakeTwilioApi
) -> None:
    sender = twilio_sender()
    form = twilio_form(sender, "Bonjour")
    for _ in range(2):
        assert post_twilio(stack, form)[0] == 204
    fresh_twilio.wait_messages(sender)
    image = twilio_form(sender, "", NumMedia="1", MediaUrl0="https://example.org/x.jpg", MediaContentType0="image/jpeg")
    post_twilio(stack, image)
    messages = fresh_twilio.wait_messages(sender, 2)
    assert len(fresh_twilio.quiet(1.0)) == 2
    assert "je ne lis que les messages écrits" in messages[1]["Body"]
    assert [e["text"] for e in user_events(stack, sender)] == ["Bonjour"]


def test_status_callbacks_are_acknowledged(stack: Stack, fresh_twilio: FakeTwilioApi) -> None:
    form = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered", "SmsStatus": "delivered",
            "To": twilio_sender(), "From": "whatsapp:+14155238886", "AccountSid": "AC" + "0" * 32}
    assert post_twilio(stack, form)[0] == 204
    assert not fresh_twilio.quiet(0.5)


def test_staff_messages_relayed_through_the_http_api_reach_twilio(stack: Stack, fresh_twilio: FakeTwilioApi) -> None:
    sender = twilio_sender()
    post_twilio(stack, twilio_form(sender, "Bonjour"))
    fresh_twilio.wait_messages(sender)
    wait_user_events(stack, sender, 1)  # the answer is sent before the tracker is saved
    # Rasa's routes do not percent-decode: "twilio:+212…" must stay as is in the path.
    conversation = urllib.parse.quote(conversation_of(sender), safe=":+")
    status, _ = http(
        f"{stack.rasa_url}/conversations/{conversation}/execute?output_channel=twilio&token={stack.token}",
        json.dumps({"name": "action_agent_joined"}).encode(), {"Content-Type": "application/json"},
    )
    assert status == 200
    assert "a rejoint la conversation" in fresh_twilio.wait_messages(sender, 2)[-1]["Body"]
