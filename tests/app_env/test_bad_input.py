"""Messages that are not a question in words (#10, "bad input"): their kind (assistant/bad_input.py)
and the reply (assistant/actions/bad_input.py, run by the fallback and the knowledge actions):
an emoji after an answer rates it, a number or an e-mail never gets an entry, no form opens by
accident, and a message not in words never counts towards the offer of the guidance unit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.fallback import ActionHandleFallback, consecutive_failures
from assistant.actions.knowledge import ActionAnswerQuestion, ActionRateCase
from assistant.actions.rating_comment import ActionGoodbye, ActionOutOfScope
from assistant.bad_input import Shape, other_language, shape
from tests.support.trackers import bot_event, make_tracker, texts, user_event

SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.mark.parametrize(("text", "kind"), [
    ("👍", Shape.POSITIVE), ("👍🏽👍🏽", Shape.POSITIVE), ("❤️", Shape.POSITIVE), ("🙏", Shape.POSITIVE),
    ("👎", Shape.NEGATIVE), ("😡", Shape.NEGATIVE), ("😞 !", Shape.NEGATIVE), ("🤔", Shape.EMOJI), ("👍👎", Shape.EMOJI),
    ("?", Shape.EMPTY), ("??", Shape.EMPTY), ("...", Shape.EMPTY), ("؟", Shape.EMPTY), ("…?", Shape.EMPTY),
    ("12345", Shape.NUMBER), ("150000", Shape.NUMBER), ("150 000 DH", Shape.NUMBER), ("20000€", Shape.NUMBER),
    ("١٥٠٠٠٠", Shape.NUMBER), ("60 مليون سنتيم", Shape.NUMBER), ("150k", Shape.NUMBER), ("15/03/2026", Shape.NUMBER),
    ("2026-03-15", Shape.NUMBER), ("30 %", Shape.NUMBER),
    ("jean.dupont@gmail.com", Shape.CONTACT), ("mon mail : sara.m@outlook.com", Shape.CONTACT),
    ("+33 6 12 34 56 78", Shape.CONTACT), ("0612345678", Shape.CONTACT), ("0032 470 11 22 33", Shape.CONTACT),
    ("https://www.cri-invest.ma/creation", Shape.LINK), ("www.ompic.ma", Shape.LINK),
    ("REF-2026-XYZ", Shape.REFERENCE), ("AB-45821-C", Shape.REFERENCE), ("dossier DOS/2025/4481", Shape.REFERENCE),
    ("MRE-2026-000123", Shape.OUR_REFERENCE),
    ("Привет, как открыть компанию?", Shape.OTHER_SCRIPT), ("我想在摩洛哥开公司", Shape.OTHER_SCRIPT),
    ("שלום, איך פותחים חברה?", Shape.OTHER_SCRIPT),
    ("asdfgh", Shape.MASH), ("qsdfghjk", Shape.MASH), ("jjjjjjj", Shape.MASH), ("poiuytre", Shape.MASH),
])
def test_the_kind_of_a_message_not_in_words(text: str, kind: Shape) -> None:
    assert shape(text) is kind


@pytest.mark.parametrize("text", [
    "ch7al capital sarl", "3afak", "SARL", "c quoi la TVA ?", "loi 24-10", "et pour 150000 DH ?", "la TVA 20% ?",
    "merci 🙏", "salam 👋", "ok", "Belgique", "Karim Benali", "ICE", "بغيت نحل SARL ف طنجة", "شحال؟", "w chhal?",
    "/affirm", "", "wach kayn chi 7al?", "covid-19", "how much is 150000 dh in euros?",
])
def test_messages_in_words_are_read_by_the_nlu_and_the_search(text: str) -> None:
    assert shape(text) is None


@pytest.mark.parametrize(("text", "foreign"), [
    ("hola quiero abrir una empresa en marruecos", True), ("vorrei aprire una azienda in Marocco", True),
    ("ich möchte eine Firma gründen", True), ("ik wil een bedrijf starten in marokko", True),
    ("je veux créer une entreprise au Maroc", False), ("bghit nftah sarl f tanja", False),
    ("how do I open a company in morocco", False), ("una SARL ?", False),
])
def test_a_latin_script_language_the_assistant_does_not_speak(text: str, foreign: bool) -> None:
    assert other_language(text) is foreign


def answered(question: str = "Quel capital minimum pour une SARL ?", prompt: bool = True) -> list[dict[str, Any]]:
    asked = {**user_event(question, "ask_legal_form"), "message_id": uuid.uuid4().hex}
    events = [asked, bot_event("*Capital minimum d'une SARL* …", "utter_kb_answer")]
    return [*events, bot_event("Utile ?", "utter_ask_feedback")] if prompt else events


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def fallback(text: str, history: list[dict[str, Any]], **slot_values: Any) -> tuple[list[str], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, "nlu_fallback", 1.0, history=history, slots=slot_values)
    events = await ActionHandleFallback().run(dispatcher, tracker, {})
    return texts(dispatcher), events


@pytest.mark.parametrize(("text", "value", "reply"), [
    ("👍", "up", "utter_feedback_thanks"), ("👌🏻", "up", "utter_feedback_thanks"),
    ("👎", "down", "utter_feedback_sorry"), ("😡", "down", "utter_feedback_sorry"),
])
@pytest.mark.parametrize("prompt", [True, False])
async def test_an_emoji_after_an_answer_rates_it_without_a_comment(text: str, value: str, reply: str, prompt: bool) -> None:
    replies, events = await fallback(text, answered(prompt=prompt))
    assert replies == [reply]
    feedback = slots(events)["answer_feedback"]
    assert feedback["value"] == value and feedback["comment"] is None
    assert feedback["question"] == "Quel capital minimum pour une SARL ?"


async def test_an_emoji_under_an_offer_says_yes_or_no_but_never_erases() -> None:
    offer = [user_event("???", "nlu_fallback"), bot_event("Voulez-vous que j'ouvre une demande ?", "utter_kb_not_found")]
    replies, events = await fallback("👍", offer)
    assert replies == [] and events[-1] == {"event": "followup", "name": "case_form", "timestamp": None}
    replies, events = await fallback("👎", offer)
    assert replies == ["utter_anything_else"] and events == []
    erasure = [user_event("supprimez mes données", "request_data_deletion"),
               bot_event("Voulez-vous que j'efface… ?", "utter_ask_erasure_confirmation")]
    replies, events = await fallback("👍", erasure)
    assert replies == ["utter_ask_erasure_confirmation"] and events == []


@pytest.mark.parametrize(("text", "reply"), [
    ("?", "utter_bad_input_empty"), ("...", "utter_bad_input_empty"), ("🤔", "utter_bad_input_empty"),
    ("👍", "utter_bad_input_empty"), ("12345", "utter_bad_input_number"), ("15/03/2026", "utter_bad_input_number"),
    ("150 000 DH", "utter_bad_input_number"), ("REF-2026-XYZ", "utter_bad_input_reference"),
    ("jean.dupont@gmail.com", "utter_bad_input_contact"), ("+33 6 12 34 56 78", "utter_bad_input_contact"),
    ("www.ompic.ma", "utter_bad_input_link"), ("Привет", "utter_bad_input_other_language"),
    ("asdfgh", "utter_ask_rephrase"),
])
@pytest.mark.parametrize("after_answer", [False, True])
async def test_a_message_not_in_words_gets_its_reply_and_never_an_entry(text: str, reply: str, after_answer: bool) -> None:
    if after_answer and text == "👍":
        return  # rates the answer (above)
    replies, events = await fallback(text, answered() if after_answer else [])
    assert replies == [reply]
    assert not any(e.get("event") == "followup" for e in events)  # no form
    assert "kb_entry" not in slots(events)  # the conversation's subject is kept for its next question


async def test_our_reference_goes_to_the_case_status() -> None:
    replies, events = await fallback("MRE-2026-000123", [])
    assert replies == [] and events == [{"event": "followup", "name": "action_case_status", "timestamp": None}]


async def test_a_message_not_in_words_under_the_rating_question_asks_the_rating_again() -> None:
    history = [bot_event("Comment évaluez-vous… ?", "utter_ask_case_rating")]
    replies, _ = await fallback("👍", history, rating_case="MRE-2026-000123")
    assert replies == ["utter_case_rating_unclear"]


def test_messages_not_in_words_never_count_towards_the_offer_of_the_unit() -> None:
    assert consecutive_failures([("nlu_fallback", "?"), ("nlu_fallback", "??")]) == 0
    assert consecutive_failures([("nlu_fallback", "asdfgh"), ("nlu_fallback", "qsdfgh")]) == 0
    assert consecutive_failures([("nlu_fallback", "blabla truc"), ("nlu_fallback", "machin chose")]) == 2
    assert consecutive_failures([("nlu_fallback", "blabla truc"), ("nlu_fallback", "?"), ("nlu_fallback", "bidule")]) == 1


async def test_a_number_read_as_a_question_gets_no_entry() -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("150 000 DH", "ask_financing", 0.8, history=answered())
    await ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["utter_bad_input_number"]


@SQLITE
@pytest.mark.usefixtures("loaded_knowledge")
async def test_another_latin_language_is_told_which_languages_are_spoken() -> None:
    replies, events = await fallback("hola quiero abrir una empresa en marruecos", [])
    assert replies == ["utter_bad_input_other_language"] and events == []
    # a question in words the search answers is still answered
    replies, _ = await fallback("Quel capital minimum pour une SARL ?", [])
    assert any(r.startswith("utter_kb_answer") for r in replies)


async def test_an_amount_read_as_a_rating_while_none_is_asked_gets_no_entry() -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("150 000 DH", "rate_case", 0.84, history=answered())
    await ActionRateCase().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["utter_bad_input_number"]


@SQLITE
@pytest.mark.usefixtures("loaded_knowledge")
@pytest.mark.parametrize(("text", "intent"), [
    ("ciao, come posso aprire una società in Marocco?", "ask_creation"),
    ("hola, quiero crear una empresa en marruecos, como puedo?", "ask_creation"),
])
async def test_another_latin_language_read_as_a_question_is_no_not_found(text: str, intent: str) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, make_tracker(text, intent, 0.6), {})
    assert texts(dispatcher) == ["utter_bad_input_other_language"]


@pytest.mark.parametrize("action", [ActionGoodbye, ActionOutOfScope])
async def test_another_latin_language_read_as_a_goodbye_is_no_goodbye(action: type[ActionGoodbye]) -> None:
    dispatcher = CollectingDispatcher()
    await action().run(dispatcher, make_tracker("ciao, vorrei aprire una societa in marocco", "goodbye", 0.9), {})
    assert texts(dispatcher) == ["utter_bad_input_other_language"]
    dispatcher = CollectingDispatcher()  # "ciao" alone is a goodbye
    await ActionGoodbye().run(dispatcher, make_tracker("ciao", "goodbye", 0.9), {})
    assert texts(dispatcher) == ["utter_goodbye"]
