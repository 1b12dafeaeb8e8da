"""The creation plan's form: each answer read in every variety, and the questions asked.

`validate_plan_form` reads typed answers (amounts as people write them, "je ne sais pas",
Arabizi), answers a question asked in the middle and asks the same slot again, and asks
turnover, capital and jobs only where a rule needs them: the turnover when the
auto-entrepreneur regime is an alternative (alone) or for an existing company (Intelaka's
ceiling), the capital (blocked account, the SA's minimum) and the jobs (the investment
charter's thresholds).
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.common import entity_values, language_of, latest_text
from assistant.actions.forms import AskSlot, answer_if_question, cancel_requested, interrupt, yes_no_answer
from assistant.actions.knowledge import knowledge
from assistant.actions.plan import CORRECTABLE, UNKNOWN, number, rules
from assistant.cases import form_answers, validation
from assistant.plan import answers
from assistant.plan.amounts import Parsed, parse_amount, parse_count, parse_share
from assistant.responses import catalog_buttons

#: Partners answers for which the auto-entrepreneur regime is an alternative (turnover asked).
ALONE_OR_NOT_SAID = (None, "alone", UNKNOWN)
CORRECTION_MENU = "utter_ask_plan_correction"
#: field -> {language: title} (responses/plan.yml, `buttons:`)
CORRECTION_BUTTONS = catalog_buttons(CORRECTION_MENU)


def asks_turnover(tracker: Tracker) -> bool:
    """The turnover is asked when the auto-entrepreneur regime is an alternative (alone or not
    said) or for an existing company (Intelaka's ceiling)."""
    return tracker.get_slot("plan_partners") in ALONE_OR_NOT_SAID or tracker.get_slot("plan_stage") == "extension"


def correctable(tracker: Tracker) -> list[str]:
    """The fields the correction menu offers: those the form asks for this plan (#13: the
    turnover, never asked with partners for a new project, was offered and then did nothing)."""
    return [field for field in CORRECTABLE if field != "plan_turnover" or asks_turnover(tracker)]


def correction_menu(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """"What do you want to correct?" with one button per field of this plan."""
    language = language_of(tracker)
    buttons = [
        {"title": CORRECTION_BUTTONS[field][language], "payload": "/deny" + json.dumps({"plan_field": field})}
        for field in correctable(tracker) if field in CORRECTION_BUTTONS
    ]
    dispatcher.utter_message(response=CORRECTION_MENU, buttons=buttons)


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
        if not asks_turnover(tracker):
            slots.remove("plan_turnover")
        return slots

    async def _interrupt(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any] | None:
        """Cancel stops the form; a question is answered and the same slot asked again (see `forms.interrupt`).

        Called only for an answer the slot could not read, so a question the classifier was
        unsure of is answered too (`forms.answer_if_question`)."""
        not_found = "utter_plan_not_found_in_form"
        stop = await interrupt(slot, dispatcher, tracker, cancelled="plan_cancelled", not_found=not_found)
        return stop if stop is not None else await answer_if_question(slot, dispatcher, tracker, not_found=not_found)

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
        typed = "" if latest_text(tracker).startswith("/") else latest_text(tracker)
        if typed and answers.dont_know(typed) and answers.parse_partners_mre(typed) is None:
            # "لا أعرف" read by the NLU as a "no" (deny): it is an "I don't know"
            return {"plan_partners_mre": UNKNOWN, "plan_partners": "other"}
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
        share = parse_share(text, number(tracker.get_slot("plan_amount")))
        if share.ok:
            return {"plan_mre_stake": share.value}
        if (stop := await self._interrupt("plan_mre_stake", dispatcher, tracker)) is not None:
            return stop
        dispatcher.utter_message(response="utter_invalid_plan_share")
        return {"plan_mre_stake": None}

    async def validate_plan_amount(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if number(value) is not None:
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
        if number(value) is not None:
            return {"plan_fx_share": value}
        text = str(value or "")
        if answers.dont_know(text):
            return {"plan_fx_share": UNKNOWN}
        parsed = parse_share(text, number(tracker.get_slot("plan_amount")))
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

    async def _figure(self, slot: str, parsed: Parsed, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """An amount typed for turnover or capital, or why it is asked again."""
        if parsed.ok:
            return {slot: parsed.value}
        if parsed.problem == "unreadable" and (stop := await self._interrupt(slot, dispatcher, tracker)) is not None:
            return stop
        problem = "figure_absurd" if parsed.problem == "absurd" else f"amount_{parsed.problem}"
        dispatcher.utter_message(response=f"utter_invalid_plan_{problem}")
        return {slot: None}

    async def validate_plan_turnover(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if number(value) is not None or value == UNKNOWN or answers.dont_know(str(value or "")):
            return {"plan_turnover": value if number(value) is not None else UNKNOWN}
        return await self._figure("plan_turnover", parse_amount(str(value or ""), minimum=1), dispatcher, tracker)

    async def validate_plan_capital(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value == UNKNOWN or answers.dont_know(str(value or "")):
            return {"plan_capital": UNKNOWN}
        parsed = Parsed(float(value)) if number(value) is not None else parse_amount(str(value or ""), minimum=1)
        total = number(tracker.get_slot("plan_amount"))
        if parsed.ok and total is not None and (parsed.value or 0) > total:
            dispatcher.utter_message(response="utter_invalid_plan_capital_above_amount")
            return {"plan_capital": None}
        return await self._figure("plan_capital", parsed, dispatcher, tracker)

    async def validate_plan_jobs(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        if number(value) is not None:
            return {"plan_jobs": value}
        if value == UNKNOWN or answers.dont_know(text):
            return {"plan_jobs": UNKNOWN}
        parsed = parse_count(text)
        if parsed.ok:
            return {"plan_jobs": parsed.value}
        if parsed.problem == "unreadable" and (stop := await self._interrupt("plan_jobs", dispatcher, tracker)) is not None:
            return stop
        dispatcher.utter_message(response="utter_invalid_plan_jobs")
        return {"plan_jobs": None}

    async def validate_plan_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        # a correction button carries its field (/deny{"plan_field": "plan_amount"}); a field typed
        # ("le pays", "البلد", "lblad", a button title typed) is read as the case form reads it
        typed = "" if latest_text(tracker).startswith("/") else latest_text(tracker)
        fields = [f for f in entity_values(tracker, "plan_field") if f in CORRECTABLE]
        named = form_answers.field_named(typed, "plan_fields") if typed and not form_answers.confirms(typed) else None
        field = fields[-1] if fields else (str(named) if named in CORRECTABLE else None)
        if field is not None and field not in correctable(tracker):
            correction_menu(dispatcher, tracker)  # a field this plan did not ask: the fields it did
            return {"plan_confirmed": None}
        if field is not None:
            cleared: dict[str, Any] = {"plan_confirmed": None, field: None}
            if field == "plan_partners":
                cleared |= {"plan_partners_mre": None, "plan_mre_stake": None}
            return cleared
        if cancel_requested(tracker):
            return {"plan_confirmed": None, "plan_cancelled": True}
        if typed and form_answers.wants_correction(typed):
            correction_menu(dispatcher, tracker)
            return {"plan_confirmed": None}
        if typed and form_answers.confirms(typed):
            return {"plan_confirmed": True}
        if not isinstance(value, bool) and (stop := await self._interrupt("plan_confirmed", dispatcher, tracker)):
            return stop
        answer = yes_no_answer(value, tracker)
        if answer is True:
            return {"plan_confirmed": True}
        correction_menu(dispatcher, tracker)
        return {"plan_confirmed": None}


class ActionAskPlanCountry(AskSlot):
    slot = "plan_country"  # type: ignore[assignment]


class ActionAskPlanRegion(AskSlot):
    slot = "plan_region"  # type: ignore[assignment]


class ActionAskPlanSector(AskSlot):
    slot = "plan_sector"  # type: ignore[assignment]


class ActionAskPlanPartners(AskSlot):
    slot = "plan_partners"  # type: ignore[assignment]


class ActionAskPlanPartnersMre(AskSlot):
    slot = "plan_partners_mre"  # type: ignore[assignment]


class ActionAskPlanMreStake(AskSlot):
    slot = "plan_mre_stake"  # type: ignore[assignment]


class ActionAskPlanAmount(AskSlot):
    slot = "plan_amount"  # type: ignore[assignment]


class ActionAskPlanFxShare(AskSlot):
    slot = "plan_fx_share"  # type: ignore[assignment]


class ActionAskPlanStage(AskSlot):
    slot = "plan_stage"  # type: ignore[assignment]


class ActionAskPlanTurnover(AskSlot):
    slot = "plan_turnover"  # type: ignore[assignment]


class ActionAskPlanCapital(AskSlot):
    slot = "plan_capital"  # type: ignore[assignment]


class ActionAskPlanJobs(AskSlot):
    slot = "plan_jobs"  # type: ignore[assignment]
