"""WhatsApp through Twilio: Rasa's twilio channel, hardened, at `/webhooks/twilio/webhook`.

Registered in credentials.yml by class path; configured from TWILIO_ACCOUNT_SID,
TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_NUMBER (settings). Unconfigured, the webhook
answers 503. The channel keeps Rasa's name `twilio` (the actions treat its sender
ids, `whatsapp:+…`, as phone numbers).

What it adds to Rasa's channel:
- every request's `X-Twilio-Signature` is checked with the twilio library's
  `RequestValidator` against the URL Twilio called. Behind a reverse proxy that URL
  is rebuilt from `X-Forwarded-Proto` and `X-Forwarded-Host` (a forged header does not
  help an attacker: the signature still needs the auth token). The path and query
  must reach Rasa unchanged, so point Twilio at `https://<public host>/webhooks/twilio/webhook`;
- messages are claimed in the database on `MessageSid`, with what is needed to answer
  them, before the acknowledgement, handled in the background one sender at a time and
  marked handled after they were answered (see `dedup`; `claimed`, shared with the Cloud API channel): a
  re-delivery never answers twice, and a message acknowledged but not answered because
  Rasa stopped is answered after the restart (recovery loop, or Twilio's re-delivery);
- buttons are shown as numbered lines; a typed number is the option's payload (mapped in
  Rasa's message handling, `assistant/typed_buttons.py`, with typed titles);
- sends run in a worker thread (the twilio client is synchronous) with retries on
  5xx/429/network errors; the REST API base URL can be overridden (`api_base_url`
  in credentials.yml) so tests use a local fake.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import requests
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator

from assistant import conversation_ids, delivery
from assistant.channels.claimed import ClaimedMessages
from assistant.channels.common import NOT_READY, agent_of, json_error, send_unsupported_reply
from assistant.channels.dedup import STALE_AFTER
from assistant.channels.formatting import (
    TWILIO_MAX_TEXT,
    numbered_menu,
    options_from_buttons,
    split_text,
)
from assistant.channels.graph_api import RetryPolicy
from assistant.contract import CHANNEL_TWILIO
from assistant.settings import TwilioSettings, get_settings

logger = logging.getLogger(__name__)

CHANNEL = CHANNEL_TWILIO
NOT_CONFIGURED = (
    "Twilio WhatsApp channel not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_NUMBER"
)
#: The form fields needed to answer a message, kept with its claim until it is answered.
ANSWER_FIELDS = ("Body", "ButtonPayload", "NumMedia", "Latitude")
# The twilio client logs every request's URL and headers at INFO: keep it to warnings.
_http_logger = logging.getLogger(f"{__name__}.http")
_http_logger.setLevel(logging.WARNING)


def whatsapp_address(number: str) -> str:
    """Twilio's WhatsApp address form: `whatsapp:+14155238886`."""
    number = number.strip()
    return number if not number or number.startswith("whatsapp:") else f"whatsapp:{number}"


def signed_url(request: Request) -> str:
    """The URL Twilio signed: the public one when a proxy says so in X-Forwarded-*."""
    proto = _first(request.headers.get("x-forwarded-proto")) or request.scheme
    host = _first(request.headers.get("x-forwarded-host")) or request.host
    target = request.raw_url.decode("latin-1") if isinstance(request.raw_url, bytes) else str(request.raw_url)
    return f"{proto}://{host}{target}"


def form_fields(request: Request) -> RequestParameters:
    """The posted form, blank values included.

    Twilio signs every field it sends, `Body=` of a media message too, while Sanic's
    `request.form` drops blank values: a signature checked against it would fail.
    """
    if request.content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        return RequestParameters()
    return RequestParameters(parse_qs(request.body.decode("utf-8"), keep_blank_values=True))


def _first(header: str | None) -> str:
    """First value of a possibly comma-separated forwarded header (the client-facing hop)."""
    return (header or "").split(",")[0].strip()


class TwilioWhatsAppOutput(TwilioOutput):
    """Rasa's Twilio output with numbered buttons, sentence-aware splitting and retries."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str,
        api_base_url: str | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(account_sid, auth_token, whatsapp_address(twilio_number))
        self.retry = retry or RetryPolicy()
        self.failed_sends = 0
        self.sent_ids: list[str] = []  # Twilio's SIDs of what was accepted (receipts of staff replies)
        self.http_client = TwilioHttpClient(timeout=self.retry.timeout, logger=_http_logger)
        if api_base_url:
            self.api.base_url = api_base_url.rstrip("/")

    async def _send_message(self, message_data: dict[str, Any]) -> Any:
        """Creates the message through the REST API; returns it, or None when it failed."""
        if isinstance(message_data.get("to"), str):  # the conversation id `twilio:+212…`
            message_data = {**message_data, "to": whatsapp_address(conversation_ids.recipient(message_data["to"]))}
        for attempt in range(1, self.retry.attempts + 1):
            try:
                message = await asyncio.to_thread(self.messages.create, **message_data)
            except TwilioRestException as exc:
                if exc.status != 429 and exc.status < 500:
                    logger.error("twilio: REST API refused a message: HTTP %s code %s", exc.status, exc.code)
                    self.failed_sends += 1
                    return None
                failure = f"HTTP {exc.status} code {exc.code}"
            except (requests.RequestException, TwilioException) as exc:
                failure = type(exc).__name__
            except TypeError:  # a custom payload with keys messages.create does not know
                logger.error("twilio: custom message with keys %s is not a Twilio message", sorted(message_data))
                return None
            else:
                logger.info("twilio: sent message %s (%s)", message.sid, message.status)
                if isinstance(message.sid, str):
                    self.sent_ids.append(message.sid)
                return message
            if attempt == self.retry.attempts:
                logger.error("twilio: giving up a message after %d attempts (%s)", attempt, failure)
                self.failed_sends += 1  # read by assistant.delivery (staff replies)
                return None
            delay = self.retry.delay(attempt)
            logger.warning("twilio: attempt %d failed (%s), retrying in %.1fs", attempt, failure, delay)
            await asyncio.sleep(delay)
        return None

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for chunk in split_text(text or "", TWILIO_MAX_TEXT):
            await self._send_message({"to": recipient_id, "from_": self.twilio_number, "body": chunk})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Buttons as numbered lines: the user answers with the number."""
        await self.send_text_message(recipient_id, numbered_menu(text or "", options_from_buttons(buttons)))

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """A Cloud API template request is sent as its text; other payloads as Rasa does."""
        if "whatsapp_template" in json_message:
            # Twilio templates are Content API `content_sid`s, not Meta template names.
            text = json_message.get("text")
            if isinstance(text, str) and text.strip():
                await self.send_text_message(recipient_id, text)
            return
        await super().send_custom_json(recipient_id, dict(json_message), **kwargs)


class TwilioWhatsAppInput(TwilioInput):
    """Twilio's webhook, configured from settings; credentials.yml may set `api_base_url`,
    `retry_attempts`, `retry_base_delay`, `recovery_seconds` and `stale_after_seconds`
    (no secrets; the last two as for the Cloud API channel, `assistant.channels.whatsapp`)."""

    def __init__(
        self,
        settings: TwilioSettings,
        database_url: str,
        api_base_url: str | None = None,
        retry: RetryPolicy | None = None,
        recovery_seconds: float = 60.0,
        stale_after: dt.timedelta = STALE_AFTER,
    ) -> None:
        super().__init__(
            settings.account_sid, settings.auth_token, whatsapp_address(settings.whatsapp_number), debug_mode=False
        )
        self.settings = settings
        self.api_base_url = api_base_url
        self.retry = retry or RetryPolicy()
        self.validator = RequestValidator(settings.auth_token)
        self.claims = ClaimedMessages(CHANNEL, database_url, recovery_seconds, stale_after)
        if not settings.enabled:
            logger.warning("%s: the webhook will answer 503", NOT_CONFIGURED)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        settings = get_settings()
        return cls(
            settings.twilio,
            settings.database_url,
            api_base_url=credentials.get("api_base_url") or None,
            retry=RetryPolicy.from_options(credentials),
            recovery_seconds=float(credentials.get("recovery_seconds", 60.0)),
            stale_after=dt.timedelta(seconds=float(credentials.get("stale_after_seconds", STALE_AFTER.total_seconds()))),
        )

    # Rasa's InputChannel allows None (no way to reach the user); its TwilioInput narrowed that
    def get_output_channel(self) -> OutputChannel | None:  # type: ignore[override]
        """Used by Rasa's HTTP API (`output_channel=latest`) to reach the user, e.g. staff replies."""
        if not self.settings.enabled or not (self.account_sid and self.auth_token and self.twilio_number):
            return None
        return TwilioWhatsAppOutput(
            self.account_sid, self.auth_token, self.twilio_number, self.api_base_url, self.retry
        )

    def valid_request(self, request: Request, form: RequestParameters) -> bool:
        """Whether `X-Twilio-Signature` signs this request's URL and form fields."""
        signature = request.headers.get("x-twilio-signature")
        if not signature:
            return False
        return bool(self.validator.validate(signed_url(request), form, signature))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("twilio_webhook", __name__)
        self.claims.install(
            webhook,
            configured=lambda: self.settings.enabled,
            recovery=functools.partial(self._recover_forever, on_new_message=on_new_message),
        )

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.settings.enabled:
                return json_error(503, NOT_CONFIGURED)
            try:
                fields = form_fields(request)
            except UnicodeDecodeError:
                return json_error(400, "invalid form encoding")
            if not self.valid_request(request, fields):
                logger.warning("twilio: refused a request with a missing or invalid signature")
                return json_error(403, "invalid signature")
            form = {key: fields.get(key) or "" for key in fields}
            sid = form.get("MessageSid") or form.get("SmsMessageSid")
            sender = conversation_ids.twilio_id(form.get("From"))
            status = form.get("MessageStatus")
            if status and status != "received":
                logger.debug("twilio: message %s is %s", sid, status)
                await delivery.record_receipts([(sid or "", status)])
            elif not sid or len(sid) > 200 or not sender:
                logger.info("twilio: ignored a request without a valid MessageSid or From")
            elif (agent := agent_of(request.app)) is None:
                logger.warning("twilio: no model loaded yet, asked Twilio to deliver again later")
                return json_error(503, NOT_READY)
            else:
                kept = {key: form[key] for key in ANSWER_FIELDS if form.get(key)}
                # recorded, with the message, before Twilio gets its 204
                if await self.claims.claim(sid, sender, json.dumps({"sender": sender, "form": kept})):
                    self.claims.background.spawn(self.claims.answer(
                        sid, sender, functools.partial(self._answer, sid, sender, kept, agent, on_new_message)
                    ))
                else:
                    logger.info("twilio: message %s already handled, ignored", sid)
            return response.text("", status=204)

        return webhook

    async def _recover_forever(self, app: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Answers messages acknowledged to Twilio but never answered (the process stopped)."""
        await self.claims.recover_forever(app, _from_payload, functools.partial(self._answer, on_new_message=on_new_message))

    async def _answer(
        self,
        sid: str,
        sender: str,
        form: dict[str, str],
        agent: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        output = self.get_output_channel()
        if output is None:  # configuration removed while running: nothing can be sent
            return
        text = form.get("ButtonPayload") or form.get("Body") or ""
        if not text.strip():
            if form.get("NumMedia", "0") not in ("", "0") or form.get("Latitude"):
                logger.info("twilio: message %s is not text, told the user", sid)
                await send_unsupported_reply(agent, sender, output, CHANNEL)
            else:
                logger.debug("twilio: message %s without text ignored", sid)
            return
        logger.info("twilio: handling message %s", sid)
        await on_new_message(
            UserMessage(text, output, sender, input_channel=CHANNEL, message_id=sid,
                        metadata={"twilio": {"message_sid": sid}})
        )


def _from_payload(payload: str | None) -> tuple[str, dict[str, str]] | None:
    """(sender, form fields) of a claim's payload, or None when it cannot be read."""
    try:
        data = json.loads(payload or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("sender"), str) or not isinstance(data.get("form"), dict):
        return None
    return data["sender"], {str(k): str(v) for k, v in data["form"].items()}
