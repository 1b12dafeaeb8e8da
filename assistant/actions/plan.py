"""The creation plan: its form, the confirmation summary, and the plan itself.

The form asks only what is not already known (the case form's answers, the city or the
amount in the request, the WhatsApp number's country); "je ne sais pas" is accepted where
the plan can still be built; a question asked in the middle is answered and the form
resumes. The plan is assembled by `assistant.plan` from the rules and the knowledge base,
saved behind an unguessable link, and sent as a few short messages.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import phonenumbers
from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from assistant.actions.common import channel_of, entity_values, known_phone, language_of, latest_text
from assistant.actions.knowledge import answer_named_subject, knowledge
from assistant.bidi import isolate_for
from assistant.cases import validation
from assistant.plan import answers
from assistant.plan.amounts import parse_amount
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
    "plan_mre_stake", "plan_amount", "plan_fx_share", "plan_stage", "plan_turnover", "plan_capital", "plan_jobs",
    "plan_confirmed", "plan_cancelled",
)
CORRECTABLE = (
    "plan_country", "plan_region", "plan_sector", "plan_partners", "plan_amount", "plan_fx_share", "plan_stage",
    "plan_turnover", "plan_capital", "plan_jobs",
)


def rules() -> Any:
    return rules_from(str(get_settings().knowledge_dir))


def number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def inputs_from(tracker: Tracker) -> PlanInputs:
    """The form's slots as the calculator's inputs ("unknown" and missing are None)."""
    def slot(name: str) -> Any:
        value = tracker.get_slot(name)
        return None if value in (None, UNKNOWN) else value

    return PlanInputs(
        country=slot("plan_country"), region=slot("plan_region"), sector=slot("plan_sector"),
        partners=slot("plan_partners") if slot("plan_partners") in ("alone", "mre", "other") else None,
        mre_stake=number(slot("plan_mre_stake")), amount=number(slot("plan_amount")),
        fx_share=number(slot("plan_fx_share")), stage=slot("plan_stage"),
        turnover=number(slot("plan_turnover")), capital=number(slot("plan_capital")), jobs=number(slot("plan_jobs")),
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


def started_unintroduced(tracker: Tracker) -> bool:
    """Whether the plan was last started without its introduction (`utter_plan_intro`): a question
    about plans answered by `action_start_plan`, the form closed before its first question."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == "utter_plan_intro":
            return False
        if event.get("event") == "action" and event.get("name") == "action_start_plan":
            return True
    return False


class ActionStartPlan(Action):
    """Clears a previous plan's answers, keeps what is known, then the form starts."""

    def name(self) -> str:
        return "action_start_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        if not text.startswith("/") and answers.asks_what_a_plan_is(text):
            # "c quoi le business plan ?" asks what a plan is: a subject of the base named is answered,
            # otherwise the creation plan is offered; the form closes before its first question
            answered = await answer_named_subject(dispatcher, tracker)
            if answered is None:
                dispatcher.utter_message(response="utter_plan_offer")
            return [*(answered or []), *(SlotSet(slot, None) for slot in FORM_SLOTS), SlotSet("plan_cancelled", True)]
        dispatcher.utter_message(response="utter_plan_intro")
        known = await known_values(tracker)
        events: list[dict[str, Any]] = [SlotSet(slot, known.get(slot)) for slot in FORM_SLOTS]
        if tracker.latest_message.get("intent", {}).get("name") != "request_plan":
            # a typed "yes" to the plan's offer (pending_answers.py): no rule follows this action with the form
            events.append(FollowupAction("plan_form"))
        return events


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
        summary = isolate_for(summary, language)  # the amounts and shares isolated in Arabic
        dispatcher.utter_message(response="utter_plan_summary", summary=summary)
        return []


class ActionShowPlan(Action):
    """Builds the plan, saves it behind its link, and sends it as a few short messages."""

    def name(self) -> str:
        return "action_show_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if tracker.get_slot("plan_cancelled") and started_unintroduced(tracker):
            return [SlotSet(s, None) for s in FORM_SLOTS]  # a question about plans, answered: no plan was started
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
