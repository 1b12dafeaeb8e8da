"""Event classes looked up by type name once (assistant/event_types.py, #15): the same
class, default, None or error as Rasa's own lookup, and the same events read back."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from assistant import event_types


@pytest.fixture(autouse=True)
def patched() -> None:
    event_types.apply()
    assert event_types.applied()


def test_every_event_type_resolves_to_the_class_rasa_finds() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for _ in range(2):  # first lookup (stock way), then remembered
        for name in names:
            assert Event.resolve_by_type(name) is event_types._stock_resolve(name)


def test_unknown_names_go_the_stock_way() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert "no_such_event" not in event_types._found
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_events_read_back_are_the_same() -> None:
    events = [ActionExecuted("action_session_start"), SessionStarted(), SlotSet("language", "ar"),
              UserUttered("مرحبا", {"name": "greet", "confidence": 0.9}), BotUttered("مرحبا بك"),
              ActionExecuted("action_listen")]
    dicts = [event.as_dict() for event in events]
    again = [event for data in dicts if (event := Event.from_parameters(data)) is not None]
    assert again == events and [event.as_dict() for event in again] == dicts
