"""WhatsApp Cloud API webhook input: signature check and notification parsing (no I/O).

`valid_signature` checks Meta's `X-Hub-Signature-256`; `parse_notification` reads the
messages and statuses of a notification for our phone number and never raises. Used by
`assistant.channels.whatsapp` (the webhook).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from assistant import conversation_ids
from assistant.safe_input import clean_text

logger = logging.getLogger("assistant.channels.whatsapp")

#: Meta's message ids (`wamid.…`) are under 100 characters; the database column holds 255.
MAX_MESSAGE_ID = 200
#: Message types answered with `utter_unsupported_message` (only text is read for now).
UNSUPPORTED_TYPES = frozenset(
    {"image", "audio", "video", "document", "sticker", "location", "contacts", "unsupported", "unknown"}
)


def valid_signature(body: bytes, header: str | None, app_secret: str) -> bool:
    """True when `X-Hub-Signature-256` is `sha256=` + HMAC-SHA256(raw body, app secret)."""
    if not header or not header.startswith("sha256=") or not app_secret:
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header[len("sha256="):].strip().lower().encode())


@dataclass(frozen=True)
class InboundMessage:
    """One user message from a notification. `kind`: text, choice, unsupported or ignored."""

    message_id: str
    sender_id: str  # the conversation id, `whatsapp:<wa_id>`
    type: str
    kind: str
    text: str = ""
    timestamp: str | None = None


@dataclass
class Notification:
    """What a webhook POST carried that concerns our phone number."""

    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # why parts were skipped (no personal data)


def parse_notification(payload: Any, phone_number_id: str) -> Notification:
    """Messages and statuses of a Cloud API notification; anything unexpected is skipped.

    Never raises: Meta retries failed deliveries for days, so a payload we cannot read
    is acknowledged and logged rather than refused.
    """
    result = Notification()
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        result.ignored.append("not a whatsapp_business_account notification")
        return result
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                result.ignored.append(f"field {change.get('field')!r}")
                continue
            number = (value.get("metadata") or {}).get("phone_number_id")
            if number is not None and str(number) != phone_number_id:
                result.ignored.append("another phone number")
                continue
            result.statuses.extend(_dicts(value.get("statuses")))
            for message in _dicts(value.get("messages")):
                parsed = _inbound(message)
                if parsed is None:
                    result.ignored.append(f"message without id or sender (type {message.get('type')!r})")
                else:
                    result.messages.append(parsed)
    if not result.messages and not result.statuses and not result.ignored:
        result.ignored.append("no messages or statuses")
    return result


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _inbound(message: dict[str, Any]) -> InboundMessage | None:
    message_id, sender = message.get("id"), conversation_ids.whatsapp_id(message.get("from"))
    if (not isinstance(message_id, str) or not 0 < len(message_id) <= MAX_MESSAGE_ID or sender is None
            or not (message_id.isascii() and message_id.isprintable())):  # Meta's ids are printable ASCII
        return None
    kind, text = _content(message)
    return InboundMessage(
        message_id=message_id,
        sender_id=sender,
        type=str(message.get("type")),
        kind=kind,
        text=text,
        timestamp=str(message["timestamp"]) if message.get("timestamp") else None,
    )


def _content(message: dict[str, Any]) -> tuple[str, str]:
    """(kind, text): a reply button or list row gives back its id, which is the Rasa payload."""
    kind, text = _raw_content(message)
    return kind, clean_text(text)  # lone surrogates never reach Rasa, its logs or the database


def _raw_content(message: dict[str, Any]) -> tuple[str, str]:
    kind = message.get("type")
    if kind == "text":
        body = (message.get("text") or {}).get("body")
        return ("text", body) if isinstance(body, str) and body.strip() else ("ignored", "")
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        payload = reply.get("id") or reply.get("title")
        return ("choice", str(payload)) if payload else ("unsupported", "")
    if kind == "button":  # quick-reply button of a template message
        button = message.get("button") or {}
        payload = button.get("payload") or button.get("text")
        return ("choice", str(payload)) if payload else ("ignored", "")
    if kind in UNSUPPORTED_TYPES:
        return "unsupported", ""
    return "ignored", ""  # reactions, system notices, orders…


def from_payload(payload: str | None) -> InboundMessage | None:
    try:
        data = json.loads(payload or "")
        return InboundMessage(**data) if isinstance(data, dict) else None
    except (ValueError, TypeError):
        return None


def log_status(status: dict[str, Any]) -> None:
    """Delivery statuses (sent, delivered, read, failed): ids and error codes only."""
    codes = [error.get("code") for error in _dicts(status.get("errors"))]
    logger.debug("whatsapp: message %s is %s%s", status.get("id"), status.get("status"), f" {codes}" if codes else "")
