"""A request the classifier misread, handled as the request it is (`assistant.cases.requests`).

The actions a misread request reaches (not understood, a knowledge question, a case's
status) call `misread_request` first: asking to erase one's data gets the erasure's confirmation
question (a "yes" then erases, `pending_answers.py`); asking for an adviser or for help with one's
file opens the case form (its consent question first), as a "yes" to the unit's offer does; thanks
for something are thanks. A button's payload is never misread. A leaf among the actions.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.common import latest_text
from assistant.cases import requests


def asks_for_the_unit(text: str) -> bool:
    """An adviser, or help with one's file, asked for (see `assistant.cases.requests`)."""
    return requests.asks_for_an_adviser(text) or requests.asks_help_with_own_file(text)


def misread_request(dispatcher: CollectingDispatcher, tracker: Tracker, *, thanks: bool = True) -> list[dict[str, Any]] | None:
    """The events of the request the latest message makes in words, or None when it makes none.
    `thanks`: thanks for something are answered as thanks (not where thanks are the reading)."""
    text = latest_text(tracker)
    if not text or text.startswith("/"):
        return None
    if requests.asks_to_erase_own_data(text):
        dispatcher.utter_message(response="utter_ask_erasure_confirmation")
        return []
    if asks_for_the_unit(text):
        return [FollowupAction("case_form")]
    if thanks and requests.thanks_for_something(text):
        dispatcher.utter_message(response="utter_you_are_welcome")
        return []
    return None
