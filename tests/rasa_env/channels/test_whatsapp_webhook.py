"""The Cloud API webhook in the real Rasa server, answering through the fake Graph API.

Each test uses its own WhatsApp sender, so the shared stack's conversations never mix.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from typing import Any

import pytest

from tests.rasa_env.channels.support import (
    UNSIGNED,
    conversation_of,
    http,
    new_message_id,
    notification,
    post_whatsapp,
    sign,
    text_notification,
    user_events,
    wa_id,
    wait_user_events,
)
from tests.support.fakes import FakeGraphApi
from tests.support.stack import Stack
from tests.support.whatsapp_stack import (
    VERIFY_TOKEN,
)

ARABIC = re.compile(r"[\u0600-\u06FF]")
UNSUPPORTED = {
    "fr": "je ne lis que les messages écrits",
    "ar": "لا أقرأ إلا الرسائل المكتوبة",
    "en": "I can only read written messages",
}


def body_text(message: dict) -> str:
    """The visible text of a message object sent to the Graph API."""
    if message["type"] == "text":
        return str(message["text"]["body"])
    if message["type"] == "interactive":
        return str(message["interactive"]["body"]["text"])
    return json.dumps(message, ensure_ascii=False)


def wait_reply_containing(graph: FakeGraphApi, sender: str, text: str, after: int = 0) -> str:
    """The first message after the first `after` ones that contains `text`.

    An answer may be several messages sent one after another, so counting messages
    races with the rest of the previous answer; waiting for the text does not.
    """
    return str(graph.wait_for(lambda _: next(
        (body for m in graph.messages_to(sender)[after:] if text in (body := body_text(m))), None)))


# ----------------------------------------------------------------------------- verification


def verify_url(stack: Stack, **params: str) -> str:
    return f"{stack.rasa_url}/webhooks/whatsapp/webhook?{urllib.parse.urlencode(params)}"


def test_subscription_is_verified_with_the_right_token_only(stack: Stack) -> None:
    good = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    assert http(verify_url(stack, **good)) == (200, b"1158201444")
    assert http(verify_url(stack, **{**good, "hub.verify_token": "wrong"}))[0] == 403
    assert http(verify_url(stack, **{**good, "hub.mode": "unsubscribe"}))[0] == 403
    assert http(verify_url(stack, **{"hub.mode": "subscribe", "hub.challenge": "1"}))[0] == 403


# ----------------------------------------------------------------------------- refusals


def test_unsigned_and_forged_notifications_are_refused_and_not_processed(
    stack: Stack, fresh_graph: FakeGraphApi
) -> None:
    sender = wa_id()
    payload = text_notification(sender, "Bonjour")
    body = json.dumps(payload).encode()
    assert post_whatsapp(stack, payload, signature=UNSIGNED)[0] == 403
    assert post_whatsapp(stack, payload, signature=sign(body, "not the app secret"))[0] == 403
    assert post_whatsapp(stack, payload, signature=sign(b'{"other": "body"}'))[0] == 403
    assert post_whatsapp(stack, payload, signature="sha256=" + "0" * 64)[0] == 403
    assert post_whatsapp(stack, payload, signature=sign(body).replace("sha256=", "sha1="))[0] == 403
    assert not fresh_graph.quiet(1.5)
    assert user_events(stack, sender) == []


def test_malformed_json_is_400_and_oversized_bodies_413(stack: Stack) -> None:
    assert post_whatsapp(stack, b'{"object": "whatsapp_business_account", ')[0] == 400
    assert post_whatsapp(stack, b"\xff\xfe not utf-8")[0] == 400
    huge = json.dumps({"object": "whatsapp_business_account", "padding": "x" * (1024 * 1024)}).encode()
    status, body = post_whatsapp(stack, huge)
    assert status == 413 and json.loads(body) == {"error": "payload too large"}


def test_unknown_shapes_and_status_callbacks_are_acknowledged(stack: Stack, fresh_graph: FakeGraphApi) -> None:
    payload: Any  # whatever a webhook may receive
    for payload in ({"object": "page", "entry": []}, [], {"object": "whatsapp_business_account", "entry": [{}]}):
        assert post_whatsapp(stack, payload)[0] == 200
    statuses: dict[str, Any] = {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "x"},
                                       "statuses": []}}]}]}
    for status in ("sent", "delivered", "read", "failed"):
        value = statuses["entry"][0]["changes"][0]["value"]
        value["metadata"]["phone_number_id"] = "109876543210"
        value["statuses"] = [{"id": "wamid.out", "status": status, "timestamp": "1700000000",
                              "recipient_id": "212600000000", "errors": [{"code": 131047}]}]
        assert post_whatsapp(stack, statuses)[0] == 200
    assert not fresh_graph.quiet(1.0)


# ----------------------------------------------------------------------------- conversations


def test_a_message_is_acknowledged_at_once_and_answered_once_despite_redelivery(
    stack: Stack, fresh_graph: FakeGraphApi
) -> None:
    sender, message_id = wa_id(), new_message_id()
    payload = text_notification(sender, "Bonjour", message_id)
    started = time.monotonic()
    status, body = post_whatsapp(stack, payload)
    assert status == 200 and json.loads(body) == {"status": "accepted"}
    assert time.monotonic() - started < 1.0
    (greeting,) = fresh_graph.wait_messages(sender)
    assert body_text(greeting).startswith("Bonjour et bienvenue")
    for _ in range(3):  # Meta retries
        assert post_whatsapp(stack, payload)[0] == 200
    assert len(fresh_graph.quiet(2.0)) == 1
    events = user_events(stack, sender)
    assert [(e["text"], e["message_id"], e["input_channel"]) for e in events] == [("Bonjour", message_id, "whatsapp")]


def test_greeting_buttons_arrive_as_a_list_and_a_row_reply_reaches_rasa_as_its_payload(
    stack: Stack, fresh_graph: FakeGraphApi
) -> None:
    sender = wa_id()
    post_whatsapp(stack, text_notification(sender, "Bonjour"))
    (greeting,) = fresh_graph.wait_messages(sender)
    rows = greeting["interactive"]["action"]["sections"][0]["rows"]  # 4 options: a list
    assert rows[0] == {"id": "/ask_legal_form", "title": "Formes juridiques"}
    reply = {"type": "list_reply", "list_reply": {"id": "/ask_legal_form", "title": "Formes juridiques"}}
    post_whatsapp(stack, notification(sender, "interactive", interactive=reply))
    events = wait_user_events(stack, sender, 2)
    assert events[-1]["text"] == "/ask_legal_form"
    assert events[-1]["parse_data"]["intent"]["name"] == "ask_legal_form"
    button = {"type": "button_reply", "button_reply": {"id": "/request_human", "title": "Conseiller"}}
    post_whatsapp(stack, notification(sender, "interactive", interactive=button))
    assert wait_user_events(stack, sender, 3)[-1]["parse_data"]["intent"]["name"] == "request_human"


def test_a_number_typed_after_a_numbered_menu_is_its_payload(stack: Stack, fresh_graph: FakeGraphApi) -> None:
    sender = wa_id()
    post_whatsapp(stack, text_notification(sender, "Bonjour"))
    fresh_graph.wait_messages(sender)
    wait_user_events(stack, sender, 1)
    # No response has more than 10 buttons yet: append one such bot message to the conversation.
    buttons = [{"title": f"Région {n}", "payload": f'/ask_region{{"region": "r{n}"}}'} for n in range(1, 13)]
    buttons[1] = {"title": "Fiscalité", "payload": "/ask_tax"}
    event = {"event": "bot", "text": "Choisissez :", "data": {"buttons": buttons}}
    status, _ = http(f"{stack.rasa_url}/conversations/{conversation_of(sender)}/tracker/events?token={stack.token}",
                     json.dumps(event).encode(), {"Content-Type": "application/json"})
    assert status == 200
    post_whatsapp(stack, text_notification(sender, "٢"))  # "2" in Arabic-Indic digits
    events = wait_user_events(stack, sender, 2)
    assert events[-1]["text"] == "/ask_tax"
    assert events[-1]["parse_data"]["intent"]["name"] == "ask_tax"
    # The greeting's options were a list, not a numbered menu: a typed number stays a number.
    post_whatsapp(stack, text_notification(sender, "Bonjour"))
    wait_user_events(stack, sender, 3)
    post_whatsapp(stack, text_notification(sender, "2"))
    assert wait_user_events(stack, sender, 4)[-1]["text"] == "2"


def test_arabic_round_trip_then_an_image_gets_the_polite_reply_in_arabic(
    stack: Stack, fresh_graph: FakeGraphApi
) -> None:
    sender = wa_id()
    post_whatsapp(stack, text_notification(sender, "ما هو رأس مال الشركة ذات المسؤولية المحدودة؟"))
    answer = fresh_graph.wait_messages(sender)
    assert ARABIC.search(body_text(answer[0]))
    raw = next(r.body for r in fresh_graph.requests if r.json and r.json.get("to") == sender)
    assert "المسؤولية".encode() in raw  # UTF-8 on the wire, not \u escapes
    wait_user_events(stack, sender, 1)  # the answer is sent before the tracker is saved
    assert stack.tracker(conversation_of(sender))["slots"]["language"] == "ar"
    sent_before = len(fresh_graph.messages_to(sender))
    image = {"id": "media-1", "mime_type": "image/jpeg", "sha256": "x"}
    post_whatsapp(stack, notification(sender, "image", image=image))
    assert wait_reply_containing(fresh_graph, sender, UNSUPPORTED["ar"], sent_before)


@pytest.mark.parametrize(("first_text", "language"), [(None, "fr"), ("Hello, I want to create a company", "en")])
def test_media_gets_the_polite_reply_in_the_conversation_language(
    stack: Stack, fresh_graph: FakeGraphApi, first_text: str | None, language: str
) -> None:
    sender = wa_id()
    sent = 0
    if first_text:
        post_whatsapp(stack, text_notification(sender, first_text))
        sent = len(fresh_graph.wait_messages(sender))
    post_whatsapp(stack, notification(sender, "audio", audio={"id": "media-2", "mime_type": "audio/ogg"}))
    assert wait_reply_containing(fresh_graph, sender, UNSUPPORTED[language], sent)


def test_graph_api_server_errors_are_retried(stack: Stack, fresh_graph: FakeGraphApi) -> None:
    sender = wa_id()
    fresh_graph.fail_next(500)
    post_whatsapp(stack, text_notification(sender, "Bonjour"))
    fresh_graph.wait_messages(sender)
    assert [r.status for r in fresh_graph.requests] == [500, 200]


def test_staff_messages_relayed_through_the_http_api_reach_whatsapp(stack: Stack, fresh_graph: FakeGraphApi) -> None:
    sender = wa_id()
    post_whatsapp(stack, text_notification(sender, "Bonjour"))
    sent = len(fresh_graph.wait_messages(sender))
    wait_user_events(stack, sender, 1)  # the answer is sent before the tracker is saved
    for number, action in enumerate(("action_agent_joined", "action_agent_left"), start=1):
        status, body = http(
            f"{stack.rasa_url}/conversations/{conversation_of(sender)}/execute?output_channel=whatsapp&token={stack.token}",
            json.dumps({"name": action}).encode(), {"Content-Type": "application/json"},
        )
        assert status == 200, body
        relayed = fresh_graph.wait_messages(sender, sent + number)[-1]
        assert ("a rejoint la conversation" if number == 1 else "a quitté la conversation") in body_text(relayed)


def test_a_restart_does_not_answer_a_redelivered_message_twice(stack: Stack, fresh_graph: FakeGraphApi) -> None:
    """Last: restarts the shared stack (it works the same afterwards)."""
    sender, message_id = wa_id(), new_message_id()
    payload = text_notification(sender, "Bonjour", message_id)
    post_whatsapp(stack, payload)
    fresh_graph.wait_messages(sender)
    wait_user_events(stack, sender, 1)
    stack.stop()
    stack.start()
    fresh_graph.reset()
    assert post_whatsapp(stack, payload)[0] == 200
    post_whatsapp(stack, text_notification(sender, "Hello"))  # handled after the re-delivery (same sender)
    fresh_graph.wait_messages(sender)
    fresh_graph.quiet(1.0)
    assert len(fresh_graph.messages_to(sender)) == 1  # the greeting answering "Hello" only
    assert [e["text"] for e in user_events(stack, sender)] == ["Bonjour", "Hello"]
