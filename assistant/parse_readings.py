"""Readings of a message the classifier blurs, corrected after it inside Rasa (applied by rasa_patches).

- **A request for a language, then a question** ("ok in english: how do I open a company?", "b darija
  3afak: chno homa lwra9 dyal sarl?"): the classifier read the whole message, whose request made it a
  language switch (answered "I continue in Arabic, what is your question?") or blurred its question.
  The question after the request (`assistant.language_prefix.split`) is parsed alone, for its intent
  and entities, and the request is kept as the message's explicit language (`requested` in its
  language detection), which the language slots apply (`assistant.language_slots`). The message's
  text stays as typed.
- **A question read as asking what the assistant can do** ("c quoi les aides", "what are the fees"):
  answered by the list of what it does (a rule), not by the knowledge base. When its words name one
  topic (`capability_<intent>` lists in `assistant/words/misreadings.yml`), it is read with that
  topic's intent, which the knowledge action answers.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.cases.requests import capability_topic
from assistant.contract import LANGUAGE_DETECTION_KEY
from assistant.language_prefix import split

Parser = Callable[[MessageProcessor, UserMessage, DialogueStateTracker | None, bool], Awaitable[dict[str, Any]]]
#: The intent asking what the assistant can do (answered by a rule with the list of its topics).
CAPABILITIES = "ask_capabilities"

_next: Parser | None = None


def with_request(parse_data: dict[str, Any], text: str, language: str) -> dict[str, Any]:
    """The question's parse as the message's: its text as typed, the requested language explicit."""
    detection = dict(parse_data.get(LANGUAGE_DETECTION_KEY) or {})
    detection["requested"] = language
    return {**parse_data, "text": text, LANGUAGE_DETECTION_KEY: detection}


def with_topic(parse_data: dict[str, Any], text: str) -> dict[str, Any]:
    """A question read as asking what the assistant can do, read with the intent of the one topic its
    words name (the classifier's confidence kept); the parse itself otherwise."""
    intent = parse_data.get("intent") or {}
    if intent.get("name") != CAPABILITIES or (topic := capability_topic(text)) is None:
        return parse_data
    return {**parse_data, "intent": {**intent, "name": topic}}


async def parse_message(self: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker | None = None,
                        only_output_properties: bool = True) -> dict[str, Any]:
    assert _next is not None
    prefixed = split(message.text) if isinstance(message.text, str) else None
    if prefixed is None:
        parse_data = await _next(self, message, tracker, only_output_properties)
        return with_topic(parse_data, message.text or "")
    question = copy.copy(message)
    question.text = prefixed.question
    parse_data = await _next(self, question, tracker, only_output_properties)
    return with_request(with_topic(parse_data, prefixed.question), message.text or "", prefixed.language)


def apply() -> None:
    global _next
    if applied():
        return
    _next = MessageProcessor.parse_message
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]


def applied() -> bool:
    return MessageProcessor.__dict__.get("parse_message") is parse_message
