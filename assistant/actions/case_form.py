"""The case form: asking, validating each answer, the confirmation summary.

A question asked instead of an answer is answered and the form resumes; a
cancellation ends it. What a message means is decided by `assistant.cases.answers`
(pure functions of the text), what a valid value is by `assistant.cases.validation`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.common import entity_values, known_phone, language_of, latest_text
from assistant.actions.forms import AskSlot, answer_if_question, cancel_requested, intent_of, interrupt, yes_no_answer
from assistant.actions.knowledge import answer_named_subject, knowledge
from assistant.cases import answers, form_answers, validation
from assistant.kb.parts import asks_something

#: Slots the investor can correct from the confirmation summary.
CORRECTABLE = ("case_name", "case_country", "case_contact", "case_region", "case_sector", "case_stage", "case_summary")


def typed_undecided(tracker: Tracker) -> bool:
    text = latest_text(tracker)
    return not text.startswith("/") and form_answers.undecided(text)


def opened_by_a_question(tracker: Tracker) -> bool:
    """The form is opening on a typed message read as a request for a person that asks something
    or says what the writer wants to do, and names no person, unit, help or case ("هل أحتاج إلى
    رخصة؟", "bghit kridi", "je veux acheter un terrain": the classifier learnt "أحتاج" and "bghit"
    from requests for a person). A button's payload or a yes to the assistant's offer is never one."""
    text = latest_text(tracker)
    return (
        tracker.get_slot("requested_slot") is None
        and tracker.get_slot("case_consent") is None
        and intent_of(tracker)[0] == "request_human"
        and not text.startswith("/")
        and asks_something(text)
        and not answers.asks_for_a_person(text)
    )


def region_label(slug: str | None, language: str, labels: dict[str, dict[str, str]]) -> str:
    if not slug:
        return ""
    if slug == "undecided":
        return validation.undecided_region_label(language)
    return labels.get(slug, {}).get(language, slug)


class ValidateCaseForm(FormValidationAction):
    """Validates each answer; a question asked meanwhile is answered and the form resumes."""

    def name(self) -> str:
        return "validate_case_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        # at the opening, a question or a wish naming no person that the search answers clearly (or
        # clarifies between entries) is answered, and the form closes before asking anything
        # (`action_submit_case` then says nothing)
        if opened_by_a_question(tracker) and (answered := await answer_named_subject(dispatcher, tracker, questioned=True)):
            return [*answered, SlotSet("requested_slot", None)]
        return await super().run(dispatcher, tracker, domain)

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
        """A cancellation ends the form (see `required_slots`); a question is answered (see `forms.interrupt`)."""
        return await interrupt(
            slot, dispatcher, tracker, cancelled="case_cancelled", not_found="utter_kb_not_found_in_form",
            questions=questions,
        )

    async def _unreadable(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any] | None:
        """An answer the slot cannot read: a question the classifier was unsure of is still answered."""
        return await answer_if_question(slot, dispatcher, tracker, not_found="utter_kb_not_found_in_form")

    async def _free_text(
        self, slot: str, value: Any, max_chars: int, dispatcher: CollectingDispatcher, tracker: Tracker,
        clean: Callable[[str], str | None] | None = None,
    ) -> dict[str, Any]:
        """A free-text answer (country, sector): 2 to `max_chars` characters with letters,
        or what `clean` keeps of it."""
        if (stop := await self._interrupt(slot, dispatcher, tracker)) is not None:
            return stop
        text = (clean or (lambda typed: validation.clean_text(typed, 2, max_chars)))(str(value or ""))
        if text is None:
            dispatcher.utter_message(response=f"utter_invalid_{slot}")
        return {slot: text}

    async def _parsed(
        self, slot: str, value: Any, parse: Callable[[str], str | None], dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        """An answer read by `parse` (region, stage): a valid answer wins over a question
        the classifier thought it saw; only an unreadable one may be a question."""
        if (stop := await self._interrupt(slot, dispatcher, tracker, questions=False)) is not None:
            return stop
        parsed = parse(str(value or ""))
        if parsed is None:
            if (stop := await self._interrupt(slot, dispatcher, tracker)) is not None:
                return stop
            dispatcher.utter_message(response=f"utter_invalid_{slot}")
        return {slot: parsed}

    async def validate_case_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not isinstance(value, bool) and (stop := await self._interrupt("case_consent", dispatcher, tracker)) is not None:
            return stop
        answer = yes_no_answer(value, tracker)
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
        intent, confidence = intent_of(tracker)
        something_else = answers.is_something_else(str(value or ""), intent, confidence)
        name = None if something_else else validation.clean_name(str(value or ""))
        if name is None:
            dispatcher.utter_message(response="utter_invalid_case_name")
        return {"case_name": name}

    async def validate_case_country(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if (stop := await self._interrupt("case_country", dispatcher, tracker)) is not None:
            return stop
        text = str(value or "")
        contact = validation.parse_contact(text)
        if contact is not None and tracker.get_slot("case_contact"):
            dispatcher.utter_message(response="utter_invalid_case_country")  # an address is never a country
            return {"case_country": None}
        if contact is not None:
            # an e-mail or a number typed one question early is the contact, never a country
            dispatcher.utter_message(response="utter_case_contact_noted", contact=contact.display)
            return {"case_country": None, "case_contact": contact.display, "case_email": contact.email,
                    "case_phone": contact.phone}
        if validation.country_code(text) is None and (typed_undecided(tracker) or validation.parse_yes_no(text) is not None):
            # "pas encore décidé", "oui", "no": the user lives somewhere; ask again, never store it as the country
            dispatcher.utter_message(response="utter_invalid_case_country")
            return {"case_country": None}
        if validation.country_code(text) is None and (stop := await self._unreadable(
                "case_country", dispatcher, tracker)) is not None:
            return stop
        # "f belgique", "في بلجيكا", "in belgium": the country, named in the user's language
        return await self._free_text("case_country", value, 60, dispatcher, tracker,
                                     clean=lambda typed: validation.clean_country(typed, language_of(tracker)))

    async def validate_case_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # a valid e-mail or number is the answer, whatever intent the classifier guessed
        contact = validation.parse_contact(str(value or ""), tracker.get_slot("case_country"))
        if contact is None:
            if (stop := await self._interrupt("case_contact", dispatcher, tracker)) is not None:
                return stop
            if (stop := await self._unreadable("case_contact", dispatcher, tracker)) is not None:
                return stop
            dispatcher.utter_message(response="utter_invalid_case_contact")
            return {"case_contact": None}
        return {"case_contact": contact.display, "case_email": contact.email, "case_phone": contact.phone}

    async def validate_case_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        index = await knowledge.index()

        def region_of(text: str) -> str | None:
            region = index.vocabulary.region_of(text) if index else None
            if region is None and form_answers.undecided(text):
                return "undecided"
            return region

        return await self._parsed("case_region", value, region_of, dispatcher, tracker)

    async def validate_case_sector(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if typed_undecided(tracker):  # "mazal ma 3reftch" is not a sector
            return {"case_sector": validation.undecided_sector_label(language_of(tracker))}
        return await self._free_text("case_sector", value, 120, dispatcher, tracker)

    async def validate_case_stage(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._parsed("case_stage", value, validation.parse_stage, dispatcher, tracker)

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
        if cancel_requested(tracker):
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
        answer = yes_no_answer(value, tracker)
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
            stage=validation.stage_label(stage, language),
            summary=tracker.get_slot("case_summary") or "",
        )
        return []


class ActionAskCaseConsent(AskSlot):
    slot = "case_consent"  # type: ignore[assignment]


class ActionAskCaseName(AskSlot):
    slot = "case_name"  # type: ignore[assignment]


class ActionAskCaseCountry(AskSlot):
    slot = "case_country"  # type: ignore[assignment]


class ActionAskCaseContact(AskSlot):
    slot = "case_contact"  # type: ignore[assignment]


class ActionAskCaseRegion(AskSlot):
    slot = "case_region"  # type: ignore[assignment]


class ActionAskCaseSector(AskSlot):
    slot = "case_sector"  # type: ignore[assignment]


class ActionAskCaseStage(AskSlot):
    slot = "case_stage"  # type: ignore[assignment]


class ActionAskCaseSummary(AskSlot):
    slot = "case_summary"  # type: ignore[assignment]
