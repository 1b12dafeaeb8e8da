"""What one Rasa event says about a turn (dependency-free, shared by the consumers).

Rasa's event broker publishes every tracker event as JSON with its `sender_id`. A
*turn* starts with a user message (`user` event) and collects what the bot did
next: the knowledge entry answered, "not covered" (nothing in the knowledge base),
"not understood" (NLU fallback), a clarification question, a handoff, a case.
Every interpretation is a pure function of one event, so an event delivered twice
gives the same update and the store can apply it idempotently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Final

from assistant.contract import CASE_RATING_RANGE, CASE_RATING_SLOT, FEEDBACK_SLOT, FEEDBACK_VALUES

#: Outcomes of a turn, weakest first: a later, stronger fact wins (order-independent).
OUTCOMES: Final = ("other", "not_understood", "not_covered", "answered")
UNANSWERED: Final = frozenset({"not_understood", "not_covered"})


_BOT_FACTS: Final[dict[str, dict[str, Any]]] = {
    "utter_kb_answer": {"outcome": "answered"},
    "utter_kb_answer_to_confirm": {"outcome": "answered"},
    "utter_kb_not_found": {"outcome": "not_covered"},
    "utter_kb_not_found_in_form": {"outcome": "not_covered"},
    "utter_kb_outside": {"outcome": "not_covered"},  # out-of-base subject: the honest "not in my sources"
    "utter_out_of_scope": {"outcome": "not_covered"},
    "utter_ask_rephrase": {"outcome": "not_understood"},
    "utter_default": {"outcome": "not_understood"},
    "utter_kb_clarify": {"clarification": True},
    "utter_ask_case_consent": {"handoff": True},
    "utter_agent_joined": {"handoff": True},
    "utter_operator_handoff": {"handoff": True},
    "utter_case_opened": {"case_opened": True},
}


class MalformedEvent(ValueError):
    """An event that cannot be read: logged and skipped by the consumers."""


def conversation_key(sender_id: str) -> str:
    """Turn facts never store the conversation id (a WhatsApp number is personal data)."""
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()


def event_key(event: dict[str, Any]) -> str:
    """Identity of one delivery-independent event (for exactly-once counting)."""
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class UserTurn:
    conversation: str
    message_id: str
    at: dt.datetime
    text: str
    variety: str | None
    language: str | None
    channel: str | None
    intent: str | None
    confidence: float | None
    entities: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TurnUpdate:
    """A fact about the conversation's latest turn at time `at`."""

    conversation: str
    at: dt.datetime
    outcome: str | None = None
    entry_id: str | None = None
    clarification: bool = False
    handoff: bool = False
    case_opened: bool = False


@dataclass(frozen=True)
class Feedback:
    """The investor said whether the answer to `message_id` helped (+1 / -1)."""

    conversation: str
    at: dt.datetime
    message_id: str
    value: int
    question: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class CaseRated:
    """The investor rated the closed case `reference` (1-5)."""

    conversation: str
    at: dt.datetime
    reference: str
    value: int
    comment: str | None = None


Fact = UserTurn | TurnUpdate | Feedback | CaseRated


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value.strip() else None


def _feedback(value: Any, conversation: str, at: dt.datetime) -> Feedback | None:
    if value is None:
        return None
    data = _object(value)
    score = FEEDBACK_VALUES.get(str(data.get("value")))
    message_id = _text(data.get("message_id"))
    if score is None or message_id is None:
        raise MalformedEvent("feedback slot without a value or a message id")
    return Feedback(conversation, at, message_id[:64], score, _text(data.get("question")), _text(data.get("comment")))


def _rating(value: Any, conversation: str, at: dt.datetime) -> CaseRated | None:
    if value is None:
        return None
    data = _object(value)
    score = data.get("value")
    reference = _text(data.get("reference"))
    if not isinstance(score, int) or isinstance(score, bool) or score not in CASE_RATING_RANGE or reference is None:
        raise MalformedEvent("case rating slot without a 1-5 value or a reference")
    return CaseRated(conversation, at, reference[:20], score, _text(data.get("comment")))


def _timestamp(event: dict[str, Any]) -> dt.datetime:
    value = event.get("timestamp")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise MalformedEvent("event without a numeric timestamp")
    try:
        return dt.datetime.fromtimestamp(float(value), tz=dt.timezone.utc)
    except (OverflowError, OSError, ValueError) as exc:
        raise MalformedEvent("timestamp out of range") from exc


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _user_turn(event: dict[str, Any], conversation: str, at: dt.datetime) -> UserTurn:
    parse = _object(event.get("parse_data"))
    intent = _object(parse.get("intent"))
    detection = _object(parse.get("language_detection"))
    entities = {
        str(e.get("entity")): str(e.get("value"))
        for e in parse.get("entities") or []
        if isinstance(e, dict) and e.get("entity")
    }
    message_id = event.get("message_id") or parse.get("message_id")
    if not message_id:
        message_id = event_key(event)[:32]
    confidence = intent.get("confidence")
    return UserTurn(
        conversation=conversation,
        message_id=str(message_id)[:64],
        at=at,
        text=str(event.get("text") or ""),
        variety=detection.get("variety") if isinstance(detection.get("variety"), str) else None,
        language=detection.get("language") if isinstance(detection.get("language"), str) else None,
        channel=str(event.get("input_channel"))[:40] if event.get("input_channel") else None,
        intent=str(intent.get("name"))[:80] if intent.get("name") else None,
        confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
        entities=entities,
    )


def interpret(event: Any) -> Fact | None:
    """The turn fact carried by one broker event, or None when it carries none."""
    if not isinstance(event, dict):
        raise MalformedEvent("event is not a JSON object")
    sender = event.get("sender_id")
    kind = event.get("event")
    if not isinstance(sender, str) or not sender or not isinstance(kind, str):
        raise MalformedEvent("event without sender_id or type")
    at = _timestamp(event)
    conversation = conversation_key(sender)
    if kind == "user":
        return _user_turn(event, conversation, at)
    if kind == "bot":
        metadata = _object(event.get("metadata"))
        facts = _BOT_FACTS.get(str(metadata.get("utter_action") or ""))
        return TurnUpdate(conversation, at, **facts) if facts else None
    if kind == "slot" and event.get("name") == FEEDBACK_SLOT:
        return _feedback(event.get("value"), conversation, at)
    if kind == "slot" and event.get("name") == CASE_RATING_SLOT:
        return _rating(event.get("value"), conversation, at)
    if kind == "slot" and event.get("name") == "kb_entry" and isinstance(event.get("value"), str):
        return TurnUpdate(conversation, at, outcome="answered", entry_id=event["value"][:120])
    return None


def stronger(current: str | None, new: str | None) -> str | None:
    """The stronger of two outcomes (see OUTCOMES)."""
    if new is None:
        return current
    if current is None:
        return new
    return max(current, new, key=lambda o: OUTCOMES.index(o) if o in OUTCOMES else -1)
