"""The sticky `language` slot (action_validate_slot_mappings) and the greeting."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.language import ActionGreet, ValidatePredefinedSlots
from tests.support.trackers import make_tracker, user_event


async def extract(text: str, language: str = "fr", confirmed: bool = True, entities: list | None = None,
                  pinned: bool = False) -> dict:
    slots = {"language": language, "language_confirmed": confirmed, "language_pinned": pinned}
    tracker = make_tracker(text, slots=slots, entities=entities or [])
    return await ValidatePredefinedSlots().extract_language(CollectingDispatcher(), tracker, {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Bonjour", "fr"), ("مرحبا", "ar"), ("salam", "fr"), ("labas 3lik", "fr"), ("Hello", "en"), ("شنو هو MDM Invest؟", "ar")],
)
async def test_first_message_sets_the_language(text: str, expected: str) -> None:
    changes = await extract(text, language="fr", confirmed=False)
    assert changes.get("language", "fr") == expected
    assert changes["language_confirmed"] is True


@pytest.mark.parametrize("text", ["ok", "SARL", "merci", "12", "karim@example.com", "👍", "MRE-2026-000123", "Tanger"])
async def test_short_or_ambiguous_messages_never_flip(text: str) -> None:
    for current in ("fr", "ar", "en"):
        assert "language" not in await extract(text, language=current)


@pytest.mark.parametrize(
    ("text", "target"),
    [("réponds en arabe", "ar"), ("in English please", "en"), ("جاوبني بالفرنسية", "fr"), ("b darija 3afak", "ar")],
)
async def test_explicit_switch_requests(text: str, target: str) -> None:
    current = "en" if target != "en" else "fr"
    assert (await extract(text, language=current)).get("language") == target


async def test_language_buttons() -> None:
    changes = await extract("/switch_language", language="fr", entities=[{"entity": "language", "value": "ar"}])
    assert changes["language"] == "ar"


async def test_a_long_message_in_another_language_switches_but_arabizi_keeps_arabic() -> None:
    assert (await extract("What is the minimum capital for a company in Morocco?", language="fr"))["language"] == "en"
    assert "language" not in await extract("bghit n3ref chhal khass ras lmal dyal sarl", language="ar")


async def test_greeting_offers_a_choice_when_the_language_is_unknown() -> None:
    dispatcher = CollectingDispatcher()
    await ActionGreet().run(dispatcher, make_tracker("👋", slots={"language_confirmed": False}), {})
    assert dispatcher.messages[0]["response"] == "utter_choose_language"
    dispatcher = CollectingDispatcher()
    await ActionGreet().run(dispatcher, make_tracker("Bonjour"), {})
    assert dispatcher.messages[0]["response"] == "utter_greet"


async def test_an_explicit_choice_pins_the_language() -> None:
    assert (await extract("réponds en arabe", language="fr"))["language_pinned"] is True
    assert "language" not in await extract("Quel est le capital minimum pour une SARL ?", language="ar", pinned=True)
    assert (await extract("in English please", language="ar", pinned=True))["language"] == "en"


def clarifying_question() -> dict:
    """The bot's clarifying question (utter_kb_clarify) with two entry options."""
    buttons = [{"title": "الضريبة على القيمة المضافة", "payload": '/choose_entry{"kb_entry": "vat"}'},
               {"title": "الضريبة على الشركات", "payload": '/choose_entry{"kb_entry": "corporate-tax"}'}]
    return {"event": "bot", "text": "?", "data": {"buttons": buttons}, "metadata": {"utter_action": "utter_kb_clarify"},
            "timestamp": 0.0}


async def test_a_choice_typed_in_another_language_after_a_clarifying_question_keeps_the_language() -> None:
    """"l'impôt sur les sociétés" chooses an option of a Darija question: no switch to French;
    a request still does. With no question just before, that phrase of technical words is no switch
    either (#10 item 8: assistant/short_language.py, `clue_words`), a French sentence is."""
    slots = {"language": "ar", "language_confirmed": True, "language_pinned": False}
    history = [user_event("شحال النسبة ديال الضريبة؟"), clarifying_question()]
    for text, switched in [("l'impôt sur les sociétés", None), ("réponds en français s'il te plaît", "fr")]:
        tracker = make_tracker(text, slots=slots, history=history)
        changes = await ValidatePredefinedSlots().extract_language(CollectingDispatcher(), tracker, {})
        assert changes.get("language") == switched
    tracker = make_tracker("l'impôt sur les sociétés", slots=slots, history=[user_event("شحال النسبة ديال الضريبة؟")])
    assert "language" not in await ValidatePredefinedSlots().extract_language(CollectingDispatcher(), tracker, {})
    tracker = make_tracker("quel est le taux de l'impôt sur les sociétés ?", slots=slots,
                           history=[user_event("شحال النسبة ديال الضريبة؟")])
    assert (await ValidatePredefinedSlots().extract_language(CollectingDispatcher(), tracker, {}))["language"] == "fr"
