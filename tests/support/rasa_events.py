"""Rasa events as the event broker publishes them (for the insights tests)."""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

_clock = itertools.count()


def _ts() -> float:
    return time.time() + next(_clock) * 0.001


def user(sender: str, text: str, intent: str, confidence: float = 0.9, variety: str = "fr",
         channel: str = "rest", entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    message_id = uuid.uuid4().hex
    return {
        "event": "user", "timestamp": _ts(), "sender_id": sender, "text": text, "input_channel": channel,
        "message_id": message_id, "metadata": {},
        "parse_data": {
            "text": text, "message_id": message_id, "entities": entities or [],
            "intent": {"name": intent, "confidence": confidence},
            "language_detection": {"variety": variety, "language": {"darija": "ar", "arabizi": "fr"}.get(variety, variety),
                                   "strength": "strong", "confidence": 0.9, "words": len(text.split())},
        },
    }


def bot(sender: str, response: str, text: str = "...") -> dict[str, Any]:
    return {"event": "bot", "timestamp": _ts(), "sender_id": sender, "text": text, "data": {},
            "metadata": {"utter_action": response}}


def slot(sender: str, name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "timestamp": _ts(), "sender_id": sender, "name": name, "value": value}


def action(sender: str, name: str) -> dict[str, Any]:
    return {"event": "action", "timestamp": _ts(), "sender_id": sender, "name": name, "policy": "RulePolicy",
            "confidence": 1.0}


def answered(sender: str, text: str, entry: str, intent: str = "ask_legal_form", variety: str = "fr",
             channel: str = "rest") -> list[dict[str, Any]]:
    return [user(sender, text, intent, variety=variety, channel=channel), action(sender, "action_answer_question"),
            bot(sender, "utter_kb_answer"), slot(sender, "kb_entry", entry), action(sender, "action_listen")]


def not_covered(sender: str, text: str, intent: str = "ask_creation", variety: str = "fr") -> list[dict[str, Any]]:
    return [user(sender, text, intent, variety=variety), action(sender, "action_answer_question"),
            bot(sender, "utter_kb_not_found"), slot(sender, "kb_entry", None), action(sender, "action_listen")]


def not_understood(sender: str, text: str, variety: str = "fr") -> list[dict[str, Any]]:
    return [user(sender, text, "nlu_fallback", confidence=0.3, variety=variety),
            action(sender, "action_handle_fallback"), bot(sender, "utter_ask_rephrase"),
            action(sender, "action_listen")]
