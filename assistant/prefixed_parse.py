"""A question after a request for a language is read alone, inside Rasa (applied by rasa_patches).

"ok in english: how do I open a company?", "b darija 3afak: chno homa lwra9 dyal sarl?": the classifier
read the whole message, whose request made it a language switch (answered "I continue in Arabic, what
is your question?") or blurred its question. Here the question after the request
(`assistant.language_prefix.split`) is parsed alone, for its intent and entities, and the request is
kept as the message's explicit language (`requested` in its language detection), which the language
slots apply (`assistant.language_slots`). The message's text stays as typed.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.contract import LANGUAGE_DETECTION_KEY
from assistant.language_prefix import split

Parser = Callable[[MessageProcessor, UserMessage, DialogueStateTracker | None, bool], Awaitable[dict[str, Any]]]

_next: Parser | None = None


def with_request(parse_data: dict[str, Any], text: str, language: str) -> dict[str, Any]:
    """The question's parse as the message's: its text as typed, the requested language explicit."""
    detection = dict(parse_data.get(LANGUAGE_DETECTION_KEY) or {})
    detection["requested"] = language
    return {**parse_data, "text": text, LANGUAGE_DETECTION_KEY: detection}


async def parse_message(self: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker | None = None,
                        only_output_properties: bool = True) -> dict[str, Any]:
    assert _next is not None
    prefixed = split(message.text) if isinstance(message.text, str) else None
    if prefixed is None:
        return await _next(self, message, tracker, only_output_properties)
    question = copy.copy(message)
    question.text = prefixed.question
    parse_data = await _next(self, question, tracker, only_output_properties)
    return with_request(parse_data, message.text, prefixed.language)


def apply() -> None:
    global _next
    if applied():
        return
    _next = MessageProcessor.parse_message
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]


def applied() -> bool:
    return MessageProcessor.__dict__.get("parse_message") is parse_message
