"""What happens when the assistant does not understand."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.bad_input import is_bad_input, reply_to_bad_input, reply_to_other_language
from assistant.actions.feedback import typed_rating
from assistant.actions.knowledge import answer_question
from assistant.actions.misread import misread_request
from assistant.actions.pending_answers import typed_yes_no

#: After this many misunderstandings in a row, offer the guidance unit.
FAILURES_BEFORE_OFFER = 2


def consecutive_failures(messages: list[tuple[str, str]]) -> int:
    """Messages (intent, text) not understood in a row, the latest last. A message not in words
    ("?", "12345", an emoji, keyboard mash) is no question misunderstood: it ends the run."""
    count = 0
    for intent, text in reversed(messages):
        if intent != "nlu_fallback" or is_bad_input(text):
            break
        count += 1
    return count


def user_messages(tracker: Tracker) -> list[tuple[str, str]]:
    """(intent, text) of the user's messages in this session, oldest first."""
    return [
        ((e.get("parse_data") or {}).get("intent", {}).get("name") or "", str(e.get("text") or ""))
        for e in tracker.events
        if e.get("event") == "user"
    ]


class ActionHandleFallback(Action):
    """Low NLU confidence: a message not in words gets its own reply (actions/bad_input.py); a clear
    knowledge-base match still answers; a message in a language the assistant does not speak is
    told which it speaks; otherwise a rephrase prompt, and after two failures in a row, the guidance unit."""

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
        events = await reply_to_bad_input(dispatcher, tracker)  # "👍", "?", "12345", an e-mail…
        if events is not None:
            return events
        # a request the classifier was unsure of ("i need help with my file", "pls remove my details")
        misread = misread_request(dispatcher, tracker)
        if misread is not None:
            return misread
        events = await answer_question(dispatcher, tracker)
        if events is not None:
            return events
        if reply_to_other_language(dispatcher, tracker):
            return []
        if consecutive_failures(user_messages(tracker)) >= FAILURES_BEFORE_OFFER:
            dispatcher.utter_message(response="utter_offer_guidance_unit")
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []
