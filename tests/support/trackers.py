"""Build rasa_sdk trackers for action tests, the way Rasa sends them."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker

from assistant.contract import LANGUAGE_DETECTION_KEY
from assistant.nlu.langid import identify


def user_event(text: str, intent: str | None = None, confidence: float = 0.95, *, entities: Iterable[dict[str, Any]] = (),
               channel: str = "rest", timestamp: float | None = None) -> dict[str, Any]:
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": list(entities),
        LANGUAGE_DETECTION_KEY: identify(text).as_dict(),
    }
    return {"event": "user", "text": text, "parse_data": parse, "input_channel": channel,
            "timestamp": timestamp if timestamp is not None else time.time()}


def bot_event(text: str, utter_action: str | None = None) -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": {"utter_action": utter_action} if utter_action else {},
            "timestamp": time.time()}


def make_tracker(
    text: str = "",
    intent: str | None = None,
    confidence: float = 0.95,
    *,
    entities: Iterable[dict[str, Any]] = (),
    slots: dict[str, Any] | None = None,
    history: Iterable[dict[str, Any]] = (),
    channel: str = "rest",
    sender: str = "conv-1",
    active_loop: str | None = None,
    timestamp: float | None = None,
) -> Tracker:
    latest = user_event(text, intent, confidence, entities=entities, channel=channel, timestamp=timestamp)
    events = [*history, latest]
    base_slots = {"language": "fr", "language_confirmed": True}
    return Tracker(
        sender, {**base_slots, **(slots or {})}, latest["parse_data"], events, False, None,
        {"name": active_loop} if active_loop else {}, "action_listen",
    )


def texts(dispatcher: Any) -> list[str]:
    return [m.get("response") or m.get("text") or "" for m in dispatcher.messages]
