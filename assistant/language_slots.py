"""The sticky language slots, set inside the Rasa process (applied by rasa_patches).

After every user message Rasa runs `action_extract_slots`; because the domain lists
`action_validate_slot_mappings`, stock Rasa then rebuilds the tracker from all its events
and POSTs the whole tracker and domain to the action server, only to get back the
`language`, `language_confirmed` and `language_pinned` slots (the one `extract_language`
the action server has). Profiling showed that call to be about a third of a turn's cost
in the Rasa process. Here the same rules (`assistant.nlu.langid.language_slot_changes`,
also used by the action server's `ValidatePredefinedSlots`) run in Rasa's own process on
the message's detection: the same slots are set after the same messages, the extracted
slot candidates are kept as stock Rasa keeps them when the validation action returns no
event for them, and no request leaves the process.
"""

from __future__ import annotations

from typing import Any, cast

from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.constants import ACTION_VALIDATE_SLOT_MAPPINGS
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered

from assistant.contract import LANGUAGE_DETECTION_KEY
from assistant.nlu.langid import language_slot_changes
from assistant.short_language import past_acknowledgements, with_subject_words

LANGUAGE_SLOTS = ("language", "language_confirmed", "language_pinned")
#: The response asking which of several entries was meant (assistant/actions/knowledge.py).
CLARIFYING = "utter_kb_clarify"

_original = ActionExtractSlots._execute_validation_action


def changes_after_message(tracker: Any, slot_events: list[SlotSet]) -> dict[str, Any]:
    """The language slots to set after the tracker's latest user message."""
    latest = tracker.latest_message
    if latest is None:
        return {}
    slots = {name: tracker.get_slot(name) for name in LANGUAGE_SLOTS}
    slots.update({event.key: event.value for event in slot_events if event.key in LANGUAGE_SLOTS})
    # (a short message with no clue of its language may hold words of one language's subjects: "land?")
    # (thanks in another language before a short follow-up are no clue: "ok thanks, w l rc?" in Arabizi)
    detection = past_acknowledgements((latest.parse_data or {}).get(LANGUAGE_DETECTION_KEY) or {}, latest.text or "",
                                      bool(slots.get("language_confirmed")))
    detection = with_subject_words(detection, latest.text or "") or {}
    chosen = [str(e["value"]) for e in latest.entities or [] if e.get("entity") == "language"
              and e.get("value") is not None]
    return language_slot_changes(slots, detection, chosen, answering=answers_clarification(tracker))


def answers_clarification(tracker: Any) -> bool:
    """Whether the bot asked a clarifying question (`utter_kb_clarify`) since the user's
    previous message, so the latest message chooses among its options."""
    users = 0
    for event in reversed(list(tracker.events)):
        if isinstance(event, UserUttered):
            users += 1
            if users > 1:
                return False
        elif users == 1 and isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action") == CLARIFYING:
            return True
    return False


async def _execute_validation_action(
    self: ActionExtractSlots, extraction_events: list[Event], output_channel: Any, nlg: Any, tracker: Any,
    domain: Any,
) -> list[Event]:
    slot_names = {slot.name for slot in domain.slots}
    if ACTION_VALIDATE_SLOT_MAPPINGS not in domain.user_actions or not set(LANGUAGE_SLOTS) <= slot_names:
        return cast(list[Event], await _original(self, extraction_events, output_channel, nlg, tracker, domain))
    slot_events = [event for event in extraction_events if isinstance(event, SlotSet)]
    changes = changes_after_message(tracker, slot_events)
    return [*slot_events, *(SlotSet(name, value) for name, value in changes.items())]


def apply() -> None:
    ActionExtractSlots._execute_validation_action = _execute_validation_action  # type: ignore[method-assign]


def applied() -> bool:
    return ActionExtractSlots.__dict__.get("_execute_validation_action") is _execute_validation_action
