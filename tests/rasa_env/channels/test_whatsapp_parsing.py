"""Reading Cloud API notifications and checking their signature (no server)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from assistant.channels.whatsapp import parse_notification, valid_signature

PHONE = "123"


def notification(*messages: dict[str, Any], statuses: list[dict[str, Any]] | None = None,
                 phone: str = PHONE) -> dict[str, Any]:
    value: dict[str, Any] = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": phone}}
    if messages:
        value["contacts"] = [{"profile": {"name": "Amina"}, "wa_id": "212600000001"}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = statuses
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages",
                                                                                       "value": value}]}]}


def message(kind: str, **content: Any) -> dict[str, Any]:
    return {"from": "212600000001", "id": f"wamid.{kind}", "timestamp": "1700000000", "type": kind, **content}


def test_signature_is_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"object": "whatsapp_business_account"}'
    good = "sha256=" + hmac.new(b"secret", body, hashlib.sha256).hexdigest()
    assert valid_signature(body, good, "secret")
    assert not valid_signature(body + b" ", good, "secret")
    assert not valid_signature(body, good, "other secret")
    assert not valid_signature(body, good.replace("sha256=", "sha1="), "secret")
    assert not valid_signature(body, None, "secret")
    assert not valid_signature(body, good, "")


def test_text_buttons_and_list_replies() -> None:
    parsed = parse_notification(notification(
        message("text", text={"body": "Bonjour"}),
        message("interactive", interactive={"type": "button_reply",
                                            "button_reply": {"id": "/ask_legal_form", "title": "Formes"}}),
        {**message("interactive", interactive={"type": "list_reply",
                                               "list_reply": {"id": "/ask_tax", "title": "Impôts"}}), "id": "wamid.l"},
        message("button", button={"payload": "/affirm", "text": "Oui"}),
    ), PHONE)
    assert [(m.kind, m.text) for m in parsed.messages] == [
        ("text", "Bonjour"), ("choice", "/ask_legal_form"), ("choice", "/ask_tax"), ("choice", "/affirm")
    ]
    assert parsed.messages[0].sender_id == "whatsapp:212600000001"
    assert parsed.messages[0].message_id == "wamid.text"


def test_media_is_unsupported_and_reactions_are_ignored() -> None:
    parsed = parse_notification(notification(
        message("image", image={"id": "media-1", "mime_type": "image/jpeg"}),
        message("location", location={"latitude": 33.5, "longitude": -7.6}),
        message("reaction", reaction={"message_id": "wamid.x", "emoji": "👍"}),
    ), PHONE)
    assert [m.kind for m in parsed.messages] == ["unsupported", "unsupported", "ignored"]


def test_statuses_are_read() -> None:
    parsed = parse_notification(notification(statuses=[{"id": "wamid.out", "status": "delivered"}]), PHONE)
    assert parsed.statuses == [{"id": "wamid.out", "status": "delivered"}] and not parsed.messages


def test_unknown_shapes_are_skipped_never_raised() -> None:
    payload: Any  # whatever a webhook may receive
    for payload in (None, [], "x", 3, {}, {"object": "page"}, {"object": "whatsapp_business_account"},
                    {"object": "whatsapp_business_account", "entry": "nope"},
                    {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",
                                                                                    "value": None}]}]},
                    {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "account_update",
                                                                                    "value": {}}]}]}):
        parsed = parse_notification(payload, PHONE)
        assert not parsed.messages and parsed.ignored
    missing_sender = notification({"id": "wamid.1", "type": "text", "text": {"body": "x"}})
    assert not parse_notification(missing_sender, PHONE).messages


def test_other_phone_numbers_are_ignored() -> None:
    parsed = parse_notification(notification(message("text", text={"body": "x"}), phone="999"), PHONE)
    assert not parsed.messages and parsed.ignored == ["another phone number"]
