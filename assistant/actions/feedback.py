"""Feedback on answers ("useful / not useful") and the rating of a closed case (#14).

After a knowledge answer the assistant asks whether it helped, never twice in a row
(`feedback_asked`). The answer comes as a button (`/feedback_helpful`,
`/feedback_unhelpful`), typed in any variety (same intents), or as "yes"/"no" right
after the question (`yes_no.py`). After a case is closed the guidance service runs
`action_ask_case_rating`; the rating comes as a button (`/rate_case{"rating_value": "5"}`),
a typed number ("4/5", "٤"), words ("bof", "top merci", "mzyan", "ممتاز": words/case_rating.yml)
or the rating intent; then "anything to add?" (actions/rating_comment.py) takes one optional
comment, stored with the rating. The actions set the slots
`answer_feedback` and `case_rating`, which reach the insights tables through Rasa's event
broker (assistant/insights/store.py): the rated question, the typed comment (redacted there).
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from assistant.actions.common import entity_values, language_of, last_bot_response, latest_text
from assistant.cases.spool import STORE_TIMEOUT
from assistant.channels.formatting import options_from_buttons, shown_numbered
from assistant.contract import (
    CASE_RATING_RANGE,
    CASE_RATING_SLOT,
    FEEDBACK_HELPFUL_INTENT,
    FEEDBACK_SLOT,
    FEEDBACK_UNHELPFUL_INTENT,
    RATE_CASE_INTENT,
)
from assistant.insights.ratings import closed_case_to_rate
from assistant.kb.parts import asks_something
from assistant.lexicon import load, phrase_words
from assistant.responses import catalog_buttons
from assistant.text import words

logger = logging.getLogger(__name__)

#: Responses that are knowledge answers (what the "useful?" question is about).
ANSWERS = frozenset({"utter_kb_answer", "utter_kb_answer_to_confirm"})
FEEDBACK_PROMPT = "utter_ask_feedback"
RATING_PROMPT = "utter_ask_case_rating"
#: The optional comment after a rating (rating_comment_form, actions/rating_comment.py).
COMMENT_FORM = "rating_comment_form"
#: The questions a typed 1-5 answers as the case's rating, whatever intent the NLU gave it.
RATING_QUESTIONS = frozenset({RATING_PROMPT, "utter_case_rating_unclear"})
INTENT_VALUES = {FEEDBACK_HELPFUL_INTENT: "up", FEEDBACK_UNHELPFUL_INTENT: "down"}
RATING_BUTTONS = catalog_buttons(RATING_PROMPT)
#: The whole 1-5 scale in order, for channels that number the options: a number is its score.
RATING_SCALE = catalog_buttons(f"{RATING_PROMPT}_scale")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_RATING = re.compile(
    r"(?<!\w)(?<!\d[.,])([1-5])(?:\s*(?:/|sur|out of|من|على|3la)\s*5)?(?!\w)(?![.,]\d)", re.IGNORECASE
)


def typed_comment(tracker: Tracker) -> str | None:
    """The investor's own words (a button payload is not a comment)."""
    text = latest_text(tracker).strip()
    return text if text and not text.startswith("/") else None


def rating_comment(tracker: Tracker) -> str | None:
    """The words typed with a rating, when they say more than the rating ("5", "4 sur 5
    merci", "top" say nothing more; "4/5, dossier traité vite" does)."""
    text = typed_comment(tracker)
    if text is None:
        return None
    tokens: list[str | None] = list(words(text.translate(_ARABIC_DIGITS)))
    fillers = [(phrase, 0) for phrase in phrase_words("case_rating", "filler")]
    for phrase, _ in [*_rating_phrases(), *sorted(fillers, key=lambda pair: -len(pair[0]))]:
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i:i + n]) == phrase:
                tokens[i:i + n] = [None] * n
    return text if any(token and not token.isdigit() for token in tokens) else None


def rated_turn(tracker: Tracker) -> tuple[str, str] | None:
    """(message id, text) of the question the latest knowledge answer answered."""
    answered = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "bot" and (event.get("metadata") or {}).get("utter_action") in ANSWERS:
            answered = True
        elif kind == "user" and answered:
            message_id = event.get("message_id") or (event.get("parse_data") or {}).get("message_id")
            return (str(message_id), str(event.get("text") or "")) if message_id else None
    return None


def ask_feedback(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Under a knowledge answer: the "useful?" question, unless the previous answer had it
    (never twice in a row) or a form is running."""
    if tracker.get_slot("feedback_asked") or (tracker.active_loop or {}).get("name"):
        return [SlotSet("feedback_asked", False)]
    dispatcher.utter_message(response=FEEDBACK_PROMPT)
    return [SlotSet("feedback_asked", True)]


def record_feedback(
    dispatcher: CollectingDispatcher, tracker: Tracker, value: str, *, typed: bool = True
) -> list[dict[str, Any]]:
    """Thank for the feedback (a "not useful" offers the guidance unit) and set the slot
    the insights consumer reads (`typed`: the message may carry a comment; an emoji alone does not)."""
    dispatcher.utter_message(response="utter_feedback_thanks" if value == "up" else "utter_feedback_sorry")
    rated = rated_turn(tracker)
    if rated is None:
        return [SlotSet("feedback_asked", True)]
    message_id, question = rated
    comment = typed_comment(tracker) if typed else None
    feedback = {"value": value, "message_id": message_id, "question": question, "comment": comment}
    return [SlotSet(FEEDBACK_SLOT, feedback), SlotSet("feedback_asked", True)]


def _rating_phrases() -> list[tuple[tuple[str, ...], int]]:
    """(phrase, value) of words/case_rating.yml, longest phrase first."""
    pairs = [
        (phrase, int(key.removeprefix("rating_")))
        for key in load("case_rating")
        if key.startswith("rating_")
        for phrase in phrase_words("case_rating", key)
    ]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def rating_in_words(text: str) -> int | None:
    """A rating said in words ("bof" 3, "top merci" 5, "machi mzyan" 2, "ممتاز" 5): the
    longest phrases are read first and their words used up; two different ratings say nothing."""
    tokens: list[str | None] = list(words(text))
    found: set[int] = set()
    for phrase, value in _rating_phrases():
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i:i + n]) == phrase:
                found.add(value)
                tokens[i:i + n] = [None] * n
    return found.pop() if len(found) == 1 else None


def parse_rating(text: str) -> int | None:
    """A 1-5 rating typed as a number ("4", "4/5", "5 sur 5", "٤ من ٥") or, for a message
    that asks nothing, in words ("bof", "top merci", "mzyan", "ممتاز")."""
    found = _RATING.findall(text.translate(_ARABIC_DIGITS))
    if found:
        return int(found[0]) if len(set(found)) == 1 else None
    return None if asks_something(text) else rating_in_words(text)


def rating_of(tracker: Tracker) -> int | None:
    values = [v for v in entity_values(tracker, "rating_value") if v.isdigit() and int(v) in CASE_RATING_RANGE]
    if values:
        return int(values[-1])
    return parse_rating(latest_text(tracker))


async def rate_case(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Record the rating of the case whose rating was asked (or the conversation's
    latest closed case)."""
    value = rating_of(tracker)
    reference = tracker.get_slot("rating_case")
    if reference is None:
        try:
            reference = await asyncio.wait_for(closed_case_to_rate(tracker.sender_id), STORE_TIMEOUT)
        except (SQLAlchemyError, OSError, asyncio.TimeoutError) as exc:
            logger.error("case rating: the database is unavailable (%s)", type(exc).__name__)
    if reference is None:
        dispatcher.utter_message(response="utter_case_rating_no_case")
        return []
    if value is None:
        dispatcher.utter_message(response="utter_case_rating_unclear")
        return [SlotSet("rating_case", reference)]
    dispatcher.utter_message(response="utter_case_rating_thanks")
    rating = {"reference": reference, "value": value, "comment": rating_comment(tracker)}
    # then "anything to add?": the form takes the next message, whatever its intent
    return [
        SlotSet(CASE_RATING_SLOT, rating),
        SlotSet("rating_case", None),
        SlotSet("rating_comment", None),
        FollowupAction(COMMENT_FORM),
    ]


async def typed_rating(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]] | None:
    """A typed answer to the pending rating question is the rating, whatever the intent:
    "4 sur 5, merci" read as thanks, "5 top" as a greeting, "3/5 bof" as feedback.
    None when no rating is pending or the text holds no single 1-5 rating."""
    if not tracker.get_slot("rating_case") or last_bot_response(tracker) not in RATING_QUESTIONS:
        return None
    if rating_of(tracker) is None:
        return None
    return await rate_case(dispatcher, tracker)


def rating_buttons(scale: dict[str, dict[str, str]], language: str) -> list[dict[str, str]]:
    return [
        {"title": titles[language], "payload": f'/{RATE_CASE_INTENT}{{"rating_value": "{value}"}}'}
        for value, titles in scale.items()
    ]


class ActionAskCaseRating(Action):
    """Run by the guidance service (Rasa's HTTP API) once a case of this conversation is
    closed: asks for a rating, once per case. The question asks for a score from 1 to 5;
    where the channel numbers the options (Twilio), they are that scale in order, so the
    number typed is the score in the text and in the menu (#14)."""

    def name(self) -> str:
        return "action_ask_case_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            reference = await asyncio.wait_for(closed_case_to_rate(tracker.sender_id), STORE_TIMEOUT)
        except (SQLAlchemyError, OSError, asyncio.TimeoutError) as exc:
            logger.error("case rating: the database is unavailable (%s)", type(exc).__name__)
            return []
        if reference is None:
            return []
        buttons = rating_buttons(RATING_BUTTONS, language_of(tracker))
        if shown_numbered(tracker.get_latest_input_channel(), options_from_buttons(buttons)):
            # the question asks for a score from 1 to 5: "1" typed must be 1, not the first option
            buttons = rating_buttons(RATING_SCALE, language_of(tracker))
        dispatcher.utter_message(response=RATING_PROMPT, reference=reference, buttons=buttons)
        # run from Rasa's HTTP API: listen, so the investor's answer is a normal turn for the rules
        return [SlotSet("rating_case", reference), ActionExecuted("action_listen")]
