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

Split by job: `whatsapp_inbound` (signature, parsing), `whatsapp_output` (sending),
`claimed` (claims, background answers and recovery, shared with `twilio`), this module
(the webhook).
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import delivery
from assistant.channels.claimed import ClaimedMessages
from assistant.channels.common import NOT_READY, agent_of, json_error, send_unsupported_reply
from assistant.channels.dedup import STALE_AFTER
from assistant.channels.graph_api import GraphApiClient, RetryPolicy
from assistant.channels.whatsapp_inbound import (
    InboundMessage,
    Notification,
    from_payload,
    log_status,
    parse_notification,
    valid_signature,
)
from assistant.channels.whatsapp_output import WhatsAppOutput, shown_numbered
from assistant.contract import CHANNEL_WHATSAPP
from assistant.safe_input import json_depth
from assistant.settings import WhatsAppSettings, get_settings

logger = logging.getLogger(__name__)

#: What this module offered before it was split (the webhook, parsing, output).
__all__ = [
    "InboundMessage", "Notification", "WhatsAppInput", "WhatsAppOutput", "parse_notification",
    "shown_numbered", "valid_signature",
]

CHANNEL = CHANNEL_WHATSAPP
#: Meta's notifications are a few kilobytes; anything this big is not from Meta.
MAX_BODY_BYTES = 1024 * 1024
#: Meta's notifications are about 8 levels deep.
MAX_DEPTH = 32
NOT_CONFIGURED = (
    "WhatsApp channel not configured: set WHATSAPP_VERIFY_TOKEN, WHATSAPP_APP_SECRET, "
    "WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID"
)


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
        self.claims = ClaimedMessages(CHANNEL, database_url, recovery_seconds, stale_after)
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
        self.claims.install(
            webhook,
            configured=lambda: self.settings.enabled,
            recovery=functools.partial(self._recover_forever, on_new_message=on_new_message),
            close=self.client.close,
        )

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
                if await self.claims.claim(message.message_id, message.sender_id, json.dumps(asdict(message))):
                    claimed.append(message)
                else:
                    logger.info("whatsapp: message %s already handled, ignored", message.message_id)
            self.claims.background.spawn(self._process(notification, claimed, agent, on_new_message))
            return response.json({"status": "accepted"})

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
            log_status(status)
        await delivery.record_receipts(
            (str(s.get("id") or ""), str(s.get("status") or "")) for s in notification.statuses
        )
        for message in claimed:
            await self.claims.answer(
                message.message_id, message.sender_id,
                functools.partial(self._answer, message, agent, on_new_message),
            )

    async def _recover_forever(self, app: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Answers messages acknowledged to Meta but never answered (the process stopped)."""

        def read(payload: str | None) -> tuple[str, InboundMessage] | None:
            message = from_payload(payload)
            return None if message is None else (message.sender_id, message)

        async def respond(_id: str, _sender: str, message: InboundMessage, agent: Any) -> None:
            await self._answer(message, agent, on_new_message)

        await self.claims.recover_forever(app, read, respond)

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
        text = message.text  # a number typed after a numbered menu: assistant/typed_buttons.py
        logger.info("whatsapp: handling message %s (%s)", message.message_id, message.kind)
        metadata = {"whatsapp": {"message_id": message.message_id, "type": message.type,
                                 "timestamp": message.timestamp}}
        await on_new_message(
            UserMessage(text, output, message.sender_id, input_channel=CHANNEL, message_id=message.message_id,
                        metadata=metadata)
        )
