"""Replies to a message that is not a question in words (issue #10, "bad input"; its kinds:
`assistant/bad_input.py`). Never a knowledge entry guessed from a number or an emoji, never a form
opened by accident, always in the conversation's language (the replies are catalog responses).

- 👍 / 👎 (and other positive or negative emoji) right after an answer rate it, as the feedback
  buttons do; under an offer of the guidance unit they say yes or no (the form then asks for
  consent first); never an erasure: its question is asked again;
- 👋 (a waving hand) greets: the greeting's reply (`action_greet`);
- "?", "...", an emoji with nothing to answer: what is your question? (with the topics);
- a number, an amount, a date alone: what would you like to know about it?;
- an e-mail or a phone number alone: an address is only taken in a request, with consent (never
  echoed: the reply does not repeat it, and no log line holds it);
- a link: the assistant opens no links; a reference not in our format: ours look like MRE-…;
  one of ours: the case-status action; another script or language: the languages it speaks;
- keyboard mash: the rephrase prompt (and it never counts as a question not understood).
Under the case-rating question any of them is an unclear rating (asked again).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.common import last_bot_response, latest_text
from assistant.actions.feedback import ANSWERS, FEEDBACK_PROMPT, RATING_QUESTIONS, rate_case, record_feedback
from assistant.actions.pending_answers import ERASURE_QUESTION, OFFERS, PLAN_OFFER, answer_no, answer_yes
from assistant.bad_input import Shape, other_language, shape

#: What the assistant last said that an emoji alone rates: an answer, its "useful?" question.
RATED = frozenset({*ANSWERS, FEEDBACK_PROMPT, "utter_kb_other_part"})
#: The reply to each kind (emoji under an answer or an offer aside).
REPLIES = {
    Shape.POSITIVE: "utter_bad_input_empty",
    Shape.NEGATIVE: "utter_bad_input_empty",
    Shape.EMOJI: "utter_bad_input_empty",
    Shape.GREETING: "utter_bad_input_empty",
    Shape.EMPTY: "utter_bad_input_empty",
    Shape.NUMBER: "utter_bad_input_number",
    Shape.CONTACT: "utter_bad_input_contact",
    Shape.LINK: "utter_bad_input_link",
    Shape.REFERENCE: "utter_bad_input_reference",
    Shape.OTHER_SCRIPT: "utter_bad_input_other_language",
    Shape.MASH: "utter_ask_rephrase",
}
OTHER_LANGUAGE = "utter_bad_input_other_language"
CASE_STATUS_ACTION = "action_case_status"
GREETING_ACTION = "action_greet"


async def reply_to_bad_input(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]] | None:
    """The reply to a message that is not a question in words; None for a message in words."""
    kind = shape(latest_text(tracker))
    if kind is None:
        return None
    last = last_bot_response(tracker)
    if tracker.get_slot("rating_case") and last in RATING_QUESTIONS:
        return await rate_case(dispatcher, tracker)  # no 1-5 in it: the rating is asked again
    if kind is Shape.OUR_REFERENCE:
        return [FollowupAction(CASE_STATUS_ACTION)]
    if kind is Shape.GREETING:  # 👋: hello, in the conversation's language (or its choice)
        return [FollowupAction(GREETING_ACTION)]
    if kind in (Shape.POSITIVE, Shape.NEGATIVE):
        up = kind is Shape.POSITIVE
        if last in RATED:
            return record_feedback(dispatcher, tracker, "up" if up else "down", typed=False)
        if last in OFFERS or last == PLAN_OFFER:
            return await (answer_yes if up else answer_no)(dispatcher, tracker)
        if last == ERASURE_QUESTION:  # never erased (nor kept) on an emoji: asked again in words
            dispatcher.utter_message(response=ERASURE_QUESTION)
            return []
    dispatcher.utter_message(response=REPLIES[kind])
    return []


def is_bad_input(text: str) -> bool:
    """A message not in words: it is never counted as a question the assistant did not understand."""
    return shape(text) is not None


def reply_to_other_language(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """A message in a Latin-script language the assistant does not speak (asked once the search
    has answered nothing): the languages it speaks, with their buttons."""
    if not other_language(latest_text(tracker)):
        return False
    dispatcher.utter_message(response=OTHER_LANGUAGE)
    return True
