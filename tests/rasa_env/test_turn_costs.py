"""Work removed from every turn (#15), with the behaviour kept.

- The language slots are set in the Rasa process (assistant.language_slots): the same
  slots after the same messages as the action server's `extract_language`, and no call
  to the action server (Rasa here has no action endpoint: a remote call would fail).
- The SQL tracker store saves a turn without reading the conversation back: every new
  event is published to the broker once, in order, before it is written.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant import language_slots
from assistant.contract import LANGUAGE_DETECTION_KEY
from assistant.nlu.langid import identify
from assistant.settings import ROOT, get_settings
from assistant.stores.tracker import EnvironmentSQLTrackerStore
from tests.rasa_env.test_tracker_saves import RecordingBroker

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def message(text: str, entities: list[dict[str, Any]] | None = None) -> UserUttered:
    parse_data: Any = {"intent": {"name": "greet", "confidence": 0.9}, "entities": entities or [],
                  LANGUAGE_DETECTION_KEY: identify(text).as_dict(), "text": text}
    return UserUttered(text, parse_data["intent"], entities or [], parse_data)


def extract(text: str, slots: dict[str, Any], entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    events: list[Event] = [SlotSet(name, value) for name, value in slots.items()] + [message(text, entities)]
    tracker = DialogueStateTracker.from_events("c", events, slots=DOMAIN.slots)
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    result = asyncio.run(ActionExtractSlots(None).run(CollectingOutputChannel(), nlg, tracker, DOMAIN))
    slots_set = [event for event in result if isinstance(event, SlotSet)]
    assert len(slots_set) == len(result)
    return {event.key: event.value for event in slots_set if event.key in language_slots.LANGUAGE_SLOTS}


@pytest.fixture(autouse=True)
def patched() -> None:
    language_slots.apply()
    assert language_slots.applied()


FR = {"language": "fr", "language_confirmed": True, "language_pinned": False}


@pytest.mark.parametrize(("text", "slots", "expected"), [
    ("Bonjour", {"language": "fr", "language_confirmed": False}, {"language_confirmed": True}),
    ("مرحبا", {"language": "fr", "language_confirmed": False}, {"language": "ar", "language_confirmed": True}),
    ("Hello", {"language": "fr", "language_confirmed": False}, {"language": "en", "language_confirmed": True}),
    ("ok", FR, {}),
    ("SARL", {**FR, "language": "ar"}, {}),
    ("What is the minimum capital for a company in Morocco?", FR, {"language": "en"}),
    ("bghit n3ref chhal khass ras lmal dyal sarl", {**FR, "language": "ar"}, {}),
    ("réponds en arabe", FR, {"language": "ar", "language_pinned": True}),
    ("What is the minimum capital for a company in Morocco?", {**FR, "language_pinned": True}, {}),
])
def test_the_language_slots_follow_the_sticky_rules_without_the_action_server(
    text: str, slots: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert extract(text, slots) == expected


def test_a_choice_typed_after_a_clarifying_question_does_not_switch() -> None:
    """"c'est l'impôt sur les sociétés que je veux" after a clarifying question in Arabic names an
    option, in French: no switch; the same French sentence with no question just before switches.
    (A short phrase of technical words, "l'impôt sur les sociétés", never switches: #10 item 8.)"""
    ar = {**FR, "language": "ar"}
    choice = "c'est l'impôt sur les sociétés que je veux"
    question = BotUttered("?", metadata={"utter_action": language_slots.CLARIFYING})
    events: list[Event] = [SlotSet(name, value) for name, value in ar.items()]
    events += [message("شحال النسبة ديال الضريبة؟"), question, message(choice)]
    tracker = DialogueStateTracker.from_events("c", events, slots=DOMAIN.slots)
    assert language_slots.answers_clarification(tracker)
    assert language_slots.changes_after_message(tracker, []) == {}
    assert extract(choice, ar) == {"language": "fr"}  # no question just before
    assert extract("l'impôt sur les sociétés", ar) == {}


def test_a_language_button_pins_the_language() -> None:
    chosen = extract("/switch_language", FR, [{"entity": "language", "value": "ar"}])
    assert chosen == {"language": "ar", "language_pinned": True}


def test_a_saved_turn_publishes_and_stores_each_new_event_once_without_reading_the_conversation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    get_settings.cache_clear()
    broker = RecordingBroker()
    store = EnvironmentSQLTrackerStore(domain=DOMAIN, event_broker=broker)

    async def no_read(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("save read the conversation back")

    sender = uuid.uuid4().hex
    tracker = DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen"), message("Bonjour")],
                                               slots=DOMAIN.slots)
    monkeypatch.setattr(SQLTrackerStore, "retrieve", no_read)
    asyncio.run(store.save(tracker))
    tracker.update(BotUttered("Bonjour !", metadata={"utter_action": "utter_greet"}))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # nothing new: nothing published or written
    monkeypatch.undo()
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")

    expected = [event.as_dict() for event in tracker.events]
    assert [{k: v for k, v in e.items() if k != "sender_id"} for e in broker.published] == expected
    assert {e["sender_id"] for e in broker.published} == {sender}
    again = asyncio.run(store.retrieve(sender))
    assert again is not None and [event.as_dict() for event in again.events] == expected
    get_settings.cache_clear()
