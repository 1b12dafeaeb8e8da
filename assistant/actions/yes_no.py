"""What "yes" and "no" mean outside a form: an answer to the assistant's last proposal."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from assistant.actions.case_form import reset_form
from assistant.actions.case_requests import case_spool
from assistant.actions.common import last_bot_response, latest_text
from assistant.actions.feedback import FEEDBACK_PROMPT, RATING_QUESTIONS, rate_case, record_feedback
from assistant.cases import rejections
from assistant.cases.spool import STORE_TIMEOUT
from assistant.cases.store import request_erasure
from assistant.cases.validation import parse_yes_no

#: Responses that offer the guidance unit: "yes" opens the case form.
OFFERS = {
    "utter_offer_guidance_unit", "utter_kb_not_found", "utter_kb_outside", "utter_iamabot", "utter_kb_unavailable",
    "utter_feedback_sorry",
}


class ActionHandleAffirm(Action):
    """"Yes" means what the assistant last proposed."""

    def name(self) -> str:
        return "action_handle_affirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        proposal = last_bot_response(tracker)
        if proposal in OFFERS:
            return [FollowupAction("case_form")]
        if proposal == FEEDBACK_PROMPT:  # "was this answer useful?" "yes"
            return record_feedback(dispatcher, tracker, "up")
        if proposal in RATING_QUESTIONS:  # "oui 5" (or a bare "yes": the rating is asked again)
            return await rate_case(dispatcher, tracker)
        if proposal == "utter_ask_erasure_confirmation":
            try:
                await case_spool().forget(tracker.sender_id)  # requests kept while the database was down
                await asyncio.wait_for(rejections.forget(tracker.sender_id), STORE_TIMEOUT)  # and set aside
                await asyncio.wait_for(request_erasure(tracker.sender_id), STORE_TIMEOUT)
            except (SQLAlchemyError, OSError, asyncio.TimeoutError):
                dispatcher.utter_message(response="utter_erasure_failed")
                return []
            dispatcher.utter_message(response="utter_erasure_done")
            return [*reset_form(), SlotSet("case_reference", None)]
        dispatcher.utter_message(response="utter_anything_else")
        return []


class ActionHandleDeny(Action):
    def name(self) -> str:
        return "action_handle_deny"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        proposal = last_bot_response(tracker)
        if proposal == FEEDBACK_PROMPT:  # "was this answer useful?" "no"
            return record_feedback(dispatcher, tracker, "down")
        if proposal in RATING_QUESTIONS:  # "oui 5" (or a bare "yes": the rating is asked again)
            return await rate_case(dispatcher, tracker)
        if proposal == "utter_ask_erasure_confirmation":
            dispatcher.utter_message(response="utter_erasure_cancelled")
        else:
            dispatcher.utter_message(response="utter_anything_else")
        return []


#: Questions a typed "yes"/"no" answers, whatever intent the NLU gives the words around it.
YES_NO_QUESTIONS = frozenset({*OFFERS, FEEDBACK_PROMPT, "utter_ask_erasure_confirmation"})


async def typed_yes_no(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[dict[str, Any]] | None:
    """A button's words typed under its yes/no question ("Yes, erase everything") are the
    answer, even when the NLU reads them as something else (a new request, a fallback)."""
    if last_bot_response(tracker) not in YES_NO_QUESTIONS:
        return None
    answer = parse_yes_no(latest_text(tracker))
    if answer is None:
        return None
    handler = ActionHandleAffirm() if answer else ActionHandleDeny()
    return await handler.run(dispatcher, tracker, domain)
