"""Retried messages answered once, and honest refusals (assistant/turns.py; issue #15)."""

from __future__ import annotations

import pytest
import redis.exceptions
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import OperationalError

from assistant import turns
from assistant.settings import get_settings
from assistant.stores.lock import REDIS_TIMEOUT_SECONDS, EnvironmentLockStore


def tracker() -> DialogueStateTracker:
    return DialogueStateTracker.from_events("rest:t", [
        ActionExecuted("action_listen"),
        UserUttered("Bonjour", message_id="first-message"),
        BotUttered("Bonjour !", {"buttons": [{"title": "SARL", "payload": "/ask"}]}, timestamp=10.0),
        ActionExecuted("action_listen"),
        UserUttered("Capital SARL ?", message_id="second-message"),
        BotUttered("Aucun minimum.", timestamp=11.0),
        BotUttered("Était-ce utile ?", timestamp=11.5),
        ActionExecuted("action_listen"),
    ])


def test_the_answer_of_a_message_already_held_is_found_in_the_tracker() -> None:
    first = turns.answered_messages(tracker(), "first-message")
    assert [m["text"] for m in first or []] == ["Bonjour !"] and first and first[0]["timestamp"] == 10.0
    assert first[0]["buttons"][0]["title"] == "SARL"
    assert [m["text"] for m in turns.answered_messages(tracker(), "second-message") or []] == [
        "Aucun minimum.", "Était-ce utile ?"]
    assert turns.answered_messages(tracker(), "never-sent") is None


@pytest.mark.parametrize("value,accepted", [
    ("0123456789abcdef0123456789abcdef", True), ("msg_1-abc", True), ("short", False), ("x" * 65, False),
    ("has space 123", False), (12345678, False), (None, False),
])
def test_client_message_ids_are_checked(value: object, accepted: bool) -> None:
    assert (turns.client_message_id(value) is not None) is accepted


def test_failures_of_shared_services_are_unavailable_others_internal() -> None:
    for error in (redis.exceptions.ConnectionError("refused"), redis.exceptions.TimeoutError("hung"),
                  LockError("no lock"), OperationalError("SELECT", {}, Exception("down")), ConnectionRefusedError()):
        assert turns.failure_code(error) == "unavailable", error
    assert turns.failure_code(KeyError("bug")) == "internal"


def test_refusals_are_explained_in_every_language() -> None:
    for code in ("unavailable", "internal"):
        error = turns.failure_body(code)["error"]
        assert error["code"] == code and set(error["messages"]) == {"fr", "ar", "en"}
        assert all(text in error["message"] for text in error["messages"].values())
        assert turns.failure_body(code)["error"]["retry_after"] == turns.RETRY_AFTER_SECONDS


def test_the_redis_lock_store_gives_up_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")  # nothing is connected here
    get_settings.cache_clear()
    store = EnvironmentLockStore()
    get_settings.cache_clear()
    assert isinstance(store, RedisLockStore)
    assert store.red.connection_pool.connection_kwargs["socket_timeout"] == REDIS_TIMEOUT_SECONDS
