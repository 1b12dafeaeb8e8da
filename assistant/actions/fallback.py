"""What happens when the assistant does not understand."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.common import latest_text, user_intents
from assistant.actions.feedback import RATING_PROMPT, parse_rating, rate_case
from assistant.actions.knowledge import answer_question
from assistant.actions.yes_no import last_bot_response

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
        if last_bot_response(tracker) == RATING_PROMPT and parse_rating(latest_text(tracker)) is not None:
            return await rate_case(dispatcher, tracker)  # "4" after "how would you rate…?"
        events = await answer_question(dispatcher, tracker)
        if events is not None:
            return events
        if consecutive_failures(user_intents(tracker)) >= FAILURES_BEFORE_OFFER:
            dispatcher.utter_message(response="utter_offer_guidance_unit")
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []
