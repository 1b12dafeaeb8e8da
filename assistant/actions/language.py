"""The conversation's language slot and the greeting that depends on it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from assistant.actions.common import entity_values
from assistant.actions.knowledge import QuestionFirstAction
from assistant.actions.options import offered_entries
from assistant.contract import LANGUAGE_DETECTION_KEY
from assistant.nlu.langid import language_slot_changes
from assistant.short_language import past_acknowledgements, with_subject_words


class ValidatePredefinedSlots(ValidationAction):
    """Rasa's `action_validate_slot_mappings`, for a Rasa started without the project's patches.

    The project's Rasa (`assistant.rasa_start`) applies the same rules in its own process
    after every user message (`assistant.language_slots`), without calling the action server.
    """

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The sticky-language rules on the latest message's detection (`language_slot_changes`)."""
        slots = {name: tracker.get_slot(name) for name in ("language", "language_confirmed", "language_pinned")}
        text = tracker.latest_message.get("text") or ""
        detection = past_acknowledgements(tracker.latest_message.get(LANGUAGE_DETECTION_KEY) or {}, text,
                                          bool(slots.get("language_confirmed")))
        detection = with_subject_words(detection, text) or {}
        return language_slot_changes(slots, detection, entity_values(tracker, "language"),
                                     answering=bool(offered_entries(tracker)))


class ActionGreet(QuestionFirstAction):
    """Greets in the user's language, or asks for it when the first message gave no clue."""

    def name(self) -> str:
        return "action_greet"

    def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        if tracker.get_slot("language_confirmed"):
            dispatcher.utter_message(response="utter_greet")
        else:
            dispatcher.utter_message(response="utter_choose_language")
        return []
