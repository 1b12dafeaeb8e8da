"""Small helpers shared by the actions."""

from __future__ import annotations

from rasa_sdk import Tracker

from assistant.languages import Language, coerce_language

#: Messages longer than this are only partly read (and the user is told so).
LONG_MESSAGE_CHARS = 1500


def language_of(tracker: Tracker) -> Language:
    """The conversation's answer language (the `language` slot, French if unset)."""
    return coerce_language(tracker.get_slot("language"))


def latest_text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Values of one entity type in the latest user message, in order."""
    return [
        str(e["value"])
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == entity and e.get("value") is not None
    ]


def user_intents(tracker: Tracker) -> list[str]:
    """Intents of the user's messages in this session, oldest first."""
    return [
        (e.get("parse_data") or {}).get("intent", {}).get("name") or ""
        for e in tracker.events
        if e.get("event") == "user"
    ]


def last_bot_response(tracker: Tracker) -> str | None:
    """The response the assistant sent last (the question a typed answer answers)."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None
