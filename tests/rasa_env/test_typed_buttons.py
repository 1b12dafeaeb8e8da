"""A button's title typed is the button pressed (#10): the matcher (assistant/button_titles.py)
and its place in Rasa's message handling (assistant/typed_buttons.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant import rasa_patches, turns, typed_buttons
from assistant.button_titles import buttons_of, chosen_payload, numbered_choice, placed_choice
from assistant.contract import CHANNEL_REST, CHANNEL_SOCKETIO, CHANNEL_TWILIO, CHANNEL_WHATSAPP
from assistant.responses import catalog_buttons

MENU = {
    "fr": [("Formes juridiques", "/ask_legal_form"), ("Démarches de création", "/ask_creation"),
           ("Financements", "/ask_financing"), ("Parler à un conseiller", "/request_human")],
    "ar": [("الأشكال القانونية", "/ask_legal_form"), ("إجراءات الإنشاء", "/ask_creation"),
           ("التمويل", "/ask_financing"), ("التحدث مع مستشار", "/request_human")],
    "en": [("Legal forms", "/ask_legal_form"), ("Setting up step by step", "/ask_creation"),
           ("Financing", "/ask_financing"), ("Talk to an advisor", "/request_human")],
    # titles an action may write in Darija, in Arabic script or in Latin letters
    "darija": [("بغيت نهضر مع مستشار", "/request_human"), ("شحال خاص ديال الراسمال", "/ask_capital")],
    "arabizi": [("bghit nhder m3a moustachar", "/request_human"), ("chhal khass dyal rasmal", "/ask_capital")],
}
CLARIFY = [("Financement", '/choose_entry{"kb_entry": "mdm-invest"}'),
           ("Création d'une SARL", '/choose_entry{"kb_entry": "sarl-steps"}')]
RATING = [("😊 Très satisfait(e)", '/rate_case{"rating_value": "5"}'),
          ("😐 Moyennement", '/rate_case{"rating_value": "3"}'),
          ("🙁 Pas satisfait(e)", '/rate_case{"rating_value": "1"}')]


@pytest.mark.parametrize(("variety", "typed", "payload"), [
    ("en", "Financing", "/ask_financing"),
    ("en", "financing", "/ask_financing"),
    ("en", "  FINANCING !! ", "/ask_financing"),
    ("en", "Financng", "/ask_financing"),  # a letter dropped
    ("en", "talk to an adviser", "/request_human"),  # same consonants, other spelling
    ("en", "setting up, step-by-step", "/ask_creation"),
    ("fr", "Financements", "/ask_financing"),
    ("fr", "financement", "/ask_financing"),  # singular
    ("fr", "demarches de creation", "/ask_creation"),  # accents missing
    ("fr", "Parler a un conseiller.", "/request_human"),
    ("fr", "formes juridique", "/ask_legal_form"),
    ("ar", "التمويل", "/ask_financing"),
    ("ar", "تمويل", "/ask_financing"),  # without the article
    ("ar", "الاشكال القانونيه", "/ask_legal_form"),  # hamza and ta marbuta as people type them
    ("ar", "التحدث مع مستشار؟", "/request_human"),
    ("ar", "الـتـمـويـل", "/ask_financing"),  # tatweel
    ("darija", "بغيت نهضر مع مستشار", "/request_human"),
    ("darija", "شحال خاص ديال الرأسمال", "/ask_capital"),
    ("arabizi", "Bghit nhder m3a moustachar", "/request_human"),
    ("arabizi", "chhal khass dyal rasmaal", "/ask_capital"),  # a letter doubled
])
def test_a_typed_title_chooses_its_button(variety: str, typed: str, payload: str) -> None:
    assert chosen_payload(typed, MENU[variety]) == payload


def test_clarification_options_and_rating_titles() -> None:
    assert chosen_payload("Financement", CLARIFY) == CLARIFY[0][1]
    assert chosen_payload("creation d'une sarl", CLARIFY) == CLARIFY[1][1]
    assert chosen_payload("tres satisfaite", RATING) == RATING[0][1]  # inclusive "(e)", no emoji typed
    assert chosen_payload("Pas satisfait", RATING) == RATING[2][1]
    assert chosen_payload("moyenement", RATING) == RATING[1][1]
    # a numbered title ("1. Étape") is also its words alone
    steps = [("1. Certificat négatif", "/step{\"n\": 1}"), ("2. Registre du commerce", "/step{\"n\": 2}")]
    assert chosen_payload("certificat negatif", steps) == steps[0][1]
    assert chosen_payload("2. Registre du commerce", steps) == steps[1][1]


@pytest.mark.parametrize("typed", [
    "Financing", "Je veux un financement pour mon projet", "conseiller", "Formes", "", "   ", "?", "👍",
    "Financements et formes juridiques",
])
def test_no_match_is_read_as_typed(typed: str) -> None:
    assert chosen_payload(typed, MENU["fr"]) is None


def test_short_words_must_be_exact() -> None:
    fields = [("Nom", '/deny{"case_field": "case_name"}'), ("Pays", '/deny{"case_field": "case_country"}')]
    assert chosen_payload("Non", fields) is None
    assert chosen_payload("nom", fields) == fields[0][1]
    assert chosen_payload("Non", [("Oui", "/affirm"), ("Non", "/deny")]) == "/deny"


def test_ambiguous_titles_choose_nothing() -> None:
    two = [("Financement", "/a"), ("Financements", "/b")]
    assert chosen_payload("financement", two) is None
    # two typo readings: nothing either
    assert chosen_payload("stabe", [("Stade", "/stade"), ("Stage", "/stage")]) is None
    # an exact title wins over a typo of another one
    assert chosen_payload("stage", [("Stade", "/stade"), ("Stage", "/stage")]) == "/stage"
    # the same payload under two titles is no ambiguity
    assert chosen_payload("conseiller", [("Conseiller", "/request_human"), ("conseiller", "/request_human")]) == (
        "/request_human")


def test_numbers_pick_an_option() -> None:
    assert numbered_choice("2", MENU["en"]) == "/ask_creation"
    assert numbered_choice(" ٣ ", MENU["ar"]) == "/ask_financing"
    assert numbered_choice("4.", MENU["fr"]) == "/request_human"
    assert numbered_choice("5", MENU["fr"]) is None
    assert numbered_choice("0", MENU["fr"]) is None
    assert numbered_choice("2 associés", MENU["fr"]) is None


def test_a_place_in_words_picks_an_option_on_any_channel() -> None:
    assert placed_choice("la deuxième", CLARIFY) == CLARIFY[1][1]
    assert placed_choice("the second one", RATING) == RATING[1][1]
    assert placed_choice("lwla", CLARIFY) == CLARIFY[0][1]
    assert placed_choice("the last one please", RATING) == RATING[2][1]
    assert placed_choice("la troisième", CLARIFY) is None  # two options only
    assert placed_choice("la deuxième étape", MENU["fr"]) is None  # a question, not a choice
    # "التاني" may ask for the other option after one was answered: the search reads it in context
    assert placed_choice("التاني", CLARIFY) is None
    tracker = conversation(UserUttered("c koi le taux ?"), bot("Vous parlez de…", CLARIFY), ActionExecuted("action_listen"))
    assert typed_buttons.typed_payload(tracker, "la 2eme stp", CHANNEL_REST) == CLARIFY[1][1]


def test_a_number_right_after_a_clarifying_question_picks_its_option_on_any_channel() -> None:
    clarifying = BotUttered("Vous parlez de…", {"buttons": [{"title": t, "payload": p} for t, p in CLARIFY]},
                            {"utter_action": "utter_kb_clarify"})
    tracker = conversation(UserUttered("c koi le taux ?"), clarifying, ActionExecuted("action_listen"))
    for typed in ("2", "option 2", "la 2 svp", "n°2", "رقم ٢", "nemra 2"):
        assert typed_buttons.typed_payload(tracker, typed, CHANNEL_REST) == CLARIFY[1][1], typed
    assert typed_buttons.typed_payload(tracker, "3", CHANNEL_REST) is None  # two options only
    assert typed_buttons.typed_payload(tracker, "2 associés", CHANNEL_REST) is None
    # other buttons (an answer's follow-ups, a form's choices) are numbered only where the channel numbered them
    tracker = conversation(UserUttered("Capital ?"), bot("Réponse.", CLARIFY), ActionExecuted("action_listen"))
    assert typed_buttons.typed_payload(tracker, "2", CHANNEL_REST) is None


def test_buttons_of_a_bot_message() -> None:
    data = {"buttons": [{"title": " Oui ", "payload": "/affirm"}, {"title": "Non"}, {"payload": "/x"}, "junk"]}
    assert buttons_of(data) == [("Oui", "/affirm"), ("Non", "Non")]
    assert buttons_of({"quick_replies": [{"title": "A", "payload": "/a"}]}) == [("A", "/a")]
    assert buttons_of({}) == []


def bot(text: str, buttons: list[tuple[str, str]]) -> BotUttered:
    return BotUttered(text, {"buttons": [{"title": t, "payload": p} for t, p in buttons]})


def conversation(*events: Any) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("rest:t", [ActionExecuted("action_listen"), *events])


def test_the_buttons_offered_since_the_user_last_spoke() -> None:
    tracker = conversation(
        UserUttered("/switch_language", {"name": "switch_language"}), bot("Très bien.", MENU["fr"]),
        ActionExecuted("action_listen"))
    assert typed_buttons.typed_payload(tracker, "Financements", CHANNEL_REST) == "/ask_financing"
    assert typed_buttons.typed_payload(tracker, "/ask_creation", CHANNEL_REST) is None  # pressed already
    # an answer with follow-ups, then a message without buttons: both offers are still on screen
    tracker = conversation(UserUttered("Capital ?"), bot("Réponse.", CLARIFY), SlotSet("kb_entry", "x"),
                           bot("Puis-je vous aider pour autre chose ?", MENU["fr"]), BotUttered("Merci."),
                           ActionExecuted("action_listen"))
    assert typed_buttons.typed_payload(tracker, "création d'une SARL", CHANNEL_SOCKETIO) == CLARIFY[1][1]
    assert typed_buttons.typed_payload(tracker, "Formes juridiques", CHANNEL_SOCKETIO) == "/ask_legal_form"
    # the user spoke since: the old buttons are gone
    tracker = conversation(bot("Très bien.", MENU["fr"]), ActionExecuted("action_listen"),
                           UserUttered("Bonjour"), BotUttered("Bonjour !"), ActionExecuted("action_listen"))
    assert typed_buttons.typed_payload(tracker, "Financements", CHANNEL_REST) is None
    assert typed_buttons.typed_payload(conversation(), "Financements", CHANNEL_REST) is None


def test_numbers_only_where_the_channel_showed_a_numbered_menu() -> None:
    tracker = conversation(UserUttered("Menu"), bot("Menu", MENU["en"]), ActionExecuted("action_listen"))
    assert typed_buttons.typed_payload(tracker, "3", CHANNEL_TWILIO) == "/ask_financing"
    assert typed_buttons.typed_payload(tracker, "3", CHANNEL_REST) is None
    # WhatsApp Cloud shows these four as a list: a number typed there is an ordinary answer
    assert typed_buttons.typed_payload(tracker, "3", CHANNEL_WHATSAPP) is None
    eleven = [(f"Option {i}", f"/o{i}") for i in range(1, 12)]
    numbered = conversation(UserUttered("Menu"), bot("Menu", eleven), ActionExecuted("action_listen"))
    assert typed_buttons.typed_payload(numbered, "11", CHANNEL_WHATSAPP) == "/o11"
    # the titles are understood on every channel
    assert typed_buttons.typed_payload(tracker, "financing", CHANNEL_TWILIO) == "/ask_financing"


def test_the_message_is_handled_as_the_payload(monkeypatch: pytest.MonkeyPatch) -> None:
    rasa_patches.apply()
    assert typed_buttons.applied()
    # installed after the retry check (turns), which then runs on the same message
    assert typed_buttons._next is turns._handle_message_with_tracker
    seen: list[tuple[str | None, dict[str, Any] | None]] = []

    async def record(_: Any, message: UserMessage, __: DialogueStateTracker) -> None:
        seen.append((message.text, message.metadata))

    monkeypatch.setattr(typed_buttons, "_next", record)
    tracker = conversation(UserUttered("Hi"), bot("Sure.", MENU["en"]), ActionExecuted("action_listen"))
    for text in ("Financing", "What about financing for a shop?", "/ask_legal_form"):
        message = UserMessage(text, CollectingOutputChannel(), "t", input_channel=CHANNEL_REST,
                              metadata={"client": 1})
        asyncio.run(typed_buttons._handle_message_with_tracker(None, message, tracker))  # type: ignore[arg-type]
    assert seen == [("/ask_financing", {"client": 1, "typed_button": "Financing"}),
                    ("What about financing for a shop?", {"client": 1}), ("/ask_legal_form", {"client": 1})]


def rating_scale(language: str) -> list[tuple[str, str]]:
    """The case-rating options where the channel numbers them (#14): the scale, 1 to 5."""
    scale = catalog_buttons("utter_ask_case_rating_scale")
    return [(titles[language], f'/rate_case{{"rating_value": "{value}"}}') for value, titles in scale.items()]


@pytest.mark.parametrize(("language", "typed", "value"), [
    ("fr", "1", "1"), ("fr", "2.", "2"), ("fr", "5", "5"), ("fr", "pas satisfait", "1"), ("fr", "satisfaite", "4"),
    ("en", "1", "1"), ("en", "4", "4"), ("en", "not very satisfied", "2"), ("en", "very satisfied", "5"),
    ("ar", "١", "1"), ("ar", "٣", "3"), ("ar", "قليل الرضا", "2"), ("ar", "راض جدا", "5"),
])
def test_a_typed_number_at_the_rating_question_is_the_score(language: str, typed: str, value: str) -> None:
    """Twilio numbers the options: they are the scale in order, so "1" is 1 out of 5 as the question says."""
    scale = rating_scale(language)
    assert [payload for _, payload in scale] == [f'/rate_case{{"rating_value": "{v}"}}' for v in "12345"]
    tracker = conversation(UserUttered("Bonjour"), bot("Votre demande … de 1 à 5.", scale), ActionExecuted("action_listen"))
    assert typed_buttons.typed_payload(tracker, typed, CHANNEL_TWILIO) == f'/rate_case{{"rating_value": "{value}"}}'


@pytest.mark.parametrize("typed", ["1", "١", "1/5", "نعطيكم 1 على 5", "n3tikom 1 3la 5", "1 out of 5"])
def test_a_rating_typed_with_words_or_beside_reply_buttons_reaches_the_actions(typed: str) -> None:
    """Not a menu number (Darija, Arabizi, "1/5"), or WhatsApp's three reply buttons (not
    numbered): the text is read as typed, and the rating actions take its digit as the score."""
    scale = conversation(UserUttered("Salam"), bot("…", rating_scale("ar")), ActionExecuted("action_listen"))
    if not typed.strip().isdigit():
        assert typed_buttons.typed_payload(scale, typed, CHANNEL_TWILIO) is None
    three = conversation(UserUttered("Salam"), bot("…", RATING), ActionExecuted("action_listen"))
    assert not typed_buttons.shown_numbered(CHANNEL_WHATSAPP, RATING)
    assert typed_buttons.typed_payload(three, typed, CHANNEL_WHATSAPP) is None
    assert typed_buttons.typed_payload(three, typed, CHANNEL_REST) is None
