"""Small failures of ordinary turns (#10, helper small14): founding a company ("tasis", "ta2sis",
"تأسيس") costs what creating one costs; "من فضلك" is "please", not the question word "who"; a waving
hand greets; a request misread as out of scope is the request it is; a typed "yes" under the offer of
the creation plan starts it; a SARL's partners and its losses are its overview (limited liability); a
loan to start a project is the financing overview. Pure functions and actions on fake trackers; the
same turns, as conversations, are in tests/data/dev_conversations/small14.yml."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.fallback import ActionHandleFallback
from assistant.actions.message_search import search_message
from assistant.actions.pending_answers import answer_no, answer_yes, typed_yes_no
from assistant.actions.rating_comment import ActionOutOfScope
from assistant.bad_input import Shape, shape
from assistant.cases import requests
from assistant.kb.parts import asks_a_question, split_question
from assistant.kb.search import Query
from tests.app_env.kb_index import index
from tests.app_env.test_taxes_overview import answered_with, search
from tests.support.trackers import bot_event, make_tracker, texts, user_event

DOMAIN: dict[str, Any] = {"slots": {}, "forms": {}}
PLAN_OFFERED = [user_event("c quoi le business plan ?", "request_plan"), bot_event("Mes sources n'ont pas…", "utter_plan_offer")]


def followups(events: list[dict[str, Any]]) -> list[str]:
    return [e["name"] for e in events if e.get("event") == "followup"]


@pytest.mark.parametrize("text", ["أريد مساعدة في طلبي من فضلك", "من فضلكم أحتاج مساعدة بخصوص ملفي"])
def test_please_is_no_question_word(text: str) -> None:
    assert not asks_a_question(text)
    assert requests.asks_help_with_own_file(text)


@pytest.mark.parametrize("text", ["من يمكنه مساعدتي في ملفي", "من فضلك، ما هي وثائق الشركة؟"])
def test_who_and_a_question_after_please_are_still_questions(text: str) -> None:
    assert asks_a_question(text)


def test_please_after_and_splits_no_question() -> None:
    assert len(split_question("أحتاج مساعدة بخصوص ملفي ومن فضلك بسرعة")) == 1


@pytest.mark.parametrize("text", ["👋", "👋🏽", "👋👋", "🖐️"])
def test_a_waving_hand_is_a_greeting(text: str) -> None:
    assert shape(text) is Shape.GREETING


@pytest.mark.parametrize("history", [[], PLAN_OFFERED])
async def test_a_waving_hand_gets_the_greeting(history: list[dict[str, Any]]) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionHandleFallback().run(dispatcher, make_tracker("👋", "nlu_fallback", 1.0, history=history), DOMAIN)
    assert texts(dispatcher) == [] and followups(events) == ["action_greet"]


@pytest.mark.parametrize("text", ["oui", "yes", "نعم", "wakha", "واخا", "ok d'accord"])
async def test_a_typed_yes_under_the_plan_offer_starts_the_plan(text: str) -> None:
    dispatcher = CollectingDispatcher()
    events = await typed_yes_no(dispatcher, make_tracker(text, "affirm", 0.9, history=PLAN_OFFERED), DOMAIN)
    assert events is not None and followups(events) == ["action_start_plan"]


async def test_yes_and_no_under_the_plan_offer() -> None:
    tracker = make_tracker("oui", "affirm", 0.9, history=PLAN_OFFERED)
    assert followups(await answer_yes(CollectingDispatcher(), tracker)) == ["action_start_plan"]
    dispatcher = CollectingDispatcher()
    assert await answer_no(dispatcher, make_tracker("non", "deny", 0.9, history=PLAN_OFFERED)) == []
    assert texts(dispatcher) == ["utter_anything_else"]


@pytest.mark.parametrize(("text", "said", "opened"), [
    ("supprimez mes données svp", ["utter_ask_erasure_confirmation"], []),
    ("rappelez-moi svp", [], ["case_form"]),
    ("3ayto lia 3afakom", [], ["case_form"]),
    ("merci pour votre aide", ["utter_you_are_welcome"], []),
])
async def test_a_request_read_as_out_of_scope_is_the_request(text: str, said: list[str], opened: list[str]) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionOutOfScope().run(dispatcher, make_tracker(text, "out_of_scope", 0.7), DOMAIN)
    assert texts(dispatcher) == said and followups(events) == opened


async def test_a_typed_yes_read_as_out_of_scope_answers_the_pending_offer() -> None:
    events = await ActionOutOfScope().run(CollectingDispatcher(), make_tracker("wakha", "out_of_scope", 0.5, history=PLAN_OFFERED), DOMAIN)
    assert followups(events) == ["action_start_plan"]


@pytest.mark.parametrize("text", ["salam, chhal kayklef tasis chi charika?", "chhal kayklef ta2sis dyal charika?",
                                  "شحال كيكلف تأسيس شي شركة؟", "how much does founding a company in morocco cost"])
def test_founding_a_company_costs_what_creating_one_costs(text: str) -> None:
    assert answered_with(search(text, "ask_creation")) == "creation-costs"


@pytest.mark.parametrize("text", ["in a sarl do the partners pay the losses?", "f SARL wach les associés kaykhlsou lkhsara?",
                                  "dans une sarl est ce que les associes payent les pertes ?",
                                  "في الشركة ذات المسؤولية المحدودة هل يتحمل الشركاء الخسائر؟"])
def test_a_sarls_partners_and_its_losses_are_its_overview(text: str) -> None:
    assert answered_with(search(text, "ask_legal_form")) == "sarl-overview"


@pytest.mark.parametrize(("text", "entry"), [("combien d'associés dans une SARL ?", "sarl-partners"),
                                             ("do i pay tax even if my company makes a loss?", "corporate-tax")])
def test_the_partners_alone_and_a_companys_loss_for_tax_keep_their_entries(text: str, entry: str) -> None:
    assert answered_with(search(text, "ask_legal_form" if "SARL" in text else "ask_tax")) == entry


@pytest.mark.parametrize("text", ["besoin d'un crédit pour lancer mon projet", "can i get a loan to start my business",
                                  "bghit kridi bach nbda projet", "بغيت كريدي باش نبدا مشروع", "أحتاج قرضا لبدء مشروعي في المغرب"])
def test_a_loan_to_start_a_project_is_the_financing_overview(text: str) -> None:
    assert answered_with(search(text, "ask_financing")) == "financing-overview"


@pytest.mark.parametrize("text", ["can i get a loan to start my business", "bghit kridi bach nbda projet", "بغيت كريدي باش نبدا مشروع"])
def test_a_loan_to_start_a_project_is_the_financing_overview_whatever_the_nlus_topic(text: str) -> None:
    assert answered_with(search(text, "ask_creation")) == "financing-overview"


@pytest.mark.parametrize(("text", "entry"), [("c'est quoi intelaka ?", "intelaka"), ("bghit kridi mn lbanka", "bank-offers-mre"),
                                             ("can i get mdm invest", "mdm-invest-eligibility")])
def test_a_named_loan_keeps_its_entry(text: str, entry: str) -> None:
    assert answered_with(search(text, "ask_financing")) == entry


@pytest.mark.parametrize("text", ["et les impôts ?", "والضرائب؟", "and the taxes?"])
def test_a_bare_tax_word_after_an_answer_out_of_the_base_asks_which_taxes(text: str) -> None:
    after = search_message(index(), Query(text=text, intent="follow_up", intent_confidence=0.9, after_outside=True))
    assert answered_with(after) == "taxes-overview"
    first = search_message(index(), Query(text=text, intent="follow_up", intent_confidence=0.9))  # asked first: which tax?
    assert first.ambiguous or not first.confident
