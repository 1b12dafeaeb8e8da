"""A button's title typed is the button pressed (#10), inside Rasa (applied by rasa_patches).

When the bot's messages since the user last spoke offered buttons and the user types one
button's title ("Financing", "confirmer", "التمويل"; matching in `assistant.button_titles`),
the message is handled as that button's payload, exactly as if it had been pressed: the
same parse (a `/intent{...}` payload is read by Rasa's own payload parser), the same text
for the actions, the same policies. The text typed is kept in the user event's metadata
(`typed_button`). Where the channel showed the options as a numbered menu (Twilio always,
WhatsApp Cloud when they fit neither buttons nor a list), a typed number picks the option
of the last message with buttons; on any channel, so does its place in words ("the second
one", "la deuxième", "lwla"), whatever the NLU would read in them ("la deuxième" is no "no"), and
its number right after a clarifying question ("2", "option 2", "رقم 2"). One place for every
button of every response and action: no word list or rule per intent.

It runs in `MessageProcessor._handle_message_with_tracker`, inside the conversation's lock,
on the tracker Rasa loaded for the turn: no extra read, and the menu cannot change between
the check and the turn.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.button_titles import buttons_of, chosen_payload, numbered_choice, placed_choice
from assistant.channels import formatting
from assistant.contract import TYPED_BUTTON_KEY
from assistant.language_slots import CLARIFYING

logger = logging.getLogger(__name__)

Handler = Callable[[MessageProcessor, UserMessage, DialogueStateTracker], Awaitable[None]]


def offered_buttons(tracker: DialogueStateTracker) -> list[list[tuple[str, str]]]:
    """The buttons of each bot message since the user's last message, oldest first."""
    offered: list[list[tuple[str, str]]] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            buttons = buttons_of(event.data or {})
            if buttons:
                offered.insert(0, buttons)
    return offered


def asks_which(tracker: DialogueStateTracker) -> bool:
    """Whether the last bot message with buttons since the user's last message is a clarifying
    question (`utter_kb_clarify`): its options are numbered by their place ("2", "option 2"
    right after "Vous parlez de : la TVA, l'IS ?"), on any channel."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and buttons_of(event.data or {}):
            return (event.metadata or {}).get("utter_action") == CLARIFYING
    return False


def shown_numbered(input_channel: str | None, buttons: list[tuple[str, str]]) -> bool:
    """Whether the channel showed these buttons as a numbered menu (so a typed number picks one)."""
    options = formatting.options_from_buttons({"title": t, "payload": p} for t, p in buttons)
    return formatting.shown_numbered(input_channel, options)


def typed_payload(tracker: DialogueStateTracker, text: str, input_channel: str | None) -> str | None:
    """The payload of the button the typed `text` chooses in the conversation, or None."""
    if not text or text.lstrip().startswith(INTENT_MESSAGE_PREFIX):
        return None
    offered = offered_buttons(tracker)
    if not offered:
        return None
    if shown_numbered(input_channel, offered[-1]) or asks_which(tracker):
        number = numbered_choice(text, offered[-1])
        if number is not None:
            return number
    chosen = chosen_payload(text, [button for buttons in offered for button in buttons])
    return chosen if chosen is not None else placed_choice(text, offered[-1])


_next: Handler | None = None


async def _handle_message_with_tracker(self: MessageProcessor, message: UserMessage,
                                       tracker: DialogueStateTracker) -> None:
    if message.parse_data is None and isinstance(message.text, str):
        payload = typed_payload(tracker, message.text, message.input_channel)
        if payload is not None:
            logger.debug("typed buttons: a typed title is handled as the button %s", payload)
            message.metadata = {**(message.metadata or {}), TYPED_BUTTON_KEY: message.text}
            message.text = payload
    assert _next is not None
    await _next(self, message, tracker)


def apply() -> None:
    """Install after the other patches of the method (turns): they run on the chosen payload."""
    global _next
    if applied():
        return
    _next = MessageProcessor._handle_message_with_tracker
    MessageProcessor._handle_message_with_tracker = _handle_message_with_tracker  # type: ignore[method-assign]


def applied() -> bool:
    return MessageProcessor.__dict__.get("_handle_message_with_tracker") is _handle_message_with_tracker
