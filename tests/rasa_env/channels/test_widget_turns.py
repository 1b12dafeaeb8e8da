"""The widget's bot turns: a turn the user did not start (Rasa's /execute, e.g. the case
rating question) and, on catch-up, every turn after the bot listened carry `turn_start`, so
the widget withdraws the suggested replies of earlier turns."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from assistant.channels.socketio import StampedSocketIOOutput
from assistant.channels.widget_messages import replay, widget_message

BUTTONS = [{"title": "Parler à un conseiller", "payload": "/request_human"}]


class FakeSio:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def emit(self, event: str, data: dict[str, Any], room: str) -> None:
        self.sent.append(data)


def test_widget_message_marks_turn_start_only_when_asked() -> None:
    assert "turn_start" not in (widget_message({"text": "x"}) or {})
    assert (widget_message({"text": "x"}, True) or {})["turn_start"] is True
    assert widget_message({}, True) is None


def test_unprompted_output_marks_its_first_message() -> None:
    for unprompted, expected in ((True, [True, None]), (False, [None, None])):
        sio = FakeSio()
        output = StampedSocketIOOutput(sio, "bot_uttered", unprompted=unprompted)
        asyncio.run(output.send_response("web:a", {"text": "", "timestamp": 1.0}))  # nothing shown
        asyncio.run(output.send_response("web:a", {"text": "Votre avis ?", "buttons": BUTTONS, "timestamp": 2.0}))
        asyncio.run(output.send_response("web:a", {"text": "Merci", "timestamp": 3.0}))
        assert [m.get("turn_start") for m in sio.sent] == expected


def test_replay_marks_the_first_message_after_each_listen() -> None:
    events = [
        ActionExecuted("action_listen", timestamp=1),
        UserUttered("et pour une SA ?", timestamp=2),
        ActionExecuted("action_answer", timestamp=3),
        BotUttered("Une SA…", {"buttons": BUTTONS}, timestamp=4),
        BotUttered("Utile ?", timestamp=5),
        ActionExecuted("action_listen", timestamp=6),
        ActionExecuted("action_ask_case_rating", timestamp=7),
        BotUttered("Votre avis ?", timestamp=8),
        ActionExecuted("action_listen", timestamp=9),
    ]
    assert [(m["text"], m.get("turn_start")) for m in replay(events, 0)] == [
        ("Une SA…", True),
        ("Utile ?", None),
        ("Votre avis ?", True),
    ]
    assert [(m["text"], m.get("turn_start")) for m in replay(events, 4.5)] == [("Utile ?", None), ("Votre avis ?", True)]
