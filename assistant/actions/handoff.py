"""Live handoff to guidance-unit staff.

The guidance service runs these through Rasa's HTTP API
(`POST /conversations/<id>/execute?output_channel=latest`), so each message reaches
the investor on the channel they last wrote from:
- `action_agent_joined`: tells the investor a person joined, pauses the bot;
- `action_relay_staff_messages`: delivers the staff replies queued in the database
  (works while the conversation is paused);
- `action_agent_left`: tells the investor the person left, resumes the bot.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, ConversationResumed
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant import conversation_ids
from assistant.actions.common import language_of
from assistant.cases.replies import mark_sending, mark_stored, pending_messages_for
from assistant.cases.store import live_case_for_conversation
from assistant.contract import CHANNEL_SOCKETIO, CHANNEL_WHATSAPP, WHATSAPP_WINDOW
from assistant.settings import get_settings

logger = logging.getLogger(__name__)

#: The key under which a staff reply's id travels with the message (read by assistant/delivery.py).
STAFF_MESSAGE_KEY = "staff_message_id"

#: These actions run outside a user turn (Rasa's /execute endpoint): ending with
#: action_listen gives the investor's next message a normal turn for the policies.
END_OF_TURN = ActionExecuted("action_listen")
DEFAULT_AGENT = {"fr": "Un conseiller", "ar": "مستشار", "en": "An advisor"}


async def agent_name(tracker: Tracker) -> str:
    case = await live_case_for_conversation(tracker.sender_id)
    if case is not None and case.assignee is not None:
        return case.assignee.name
    return DEFAULT_AGENT[language_of(tracker)]


def last_user_message_at(tracker: Tracker) -> dt.datetime | None:
    for event in reversed(tracker.events):
        if event.get("event") == "user" and event.get("timestamp") and event.get("text") is not None:
            return dt.datetime.fromtimestamp(float(event["timestamp"]), tz=dt.timezone.utc)
    return None


def outside_whatsapp_window(tracker: Tracker, now: dt.datetime | None = None) -> bool:
    if conversation_ids.channel_of(tracker.sender_id) != CHANNEL_WHATSAPP:
        return False
    last = last_user_message_at(tracker)
    now = now or dt.datetime.now(dt.timezone.utc)
    return last is None or now - last > WHATSAPP_WINDOW


class ActionAgentJoined(Action):
    def name(self) -> str:
        return "action_agent_joined"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_agent_joined", agent=await agent_name(tracker))
        return [ConversationPaused(), END_OF_TURN]


class ActionAgentLeft(Action):
    def name(self) -> str:
        return "action_agent_left"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_agent_left", agent=await agent_name(tracker))
        return [ConversationResumed(), END_OF_TURN]


def already_uttered(tracker: Tracker) -> set[int]:
    """Ids of the staff replies the conversation already holds (the relay ran, its report was lost)."""
    ids = set()
    for event in tracker.events:
        staff_id = (event.get("metadata") or {}).get(STAFF_MESSAGE_KEY) if event.get("event") == "bot" else None
        if isinstance(staff_id, int) or (isinstance(staff_id, str) and staff_id.isdigit()):
            ids.add(int(staff_id))
    return ids


class ActionRelayStaffMessages(Action):
    """Delivers queued staff replies; outside WhatsApp's 24-hour window, as a template."""

    def name(self) -> str:
        return "action_relay_staff_messages"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        messages = await pending_messages_for(tracker.sender_id)
        # a reply already in the conversation is the widget's to show (store and forward): never twice
        kept = already_uttered(tracker) if conversation_ids.channel_of(tracker.sender_id) == CHANNEL_SOCKETIO else set()
        if kept & {m.id for m in messages}:
            await mark_stored([m.id for m in messages if m.id in kept])
            messages = [m for m in messages if m.id not in kept]
        if not messages:
            return []
        template = outside_whatsapp_window(tracker)
        settings = get_settings().whatsapp
        for message in messages:
            author = message.author.name if message.author else DEFAULT_AGENT[language_of(tracker)]
            if template:
                dispatcher.utter_message(
                    json_message={
                        "whatsapp_template": {
                            "name": settings.template_name,
                            "language": language_of(tracker),
                            "parameters": [author, message.text],
                        },
                        "text": message.text,
                    },
                    staff_message_id=message.id,
                )
            else:
                dispatcher.utter_message(
                    response="utter_staff_message", agent=author, staff_text=message.text, staff_message_id=message.id
                )
        # the output channel records what became of each (assistant/delivery.py, in Rasa)
        await mark_sending([m.id for m in messages], note="whatsapp_template" if template else None)
        return [END_OF_TURN]
