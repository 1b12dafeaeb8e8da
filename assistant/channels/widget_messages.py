"""What the website widget receives for one bot message, live or replayed.

One `bot_uttered` event per bot message (Rasa's own socketio output splits texts at
blank lines, which loses the link between a message and its tracker event), carrying:
- `timestamp`: the tracker event's time, the widget's cursor: on (re)connect it asks for
  the messages after the last one it showed, and ignores any it already has, so every
  message is shown once and in order whether it arrived live or from the tracker;
- `language`: the language the response was rendered in (the interface follows it);
- `handoff` (`joined`, `left`, `staff`) and `agent`, so the widget shows who is answering;
- `receipt` on a staff reply: the widget acknowledges it (`received`), which is what makes
  the reply `delivered` in the console (see assistant/delivery.py);
- `turn_start` on the first message of a bot turn the widget did not start itself (the
  service's case-rating question, an advisor's message, all run through Rasa's /execute) and,
  on catch-up, on the first message after each `action_listen`: the widget then withdraws
  the suggested replies of earlier turns, as it does when the user speaks.

Pure functions over Rasa's message dicts (`BotUttered.message()`), no socket here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, Event

from assistant.languages import LANGUAGES

#: Responses of the live handoff (responses/handoff.yml) and what the widget makes of them.
HANDOFF_RESPONSES = {"utter_agent_joined": "joined", "utter_agent_left": "left", "utter_staff_message": "staff"}
#: Messages replayed at most (the widget keeps 200 itself).
MAX_REPLAYED = 200


def _replies(message: dict[str, Any]) -> list[dict[str, str]]:
    replies = []
    for button in (message.get("buttons") or []) + (message.get("quick_replies") or []):
        if isinstance(button, dict) and isinstance(button.get("title"), str):
            payload = button.get("payload")
            replies.append(
                {"content_type": "text", "title": button["title"], "payload": payload if isinstance(payload, str) else button["title"]}
            )
    return replies


def widget_message(message: dict[str, Any], turn_start: bool = False) -> dict[str, Any] | None:
    """The widget's payload for a bot message, or None when there is nothing to show;
    `turn_start`: the message opens a new bot turn (earlier suggested replies are withdrawn)."""
    payload: dict[str, Any] = {}
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        payload["text"] = text.strip()
    replies = _replies(message)
    if replies:
        payload["quick_replies"] = replies
    image = message.get("image")
    if isinstance(image, str) and image:
        payload["attachment"] = {"type": "image", "payload": {"src": image}}
    custom = message.get("custom")
    if isinstance(custom, dict) and "whatsapp_template" not in custom:
        payload["custom"] = custom
    if not payload:
        return None
    timestamp = message.get("timestamp")
    if isinstance(timestamp, (int, float)):
        payload["timestamp"] = float(timestamp)
    if message.get("language") in LANGUAGES:
        payload["language"] = message["language"]
    if turn_start:
        payload["turn_start"] = True
    handoff = HANDOFF_RESPONSES.get(str(message.get("utter_action") or ""))
    if handoff:
        payload["handoff"] = handoff
        if isinstance(message.get("agent"), str):
            payload["agent"] = message["agent"]
        if handoff == "staff" and isinstance(message.get("staff_text"), str):
            payload["staff_text"] = message["staff_text"]
        receipt = staff_reply_id(message)
        if handoff == "staff" and receipt is not None:
            payload["receipt"] = receipt  # the widget acknowledges the reply by it (`received`)
    return payload


def staff_reply_id(message: dict[str, Any]) -> int | None:
    """The staff reply a bot message carries (`receipt` live, `staff_message_id` in the tracker)."""
    value = message.get("receipt", message.get("staff_message_id"))
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def receipts_up_to(events: Iterable[Event], cursor: float) -> list[int]:
    """Staff replies among the messages up to `cursor`, the last one the widget says it showed."""
    ids = []
    for event in events:
        if isinstance(event, BotUttered) and event.timestamp <= cursor:
            reply = staff_reply_id(event.metadata)
            if reply is not None:
                ids.append(reply)
    return ids


def receipts_of(data: Any) -> list[int]:
    """The `receipts` of a widget's `received` event (at most 200 ids)."""
    values = data.get("receipts") if isinstance(data, dict) else None
    if not isinstance(values, list):
        return []
    return [v for v in values[:MAX_REPLAYED] if isinstance(v, int) and not isinstance(v, bool) and v > 0]


def replay(events: Iterable[Event], after: float) -> list[dict[str, Any]]:
    """The bot messages of a conversation sent after `after` (a tracker timestamp), oldest first;
    the first bot message after an `action_listen` opens a turn (`turn_start`)."""
    messages = []
    listened = False
    for event in events:
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME:
            listened = True
        elif isinstance(event, BotUttered):
            turn_start, listened = listened, False
            if event.timestamp > after:
                payload = widget_message(event.message(), turn_start)
                if payload is not None:
                    messages.append(payload)
    return messages[-MAX_REPLAYED:]


def handoff_state(events: Iterable[Event]) -> str | None:
    """The advisor holding the conversation (their name as announced), or None."""
    agent: str | None = None
    for event in events:
        if isinstance(event, BotUttered):
            kind = HANDOFF_RESPONSES.get(str(event.metadata.get("utter_action") or ""))
            if kind == "joined":
                agent = str(event.metadata.get("agent") or "")
            elif kind == "left":
                agent = None
    return agent
