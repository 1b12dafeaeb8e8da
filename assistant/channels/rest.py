"""Rasa's REST channel with its input checked first.

Rasa's own RestInput answers 500 to a JSON body that is not an object (`[]`) and
passes any JSON type on as the message. This subclass keeps its path
(/webhooks/rest/webhook) and name ("rest") and refuses malformed requests with a
clear 400: the body must be an object with a string `message`, and an optional
string `sender` and object `metadata`.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

MAX_MESSAGE_CHARS = 20_000


def problem(request: Request) -> str | None:
    """What is wrong with a webhook request, or None."""
    try:
        body: Any = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return "The body must be valid JSON."
    if not isinstance(body, dict):
        return "The body must be a JSON object: {\"sender\": \"...\", \"message\": \"...\"}."
    if not isinstance(body.get("message"), str):
        return "`message` must be a string."
    if len(body["message"]) > MAX_MESSAGE_CHARS:
        return f"`message` is longer than {MAX_MESSAGE_CHARS} characters."
    if body.get("sender") is not None and not isinstance(body["sender"], (str, int)):
        return "`sender` must be a string."
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return "`metadata` must be an object."
    return None


class ValidatedRestInput(RestInput):
    def blueprint(self, on_new_message: Any) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def validate(request: Request) -> HTTPResponse | None:
            if request.method == "POST" and request.path.endswith("/webhook"):
                error = problem(request)
                if error:
                    return json_response({"error": {"code": "bad_request", "message": error}}, status=400)
            return None

        return blueprint
