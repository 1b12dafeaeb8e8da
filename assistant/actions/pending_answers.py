"""What a "yes" or a "no" answers: the assistant's pending yes/no question.

The last response sent is the question: an offer of the guidance unit ("yes" opens the case
form), the offer of the creation plan ("yes" starts it), "was this answer useful?", the case-rating question, the erasure confirmation. The
answer comes as the affirm/deny intents (`yes_no.py`) or typed under the question whatever
intent the NLU reads in the words around it (`typed_yes_no`, used by the knowledge, erasure
and fallback actions). A leaf among the actions: it imports no other action module but the
helpers and feedback, so every action module can import it at the top.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from assistant.actions.common import last_bot_response, latest_text, reset_form
from assistant.actions.feedback import FEEDBACK_PROMPT, RATING_QUESTIONS, rate_case, record_feedback
from assistant.cases import rejections
from assistant.cases.answers import question_shaped
from assistant.cases.spool import STORE_TIMEOUT, case_spool
from assistant.cases.store import request_erasure
from assistant.cases.validation import parse_yes_no

#: Responses that offer the guidance unit: "yes" opens the case form.
OFFERS = {
    "utter_offer_guidance_unit", "utter_kb_not_found", "utter_kb_outside", "utter_iamabot", "utter_kb_unavailable",
    "utter_feedback_sorry",
}
ERASURE_QUESTION = "utter_ask_erasure_confirmation"
#: The offer of the creation plan (a question about business plans): "yes" starts the plan, as its button does.
PLAN_OFFER = "utter_plan_offer"
START_PLAN = "action_start_plan"
#: Questions a typed "yes"/"no" answers, whatever intent the NLU gives the words around it.
YES_NO_QUESTIONS = frozenset({*OFFERS, FEEDBACK_PROMPT, ERASURE_QUESTION, PLAN_OFFER})


def question_not_answer(tracker: Tracker) -> bool:
    """A question typed under a yes/no question and read as "yes" or "no" by the classifier
    ("ca coute cmb ?" after "was this answer useful?" was affirm 0.76, and thanked for the
    feedback): no yes/no word in it and shaped like a question. With no yes/no question pending (a first turn), a
    shorter message ending in a question mark with no yes/no word in it is a question too ("التكلفة؟" was deny 0.64
    and got "anything else?"). It is answered instead (`yes_no.py` runs the knowledge action)."""
    text = latest_text(tracker)
    if text.startswith("/") or parse_yes_no(text) is not None:
        return False
    return question_shaped(text) or (last_bot_response(tracker) not in YES_NO_QUESTIONS
                                     and text.rstrip().endswith(("?", "؟")) and any(ch.isalpha() for ch in text))


async def answer_yes(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """"Yes" means what the assistant last proposed."""
    proposal = last_bot_response(tracker)
    if proposal in OFFERS:
        return [FollowupAction("case_form")]
    if proposal == PLAN_OFFER:  # "oui", "wakha", "نعم" under "press the button to start it"
        return [FollowupAction(START_PLAN)]
    if proposal == FEEDBACK_PROMPT:  # "was this answer useful?" "yes"
        return record_feedback(dispatcher, tracker, "up")
    if proposal in RATING_QUESTIONS:  # "oui 5" (or a bare "yes": the rating is asked again)
        return await rate_case(dispatcher, tracker)
    if proposal == ERASURE_QUESTION:
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


async def answer_no(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """"No" to what the assistant last proposed."""
    proposal = last_bot_response(tracker)
    if proposal == FEEDBACK_PROMPT:  # "was this answer useful?" "no"
        return record_feedback(dispatcher, tracker, "down")
    if proposal in RATING_QUESTIONS:  # "oui 5" (or a bare "yes": the rating is asked again)
        return await rate_case(dispatcher, tracker)
    if proposal == ERASURE_QUESTION:
        dispatcher.utter_message(response="utter_erasure_cancelled")
    else:
        dispatcher.utter_message(response="utter_anything_else")
    return []


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
    return await (answer_yes if answer else answer_no)(dispatcher, tracker)
