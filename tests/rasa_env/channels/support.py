"""Talking to the channels' webhooks like Meta and Twilio do (signed HTTP on loopback)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

from twilio.request_validator import RequestValidator

from tests.support.stack import Stack
from tests.support.whatsapp_stack import (  # the made-up secrets the stack is started with
    APP_SECRET,
    PHONE_NUMBER_ID,
    TWILIO_NUMBER,
    TWILIO_SID,
    TWILIO_TOKEN,
)

UNSIGNED = object()


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, bytes]:
    """(status, body) of one request; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def base_url(target: Stack | str) -> str:
    return target if isinstance(target, str) else target.rasa_url


def post_whatsapp(target: Stack | str, payload: Any, signature: Any = None) -> tuple[int, bytes]:
    """POSTs a notification to a stack (or a server's base URL); signed with the app secret
    unless `signature` is given or UNSIGNED."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if signature is None:
        headers["X-Hub-Signature-256"] = sign(body)
    elif signature is not UNSIGNED:
        headers["X-Hub-Signature-256"] = signature
    return http(f"{base_url(target)}/webhooks/whatsapp/webhook", body, headers)


def wa_id() -> str:
    """A fresh sender (WhatsApp ids are phone numbers in digits)."""
    return "2126" + str(uuid.uuid4().int)[:8]


def new_message_id() -> str:
    return f"wamid.test-{uuid.uuid4().hex}"


def notification(sender: str, message_type: str = "text", message_id: str | None = None,
                 **content: Any) -> dict[str, Any]:
    """A Cloud API notification carrying one message from `sender`."""
    message = {"from": sender, "id": message_id or new_message_id(), "timestamp": str(int(time.time())),
               "type": message_type, **content}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "212500000000", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Test"}, "wa_id": sender}],
            "messages": [message],
        }}]}],
    }


def text_notification(sender: str, text: str, message_id: str | None = None) -> dict[str, Any]:
    return notification(sender, "text", message_id, text={"body": text})


def conversation_of(sender: str) -> str:
    """The conversation id the channel gives a sender: `whatsapp:<wa_id>` or `twilio:+<number>`."""
    if sender.startswith("whatsapp:"):
        return "twilio:" + sender[len("whatsapp:"):]
    return f"whatsapp:{sender}"


def user_events(stack: Stack, sender: str) -> list[dict[str, Any]]:
    return [e for e in stack.tracker(conversation_of(sender))["events"] if e["event"] == "user"]


def wait_user_events(stack: Stack, sender: str, count: int, timeout: float = 30) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        events = user_events(stack, sender)
        if len(events) >= count or time.monotonic() > deadline:
            return events
        time.sleep(0.2)


def twilio_form(sender: str, body: str = "", **extra: str) -> dict[str, str]:
    return {"From": sender, "To": f"whatsapp:{TWILIO_NUMBER}", "Body": body, "NumMedia": "0",
            "MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": TWILIO_SID, **extra}


def post_twilio(stack: Stack, form: dict[str, str], signed_url: str | None = None,
                headers: dict[str, str] | None = None, token: str = TWILIO_TOKEN) -> tuple[int, bytes]:
    """POSTs a Twilio webhook signed for `signed_url` (default: the URL actually called)."""
    url = f"{stack.rasa_url}/webhooks/twilio/webhook"
    signature = RequestValidator(token).compute_signature(signed_url or url, form)
    all_headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature,
                   **(headers or {})}
    return http(url, urllib.parse.urlencode(form).encode(), all_headers)
