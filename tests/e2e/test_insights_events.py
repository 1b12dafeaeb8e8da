"""Conversations over REST reach the insights tables through Rasa's event broker: the
embedded SQL broker (session stack) and RabbitMQ (`rabbit_stack`, tests/e2e/conftest.py: a stack
with EVENT_BROKER_URL)."""

from __future__ import annotations

import sqlite3
import time
import uuid

from tests.support.stack import Stack


def turns(stack: Stack, conversation_hash: str) -> list[sqlite3.Row]:
    with sqlite3.connect(stack.data_dir / "assistant.db") as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(
            "SELECT * FROM insights_turns WHERE conversation = ? ORDER BY id", (conversation_hash,)
        ).fetchall()


def wait_turns(stack: Stack, sender: str, count: int, timeout: float = 20) -> list[sqlite3.Row]:
    from assistant.insights.facts import conversation_key

    deadline = time.monotonic() + timeout
    rows: list[sqlite3.Row] = []
    while time.monotonic() < deadline:
        rows = turns(stack, conversation_key(f"rest:{sender}"))  # the REST channel prefixes its ids
        if len(rows) >= count and all(r["outcome"] != "other" or r["intent"] in {"greet"} for r in rows):
            return rows
        time.sleep(0.3)
    return rows


def converse(stack: Stack, sender: str) -> tuple[list[sqlite3.Row], list[str]]:
    replies = []
    for text in ("Bonjour", "Quel est le capital minimum pour une SARL ?",
                 "wach khassni visa bach nsafer l canada m3a mrati ? 0612345678"):
        replies.append(" | ".join(m.get("text", "")[:80] for m in stack.say(sender, text)))
    return wait_turns(stack, sender, 3), replies


def check(found: tuple[list[sqlite3.Row], list[str]]) -> None:
    rows, replies = found
    assert len(rows) == 3, ([dict(r) for r in rows], replies)
    greeting, answered, unanswered = rows
    assert greeting["intent"] == "greet" and greeting["text"] is None
    assert answered["outcome"] == "answered" and answered["entry_id"] and answered["topic"] == "legal_forms"
    assert answered["variety"] == "fr" and answered["channel"] == "rest" and answered["text"] is None
    assert unanswered["outcome"] in {"not_covered", "not_understood"}, (dict(unanswered), replies)
    assert unanswered["variety"] == "arabizi"
    assert unanswered["text"] and "0612345678" not in unanswered["text"] and "[phone]" in unanswered["text"]


def test_events_through_the_sql_broker(stack: Stack) -> None:
    check(converse(stack, uuid.uuid4().hex))
    with sqlite3.connect(stack.data_dir / "assistant.db") as connection:  # consumed rows are deleted
        time.sleep(1.5)
        assert connection.execute("SELECT count(*) FROM broker_events").fetchone()[0] == 0


def test_events_through_rabbitmq(rabbit_stack: Stack) -> None:
    check(converse(rabbit_stack, uuid.uuid4().hex))
    assert "RabbitMQ connection" in rabbit_stack.log("rasa") or "RabbitMQ" in rabbit_stack.log("rasa")
