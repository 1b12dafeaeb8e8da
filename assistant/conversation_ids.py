"""Conversation ids carry their channel, set by the server: `whatsapp:212…`, `web:…`.

Rasa keys conversations (trackers, cases, staff replies, erasure) on the sender id. A
client-chosen id must never equal another channel's user, so every input channel
builds the id from a prefix of its own and the identity it can vouch for:

- `whatsapp:<wa_id digits>`: Meta signed the notification;
- `twilio:+<E.164>`: Twilio signed the request (Twilio's `whatsapp:` is dropped);
- `web:<digest>`: the widget holds a high-entropy session secret; the id is a digest of
  it, so the id shown to staff or stored in a case cannot be used to join the session;
- `rest:<sender>`: whatever the REST client sent (it can only reach other REST ids).

Standard library and `assistant.contract` only: imported by the Rasa process, the action
server and the service.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Final, TypeGuard

from assistant.contract import CHANNEL_REST, CHANNEL_SOCKETIO, CHANNEL_TWILIO, CHANNEL_WHATSAPP, WHATSAPP_CHANNELS

#: Rasa input channel name -> prefix of the conversation ids it creates.
PREFIXES: Final[dict[str, str]] = {
    CHANNEL_REST: "rest", CHANNEL_SOCKETIO: "web", CHANNEL_WHATSAPP: "whatsapp", CHANNEL_TWILIO: "twilio",
}
#: Prefix -> Rasa input channel name (the output channel of staff replies).
CHANNELS: Final[dict[str, str]] = {prefix: channel for channel, prefix in PREFIXES.items()}
#: Channels whose id is the user's phone number.
PHONE_CHANNELS: Final = WHATSAPP_CHANNELS

#: A REST `sender`: letters, digits and `_ . @ + -`, 1 to 128 characters.
REST_SENDER: Final = re.compile(r"[A-Za-z0-9+][A-Za-z0-9_.@+\-]{0,127}")
#: A widget session secret: 32 to 128 URL-safe characters (the widget makes 32 hex
#: digits from crypto.getRandomValues; the server issues 43 with `token_urlsafe(32)`).
SESSION_SECRET: Final = re.compile(r"[A-Za-z0-9_\-]{32,128}")
WHATSAPP_ID: Final = re.compile(r"[1-9][0-9]{5,19}")
TWILIO_ID: Final = re.compile(r"\+[1-9][0-9]{5,19}")
#: Longest conversation id any channel makes (fits the database columns).
MAX_LENGTH: Final = 160


class InvalidConversationId(ValueError):
    pass


def make(channel: str, local_id: str) -> str:
    """The conversation id of `local_id` on `channel`; raises InvalidConversationId."""
    prefix = PREFIXES.get(channel)
    if prefix is None:
        raise InvalidConversationId("unknown channel")
    pattern = {CHANNEL_REST: REST_SENDER, CHANNEL_WHATSAPP: WHATSAPP_ID, CHANNEL_TWILIO: TWILIO_ID}.get(channel)
    if pattern is not None and not pattern.fullmatch(local_id):
        raise InvalidConversationId(f"invalid {channel} sender")
    return f"{prefix}:{local_id}"


def rest_id(sender: object) -> str | None:
    """`rest:<sender>`, or None when the sender is missing or malformed."""
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not REST_SENDER.fullmatch(sender):
        return None
    return f"rest:{sender}"


def whatsapp_id(wa_id: object) -> str | None:
    value = str(wa_id) if isinstance(wa_id, (str, int)) and not isinstance(wa_id, bool) else ""
    return f"whatsapp:{value}" if WHATSAPP_ID.fullmatch(value) else None


def twilio_id(address: object) -> str | None:
    """`twilio:+212…` from Twilio's `From` (`whatsapp:+212…`)."""
    value = address.strip() if isinstance(address, str) else ""
    value = value[len("whatsapp:"):] if value.startswith("whatsapp:") else value
    return f"twilio:{value}" if TWILIO_ID.fullmatch(value) else None


def valid_session_secret(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(SESSION_SECRET.fullmatch(value))


def new_session_secret() -> str:
    return secrets.token_urlsafe(32)


def web_id(secret: str) -> str:
    """The conversation id of a widget session: a digest, never the secret itself."""
    return "web:" + hashlib.sha256(f"mre-widget-session\x1f{secret}".encode()).hexdigest()[:40]


def legacy_id(channel: str, old: str) -> str:
    """The id now of a conversation `old` from before ids carried their channel, said on
    `channel` (migration 0009 for cases, assistant/db/tracker_ids.py for the tracker store):
    WhatsApp and Twilio by the number's digits, the widget by the digest of its secret (the
    old id), REST by the sender when still valid, else `rest:legacy-<digest>`."""
    digits = re.sub(r"\D", "", old)
    if channel == CHANNEL_WHATSAPP and WHATSAPP_ID.fullmatch(digits):
        return f"whatsapp:{digits}"
    if channel == CHANNEL_TWILIO and WHATSAPP_ID.fullmatch(digits):
        return f"twilio:+{digits}"
    if channel == CHANNEL_SOCKETIO:
        return web_id(old)
    if REST_SENDER.fullmatch(old):
        return f"rest:{old}"
    return "rest:legacy-" + hashlib.sha256(old.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def current_id(old: str, channel: str | None) -> str:
    """The id that conversation `old` has now for a turn said on `channel`: unchanged when it
    already carries that channel's prefix (or no channel was recorded), else `legacy_id`
    (an old bare id, Twilio's old `whatsapp:+…`, or a prefix forged by a REST client)."""
    parts = split(old)
    if parts is not None and (not channel or channel == parts[0] or channel not in PREFIXES):
        return old
    return legacy_id(channel or "", old)


def split(conversation_id: str) -> tuple[str, str] | None:
    """(channel, local id), or None for an id without a known prefix (old or forged)."""
    prefix, sep, local = conversation_id.partition(":")
    if not sep or prefix not in CHANNELS or not local or len(conversation_id) > MAX_LENGTH:
        return None
    return CHANNELS[prefix], local


def channel_of(conversation_id: str) -> str | None:
    parts = split(conversation_id)
    return parts[0] if parts else None


def phone_of(conversation_id: str) -> str | None:
    """`+212…` for a WhatsApp conversation (Cloud API or Twilio), else None."""
    parts = split(conversation_id)
    if parts is None or parts[0] not in PHONE_CHANNELS:
        return None
    digits = parts[1].lstrip("+")
    return f"+{digits}" if WHATSAPP_ID.fullmatch(digits) else None


def recipient(conversation_id: str) -> str:
    """What the channel's API addresses: the local part of the id (unchanged if unprefixed)."""
    parts = split(conversation_id)
    return parts[1] if parts else conversation_id
