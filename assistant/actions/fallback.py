"""What happens when the assistant does not understand."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.common import user_intents
from assistant.actions.feedback import typed_rating
from assistant.actions.knowledge import answer_question
from assistant.actions.pending_answers import typed_yes_no

#: After this many misunderstandings in a row, offer the guidance unit.
FAILURES_BEFORE_OFFER = 2


def consecutive_failures(intents: list[str]) -> int:
    count = 0
    for intent in reversed(intents):
        if intent != "nlu_fallback":
            break
        count += 1
    return count


class ActionHandleFallback(Action):
    """Low NLU confidence: a clear knowledge-base match still answers; otherwise a
    rephrase prompt, and after two failures in a row, the guidance unit."""

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        rated = await typed_rating(dispatcher, tracker)  # "4" after "how would you rate…?"
        if rated is not None:
            return rated
        answered = await typed_yes_no(dispatcher, tracker, domain)  # "Yes, erase everything" unparsed
        if answered is not None:
            return answered
        events = await answer_question(dispatcher, tracker)
        if events is not None:
            return events
        if consecutive_failures(user_intents(tracker)) >= FAILURES_BEFORE_OFFER:
            dispatcher.utter_message(response="utter_offer_guidance_unit")
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []
