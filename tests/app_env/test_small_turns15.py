"""Small failures of ordinary turns (#10, helper small15): a request for a language before the question
sets the language and is no part of it; how much, right after the financing overview, offers the
amounts under it; where the SARL's capital goes is its deposit; living abroad said as a follow-up;
dividends sent abroad; "the aids", "the fees" read as what the assistant can do; a one-word question
read as a yes or a no; "better" is no typo of "butter"; registering a company is creating it; a franchise
names who handles it; "مساعدتكم" asks for help. Pure functions and actions on fake trackers; the same
turns, as conversations, are in tests/data/dev_conversations/small15.yml."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.common import latest_text
from assistant.actions.yes_no import ActionHandleAffirm, ActionHandleDeny
from assistant.cases import requests
from assistant.kb.spelling import real_english_words
from assistant.language_prefix import question_of, split
from tests.app_env.kb_index import index, searched
from tests.app_env.test_taxes_overview import answered_with, search
from tests.support.trackers import bot_event, make_tracker, texts, user_event

FEEDBACK_ASKED = [user_event("what is a sarl?", "ask_legal_form"), bot_event("…", "utter_ask_feedback")]


# ------------------------------------------------ 1. a request for a language, then the question
@pytest.mark.parametrize(("text", "language", "question"), [
    ("ok in english: how do I open a company?", "en", "how do I open a company?"),
    ("en français svp : c'est quoi le RC ?", "fr", "c'est quoi le RC ?"),
    ("en anglais stp, combien coûte une SARL ?", "en", "combien coûte une SARL ?"),
    ("بالعربية من فضلك: كيف أسجل شركة؟", "ar", "كيف أسجل شركة؟"),
    ("بالفرنسية من فضلك: ما هو السجل التجاري؟", "fr", "ما هو السجل التجاري؟"),
    ("b darija 3afak: chno homa lwra9 dyal sarl?", "ar", "chno homa lwra9 dyal sarl?"),
    ("in arabic pls - what's the capital of a sarl", "ar", "what's the capital of a sarl"),
])
def test_a_request_for_a_language_before_a_question_is_read_apart(text: str, language: str, question: str) -> None:
    assert split(text) == (language, question)
    assert question_of(text) == question


@pytest.mark.parametrize("text", ["in english please", "Bonjour, je suis marocain", "en france, comment créer une sarl ?",
                                  "SARL: capital ?", "english speaker here, how do i start", "ok, what are the fees",
                                  "english pls :)", "/ask_creation"])
def test_no_request_for_a_language_no_prefix(text: str) -> None:
    assert split(text) is None and question_of(text) == text


def test_the_actions_read_the_question_without_the_request() -> None:
    assert latest_text(make_tracker("ok in english: how do I open a company?", "ask_creation")) == "how do I open a company?"


@pytest.mark.parametrize(("text", "entry"), [("كيف أسجل شركة؟", "creation-steps"), ("كيف أسجل شركتي في المغرب؟", "creation-steps"),
                                             ("how do i register a company?", "creation-steps"),
                                             ("كيف أسجل علامتي التجارية؟", "trademark")])
def test_registering_a_company_is_creating_it(text: str, entry: str) -> None:
    assert answered_with(search(text, "ask_creation")) == entry


# ------------------------------------------------ 2. how much, right after the financing overview
@pytest.mark.parametrize(("text", "intent"), [("combien ?", "affirm"), ("ch7al?", "follow_up"), ("شحال؟", "follow_up"),
                                              ("وشحال؟", "follow_up"), ("how much?", "follow_up"), ("w ch7al?", "follow_up")])
def test_how_much_after_the_financing_overview_offers_the_amounts(text: str, intent: str) -> None:
    result = searched(text, intent, context_facet="overview", related=("mdm-invest", "intelaka"))
    assert result.ambiguous and [o.id for o in result.options] == ["mdm-invest", "intelaka"]


@pytest.mark.parametrize("text", ["w ch7al?", "combien ?", "وشحال؟"])
def test_how_much_after_the_creation_steps_is_what_creating_costs(text: str) -> None:
    result = searched(text, "follow_up", context_facet="steps", related=("negative-certificate", "creation-costs"))
    assert answered_with(result) == "creation-costs"


# ------------------------------------------------ 3. where the capital goes; 6. dividends sent abroad
@pytest.mark.parametrize("text", ["فين نحط le capital ديال SARL؟", "fin n7et le capital dyal sarl?",
                                  "where do i put the capital of my sarl", "ou deposer le capital de ma sarl"])
def test_where_the_capital_goes_is_its_deposit(text: str) -> None:
    assert answered_with(search(text, "ask_creation")) == "capital-deposit"


@pytest.mark.parametrize("text", ["what is the minimum capital of a sarl", "combien de capital je dois mettre pour une sarl ?"])
def test_the_capitals_amount_stays_the_capital(text: str) -> None:
    assert answered_with(search(text, "ask_legal_form")) == "sarl-capital"


@pytest.mark.parametrize("text", ["تحويل les dividendes", "je peux transferer mes dividendes en france ?",
                                  "can i transfer the dividends abroad", "wach n9der n7awel les dividendes l barra?",
                                  "هل يمكن تحويل الأرباح إلى الخارج؟"])
def test_dividends_sent_abroad_are_their_transfer(text: str) -> None:
    assert answered_with(search(text, "ask_tax")) == "fx-investment-transfers"


@pytest.mark.parametrize("text", ["quel est l impot sur les dividendes ?", "what is the tax on dividends transferred abroad?"])
def test_the_tax_on_dividends_stays_the_dividends_tax(text: str) -> None:
    assert answered_with(search(text, "ask_tax")) == "dividends-tax"


# ------------------------------------------------ 4. living abroad, said as a follow-up
@pytest.mark.parametrize("text", ["وأنا فالخارج", "w ana f lkharij", "et moi je suis à l'étranger", "and me, i'm abroad"])
def test_living_abroad_after_the_steps_is_creating_from_abroad(text: str) -> None:
    result = searched(text, "follow_up", context_facet="steps", related=("negative-certificate", "creation-costs"))
    assert answered_with(result) == "creation-from-abroad"


# ------------------------------------------------ 7. the aids, the fees: a topic's question
@pytest.mark.parametrize(("text", "intent"), [("c quoi les aides", "ask_financing"), ("what are the fees", "ask_creation"),
                                              ("ما هي المساعدات؟", "ask_financing"), ("chno homa les aides?", "ask_financing"),
                                              ("شنو هي الإعانات؟", "ask_financing"), ("et les impots ?", "ask_tax")])
def test_a_question_naming_a_topic_is_that_topics(text: str, intent: str) -> None:
    assert requests.capability_topic(text) == intent


@pytest.mark.parametrize("text", ["what can you do?", "que pouvez-vous faire ?", "شنو كتعرف دير؟", "what can you do about taxes and grants?"])
def test_asking_what_the_assistant_does_names_no_topic(text: str) -> None:
    assert requests.capability_topic(text) is None


# ------------------------------------------------ 8. a one-word question read as a yes or a no
@pytest.mark.parametrize(("text", "intent", "history", "entry"), [
    ("trademark?", "affirm", [], "trademark"),
    ("permits?", "deny", [], "activity-licences"),
    ("trademark?", "affirm", FEEDBACK_ASKED, "trademark"),
    ("permits?", "deny", FEEDBACK_ASKED, "activity-licences"),
    ("العلامة التجارية؟", "affirm", [], "trademark"),
])
async def test_a_one_word_question_read_as_yes_or_no_is_answered(loaded_knowledge: str, text: str, intent: str,
                                                                 history: list[dict[str, Any]], entry: str) -> None:
    action = ActionHandleAffirm() if intent == "affirm" else ActionHandleDeny()
    events = await action.run(CollectingDispatcher(), make_tracker(text, intent, 0.6, history=history), {})
    assert {"event": "slot", "name": "kb_entry", "value": entry, "timestamp": None} in events


@pytest.mark.parametrize(("text", "intent", "said"), [("yes", "affirm", "utter_feedback_thanks"), ("non merci", "deny", None)])
async def test_a_yes_or_a_no_stays_one(loaded_knowledge: str, text: str, intent: str, said: str | None) -> None:
    dispatcher = CollectingDispatcher()
    history = [user_event("c quoi une sarl", "ask_legal_form"), bot_event("…", "utter_ask_feedback")]
    events = await (ActionHandleAffirm() if intent == "affirm" else ActionHandleDeny()).run(
        dispatcher, make_tracker(text, intent, 0.95, history=history), {})
    assert not any(e.get("name") == "kb_entry" for e in events)
    assert said is None or said in texts(dispatcher)


# ------------------------------------------------ 9. real English words are no typos
def test_better_is_no_butter() -> None:
    assert "better" in real_english_words()
    assert index().question_terms("which is better, a sarl or an sas?")[1] == ["better", "sarl", "sas"]
    assert index().spelling.correct("buisness") == "business"  # typos are still read


# ------------------------------------------------ 10. a franchise; "مساعدتكم"
@pytest.mark.parametrize("text", ["i want to open a franchise in casablanca", "je veux ouvrir une franchise a casablanca",
                                  "bghit nftah franchise f casa", "أريد فتح فرانشيز في الدار البيضاء"])
def test_a_franchise_names_who_handles_it(text: str) -> None:
    outside = search(text, "ask_creation").outside
    assert outside is not None and outside.name == "franchising" and set(outside.body) == {"fr", "ar", "en"}


@pytest.mark.parametrize("text", ["أحتاج مساعدتكم بخصوص طلبي", "أرجو مساعدتكم في ملفي", "بغيت المعاونة ديالكم فالملف ديالي"])
def test_your_help_with_my_request_asks_for_the_unit(text: str) -> None:
    assert requests.asks_help_with_own_file(text)
