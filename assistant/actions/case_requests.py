"""Opening a case, telling where it stands, and asking for erasure."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from assistant.actions.common import channel_of, entity_values, known_phone, language_of, latest_text, reset_form
from assistant.actions.knowledge import answer_embedded_question, answer_named_subject, knowledge
from assistant.actions.misread import misread_request
from assistant.actions.pending_answers import typed_yes_no
from assistant.cases.answers import asks_for_erasure
from assistant.cases.spool import STORE_TIMEOUT, case_spool, store_case
from assistant.cases.status_request import only_asks_status
from assistant.cases.store import CaseRequest, case_for_requester
from assistant.cases.topic import request_topic
from assistant.cases.transcript import topic_asked, transcript
from assistant.contract import SUBJECT_TOPICS
from assistant.db.types import utcnow
from assistant.kb.parts import asks_a_question
from assistant.settings import get_settings

logger = logging.getLogger(__name__)

MAX_STATUS_MISSES = 5


def transcript_of(tracker: Tracker, limit: int = 100) -> list[dict[str, Any]]:
    """The conversation so far (user and assistant messages), for the guidance unit."""
    return transcript(tracker.events, limit=limit, max_chars=2000)


def topic_of(tracker: Tracker) -> str | None:
    """The topic the investor asked about before the case form started (for the queue filters)."""
    topic = topic_asked(tracker.events, before_loop="case_form")
    if topic is None and tracker.get_slot("kb_subject"):
        topic = SUBJECT_TOPICS.get(str(tracker.get_slot("kb_subject")).split(":")[0])
    return topic


class ActionSubmitCase(Action):
    """Opens the case (idempotent); if the database fails, keeps the request and says so."""

    def name(self) -> str:
        return "action_submit_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("case_cancelled"):
            dispatcher.utter_message(response="utter_case_cancelled")
            return reset_form()
        if tracker.get_slot("case_consent") is None:
            # closed before its first question: the message was a question, answered instead
            return reset_form()
        if tracker.get_slot("case_consent") is not True or tracker.get_slot("case_confirmed") is not True:
            dispatcher.utter_message(response="utter_case_not_opened")
            return reset_form()
        request = CaseRequest(
            conversation_id=tracker.sender_id,
            channel=channel_of(tracker),
            language=language_of(tracker),
            name=tracker.get_slot("case_name"),
            email=tracker.get_slot("case_email"),
            phone=tracker.get_slot("case_phone") or known_phone(tracker),
            country=tracker.get_slot("case_country"),
            region=tracker.get_slot("case_region"),
            sector=tracker.get_slot("case_sector"),
            stage=tracker.get_slot("case_stage"),
            summary=tracker.get_slot("case_summary"),
            topic=request_topic(await knowledge.index(), tracker.get_slot("case_summary"), topic_of(tracker)),
            transcript=transcript_of(tracker),
            consent_at=utcnow(),
        )
        spool = case_spool()
        spool.ensure_retrying()
        try:
            case, _ = await store_case(request)
        except Exception as exc:  # refused, unreachable, hanging: whatever it is, the request is kept
            logger.error("case not stored, kept in the spool for retry: %s", exc.__class__.__name__)
            await spool.add(request)
            dispatcher.utter_message(response="utter_case_kept_for_retry")
            return reset_form()
        dispatcher.utter_message(
            response="utter_case_opened", reference=case.reference, days=get_settings().case_response_days
        )
        return [*reset_form(), SlotSet("case_reference", case.reference)]


class ActionCaseStatus(Action):
    """Where a case stands: only in the conversation that opened it (its id carries the channel)."""

    def name(self) -> str:
        return "action_case_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        misses = sum(
            1 for e in tracker.events
            if e.get("event") == "bot" and (e.get("metadata") or {}).get("utter_action") == "utter_case_status_unknown"
        )
        if misses >= MAX_STATUS_MISSES:
            dispatcher.utter_message(response="utter_case_status_too_many")
            return []
        references = entity_values(tracker, "case_ref")
        reference = references[-1] if references else None
        if reference is None and (misread := misread_request(dispatcher, tracker)) is not None:
            return misread  # help asked with one's file, thanks for the follow-up: not the case's status
        if reference is None and not only_asks_status(latest_text(tracker)):
            # "merci ! dernière question : …": a question, not a status request
            events = await answer_embedded_question(dispatcher, tracker)
            if events is not None:
                return events
        try:
            case = await asyncio.wait_for(case_for_requester(reference, tracker.sender_id), STORE_TIMEOUT)
        except (SQLAlchemyError, OSError, asyncio.TimeoutError):
            dispatcher.utter_message(response="utter_case_status_unavailable")
            return []
        if case is None:
            dispatcher.utter_message(response="utter_case_status_unknown")
            return []
        dispatcher.utter_message(
            response=f"utter_case_status_{case.status}",
            reference=case.reference,
            days=get_settings().case_response_days,
        )
        return []


class ActionRequestErasure(Action):
    """Asks for confirmation before erasing; `ActionHandleAffirm` does the erasure."""

    def name(self) -> str:
        return "action_request_erasure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        # "Oui, tout effacer" typed under the question reads as an erasure request: it is the answer
        answered = await typed_yes_no(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        # a typed question naming no data to erase ("how long can i keep it?", read as an erasure by
        # the classifier) is answered when the search answers it clearly
        text = latest_text(tracker)
        if not text.startswith("/") and asks_a_question(text) and not asks_for_erasure(text) and (
                answered := await answer_named_subject(dispatcher, tracker, questioned=True)):
            return answered
        dispatcher.utter_message(response="utter_ask_erasure_confirmation")
        return []
