"""Support cases with the guidance unit: the case form, its submission, status, erasure."""

from __future__ import annotations

import abc
import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from assistant.actions.common import entity_values, language_of, latest_text
from assistant.actions.knowledge import answer_embedded_question, answer_question, knowledge
from assistant.cases import form_answers, validation
from assistant.cases.spool import CaseSpool
from assistant.cases.store import CaseRequest, case_for_requester, open_case, request_erasure
from assistant.contract import INTENT_TOPICS, SUBJECT_TOPICS, WHATSAPP_CHANNELS
from assistant.db.types import utcnow
from assistant.settings import get_settings
from assistant.text import normalize

logger = logging.getLogger(__name__)

FORM_SLOTS = (
    "case_cancelled", "case_consent", "case_name", "case_country", "case_contact", "case_email", "case_phone",
    "case_region", "case_sector", "case_stage", "case_summary", "case_confirmed",
)
#: Slots the investor can correct from the confirmation summary.
CORRECTABLE = ("case_name", "case_country", "case_contact", "case_region", "case_sector", "case_stage", "case_summary")
QUESTION_INTENTS = {*INTENT_TOPICS, "follow_up"}
#: Intents that say the message is not a name ("je veux parler à quelqu'un", a question…).
NOT_AN_ANSWER = {*QUESTION_INTENTS, "request_human", "ask_case_status", "request_data_deletion", "out_of_scope", "bot_challenge"}
MAX_STATUS_MISSES = 5

spool = CaseSpool(get_settings().data_dir / "spool" / "cases.jsonl")


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"


def known_phone(tracker: Tracker) -> str | None:
    """On WhatsApp the sender id is the investor's number: never ask it again."""
    if channel_of(tracker) in WHATSAPP_CHANNELS:
        return validation.whatsapp_phone(tracker.sender_id)
    return None


CANCEL_WORDS = frozenset(
    normalize(w) for w in (
        "annuler", "annule", "annulez", "annulation", "cancel", "stop", "arrete", "arreter", "arretez",
        "abandonner", "abort", "quit", "exit", "إلغاء", "الغاء", "الغي", "ألغي", "توقف", "بلاش", "خلاص",
        "annuli", "khlas", "khlass", "blach", "bla bla",
    )
)
CANCEL_PHRASES = tuple(normalize(p) for p in ("laisse tomber", "laissez tomber", "never mind", "forget it", "ma bghitch", "ماب غيتش", "ما بقيتش باغي"))


def wants_cancel(tracker: Tracker) -> bool:
    """An explicit "annuler / cancel / بلاش"; a guessed intent is not enough for a free-text answer."""
    text = normalize(latest_text(tracker)).strip(" !.?")
    tokens = text.split()
    if text in CANCEL_WORDS or (len(tokens) <= 3 and any(t in CANCEL_WORDS for t in tokens)):
        return True
    if any(phrase in text for phrase in CANCEL_PHRASES):
        return True
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") == "cancel" and float(intent.get("confidence") or 0) >= 0.95 and len(tokens) <= 3


def looks_like_question(tracker: Tracker) -> bool:
    """A knowledge-base question typed while the form waits for an answer."""
    intent = tracker.latest_message.get("intent") or {}
    text = latest_text(tracker)
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]  # "+32 470 12 34 56" has none
    return (
        intent.get("name") in QUESTION_INTENTS
        and float(intent.get("confidence") or 0) >= 0.7
        and bool(words)
        and ("?" in text or "؟" in text or len(words) >= 5)
    )


def typed_undecided(tracker: Tracker) -> bool:
    text = latest_text(tracker)
    return not text.startswith("/") and (validation.undecided(text) or form_answers.undecided(text))


def region_label(slug: str | None, language: str, labels: dict[str, dict[str, str]]) -> str:
    if not slug:
        return ""
    if slug == "undecided":
        return {"fr": "pas encore décidée", "ar": "لم تحدد بعد", "en": "not decided yet"}[language]
    return labels.get(slug, {}).get(language, slug)


STAGE_LABELS = {
    "idea": {"fr": "Idée", "ar": "فكرة", "en": "Idea"},
    "creation": {"fr": "Création", "ar": "إنشاء", "en": "Creation"},
    "extension": {"fr": "Extension", "ar": "توسيع", "en": "Extension"},
}


class ValidateCaseForm(FormValidationAction):
    """Validates each answer; a question asked meanwhile is answered and the form resumes."""

    def name(self) -> str:
        return "validate_case_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        refused = tracker.get_slot("case_consent") is False and not typed_undecided(tracker)
        if refused or tracker.get_slot("case_cancelled"):
            return []  # no consent, or cancelled: stop here, nothing more is collected
        slots = list(domain_slots)
        if known_phone(tracker) and "case_contact" in slots:
            slots.remove("case_contact")
        return slots

    async def extract_case_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        phone = known_phone(tracker)
        return {"case_phone": phone} if phone and tracker.get_slot("case_phone") != phone else {}

    async def _interrupt(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, questions: bool = True
    ) -> dict[str, Any] | None:
        """A cancellation, or a knowledge-base question asked instead of the answer.

        Cancelling ends the form (see `required_slots`); a question is answered and the
        same slot is asked again. Returns None when the message is a normal answer.
        """
        if wants_cancel(tracker):
            return {slot: None, "case_cancelled": True}
        if questions and looks_like_question(tracker):
            if await answer_question(dispatcher, tracker) is None:
                dispatcher.utter_message(response="utter_kb_not_found_in_form")
            return {slot: None}
        return None

    async def validate_case_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, bool):
            answer: bool | None = value
        else:
            if (stop := await self._interrupt("case_consent", dispatcher, tracker)) is not None:
                return stop
            answer = validation.parse_yes_no(str(value or ""))
        if typed_undecided(tracker):
            answer = None  # "je ne sais pas", "i dont know": never read as consent, nor as a refusal
        if answer is None:
            dispatcher.utter_message(response="utter_invalid_yes_no")
            return {"case_consent": None}
        return {"case_consent": answer}

    async def validate_case_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if (stop := await self._interrupt("case_name", dispatcher, tracker)) is not None:
            return stop
        intent = tracker.latest_message.get("intent") or {}
        confident_other = intent.get("name") in NOT_AN_ANSWER and float(intent.get("confidence") or 0) >= 0.8
        sentence = len(str(value or "").split()) > 4
        name = None if (confident_other and sentence) else validation.clean_name(str(value or ""))
        if name is None:
            dispatcher.utter_message(response="utter_invalid_case_name")
        return {"case_name": name}

    async def validate_case_country(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if (stop := await self._interrupt("case_country", dispatcher, tracker)) is not None:
            return stop
        country = validation.clean_text(str(value or ""), 2, 60)
        if country is None:
            dispatcher.utter_message(response="utter_invalid_case_country")
        return {"case_country": country}

    async def validate_case_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # a valid e-mail or number is the answer, whatever intent the classifier guessed
        contact = validation.parse_contact(str(value or ""), tracker.get_slot("case_country"))
        if contact is None:
            if (stop := await self._interrupt("case_contact", dispatcher, tracker)) is not None:
                return stop
            dispatcher.utter_message(response="utter_invalid_case_contact")
            return {"case_contact": None}
        return {"case_contact": contact.display, "case_email": contact.email, "case_phone": contact.phone}

    async def validate_case_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if (stop := await self._interrupt("case_region", dispatcher, tracker, questions=False)) is not None:
            return stop
        text = str(value or "")
        index = await knowledge.index()
        region = index.vocabulary.region_of(text) if index else None
        if region is None and (validation.undecided(text) or form_answers.undecided(text)):
            region = "undecided"
        if region is None:
            if (stop := await self._interrupt("case_region", dispatcher, tracker)) is not None:
                return stop
            dispatcher.utter_message(response="utter_invalid_case_region")
        return {"case_region": region}

    async def validate_case_sector(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if (stop := await self._interrupt("case_sector", dispatcher, tracker)) is not None:
            return stop
        sector = validation.clean_text(str(value or ""), 2, 120)
        if sector is None:
            dispatcher.utter_message(response="utter_invalid_case_sector")
        return {"case_sector": sector}

    async def validate_case_stage(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if (stop := await self._interrupt("case_stage", dispatcher, tracker, questions=False)) is not None:
            return stop
        stage = validation.parse_stage(str(value or ""))
        if stage is None:
            if (stop := await self._interrupt("case_stage", dispatcher, tracker)) is not None:
                return stop
            dispatcher.utter_message(response="utter_invalid_case_stage")
        return {"case_stage": stage}

    async def validate_case_summary(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # a question here is the summary itself: only a cancellation interrupts
        if (stop := await self._interrupt("case_summary", dispatcher, tracker, questions=False)) is not None:
            return stop
        summary = validation.clean_text(str(value or ""), 10, 3000)
        if summary is None:
            dispatcher.utter_message(response="utter_invalid_case_summary")
        return {"case_summary": summary}

    async def validate_case_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # "Correct" buttons carry the field: /deny{"case_field": "case_region"}
        # or a field typed ("la région", "Sector", "الجهة"), e.g. where buttons are typed options
        if wants_cancel(tracker):
            return {"case_confirmed": None, "case_cancelled": True}
        typed = "" if latest_text(tracker).startswith("/") else latest_text(tracker)
        fields = [f for f in entity_values(tracker, "case_field") if f in CORRECTABLE]
        named = form_answers.field_named(typed) if typed and not form_answers.confirms(typed) else None
        if fields or named in CORRECTABLE:
            field = fields[-1] if fields else str(named)
            cleared: dict[str, Any] = {"case_confirmed": None, field: None}
            if field == "case_contact":
                cleared |= {"case_email": None, "case_phone": known_phone(tracker)}
            return cleared
        if typed and form_answers.wants_correction(typed):
            dispatcher.utter_message(response="utter_ask_case_correction")
            return {"case_confirmed": None}
        if typed and form_answers.confirms(typed):
            return {"case_confirmed": True}
        if not isinstance(value, bool) and (stop := await self._interrupt("case_confirmed", dispatcher, tracker)):
            return stop
        answer = value if isinstance(value, bool) else validation.parse_yes_no(str(value or ""))
        if answer is True:
            return {"case_confirmed": True}
        dispatcher.utter_message(response="utter_ask_case_correction")
        return {"case_confirmed": None}


class ActionAskCaseConfirmed(Action):
    """The confirmation summary, with buttons to confirm, correct or cancel."""

    def name(self) -> str:
        return "action_ask_case_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        index = await knowledge.index()
        labels = index.vocabulary.region_labels if index else {}
        contact = tracker.get_slot("case_contact") or tracker.get_slot("case_phone") or ""
        stage = tracker.get_slot("case_stage")
        dispatcher.utter_message(
            response="utter_case_summary",
            name=tracker.get_slot("case_name") or "",
            contact=contact,
            country=tracker.get_slot("case_country") or "",
            region=region_label(tracker.get_slot("case_region"), language, labels),
            sector=tracker.get_slot("case_sector") or "",
            stage=STAGE_LABELS.get(stage or "", {}).get(language, ""),
            summary=tracker.get_slot("case_summary") or "",
        )
        return []


def transcript_of(tracker: Tracker, limit: int = 100) -> list[dict[str, Any]]:
    """The conversation so far (user and assistant messages), for the guidance unit."""
    lines = []
    for event in tracker.events:
        if event.get("event") in ("user", "bot") and event.get("text"):
            lines.append(
                {
                    "from": "investor" if event["event"] == "user" else "assistant",
                    "text": str(event["text"])[:2000],
                    "at": event.get("timestamp"),
                }
            )
    return lines[-limit:]


def topic_of(tracker: Tracker) -> str | None:
    """The topic the investor asked about before the case form started (for the queue filters)."""
    topic = None
    for event in tracker.events:
        if event.get("event") == "active_loop" and event.get("name") == "case_form":
            break
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if event.get("event") == "user" and intent in INTENT_TOPICS:
            topic = INTENT_TOPICS[intent]
    if topic is None and tracker.get_slot("kb_subject"):
        topic = SUBJECT_TOPICS.get(str(tracker.get_slot("kb_subject")).split(":")[0])
    return topic


def reset_form() -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


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
        if tracker.get_slot("case_consent") is not True or tracker.get_slot("case_confirmed") is not True:
            dispatcher.utter_message(response="utter_case_not_opened")
            return reset_form()
        request = CaseRequest(
            conversation_id=tracker.sender_id,
            channel=channel_of(tracker),
            language=language_of(tracker),
            name=tracker.get_slot("case_name"),
            email=tracker.get_slot("case_email"),
            phone=tracker.get_slot("case_phone"),
            country=tracker.get_slot("case_country"),
            region=tracker.get_slot("case_region"),
            sector=tracker.get_slot("case_sector"),
            stage=tracker.get_slot("case_stage"),
            summary=tracker.get_slot("case_summary"),
            topic=topic_of(tracker),
            transcript=transcript_of(tracker),
            consent_at=utcnow(),
        )
        spool.ensure_retrying()
        try:
            case, _ = await open_case(request)
        except (SQLAlchemyError, OSError) as exc:
            logger.error("case not stored, kept in the spool for retry: %s", exc.__class__.__name__)
            await spool.add(request)
            dispatcher.utter_message(response="utter_case_kept_for_retry")
            return reset_form()
        dispatcher.utter_message(
            response="utter_case_opened", reference=case.reference, days=get_settings().case_response_days
        )
        return [*reset_form(), SlotSet("case_reference", case.reference)]


class ActionCaseStatus(Action):
    """Where a case stands: only in the conversation (or WhatsApp number) that opened it."""

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
        if reference is None:
            # "merci ! dernière question : …": a question, not a status request
            events = await answer_embedded_question(dispatcher, tracker)
            if events is not None:
                return events
        try:
            case = await case_for_requester(reference, tracker.sender_id, phone=known_phone(tracker))
        except (SQLAlchemyError, OSError):
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
        dispatcher.utter_message(response="utter_ask_erasure_confirmation")
        return []


def last_bot_response(tracker: Tracker) -> str | None:
    """The response the assistant sent last (what a "yes" or "no" answers)."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


#: Responses that offer the guidance unit: "yes" opens the case form.
OFFERS = {"utter_offer_guidance_unit", "utter_kb_not_found", "utter_iamabot", "utter_kb_unavailable"}


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
        if proposal == "utter_ask_erasure_confirmation":
            try:
                await request_erasure(tracker.sender_id)
            except (SQLAlchemyError, OSError):
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
        if last_bot_response(tracker) == "utter_ask_erasure_confirmation":
            dispatcher.utter_message(response="utter_erasure_cancelled")
        else:
            dispatcher.utter_message(response="utter_anything_else")
        return []



class _AskSlot(Action, abc.ABC):
    """Asks for one form slot with its catalog response `utter_ask_<slot>`."""

    @property
    @abc.abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response=f"utter_ask_{self.slot}")
        return []


class ActionAskCaseConsent(_AskSlot):
    slot = "case_consent"  # type: ignore[assignment]


class ActionAskCaseName(_AskSlot):
    slot = "case_name"  # type: ignore[assignment]


class ActionAskCaseCountry(_AskSlot):
    slot = "case_country"  # type: ignore[assignment]


class ActionAskCaseContact(_AskSlot):
    slot = "case_contact"  # type: ignore[assignment]


class ActionAskCaseRegion(_AskSlot):
    slot = "case_region"  # type: ignore[assignment]


class ActionAskCaseSector(_AskSlot):
    slot = "case_sector"  # type: ignore[assignment]


class ActionAskCaseStage(_AskSlot):
    slot = "case_stage"  # type: ignore[assignment]


class ActionAskCaseSummary(_AskSlot):
    slot = "case_summary"  # type: ignore[assignment]
