"""After a case rating: "anything to add?", and fixed replies that a rating may hide (#14).

Once a rating is recorded (feedback.py: `rate_case`), `rating_comment_form` asks one optional
question; its slot `rating_comment` takes the next message as typed, whatever intent the NLU
reads ("le conseiller était très réactif" is not a question to answer). The comment is stored
with the rating (the `case_rating` slot again, same reference: the insights store keeps one row
per case); "non merci", the skip button or a bare "no" in any variety skips it.

A question typed there instead ("comment créer une SARL ?", "شنو هي الوثائق ديال الشركة؟",
"kifach ndir auto-entrepreneur") is answered from the knowledge base and not stored as the
comment (`asked_question`): it asks something (a question word or mark, assistant/words/
conversation.yml), the NLU does not read it as being about the case itself ("ch7al dyal lwe9t
bach jawbouni" is a remark on the delay), and the knowledge base answers it with confidence.

Goodbye, "are you a bot?" and out-of-scope are answered by actions rather than fixed rules,
so that right after the rating question "5", "top merci", "bof", "mzyan" or "ممتاز" (read as
one of those intents) is the rating, not a farewell.
"""

from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.bad_input import reply_to_other_language
from assistant.actions.feedback import typed_rating
from assistant.actions.forms import intent_of
from assistant.actions.knowledge import answer_named_subject, answer_or_say_not_found, knowledge
from assistant.actions.message_search import query_from_tracker, search_message
from assistant.actions.misread import misread_request
from assistant.actions.pending_answers import typed_yes_no
from assistant.cases.answers import QUESTION_INTENTS
from assistant.contract import CASE_RATING_SLOT, FEEDBACK_INTENTS
from assistant.kb.parts import asks_something
from assistant.lexicon import phrase_words
from assistant.text import words

COMMENT_SLOT = "rating_comment"
#: Intents that skip the comment when the message is nothing more (the skip button is /deny).
SKIP_INTENTS = frozenset({"deny", "cancel"})
#: The longest comment kept (the insights page shows the latest comments).
MAX_COMMENT = 1000
#: Intents about the case or the rating itself: with a question word, still a remark for the unit.
ABOUT_THE_CASE = frozenset({"ask_case_status", "request_human", "request_data_deletion", *FEEDBACK_INTENTS})
#: From this confidence the NLU's reading of a message about the case is trusted.
CONFIDENT = 0.7


def is_skip(text: str, intent: str) -> bool:
    """The skip button, "non merci", "walou", "لا شكرا"…: the whole message says "nothing"."""
    if not text.strip() or text.startswith("/"):
        return True
    tokens = tuple(words(text))
    return not tokens or tokens in phrase_words("case_rating", "skip") or (intent in SKIP_INTENTS and len(tokens) <= 2)


def with_comment(rating: dict[str, Any], comment: str) -> dict[str, Any]:
    """The rating with the comment added after the words typed with the rating, if any."""
    earlier = rating.get("comment")
    text = f"{earlier} — {comment}" if isinstance(earlier, str) and earlier.strip() else comment
    return {**rating, "comment": text[:MAX_COMMENT]}


def may_be_question(text: str, intent: str | None, confidence: float) -> bool:
    """Worth searching the knowledge base for: it asks something and is not about the case."""
    return asks_something(text) and not (intent in ABOUT_THE_CASE and confidence >= CONFIDENT)


async def asked_question(dispatcher: CollectingDispatcher, tracker: Tracker, comment: str) -> list[dict[str, Any]] | None:
    """A question typed instead of a comment, answered; None when the message is a comment.

    A question the NLU reads as a knowledge topic with confidence is answered (or "I have no
    reliable answer" said, as for any question); otherwise the knowledge base must be sure."""
    intent, confidence = intent_of(tracker)
    if not may_be_question(comment, intent, confidence):
        return None
    if not (intent in QUESTION_INTENTS and confidence >= CONFIDENT):
        index = await knowledge.index()
        if index is None:
            return None
        result = search_message(index, query_from_tracker(tracker, index))
        if not result.hits or not result.confident:
            return None
    return await answer_or_say_not_found(dispatcher, tracker)


class ActionAskRatingComment(Action):
    """The form's question: optional, with a skip button (responses/insights.yml)."""

    def name(self) -> str:
        return "action_ask_rating_comment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_ask_rating_comment")
        return []


class ActionSaveRatingComment(Action):
    """The form is done: the comment joins the rating, or was skipped."""

    def name(self) -> str:
        return "action_save_rating_comment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        comment = str(tracker.get_slot(COMMENT_SLOT) or "").strip()
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""
        rating = tracker.get_slot(CASE_RATING_SLOT)
        if is_skip(comment, intent) or not isinstance(rating, dict):
            dispatcher.utter_message(response="utter_rating_comment_skipped")
            return [SlotSet(COMMENT_SLOT, None)]
        answered = await asked_question(dispatcher, tracker, comment)
        if answered is not None:  # the rating stays as it was; the question gets its answer
            return [*answered, SlotSet(COMMENT_SLOT, None)]
        dispatcher.utter_message(response="utter_rating_comment_thanks")
        return [SlotSet(CASE_RATING_SLOT, with_comment(rating, comment)), SlotSet(COMMENT_SLOT, None)]


class RatingFirstReply(Action, abc.ABC):
    """A fixed reply (`response`), unless the message answers a pending rating question."""

    response = ""

    @abc.abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        rated = await typed_rating(dispatcher, tracker)
        if rated is not None:
            return rated
        # a message in a language the assistant does not speak is no goodbye ("ciao, vorrei aprire…")
        if reply_to_other_language(dispatcher, tracker):
            return []
        answered = await self.answered_instead(dispatcher, tracker)
        if answered is not None:
            return answered
        dispatcher.utter_message(response=self.response)
        return []

    async def answered_instead(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]] | None:
        """Another answer than the fixed reply, if the message calls for one (none by default)."""
        return None


class ActionGoodbye(RatingFirstReply):
    response = "utter_goodbye"

    def name(self) -> str:
        return "action_goodbye"


class ActionBotChallenge(RatingFirstReply):
    response = "utter_iamabot"

    def name(self) -> str:
        return "action_bot_challenge"


class ActionOutOfScope(RatingFirstReply):
    response = "utter_out_of_scope"

    def name(self) -> str:
        return "action_out_of_scope"

    async def answered_instead(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]] | None:
        # a yes or a no typed under the assistant's pending question ("wakha" under the plan's offer),
        # then a request made in words ("rappelez-moi svp", "supprimez mes données"), as the other
        # actions a misread message reaches read them (fallback.py, knowledge.py)
        answered = await typed_yes_no(dispatcher, tracker, {})
        if answered is None:
            answered = misread_request(dispatcher, tracker)
        if answered is not None:
            return answered
        # the classifier was trained before the base's newest entries; the entity patterns were not
        return await answer_named_subject(dispatcher, tracker)
