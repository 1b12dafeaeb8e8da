"""A short question read as "yes" or "no" with no yes/no question pending (#10 item 5, session 37): "التكلفة؟" (the
cost?) was deny 0.64 on a first turn and got "anything else?". With nothing to say yes or no to, a message ending in a
question mark with no yes/no word in it is a question, answered by the knowledge action; a yes or no stays one
("non ?", "oui ?", "لا؟"). The conversations are tests/data/dev_conversations/clar15.yml (`--only c15-`)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.yes_no import ActionHandleAffirm, ActionHandleDeny
from tests.support.trackers import bot_event, make_tracker, texts

SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
ANSWERED = ("utter_kb_answer", "utter_kb_clarify", "utter_kb_not_found", "utter_kb_outside")


@SQLITE
@pytest.mark.parametrize(("action", "text"), [
    (ActionHandleDeny, "التكلفة؟"),  # Arabic: the cost?
    (ActionHandleDeny, "الوراق؟"),  # Darija: the papers?
    (ActionHandleAffirm, "frais ?"),  # French
    (ActionHandleDeny, "cost?"),  # English
    (ActionHandleAffirm, "lwra9?"),  # Arabizi
])
async def test_a_short_question_read_as_yes_or_no_on_a_first_turn_is_answered(
    loaded_knowledge: str, action: type, text: str
) -> None:
    dispatcher = CollectingDispatcher()
    await action().run(dispatcher, make_tracker(text, "deny" if action is ActionHandleDeny else "affirm", 0.64), {})
    assert texts(dispatcher) and texts(dispatcher)[0].startswith(ANSWERED), texts(dispatcher)


@SQLITE
@pytest.mark.parametrize(("action", "text"), [
    (ActionHandleDeny, "non ?"), (ActionHandleDeny, "لا؟"), (ActionHandleAffirm, "oui ?"), (ActionHandleAffirm, "wakha?"),
])
async def test_a_yes_or_no_with_nothing_pending_is_still_one(loaded_knowledge: str, action: type, text: str) -> None:
    dispatcher = CollectingDispatcher()
    await action().run(dispatcher, make_tracker(text, "deny" if action is ActionHandleDeny else "affirm"), {})
    assert texts(dispatcher) == ["utter_anything_else"]


@SQLITE
async def test_a_short_question_under_a_yes_no_question_is_answered(loaded_knowledge: str) -> None:
    """Under the offer of the unit, a short question with no yes/no word ("frais ?") is no "yes": the search
    answers it (small15's answered_instead), no case form is opened; a "oui" there still opens it."""
    dispatcher = CollectingDispatcher()
    history = [bot_event("…", "utter_kb_not_found")]
    events = await ActionHandleAffirm().run(dispatcher, make_tracker("frais ?", "affirm", history=history), {})
    assert {"event": "followup", "name": "case_form", "timestamp": None} not in events
    assert texts(dispatcher) and texts(dispatcher)[0].startswith(ANSWERED), texts(dispatcher)
    dispatcher = CollectingDispatcher()
    events = await ActionHandleAffirm().run(dispatcher, make_tracker("oui", "affirm", history=history), {})
    assert events == [{"event": "followup", "name": "case_form", "timestamp": None}]
