"""Honest failure of custom actions, inside the Rasa process (applied by rasa_patches).

Rasa 3.6 waits 300 s for the action server and, when an action fails (server killed,
hung, refusing), logs the error and sends the user nothing. Here:
- the action call times out after ACTION_TIMEOUT seconds (default 10);
- a failed call becomes the response `utter_action_failed` in the user's language (on
  every channel, WhatsApp too: it goes through the normal output channel), said once per
  turn, followed by `action_listen` so the policies do not try again and again;
- logs name the action and the kind of failure, never the message or the conversation id.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.actions import action as rasa_action
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import BotUttered, Event, FollowupAction, SlotSet, UserUttered
from rasa.utils import endpoints as rasa_endpoints

from assistant.languages import coerce_language
from assistant.settings import get_settings

logger = logging.getLogger(__name__)

FAILED_RESPONSE = "utter_action_failed"
DETECTION_KEY = "language_detection"

_original_run = RemoteAction.run


def failure_language(tracker: Any) -> str:
    """The conversation's language once recognised (the sticky slot), else the one detected
    in the latest message (the failing action may be the one that sets the slot)."""
    slot = tracker.get_slot("language") if "language" in tracker.slots else None
    confirmed = tracker.get_slot("language_confirmed") if "language_confirmed" in tracker.slots else False
    if slot and confirmed:
        return coerce_language(slot)
    parse_data = (tracker.latest_message.parse_data if tracker.latest_message else None) or {}
    detected = (parse_data.get(DETECTION_KEY) or {}).get("language")
    return coerce_language(detected or slot)


def already_told(tracker: Any) -> bool:
    """Whether this turn already carries the failure message."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action") == FAILED_RESPONSE:
            return True
    return False


async def failure_events(action_name: str, output_channel: Any, nlg: Any, tracker: Any) -> list[Event]:
    if already_told(tracker):
        return [FollowupAction("action_listen")]
    language = failure_language(tracker)
    view = tracker.copy()
    view.update(SlotSet("language", language))
    try:
        message = await nlg.generate(FAILED_RESPONSE, view, output_channel.name())
    except Exception:  # the generator itself is broken: a fixed text is better than silence
        message = None
    message = dict(message or {"text": FALLBACK_TEXT[language]})
    message["utter_action"] = FAILED_RESPONSE
    return [rasa_action.create_bot_utterance(message), FollowupAction("action_listen")]


#: Only if the response catalog cannot be rendered (it is tested to have this response).
FALLBACK_TEXT = {
    "fr": "Désolé, un problème technique m'empêche de répondre. Réessayez dans un instant.",
    "ar": "عذرا، مشكل تقني يمنعني من الإجابة. حاولوا مرة أخرى بعد قليل.",
    "en": "Sorry, a technical problem stops me from answering. Please try again in a moment.",
}


async def guarded_run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Event]:
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise  # a form rejecting an answer: Rasa's normal flow
    except Exception as exc:
        cause = exc.__cause__ or exc
        logger.error("custom action %s failed (%s); the user was told", self.name(), type(cause).__name__)
        return await failure_events(self.name(), output_channel, nlg, tracker)


def apply() -> None:
    timeout = get_settings().action_timeout
    # Rasa types these int; aiohttp's ClientTimeout takes float seconds
    rasa_action.DEFAULT_REQUEST_TIMEOUT = timeout  # type: ignore[assignment,attr-defined]
    rasa_endpoints.DEFAULT_REQUEST_TIMEOUT = timeout  # type: ignore[assignment,attr-defined]
    RemoteAction.run = guarded_run  # type: ignore[method-assign]

