"""What "yes" and "no" mean outside a form: an answer to the assistant's last proposal
(the affirm and deny intents; what each answers is `pending_answers.py`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.common import last_bot_response, latest_text
from assistant.actions.feedback import RATING_QUESTIONS
from assistant.actions.knowledge import ActionAnswerQuestion, answer_embedded_question
from assistant.actions.pending_answers import answer_no, answer_yes, question_not_answer
from assistant.cases.validation import parse_yes_no


async def answered_instead(dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> list[dict[str, Any]] | None:
    """A question read as "yes" or "no": answered, in this turn. Shaped like a question ("ca coute cmb ?"),
    or without a yes/no word and answered clearly by the search ("trademark?" read as yes, "permits?"
    and "la marque ?" as no, at a first turn or after an answer); None for a yes or a no."""
    if question_not_answer(tracker):
        return await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    text = latest_text(tracker)
    # (under the case-rating question a typed rating is the rating: "2/5 pas terrible" read as no)
    if text.startswith("/") or parse_yes_no(text) is not None or last_bot_response(tracker) in RATING_QUESTIONS:
        return None
    return await answer_embedded_question(dispatcher, tracker, asking=False)


class ActionHandleAffirm(Action):
    """"Yes" means what the assistant last proposed."""

    def name(self) -> str:
        return "action_handle_affirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        answered = await answered_instead(dispatcher, tracker, domain)  # "ca coute cmb ?", "trademark?" read as yes
        return answered if answered is not None else await answer_yes(dispatcher, tracker)


class ActionHandleDeny(Action):
    def name(self) -> str:
        return "action_handle_deny"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        answered = await answered_instead(dispatcher, tracker, domain)  # "permits?" read as no
        return answered if answered is not None else await answer_no(dispatcher, tracker)
