"""The creation plan: its form, the confirmation summary, and the plan itself.

The form asks only what is not already known (the case form's answers, the city or the
amount in the request, the WhatsApp number's country); "je ne sais pas" is accepted where
the plan can still be built; a question asked in the middle is answered and the form
resumes. The plan is assembled by `assistant.plan` from the rules and the knowledge base,
saved behind an unguessable link, and sent as a few short messages.
"""

from __future__ import annotations

import abc
import datetime as dt
import logging
from typing import Any

import phonenumbers
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from assistant.actions.case_form import cancel_requested, channel_of, known_phone, question_asked
from assistant.actions.common import entity_values, language_of, latest_text
from assistant.actions.knowledge import answer_question, knowledge
from assistant.cases import form_answers, validation
from assistant.plan import answers
from assistant.plan.amounts import parse_amount, parse_share
from assistant.plan.chat import plan_messages
from assistant.plan.document import Display, build_documents, t
from assistant.plan.precheck import PlanInputs
from assistant.plan.rules import rules_from
from assistant.plan.store import save_plan
from assistant.settings import get_settings

logger = logging.getLogger(__name__)

UNKNOWN = "unknown"
FORM_SLOTS = (
    "plan_country", "plan_region", "plan_sector", "plan_sector_text", "plan_partners", "plan_partners_mre",
    "plan_mre_stake", "plan_amount", "plan_fx_share", "plan_stage", "plan_confirmed", "plan_cancelled",
)
CORRECTABLE = ("plan_country", "plan_region", "plan_sector", "plan_partners", "plan_amount", "plan_fx_share", "plan_stage")


def rules() -> Any:
    return rules_from(str(get_settings().knowledge_dir))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def inputs_from(tracker: Tracker) -> PlanInputs:
    """The form's slots as the calculator's inputs ("unknown" and missing are None)."""
    def slot(name: str) -> Any:
        value = tracker.get_slot(name)
        return None if value in (None, UNKNOWN) else value

    return PlanInputs(
        country=slot("plan_country"), region=slot("plan_region"), sector=slot("plan_sector"),
        partners=slot("plan_partners") if slot("plan_partners") in ("alone", "mre", "other") else None,
        mre_stake=_number(slot("plan_mre_stake")), amount=_number(slot("plan_amount")),
        fx_share=_number(slot("plan_fx_share")), stage=slot("plan_stage"),
    )


def country_from_phone(phone: str | None) -> str | None:
    """The country of a WhatsApp number, unless it is Moroccan (an MRE may keep one)."""
    if not phone:
        return None
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(phone))
    except phonenumbers.NumberParseException:
        return None
    return region if region and region != "MA" else None


async def known_values(tracker: Tracker) -> dict[str, Any]:
    """What the conversation already told us: not asked again."""
    values: dict[str, Any] = {}
    text = latest_text(tracker)
    index = await knowledge.index()
    said = validation.country_code(text)  # "je vis en France et…" (not "au Maroc": that is where the project is)
    country = (
        validation.country_code(tracker.get_slot("case_country"))
        or (said if said != "MA" else None)
        or country_from_phone(known_phone(tracker))
    )
    if country:
        values["plan_country"] = country
    region = tracker.get_slot("case_region")
    if index is not None and region in index.vocabulary.region_labels:
        values["plan_region"] = region
    for city in entity_values(tracker, "city"):
        if index is not None and city in index.vocabulary.city_region:
            values["plan_region"] = index.vocabulary.city_region[city]
    for reg in entity_values(tracker, "region"):
        values["plan_region"] = reg
    sector = rules().sector_of(text) or rules().sector_of(tracker.get_slot("case_sector") or "")
    if sector:
        values["plan_sector"] = sector
    partners = answers.parse_partners(text)
    if partners and partners != "partners":
        values["plan_partners"] = partners
    amount = parse_amount(text) if any(ch.isdigit() for ch in text) else None
    if amount is not None and amount.ok:
        values["plan_amount"] = amount.value
    stage = tracker.get_slot("case_stage")
    if stage in ("idea", "creation", "extension"):
        values["plan_stage"] = stage
    return values


class ActionStartPlan(Action):
    """Clears a previous plan's answers, keeps what is known, then the form starts."""

    def name(self) -> str:
        return "action_start_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_plan_intro")
        known = await known_values(tracker)
        return [SlotSet(slot, known.get(slot)) for slot in FORM_SLOTS]


class ValidatePlanForm(FormValidationAction):
    def name(self) -> str:
        return "validate_plan_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("plan_cancelled"):
            return []
        slots = list(domain_slots)
        if tracker.get_slot("plan_partners") != "partners":
            slots.remove("plan_partners_mre")
        if tracker.get_slot("plan_partners") != "other":
            slots.remove("plan_mre_stake")
        return slots

    async def _interrupt(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any] | None:
        """Cancel stops the form; a question is answered and the same slot asked again."""
        if cancel_requested(tracker):
            return {slot: None, "plan_cancelled": True}
        if question_asked(tracker):
            if await answer_question(dispatcher, tracker) is None:
                dispatcher.utter_message(response="utter_plan_not_found_in_form")
            return {slot: None}
        return None

    async def validate_plan_country(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        code = validation.country_code(text)
        if code is None and len(text) == 2 and text.isupper():
            code = text  # already a code (set from the case form or the phone number)
        if code:
            return {"plan_country": code}
        if (stop := await self._interrupt("plan_country", dispatcher, tracker)) is not None:
            return stop
        if validation.clean_name(text) and not answers.dont_know(text):
            return {"plan_country": "other"}  # a country we have no programme list for
        dispatcher.utter_message(response="utter_invalid_plan_country")
        return {"plan_country": None}

    async def validate_plan_region(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        index = await knowledge.index()
        if index is not None and text in index.vocabulary.region_labels:
            return {"plan_region": text}
        region = index.vocabulary.region_of(text) if index else None
        if region:
            return {"plan_region": region}
        if answers.dont_know(text) or form_answers.undecided(text):
            return {"plan_region": "undecided"}
        if (stop := await self._interrupt("plan_region", dispatcher, tracker)) is not None:
            return stop
        dispatcher.utter_message(response="utter_invalid_plan_region")
        return {"plan_region": None}

    async def validate_plan_sector(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        if text in rules().sector_labels or text == "other":
            return {"plan_sector": text}
        sector = rules().sector_of(text)
        if sector:
            return {"plan_sector": sector}
        if answers.dont_know(text):
            return {"plan_sector": UNKNOWN}
        if (stop := await self._interrupt("plan_sector", dispatcher, tracker)) is not None:
            return stop
        cleaned = validation.clean_text(text, 2, 80)
        if cleaned is None:
            dispatcher.utter_message(response="utter_invalid_plan_sector")
            return {"plan_sector": None}
        return {"plan_sector": "other", "plan_sector_text": cleaned}

    async def validate_plan_partners(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        if text in ("alone", "mre", "other", "partners", UNKNOWN):
            return {"plan_partners": text}
        partners = answers.parse_partners(text)
        if partners:
            return {"plan_partners": partners}
        if answers.dont_know(text):
            return {"plan_partners": UNKNOWN}
        if (stop := await self._interrupt("plan_partners", dispatcher, tracker)) is not None:
            return stop
        dispatcher.utter_message(response="utter_invalid_plan_partners")
        return {"plan_partners": None}

    async def validate_plan_partners_mre(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if isinstance(value, bool):
            mre: bool | None = value
        else:
            text = str(value or "")
            mre = answers.parse_partners_mre(text)
            if mre is None:
                mre = validation.parse_yes_no(text)
            if mre is None and answers.dont_know(text):
                return {"plan_partners_mre": UNKNOWN, "plan_partners": "other"}  # grant computed on the MRE share only
        if mre is None:
            if (stop := await self._interrupt("plan_partners_mre", dispatcher, tracker)) is not None:
                return stop
            dispatcher.utter_message(response="utter_invalid_yes_no")
            return {"plan_partners_mre": None}
        return {"plan_partners_mre": mre, "plan_partners": "mre" if mre else "other"}

    async def validate_plan_mre_stake(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        if answers.dont_know(text):
            return {"plan_mre_stake": UNKNOWN}
        share = parse_share(text, _number(tracker.get_slot("plan_amount")))
        if share.ok:
            return {"plan_mre_stake": share.value}
        if (stop := await self._interrupt("plan_mre_stake", dispatcher, tracker)) is not None:
            return stop
        dispatcher.utter_message(response="utter_invalid_plan_share")
        return {"plan_mre_stake": None}

    async def validate_plan_amount(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if _number(value) is not None:
            return {"plan_amount": value}
        text = str(value or "")
        if answers.dont_know(text):
            return {"plan_amount": UNKNOWN}
        parsed = parse_amount(text)
        if parsed.ok:
            return {"plan_amount": parsed.value}
        if parsed.problem == "unreadable" and (stop := await self._interrupt("plan_amount", dispatcher, tracker)) is not None:
            return stop
        dispatcher.utter_message(response=f"utter_invalid_plan_amount_{parsed.problem}")
        return {"plan_amount": None}

    async def validate_plan_fx_share(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if _number(value) is not None:
            return {"plan_fx_share": value}
        text = str(value or "")
        if answers.dont_know(text):
            return {"plan_fx_share": UNKNOWN}
        parsed = parse_share(text, _number(tracker.get_slot("plan_amount")))
        if parsed.ok:
            return {"plan_fx_share": parsed.value}
        if parsed.problem == "unreadable" and (stop := await self._interrupt("plan_fx_share", dispatcher, tracker)) is not None:
            return stop
        dispatcher.utter_message(response="utter_invalid_plan_amount_currency" if parsed.problem == "currency" else "utter_invalid_plan_share")
        return {"plan_fx_share": None}

    async def validate_plan_stage(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        stage = text if text in ("idea", "creation", "extension") else validation.parse_stage(text)
        if stage:
            return {"plan_stage": stage}
        if answers.dont_know(text):
            return {"plan_stage": UNKNOWN}
        if (stop := await self._interrupt("plan_stage", dispatcher, tracker)) is not None:
            return stop
        dispatcher.utter_message(response="utter_invalid_case_stage")
        return {"plan_stage": None}

    async def validate_plan_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        fields = [f for f in entity_values(tracker, "plan_field") if f in CORRECTABLE]
        if fields:
            cleared: dict[str, Any] = {"plan_confirmed": None, fields[-1]: None}
            if fields[-1] == "plan_partners":
                cleared |= {"plan_partners_mre": None, "plan_mre_stake": None}
            return cleared
        if not isinstance(value, bool) and (stop := await self._interrupt("plan_confirmed", dispatcher, tracker)):
            return stop
        answer = value if isinstance(value, bool) else validation.parse_yes_no(str(value or ""))
        if answer is True:
            return {"plan_confirmed": True}
        dispatcher.utter_message(response="utter_ask_plan_correction")
        return {"plan_confirmed": None}


async def documents_for(tracker: Tracker) -> tuple[PlanInputs, dict[str, Any]] | None:
    index = await knowledge.index()
    if index is None:
        return None
    inputs = inputs_from(tracker)
    display = Display(
        region_label=index.vocabulary.region_labels.get(inputs.region or ""),
        sector_text=tracker.get_slot("plan_sector_text"),
    )
    return inputs, build_documents(inputs, display, rules(), index.by_id, dt.date.today())


class ActionAskPlanConfirmed(Action):
    """The answers so far, with buttons to see the plan or correct one answer."""

    def name(self) -> str:
        return "action_ask_plan_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        language = language_of(tracker)
        built = await documents_for(tracker)
        if built is None:
            dispatcher.utter_message(response="utter_kb_unavailable")
            return []
        rows = built[1][language]["inputs"]
        summary = "\n".join(f"• {row['label']} : {row['value']}" if language == "fr" else f"• {row['label']}: {row['value']}" for row in rows)
        dispatcher.utter_message(response="utter_plan_summary", summary=summary)
        return []


class ActionShowPlan(Action):
    """Builds the plan, saves it behind its link, and sends it as a few short messages."""

    def name(self) -> str:
        return "action_show_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if tracker.get_slot("plan_cancelled") or tracker.get_slot("plan_confirmed") is not True:
            dispatcher.utter_message(response="utter_plan_cancelled")
            return [SlotSet(s, None) for s in FORM_SLOTS]
        language = language_of(tracker)
        built = await documents_for(tracker)
        if built is None:
            dispatcher.utter_message(response="utter_kb_unavailable")
            return []
        inputs, documents = built
        links: dict[str, str] | None = None
        events: list[dict[str, Any]] = [SlotSet("plan_confirmed", None)]
        try:
            stored = await save_plan(tracker.sender_id, language, {**inputs.__dict__, "channel": channel_of(tracker)}, documents)
        except (SQLAlchemyError, OSError) as exc:
            logger.error("plan not stored: %s", exc.__class__.__name__)
        else:
            base = get_settings().service_public_url.rstrip("/")
            links = {lang: f"{base}/plan/{stored.token}.pdf?lang={lang}" for lang in ("fr", "ar", "en")}
            events.append(SlotSet("plan_token", stored.token))
        for text, buttons in plan_messages(documents[language], links):
            dispatcher.utter_message(response="utter_plan_message", text=text, buttons=buttons)
        if links and channel_of(tracker) == "whatsapp":
            # the PDF as a WhatsApp document (uploaded by the channel); its link is the fallback
            dispatcher.utter_message(json_message={
                "document": {"url": links[language], "filename": f"plan-{language}.pdf", "caption": t("chat.whatsapp_caption", language)},
                "text": f"{t('chat.whatsapp_caption', language)}: {links[language]}",
            })
        return events


class _AskPlanSlot(Action, abc.ABC):
    """Asks one form slot with its catalog response `utter_ask_<slot>`."""

    @property
    @abc.abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response=f"utter_ask_{self.slot}")
        return []


class ActionAskPlanCountry(_AskPlanSlot):
    slot = "plan_country"  # type: ignore[assignment]


class ActionAskPlanRegion(_AskPlanSlot):
    slot = "plan_region"  # type: ignore[assignment]


class ActionAskPlanSector(_AskPlanSlot):
    slot = "plan_sector"  # type: ignore[assignment]


class ActionAskPlanPartners(_AskPlanSlot):
    slot = "plan_partners"  # type: ignore[assignment]


class ActionAskPlanPartnersMre(_AskPlanSlot):
    slot = "plan_partners_mre"  # type: ignore[assignment]


class ActionAskPlanMreStake(_AskPlanSlot):
    slot = "plan_mre_stake"  # type: ignore[assignment]


class ActionAskPlanAmount(_AskPlanSlot):
    slot = "plan_amount"  # type: ignore[assignment]


class ActionAskPlanFxShare(_AskPlanSlot):
    slot = "plan_fx_share"  # type: ignore[assignment]


class ActionAskPlanStage(_AskPlanSlot):
    slot = "plan_stage"  # type: ignore[assignment]
