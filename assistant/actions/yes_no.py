"""What "yes" and "no" mean outside a form: an answer to the assistant's last proposal
(the affirm and deny intents; what each answers is `pending_answers.py`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.pending_answers import answer_no, answer_yes


class ActionHandleAffirm(Action):
    """"Yes" means what the assistant last proposed."""

    def name(self) -> str:
        return "action_handle_affirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return await answer_yes(dispatcher, tracker)


class ActionHandleDeny(Action):
    def name(self) -> str:
        return "action_handle_deny"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return await answer_no(dispatcher, tracker)
