"""Rasa's REST channel with its input checked first and its conversation ids prefixed.

Rasa's own RestInput answers 500 to a JSON body that is not an object (`[]`), to deep
nesting, and passes any JSON type on as the message; a request without `sender` joins
a shared conversation `default`. This subclass keeps its path (/webhooks/rest/webhook)
and name ("rest") and refuses malformed requests with a clear 400: the body must be an
object with a string `message`, a `sender` of 1-128 letters, digits or `_ . @ + -`, and
an optional object `metadata`. The conversation id is `rest:<sender>`, so a REST
client can never speak as a WhatsApp or widget user (see assistant/conversation_ids.py).
Lone surrogates (invalid Unicode) in the message are replaced, never passed to Rasa.

A turn Rasa cannot take is refused, never answered `200 []` as Rasa's own channel does:
503 with a JSON error (`unavailable`, with `Retry-After`) when a shared service is down
(Redis lock store, tracker database), 500 (`internal`) otherwise (assistant/turns.py). An
optional `message_id` (8-64 letters, digits, `_` or `-`) makes the message safe to resend:
a message the conversation already holds is answered again from the tracker, never twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from assistant import conversation_ids, turns
from assistant.channels.limits import ChannelLimits
from assistant.safe_input import clean_text, json_depth
from assistant.settings import get_settings

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 20_000
MAX_BODY_BYTES = 256 * 1024
#: Deepest JSON accepted (the metadata object may hold a little structure).
MAX_DEPTH = 20


def load_json(body: bytes) -> Any:
    """The parsed body; raises ValueError for invalid JSON, too deep or too large."""
    if len(body) > MAX_BODY_BYTES:
        raise ValueError(f"The body is larger than {MAX_BODY_BYTES} bytes.")
    try:
        value = json.loads(body or b"")
    except RecursionError:
        raise ValueError(f"The body is nested deeper than {MAX_DEPTH} levels.") from None
    except (ValueError, UnicodeDecodeError):
        raise ValueError("The body must be valid JSON.") from None
    if json_depth(value) > MAX_DEPTH:
        raise ValueError(f"The body is nested deeper than {MAX_DEPTH} levels.")
    return value


def problem(request: Request) -> str | None:
    """What is wrong with a webhook request, or None (the parsed body is kept on the request)."""
    try:
        body: Any = load_json(request.body or b"")
    except ValueError as error:
        return str(error)
    if not isinstance(body, dict):
        return "The body must be a JSON object: {\"sender\": \"...\", \"message\": \"...\"}."
    if not isinstance(body.get("message"), str):
        return "`message` must be a string."
    if len(body["message"]) > MAX_MESSAGE_CHARS:
        return f"`message` is longer than {MAX_MESSAGE_CHARS} characters."
    if conversation_ids.rest_id(body.get("sender")) is None:
        return "`sender` is required: 1 to 128 letters, digits or _ . @ + -."
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return "`metadata` must be an object."
    if body.get("message_id") is not None and turns.client_message_id(body["message_id"]) is None:
        return "`message_id` must be 8 to 64 letters, digits, _ or -."
    request.ctx.rest_body = body
    return None


TOO_MANY = "Too many messages: wait a minute. / Trop de messages : attendez une minute. / رسائل كثيرة: انتظر دقيقة."


def refusal(error: BaseException) -> HTTPResponse:
    """503 (a shared service is down: send again later) or 500, with a JSON error."""
    code = turns.failure_code(error)
    logger.error("rest: turn refused (%s: %s)", code, error.__class__.__name__)
    status = 503 if code == "unavailable" else 500
    headers = {"Retry-After": str(turns.RETRY_AFTER_SECONDS)} if status == 503 else {}
    return json_response(turns.failure_body(code), status=status, headers=headers)


class ValidatedRestInput(RestInput):
    def blueprint(self, on_new_message: Any) -> Blueprint:
        blueprint = Blueprint(f"custom_webhook_{type(self).__name__}")

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = self._body(request)
            collector = CollectingOutputChannel()
            message = UserMessage(self._extract_message(request), collector, await self._extract_sender(request),
                                  input_channel=self.name(), metadata=self.get_metadata(request),
                                  message_id=turns.client_message_id(body.get("message_id")))
            try:
                await on_new_message(message)
            except asyncio.CancelledError:  # the client went away (Sanic cancels the handler)
                raise
            except Exception as error:
                return refusal(error)
            return response.json(collector.messages)

        settings = get_settings()
        limits = ChannelLimits(settings.rate_limit_conversation, settings.rate_limit_client)

        @blueprint.middleware("request")
        async def validate(request: Request) -> HTTPResponse | None:
            if request.method == "POST" and request.path.endswith("/webhook"):
                error = problem(request)
                if error:
                    return json_response({"error": {"code": "bad_request", "message": error}}, status=400)
                sender = conversation_ids.rest_id(request.ctx.rest_body["sender"]) or ""
                if not limits.allow(sender, request.ip or "unknown"):
                    return json_response({"error": {"code": "rate_limited", "message": TOO_MANY}}, status=429)
            return None

        return blueprint

    @staticmethod
    def _body(request: Request) -> dict[str, Any]:
        body = getattr(request.ctx, "rest_body", None)
        return body if isinstance(body, dict) else {}

    async def _extract_sender(self, req: Request) -> str | None:
        return conversation_ids.rest_id(self._body(req).get("sender"))

    def _extract_message(self, req: Request) -> str | None:
        message = self._body(req).get("message")
        return clean_text(message) if isinstance(message, str) else None

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = self._body(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def _extract_input_channel(self, req: Request) -> str:
        """Always "rest": Rasa would let the client claim another channel (`input_channel`)."""
        return self.name()
