"""What "yes" and "no" mean outside a form: an answer to the assistant's last proposal
(the affirm and deny intents; what each answers is `pending_answers.py`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.knowledge import ActionAnswerQuestion
from assistant.actions.pending_answers import answer_no, answer_yes, question_not_answer


class ActionHandleAffirm(Action):
    """"Yes" means what the assistant last proposed."""

    def name(self) -> str:
        return "action_handle_affirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if question_not_answer(tracker):  # "ca coute cmb ?" read as yes: answered, in this turn
            return await ActionAnswerQuestion().run(dispatcher, tracker, domain)
        return await answer_yes(dispatcher, tracker)


class ActionHandleDeny(Action):
    def name(self) -> str:
        return "action_handle_deny"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if question_not_answer(tracker):
            return await ActionAnswerQuestion().run(dispatcher, tracker, domain)
        return await answer_no(dispatcher, tracker)
