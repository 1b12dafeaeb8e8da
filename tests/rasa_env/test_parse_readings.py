"""Readings corrected after the classifier inside Rasa (#10, helper small15; assistant/parse_readings.py):
a request for a language before a question is the message's explicit language and the question is
parsed alone; a question read as asking what the assistant can do is read with the topic it names."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

from assistant import parse_readings
from assistant.contract import LANGUAGE_DETECTION_KEY


def parsed(intent: str, text: str, variety: str = "fr") -> dict[str, Any]:
    return {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [],
            LANGUAGE_DETECTION_KEY: {"variety": variety, "language": variety, "strength": "strong", "requested": None}}


@pytest.mark.parametrize(("text", "intent"), [("c quoi les aides", "ask_financing"), ("what are the fees", "ask_creation"),
                                              ("ما هي المساعدات؟", "ask_financing"), ("chno homa les aides?", "ask_financing")])
def test_a_question_read_as_capabilities_gets_its_topics_intent(text: str, intent: str) -> None:
    out = parse_readings.with_topic(parsed("ask_capabilities", text), text)
    assert out["intent"] == {"name": intent, "confidence": 0.9}


@pytest.mark.parametrize(("text", "intent"), [("what can you do?", "ask_capabilities"), ("c quoi les aides", "greet")])
def test_other_readings_are_kept(text: str, intent: str) -> None:
    data = parsed(intent, text)
    assert parse_readings.with_topic(data, text) is data


@pytest.mark.parametrize(("text", "question", "language"), [
    ("ok in english: how do I open a company?", "how do I open a company?", "en"),
    ("b darija 3afak: chno homa lwra9 dyal sarl?", "chno homa lwra9 dyal sarl?", "ar"),
    ("en français svp : c'est quoi le RC ?", "c'est quoi le RC ?", "fr"),
    ("بالعربية من فضلك: كيف أسجل شركة؟", "كيف أسجل شركة؟", "ar"),
])
def test_the_question_after_a_request_for_a_language_is_parsed_alone(
    monkeypatch: pytest.MonkeyPatch, text: str, question: str, language: str
) -> None:
    seen: list[str] = []

    async def fake_next(self: Any, message: UserMessage, tracker: Any = None, only: bool = True) -> dict[str, Any]:
        seen.append(message.text or "")
        return parsed("switch_language" if message.text == text else "ask_creation", message.text or "")

    monkeypatch.setattr(parse_readings, "_next", fake_next)
    out = asyncio.run(parse_readings.parse_message(object(), UserMessage(text, sender_id="s")))  # type: ignore[arg-type]
    assert seen == [question]
    assert out["text"] == text and out["intent"]["name"] == "ask_creation"
    assert out[LANGUAGE_DETECTION_KEY]["requested"] == language


def test_a_message_without_a_request_is_parsed_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fake_next(self: Any, message: UserMessage, tracker: Any = None, only: bool = True) -> dict[str, Any]:
        return parsed("switch_language", message.text or "")

    monkeypatch.setattr(parse_readings, "_next", fake_next)
    out = asyncio.run(parse_readings.parse_message(object(), UserMessage("in english please", sender_id="s")))  # type: ignore[arg-type]
    assert out["text"] == "in english please" and out[LANGUAGE_DETECTION_KEY]["requested"] is None


def test_installed_by_the_patches() -> None:
    from assistant import rasa_patches

    rasa_patches.apply()
    assert parse_readings.applied() and MessageProcessor.parse_message is parse_readings.parse_message
