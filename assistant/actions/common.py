"""Small helpers shared by the actions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from assistant import conversation_ids
from assistant.cases import validation
from assistant.language_prefix import question_of
from assistant.languages import Language, coerce_language

#: Messages longer than this are only partly read (and the user is told so).
LONG_MESSAGE_CHARS = 1500
#: The case form's slots, emptied when a case is opened, refused, cancelled or erased.
FORM_SLOTS = (
    "case_cancelled", "case_consent", "case_name", "case_country", "case_contact", "case_email", "case_phone",
    "case_region", "case_sector", "case_stage", "case_summary", "case_confirmed",
)


def reset_form() -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


def channel_of(tracker: Tracker) -> str:
    """The conversation's own channel, from its id (set by the server, not the client)."""
    return conversation_ids.channel_of(tracker.sender_id) or "unknown"


def known_phone(tracker: Tracker) -> str | None:
    """On WhatsApp the conversation id holds the investor's number: never ask it again."""
    phone = conversation_ids.phone_of(tracker.sender_id)
    return validation.whatsapp_phone(phone) if phone else None


def language_of(tracker: Tracker) -> Language:
    """The conversation's answer language (the `language` slot, French if unset)."""
    return coerce_language(tracker.get_slot("language"))


def latest_text(tracker: Tracker) -> str:
    """The latest message as the actions read it: without an opening request for a language, which
    set the conversation's language ("ok in english: how do I open a company?": its question)."""
    return question_of(str(tracker.latest_message.get("text") or ""))


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Values of one entity type in the latest user message, in order."""
    return [
        str(e["value"])
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == entity and e.get("value") is not None
    ]


def last_bot_response(tracker: Tracker) -> str | None:
    """The response the assistant sent last (the question a typed answer answers)."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None
