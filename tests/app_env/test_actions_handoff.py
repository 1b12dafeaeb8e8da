"""Live handoff actions (run by the guidance service through Rasa's /execute)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.handoff import (
    ActionAgentJoined,
    ActionAgentLeft,
    ActionRelayStaffMessages,
    outside_whatsapp_window,
)
from assistant.cases import store
from tests.app_env.test_case_store import request_for, staff_member
from tests.support.trackers import make_tracker

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


async def test_join_pauses_and_leave_resumes_with_the_agent_name(database: str) -> None:
    case, _ = await store.open_case(request_for("conv-1"))
    samira = await staff_member()
    await store.set_live(case.reference or "", True, samira)
    dispatcher = CollectingDispatcher()
    events = await ActionAgentJoined().run(dispatcher, make_tracker("", sender="conv-1"), {})
    assert dispatcher.messages[0]["response"] == "utter_agent_joined" and dispatcher.messages[0]["agent"] == "Samira"
    assert [e["event"] for e in events] == ["pause", "action"]
    dispatcher = CollectingDispatcher()
    events = await ActionAgentLeft().run(dispatcher, make_tracker("", sender="conv-1"), {})
    assert [e["event"] for e in events] == ["resume", "action"]


async def test_relay_delivers_queued_replies_once(database: str) -> None:
    case, _ = await store.open_case(request_for("conv-1"))
    samira = await staff_member()
    await store.queue_reply(case.reference or "", samira, "Bonjour Karim")
    dispatcher = CollectingDispatcher()
    await ActionRelayStaffMessages().run(dispatcher, make_tracker("merci", sender="conv-1"), {})
    assert dispatcher.messages[0]["response"] == "utter_staff_message"
    assert dispatcher.messages[0]["staff_text"] == "Bonjour Karim" and dispatcher.messages[0]["agent"] == "Samira"
    dispatcher = CollectingDispatcher()
    await ActionRelayStaffMessages().run(dispatcher, make_tracker("merci", sender="conv-1"), {})
    assert dispatcher.messages == []


async def test_after_whatsapps_24_hour_window_the_reply_goes_as_a_template(database: str) -> None:
    case, _ = await store.open_case(request_for("whatsapp:212661234567", channel="whatsapp"))
    samira = await staff_member()
    await store.queue_reply(case.reference or "", samira, "Bonjour, avez-vous pu avancer ?")
    old = time.time() - 30 * 3600
    tracker = make_tracker("merci", sender="whatsapp:212661234567", channel="whatsapp", timestamp=old)
    assert outside_whatsapp_window(tracker)
    dispatcher = CollectingDispatcher()
    await ActionRelayStaffMessages().run(dispatcher, tracker, {})
    template = dispatcher.messages[0]["custom"]["whatsapp_template"]
    assert template["parameters"] == ["Samira", "Bonjour, avez-vous pu avancer ?"]
    detail = await store.get_case(case.reference or "")
    assert detail.messages[0].delivery_note == "whatsapp_template"
    recent = make_tracker("merci", sender="whatsapp:212661234567", channel="whatsapp")
    assert not outside_whatsapp_window(recent, dt.datetime.now(dt.timezone.utc))
