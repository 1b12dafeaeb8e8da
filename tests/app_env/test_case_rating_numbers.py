"""A typed number at the case-rating question is the score out of 5 on every channel (#14).

The question says "a score from 1 to 5". Where the channel shows buttons as a numbered menu
(Twilio; WhatsApp Cloud past a list) the options are the whole scale in order, so an
option's number is its score and "1" is 1 out of 5 in the text and in the menu; elsewhere
(reply buttons, the website) a typed number is read as the score. The menu numbers themselves
are mapped inside Rasa (tests/rasa_env/test_typed_buttons.py); the Twilio and WhatsApp
webhooks end to end: tests/rasa_env/channels/test_feedback_channels.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.fallback import ActionHandleFallback
from assistant.actions.feedback import ActionAskCaseRating
from assistant.actions.knowledge import ActionThank
from assistant.actions.language import ActionGreet
from assistant.channels.formatting import numbered_menu, options_from_buttons
from assistant.contract import CHANNEL_REST, CHANNEL_SOCKETIO, CHANNEL_TWILIO, CHANNEL_WHATSAPP
from tests.app_env.test_actions_feedback import closed_case, slots
from tests.support.trackers import bot_event, make_tracker, texts

SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
SCALE = [f'/rate_case{{"rating_value": "{value}"}}' for value in "12345"]
THREE = [f'/rate_case{{"rating_value": "{value}"}}' for value in "531"]
TITLES = {
    "fr": ["😞 Pas satisfait(e)", "🙁 Peu satisfait(e)", "😐 Moyennement", "🙂 Satisfait(e)", "😊 Très satisfait(e)"],
    "ar": ["😞 غير راضٍ", "🙁 قليل الرضا", "😐 متوسط", "🙂 راضٍ", "😊 راضٍ جدا"],
    "en": ["😞 Not satisfied", "🙁 Not very satisfied", "😐 So-so", "🙂 Satisfied", "😊 Very satisfied"],
}
THREE_TITLES = {
    "fr": ["😊 Très satisfait(e)", "😐 Moyennement", "🙁 Pas satisfait(e)"],
    "ar": ["😊 راضٍ جدا", "😐 متوسط", "🙁 غير راضٍ"],
    "en": ["😊 Very satisfied", "😐 So-so", "🙁 Not satisfied"],
}


async def asked(channel: str, language: str) -> list[dict[str, Any]]:
    sender = f"{channel}:rating-{language}"
    reference = await closed_case(sender)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("Bonjour", "greet", channel=channel, sender=sender, slots={"language": language})
    events = await ActionAskCaseRating().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["utter_ask_case_rating"] and slots(events) == {"rating_case": reference}
    return list(dispatcher.messages[0]["buttons"])


@SQLITE
@pytest.mark.parametrize("language", ["fr", "ar", "en"])
async def test_a_numbered_menu_is_the_scale_in_order(language: str, database: str) -> None:
    buttons = await asked(CHANNEL_TWILIO, language)
    assert [b["payload"] for b in buttons] == SCALE
    assert [b["title"] for b in buttons] == TITLES[language]
    # what Twilio shows under the question: option n is the score n
    menu = numbered_menu("…", options_from_buttons(buttons))
    for number, title in enumerate(TITLES[language], start=1):
        assert f"\n{number}. {title}" in f"\n{menu}"
    assert all(re.search(r"\d", title) is None for title in TITLES[language])  # no other number on screen


@SQLITE
@pytest.mark.parametrize("channel", [CHANNEL_WHATSAPP, CHANNEL_REST, CHANNEL_SOCKETIO])
@pytest.mark.parametrize("language", ["fr", "ar", "en"])
async def test_reply_buttons_stay_three(channel: str, language: str, database: str) -> None:
    buttons = await asked(channel, language)  # reply buttons on WhatsApp, buttons on the website
    assert [b["payload"] for b in buttons] == THREE
    assert [b["title"] for b in buttons] == THREE_TITLES[language]


RATING_ASKED = [bot_event("Comment évaluez-vous…", "utter_ask_case_rating")]


@SQLITE
@pytest.mark.parametrize(("action", "text", "intent", "value"), [
    (ActionHandleFallback, "1", "nlu_fallback", 1),  # fr/en: the number alone
    (ActionHandleFallback, "١", "nlu_fallback", 1),  # ar: Arabic-Indic digit
    (ActionHandleFallback, "1/5", "nlu_fallback", 1),
    (ActionThank, "1 sur 5, merci", "thank", 1),
    (ActionThank, "2 out of 5, thanks", "thank", 2),
    (ActionThank, "١ من ٥، شكرا", "thank", 1),
    (ActionGreet, "سلام، نعطيكم 1 على 5", "greet", 1),  # Darija
    (ActionHandleFallback, "n3tikom 1 3la 5", "nlu_fallback", 1),  # Arabizi
])
async def test_a_typed_number_is_the_score(action: type, text: str, intent: str, value: int, database: str) -> None:
    """Where the menu was not numbered (WhatsApp reply buttons, the website), or the number is
    not a menu number, what is typed reaches the actions: 1 is 1 out of 5, never "very satisfied"."""
    for channel in (CHANNEL_WHATSAPP, CHANNEL_REST):
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(text, intent, history=RATING_ASKED, channel=channel,
                               slots={"rating_case": "MRE-2026-000042"})
        events = await action().run(dispatcher, tracker, {})
        assert texts(dispatcher) == ["utter_case_rating_thanks"]
        assert slots(events)["case_rating"]["value"] == value
