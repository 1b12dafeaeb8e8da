"""The conversation's language slot and the greeting that depends on it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from assistant.actions.common import entity_values
from assistant.actions.knowledge import QuestionFirstAction
from assistant.contract import LANGUAGE_DETECTION_KEY
from assistant.languages import LANGUAGES
from assistant.nlu.langid import sticky_language


class ValidatePredefinedSlots(ValidationAction):
    """Runs after every user message (Rasa's `action_validate_slot_mappings`)."""

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Apply the sticky-language rules to the latest message's detection.

        A `language` entity (the language buttons) or a switch request is an explicit
        choice, which pins the language. Until the language has been recognised once,
        the slot holds a default that any clue may replace.
        """
        current = tracker.get_slot("language")
        confirmed = bool(tracker.get_slot("language_confirmed"))
        pinned = bool(tracker.get_slot("language_pinned"))
        detection = tracker.latest_message.get(LANGUAGE_DETECTION_KEY) or {}
        chosen = [v for v in entity_values(tracker, "language") if v in LANGUAGES]
        explicit = chosen[-1] if chosen else detection.get("requested")
        if explicit:
            new: str | None = explicit
        else:
            new = sticky_language(current if confirmed else None, detection or None, pinned=pinned)
        if new is None:
            return {}
        changes: dict[str, Any] = {}
        if new != current:
            changes["language"] = new
        if not confirmed:
            changes["language_confirmed"] = True
        if explicit and not pinned:
            changes["language_pinned"] = True
        return changes


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
