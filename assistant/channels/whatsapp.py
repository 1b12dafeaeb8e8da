"""WhatsApp Cloud API channel (Meta), served at `/webhooks/whatsapp/webhook`.

Registered in credentials.yml by class path; configured from the WHATSAPP_*
settings, so credentials.yml holds no secret. Unconfigured, the webhook answers 503
and Rasa starts normally.

Inbound: GET answers Meta's subscription check; every POST must carry a valid
`X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the app secret). Valid
POSTs are acknowledged at once (Meta re-delivers what is not answered quickly) and
handled in a background task. Each message is claimed in the database, with its text,
before the acknowledgement and marked handled after it was answered (see `dedup`): a
re-delivery never answers twice, and a message acknowledged but not answered because
the process stopped is answered after the restart (recovery loop, or Meta's re-delivery).

Outbound (`WhatsAppOutput`): text split to WhatsApp's limits, Rasa buttons as reply
buttons, a list or a numbered menu (see `formatting`), template messages for staff
replies sent after the 24-hour window (see assistant/actions/handoff.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import conversation_ids, delivery
from assistant.channels.common import (
    NOT_READY,
    Background,
    agent_of,
    json_error,
    send_unsupported_reply,
    typed_choice,
)
from assistant.channels.dedup import STALE_AFTER, InboundMessageLog
from assistant.channels.formatting import (
    MAX_ROW_DESCRIPTION,
    MAX_ROW_TITLE,
    Layout,
    Option,
    choose_layout,
    interactive_body,
    list_button_label,
    numbered_menu,
    options_from_buttons,
    split_text,
    template_parameter,
    truncate,
)
from assistant.channels.graph_api import GraphApiClient, RetryPolicy
from assistant.contract import CHANNEL_WHATSAPP
from assistant.safe_input import clean_text, json_depth
from assistant.settings import WhatsAppSettings, get_settings

logger = logging.getLogger(__name__)

CHANNEL = CHANNEL_WHATSAPP
#: Meta's notifications are a few kilobytes; anything this big is not from Meta.
MAX_BODY_BYTES = 1024 * 1024
#: Meta's message ids (`wamid.…`) are under 100 characters; the database column holds 255.
MAX_MESSAGE_ID = 200
#: Meta's notifications are about 8 levels deep.
MAX_DEPTH = 32
#: Message types answered with `utter_unsupported_message` (only text is read for now).
UNSUPPORTED_TYPES = frozenset(
    {"image", "audio", "video", "document", "sticker", "location", "contacts", "unsupported", "unknown"}
)
NOT_CONFIGURED = (
    "WhatsApp channel not configured: set WHATSAPP_VERIFY_TOKEN, WHATSAPP_APP_SECRET, "
    "WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID"
)


# ---------------------------------------------------------------------------- inbound


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


# --------------------------------------------------------------------------- outbound


class WhatsAppOutput(OutputChannel):
    """Sends the bot's messages through the Graph API; never raises on a failed send."""

    def __init__(self, client: GraphApiClient, template_name: str = "", template_language: str = "fr") -> None:
        self.client = client
        self.failed_sends = 0
        self.sent_ids: list[str] = []  # WhatsApp's ids of what was accepted (receipts of staff replies)
        self.template_name = template_name
        self.template_language = template_language

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def _send(self, recipient_id: str, kind: str, content: dict[str, Any]) -> None:
        sent = await self.client.send({"to": conversation_ids.recipient(recipient_id), "type": kind, kind: content})
        if sent is None:
            self.failed_sends += 1  # read by assistant.delivery (staff replies)
        elif sent:
            self.sent_ids.append(sent)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for chunk in split_text(text or ""):
            await self._send(recipient_id, "text", {"body": chunk, "preview_url": False})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        options = options_from_buttons(buttons)
        layout = choose_layout(options)
        if not options or layout is Layout.NUMBERED:
            await self.send_text_message(recipient_id, numbered_menu(text or "", options))
            return
        lead, body = interactive_body(text or "")
        for chunk in lead:
            await self._send(recipient_id, "text", {"body": chunk, "preview_url": False})
        if layout is Layout.BUTTONS:
            action: dict[str, Any] = {
                "buttons": [{"type": "reply", "reply": {"id": o.payload, "title": o.title}} for o in options]
            }
            await self._send(recipient_id, "interactive", {"type": "button", "body": {"text": body}, "action": action})
            return
        action = {"button": list_button_label(text or ""), "sections": [{"rows": [_row(o) for o in options]}]}
        await self._send(recipient_id, "interactive", {"type": "list", "body": {"text": body}, "action": action})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(recipient_id, "image", {"link": image})

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """`{"whatsapp_template": {...}, "text": ...}` becomes a template message; `{"document": {...},
        "text": ...}` a document (fetched, uploaded, sent), with the text as fallback; else its text is sent."""
        template = json_message.get("whatsapp_template")
        if isinstance(template, dict):
            await self.send_template(recipient_id, template)
            return
        document = json_message.get("document")
        if isinstance(document, dict) and await self.send_document(recipient_id, document):
            return
        text = json_message.get("text")
        if isinstance(text, str) and text.strip():
            await self.send_text_message(recipient_id, text)
            return
        logger.warning("whatsapp: custom message with keys %s has nothing to send", sorted(json_message))

    async def send_document(self, recipient_id: str, document: dict[str, Any]) -> bool:
        """The plan PDF as a WhatsApp document: download from our service, upload as media, send.

        Returns False when any step fails (the caller then sends the text fallback).
        """
        url, filename = str(document.get("url") or ""), str(document.get("filename") or "document.pdf")
        if not url.startswith(("http://", "https://")):
            return False
        data = await self.client.fetch(url)
        if not data or not data.startswith(b"%PDF"):
            return False
        media_id = await self.client.upload_media(data, "application/pdf", filename)
        if media_id is None:
            return False
        content = {"id": media_id, "filename": filename}
        if document.get("caption"):
            content["caption"] = str(document["caption"])[:1024]
        message_id = await self.client.send({"to": recipient_id, "type": "document", "document": content})
        return message_id is not None

    async def send_template(self, recipient_id: str, template: dict[str, Any]) -> None:
        """A template message: the only kind WhatsApp delivers outside the 24-hour window."""
        parameters = [
            {"type": "text", "text": template_parameter(value)} for value in template.get("parameters") or []
        ]
        content: dict[str, Any] = {
            "name": template.get("name") or self.template_name,
            "language": {"code": template.get("language") or self.template_language},
        }
        if parameters:
            content["components"] = [{"type": "body", "parameters": parameters}]
        await self._send(recipient_id, "template", content)


def _row(option: Option) -> dict[str, str]:
    """A list row; a title too long for the row is shortened and shown in full below it."""
    row = {"id": option.payload, "title": truncate(option.title, MAX_ROW_TITLE)}
    if len(option.title) > MAX_ROW_TITLE:
        row["description"] = truncate(option.title, MAX_ROW_DESCRIPTION)
    return row


def shown_numbered(options: Sequence[Option]) -> bool:
    """Whether WhatsAppOutput showed these options as a numbered menu (so a number picks one)."""
    return choose_layout(options) is Layout.NUMBERED


# ----------------------------------------------------------------------------- channel


class WhatsAppInput(InputChannel):
    """The Cloud API webhook. Configuration comes from settings, not from credentials.yml.

    credentials.yml may tune, without secrets: `retry_attempts`, `retry_base_delay`
    (seconds), `max_body_bytes`, `recovery_seconds` (how often unanswered messages
    are looked for) and `stale_after_seconds` (how long a claimed message may stay
    unanswered before it counts as lost by a stopped process; default 120: longer than
    the slowest turn, or a message could be answered twice).
    """

    def __init__(
        self,
        settings: WhatsAppSettings,
        database_url: str,
        retry: RetryPolicy | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        recovery_seconds: float = 60.0,
        stale_after: dt.timedelta = STALE_AFTER,
    ) -> None:
        self.settings = settings
        self.max_body_bytes = max_body_bytes
        self.recovery_seconds = recovery_seconds
        self.background = Background(CHANNEL)
        self.inbound_log = InboundMessageLog(database_url, CHANNEL, stale_after=stale_after)
        self.client = GraphApiClient(settings.api_url, settings.phone_number_id, settings.access_token, retry)
        if not settings.enabled:
            logger.warning("%s: the webhook will answer 503", NOT_CONFIGURED)

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        settings = get_settings()
        return cls(
            settings.whatsapp,
            settings.database_url,
            retry=RetryPolicy.from_options(credentials),
            max_body_bytes=int(credentials.get("max_body_bytes", MAX_BODY_BYTES)),
            recovery_seconds=float(credentials.get("recovery_seconds", 60.0)),
            stale_after=dt.timedelta(seconds=float(credentials.get("stale_after_seconds", STALE_AFTER.total_seconds()))),
        )

    def get_output_channel(self) -> OutputChannel | None:
        """Used by Rasa's HTTP API (`output_channel=latest`) to reach the user, e.g. staff replies."""
        if not self.settings.enabled:
            return None
        return WhatsAppOutput(self.client, self.settings.template_name, self.settings.template_language)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("whatsapp_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.settings.enabled})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.settings.enabled:
                return json_error(503, NOT_CONFIGURED)
            token = request.args.get("hub.verify_token") or ""
            challenge = request.args.get("hub.challenge")
            if (
                request.args.get("hub.mode") == "subscribe"
                and challenge is not None
                and hmac.compare_digest(token.encode(), self.settings.verify_token.encode())
            ):
                logger.info("whatsapp: webhook subscription verified")
                return response.text(challenge)
            logger.warning("whatsapp: webhook verification refused")
            return json_error(403, "verification failed")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.settings.enabled:
                return json_error(503, NOT_CONFIGURED)
            declared = request.headers.get("content-length", "")
            body: bytes = request.body or b""
            if (declared.isdigit() and int(declared) > self.max_body_bytes) or len(body) > self.max_body_bytes:
                logger.warning("whatsapp: refused a %s-byte notification", declared or len(body))
                return json_error(413, "payload too large")
            if not valid_signature(body, request.headers.get("x-hub-signature-256"), self.settings.app_secret):
                logger.warning("whatsapp: refused a notification with a missing or invalid signature")
                return json_error(403, "invalid signature")
            try:
                payload = json.loads(body)
            except (ValueError, UnicodeDecodeError, RecursionError):
                logger.warning("whatsapp: refused a signed notification that is not JSON")
                return json_error(400, "invalid JSON")
            if json_depth(payload, MAX_DEPTH) > MAX_DEPTH:
                logger.warning("whatsapp: refused a signed notification nested too deeply")
                return json_error(400, f"nested deeper than {MAX_DEPTH} levels")
            agent = agent_of(request.app)
            if agent is None:
                logger.warning("whatsapp: no model loaded yet, asked Meta to deliver again later")
                return json_error(503, NOT_READY)
            notification = parse_notification(payload, self.settings.phone_number_id)
            claimed = []  # recorded, with the message, before Meta gets its 200
            for message in notification.messages:
                if await self.inbound_log.claim(message.message_id, message.sender_id, json.dumps(asdict(message))):
                    claimed.append(message)
                else:
                    logger.info("whatsapp: message %s already handled, ignored", message.message_id)
            self.background.spawn(self._process(notification, claimed, agent, on_new_message))
            return response.json({"status": "accepted"})

        @webhook.listener("after_server_start")
        async def start_recovery(app: Any, *_: Any) -> None:
            if self.settings.enabled:
                self.background.spawn(self._recover_forever(app, on_new_message))

        @webhook.listener("before_server_stop")
        async def shutdown(*_: Any) -> None:
            await self.background.drain()
            await self.client.close()
            self.inbound_log.close()

        return webhook

    async def _process(
        self,
        notification: Notification,
        claimed: list[InboundMessage],
        agent: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        for reason in notification.ignored:
            logger.info("whatsapp: ignored part of a notification: %s", reason)
        for status in notification.statuses:
            _log_status(status)
        await delivery.record_receipts(
            (str(s.get("id") or ""), str(s.get("status") or "")) for s in notification.statuses
        )
        for message in claimed:
            async with self.background.sender(message.sender_id):
                await self._handle(message, agent, on_new_message)

    async def _handle(
        self, message: InboundMessage, agent: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """Answers a claimed message, then marks it handled (not if the server stops meanwhile)."""
        try:
            await self._answer(message, agent, on_new_message)
        except asyncio.CancelledError:
            self.inbound_log.release(message.message_id)
            raise
        except Exception as exc:  # keep serving the other users; a bug is not retried forever
            logger.error("whatsapp: message %s failed (%s)", message.message_id, type(exc).__name__)
            logger.debug("whatsapp: message %s failed", message.message_id, exc_info=True)
        await self.inbound_log.done(message.message_id)

    async def _recover_forever(self, app: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Answers messages acknowledged to Meta but never answered (the process stopped)."""
        while True:
            agent = agent_of(app)
            if agent is not None:
                for message_id, payload in await self.inbound_log.unfinished():
                    message = _from_payload(payload)
                    if message is None or not await self.inbound_log.claim(message_id, message.sender_id, payload):
                        if message is None:
                            await self.inbound_log.done(message_id)
                        continue
                    async with self.background.sender(message.sender_id):
                        await self._handle(message, agent, on_new_message)
            await asyncio.sleep(self.recovery_seconds)

    async def _answer(
        self, message: InboundMessage, agent: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        output = WhatsAppOutput(self.client, self.settings.template_name, self.settings.template_language)
        if message.kind == "unsupported":
            logger.info("whatsapp: message %s of type %s is not read, told the user", message.message_id, message.type)
            await send_unsupported_reply(agent, message.sender_id, output, CHANNEL)
            return
        if message.kind == "ignored":
            logger.debug("whatsapp: message %s of type %s ignored", message.message_id, message.type)
            return
        text = message.text
        if message.kind == "text":
            text = await typed_choice(agent, message.sender_id, text, shown_numbered) or text
        logger.info("whatsapp: handling message %s (%s)", message.message_id, message.kind)
        metadata = {"whatsapp": {"message_id": message.message_id, "type": message.type,
                                 "timestamp": message.timestamp}}
        await on_new_message(
            UserMessage(text, output, message.sender_id, input_channel=CHANNEL, message_id=message.message_id,
                        metadata=metadata)
        )


def _from_payload(payload: str | None) -> InboundMessage | None:
    try:
        data = json.loads(payload or "")
        return InboundMessage(**data) if isinstance(data, dict) else None
    except (ValueError, TypeError):
        return None


def _log_status(status: dict[str, Any]) -> None:
    """Delivery statuses (sent, delivered, read, failed): ids and error codes only."""
    codes = [error.get("code") for error in _dicts(status.get("errors"))]
    logger.debug("whatsapp: message %s is %s%s", status.get("id"), status.get("status"), f" {codes}" if codes else "")
