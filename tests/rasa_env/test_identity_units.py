"""Conversation ids, REST input checks and rate limits, without a server."""

from __future__ import annotations

import pytest

from assistant import conversation_ids as ids
from assistant.channels.limits import ChannelLimits, RateLimiter
from assistant.channels.rest import clean_text, json_depth, load_json


def test_ids_carry_their_channel() -> None:
    assert ids.rest_id("demo-1") == "rest:demo-1"
    assert ids.rest_id(42) == "rest:42"
    for bad in (None, "", "whatsapp:212600000001", "a b", "x" * 129, ["a"], True, "é"):
        assert ids.rest_id(bad) is None
    assert ids.whatsapp_id("212600000001") == "whatsapp:212600000001"
    assert ids.whatsapp_id("+212600000001") is None and ids.whatsapp_id("1" * 300) is None
    assert ids.twilio_id("whatsapp:+212600000001") == "twilio:+212600000001"
    assert ids.twilio_id("whatsapp:212600000001") is None
    assert ids.channel_of("web:abc") == "socketio" and ids.channel_of("212600000001") is None
    assert ids.channel_of("unknown:1") is None and ids.channel_of("rest:" + "x" * 300) is None
    assert ids.phone_of("whatsapp:212600000001") == ids.phone_of("twilio:+212600000001") == "+212600000001"
    assert ids.phone_of("rest:212600000001") is None
    assert ids.recipient("twilio:+212600000001") == "+212600000001"
    with pytest.raises(ids.InvalidConversationId):
        ids.make("telegram", "1")


def test_widget_ids_are_digests_of_strong_secrets() -> None:
    secret = ids.new_session_secret()
    assert ids.valid_session_secret(secret) and ids.valid_session_secret("0123456789abcdef" * 2)
    for weak in ("212600000001", "whatsapp:212600000001", "a" * 31, "a" * 129, None, 5):
        assert not ids.valid_session_secret(weak)
    conversation = ids.web_id(secret)
    assert conversation.startswith("web:") and secret not in conversation
    assert conversation == ids.web_id(secret) != ids.web_id(ids.new_session_secret())


def test_rest_bodies_are_bounded() -> None:
    assert json_depth({"a": [1, {"b": 2}]}) == 4  # scalars count as a level
    with pytest.raises(ValueError, match="nested"):
        load_json(b'{"a": ' * 5000 + b"1" + b"}" * 5000)
    with pytest.raises(ValueError):  # deeper than Python's recursion limit: not parsed at all
        load_json(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(ValueError, match="larger"):
        load_json(b" " * 300_000)
    assert clean_text("\ud800 SARL") == "\ufffd SARL"
    assert clean_text("مرحبا 👋") == "مرحبا 👋"


def test_rate_limits_per_conversation_and_per_client() -> None:
    limiter = RateLimiter(3, window=60)
    assert [limiter.allow("a", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow("b", now=3) and limiter.allow("a", now=61)
    limits = ChannelLimits(per_conversation=2, per_client=3)
    assert limits.allow("rest:a", "10.0.0.1") and limits.allow("rest:a", "10.0.0.1")
    assert not limits.allow("rest:a", "10.0.0.1")  # the conversation is over its limit
    assert not limits.allow("rest:b", "10.0.0.1")  # the client is over its limit
    assert limits.allow("rest:c", "10.0.0.2")
    small = RateLimiter(1, window=60, max_keys=10)
    for n in range(100):
        small.allow(f"k{n}", now=n * 100)
    assert len(small._events) <= 10
