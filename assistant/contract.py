"""Facts shared by the Rasa server, the action server and the guidance service.

The Rasa environment (Rasa 3.6, SQLAlchemy 1.4) and the app environment (SQLAlchemy 2)
cannot import each other's modules, so what both must agree on is written here once:
topics and subject types of the knowledge base, the case reference format, the key of
the language detection in the parse data, channel names and case statuses.
Standard library only; tests check that this module imports nothing else.
Translated labels are not facts: they live in `responses/` and `service/i18n.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

# ----------------------------------------------------------------- knowledge base

#: Topics of the knowledge base (`knowledge/<topic>/`), in display order.
TOPICS: Final[tuple[str, ...]] = (
    "legal_forms",
    "creation",
    "regions",
    "taxes",
    "financing",
    "programmes",
    "exchange",
)

#: The question intents of the NLU model and the topic each one asks about.
INTENT_TOPICS: Final[dict[str, str]] = {
    "ask_legal_form": "legal_forms",
    "ask_creation": "creation",
    "ask_region": "regions",
    "ask_tax": "taxes",
    "ask_financing": "financing",
    "ask_programme": "programmes",
    "ask_exchange": "exchange",
}

#: Entity types the pattern extractor emits that name an entry's subject (`type:value`).
SUBJECT_TYPES: Final[tuple[str, ...]] = ("legal_form", "procedure", "tax", "programme", "region", "exchange")

#: The topic a subject type belongs to (`legal_form:sarl` is about legal forms).
SUBJECT_TOPICS: Final[dict[str, str]] = {
    "legal_form": "legal_forms",
    "procedure": "creation",
    "tax": "taxes",
    "region": "regions",
    "exchange": "exchange",
    "programme": "programmes",
}

# ----------------------------------------------------------------- support cases

#: Case references look like MRE-2026-000123 (prefix, year of opening, zero-padded id).
CASE_REFERENCE_PREFIX: Final = "MRE"
#: A reference as people type it ("mre 2026 123", "MRE-2026-000123"); groups: year, number.
CASE_REFERENCE_TYPED: Final = re.compile(rf"\b{CASE_REFERENCE_PREFIX}[\s-]?(\d{{4}})[\s-]?(\d{{1,6}})\b", re.IGNORECASE)


def case_reference(year: int | str, number: int | str) -> str:
    """The canonical reference of case `number` opened in `year`."""
    return f"{CASE_REFERENCE_PREFIX}-{year}-{int(number):06d}"


#: Statuses of a case, in the order a case goes through them.
CASE_STATUSES: Final[tuple[str, ...]] = ("new", "assigned", "waiting_user", "resolved", "closed")
#: Statuses of a finished case: no more staff work, no live conversation.
CLOSED_STATUSES: Final[frozenset[str]] = frozenset({"resolved", "closed"})

# ----------------------------------------------------------------- messages

#: Key of the language detection in the parse data (`tracker.latest_message[...]`).
LANGUAGE_DETECTION_KEY: Final = "language_detection"

#: Metadata key of a user message whose text was a button's title typed: what the user typed
#: (the event's text is the button's payload; assistant/typed_buttons.py, #10).
TYPED_BUTTON_KEY: Final = "typed_button"

#: Input channel names, as Rasa records them on each user message.
CHANNEL_REST: Final = "rest"
CHANNEL_SOCKETIO: Final = "socketio"
CHANNEL_WHATSAPP: Final = "whatsapp"
CHANNEL_TWILIO: Final = "twilio"
CHANNELS: Final[tuple[str, ...]] = (CHANNEL_REST, CHANNEL_SOCKETIO, CHANNEL_WHATSAPP, CHANNEL_TWILIO)
#: Channels where the sender id is the investor's WhatsApp number.
WHATSAPP_CHANNELS: Final[frozenset[str]] = frozenset({CHANNEL_WHATSAPP, CHANNEL_TWILIO})
#: WhatsApp lets a business send free text only this long after the user's last message.
WHATSAPP_WINDOW: Final = dt.timedelta(hours=24)

# ----------------------------------------------------------------- feedback (#14)

#: Intents of feedback messages: they rate an earlier turn and are not turns of their own.
FEEDBACK_HELPFUL_INTENT: Final = "feedback_helpful"
FEEDBACK_UNHELPFUL_INTENT: Final = "feedback_unhelpful"
RATE_CASE_INTENT: Final = "rate_case"
FEEDBACK_INTENTS: Final[frozenset[str]] = frozenset(
    {FEEDBACK_HELPFUL_INTENT, FEEDBACK_UNHELPFUL_INTENT, RATE_CASE_INTENT}
)
#: Slot set by the feedback action: {"value": "up"|"down", "message_id", "question", "comment"}.
FEEDBACK_SLOT: Final = "answer_feedback"
FEEDBACK_VALUES: Final[dict[str, int]] = {"up": 1, "down": -1}
#: Slot set by the rating action: {"reference", "value": 1..5, "comment"}.
CASE_RATING_SLOT: Final = "case_rating"
CASE_RATING_RANGE: Final = range(1, 6)
# Staff replies (table staff_messages, column status): one delivery path for every channel.
#   pending   queued in the database, not yet handed to a channel (Rasa unreachable, the
#             channel refused it: retried with backoff by the service's relay worker)
#   sending   handed to Rasa, outcome not reported yet (retried when stale)
#   stored    the website investor's page was closed: the reply is in the conversation and
#             the widget shows it when they come back (never relayed again)
#   sent      the channel accepted it (Graph API/Twilio message id, a connected widget)
#   delivered the investor's device has it (widget acknowledgement, WhatsApp/Twilio receipt)
#   failed    given up (the channel cannot push, or still refused it REPLY_GIVE_UP_HOURS after
#             the reply was made: settings.reply_give_up_hours; staff can resend it)
REPLY_PENDING: Final = "pending"
REPLY_SENDING: Final = "sending"
REPLY_STORED: Final = "stored"
REPLY_SENT: Final = "sent"
REPLY_DELIVERED: Final = "delivered"
REPLY_FAILED: Final = "failed"
REPLY_STATES: Final[tuple[str, ...]] = (
    REPLY_PENDING, REPLY_SENDING, REPLY_STORED, REPLY_SENT, REPLY_DELIVERED, REPLY_FAILED,
)
#: Default of REPLY_GIVE_UP_HOURS: a reply a channel refuses (Graph API, Twilio) is retried with
#: `reply_backoff` until accepted, or `failed` when refused this long after it was made.
REPLY_GIVE_UP_HOURS: Final = 24


def reply_backoff(attempts: int, base_seconds: float = 15.0) -> dt.timedelta:
    """Wait before relaying again a reply the channel refused `attempts` times (doubling, at most 30 min)."""
    if attempts <= 0:
        return dt.timedelta(0)
    return dt.timedelta(seconds=min(base_seconds * 2 ** (attempts - 1), 1800.0))
