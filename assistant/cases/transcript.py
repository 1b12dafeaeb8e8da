"""The conversation as the guidance unit reads it, from Rasa tracker events.

Used by the action server (the snapshot stored with a case) and by the guidance
service (the live view of a case's conversation). Pure Python: tracker events are
plain dictionaries in both processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assistant.contract import INTENT_TOPICS, TYPED_BUTTON_KEY

#: Bot messages of the live handoff, as staff read them (every other bot message is the assistant's).
HANDOFF_ROLES = {"utter_staff_message": "staff", "utter_agent_joined": "notice", "utter_agent_left": "notice"}


def transcript(
    events: Iterable[Mapping[str, Any]],
    *,
    limit: int | None = None,
    max_chars: int | None = None,
    skip_payloads: bool = False,
) -> list[dict[str, Any]]:
    """User and assistant messages, oldest first: `{"from", "text", "at"}`; `from` is
    investor, assistant, staff (an adviser's reply) or notice (an adviser joined or left).

    `skip_payloads` drops button payloads ("/affirm"): the investor saw the button's title. A
    title the investor typed (handled as its button) is shown as typed.
    """
    lines = []
    for event in events:
        if event.get("event") not in ("user", "bot") or not event.get("text"):
            continue
        typed = (event.get("metadata") or {}).get(TYPED_BUTTON_KEY) if event["event"] == "user" else None
        text = str(typed or event["text"])  # a button's title typed: what the investor wrote
        if skip_payloads and event["event"] == "user" and text.startswith("/"):
            continue
        utter = str((event.get("metadata") or {}).get("utter_action") or "")
        lines.append(
            {
                "from": "investor" if event["event"] == "user" else HANDOFF_ROLES.get(utter, "assistant"),
                "text": text[:max_chars] if max_chars else text,
                "at": event.get("timestamp"),
            }
        )
    return lines[-limit:] if limit else lines


def topic_asked(events: Iterable[Mapping[str, Any]], *, before_loop: str | None = None) -> str | None:
    """The topic of the last question asked (before the loop `before_loop` started)."""
    topic = None
    for event in events:
        if before_loop and event.get("event") == "active_loop" and event.get("name") == before_loop:
            break
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if event.get("event") == "user" and intent in INTENT_TOPICS:
            topic = INTENT_TOPICS[intent]
    return topic
