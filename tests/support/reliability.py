"""What the reliability test (tests/e2e/test_scaled_reliability.py) checks after the run.

- `tracker_problems`: the conversations stored in PostgreSQL (Rasa's SQL tracker store)
  against what the simulated users sent (tests/support/users.py's journal): every message
  once, in the order sent, each followed by exactly one bot turn (bot messages, then one
  `action_listen`) before the next message, no event stored twice.
- `server_errors`: HAProxy's log lines of 5xx answers, to tell requests in flight on the
  killed replica from any other 5xx.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support.users import Journal


async def stored_events(database_url: str, senders: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The tracker store's events of `senders`, in the order they were stored."""
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    connection = await asyncpg.connect(host=url.host or "127.0.0.1", port=url.port or 5432,
                                       user=url.username or "postgres", password=url.password,
                                       database=url.database, timeout=10)
    try:
        rows = await connection.fetch("SELECT sender_id, data FROM events WHERE sender_id = ANY($1::text[]) ORDER BY id",
                                      senders)
    finally:
        await connection.close()
    events: dict[str, list[dict[str, Any]]] = {sender: [] for sender in senders}
    for row in rows:
        events[row["sender_id"]].append(json.loads(row["data"]))
    return events


def _key(event: dict[str, Any]) -> str:
    return json.dumps({k: event.get(k) for k in ("event", "timestamp", "name", "text", "value", "message_id")},
                      sort_keys=True, default=str)


def conversation_problems(sent_ids: list[str], events: list[dict[str, Any]]) -> list[str]:
    """What is wrong with one stored conversation, given the message ids its client sent, in order."""
    problems = []
    duplicated = [key for key, count in Counter(map(_key, events)).items() if count > 1]
    if duplicated:
        problems.append(f"{len(duplicated)} events stored twice, e.g. {duplicated[0]}")
    user_positions = [i for i, event in enumerate(events) if event.get("event") == "user"]
    stored_ids = [events[i].get("message_id") for i in user_positions]
    if stored_ids != sent_ids:
        twice = [m for m, count in Counter(stored_ids).items() if count > 1]
        problems.append(f"messages stored {stored_ids} instead of {sent_ids}" + (f" ({len(twice)} twice)" if twice else ""))
    for n, start in enumerate(user_positions):
        end = user_positions[n + 1] if n + 1 < len(user_positions) else len(events)
        turn = events[start + 1:end]
        listens = [i for i, e in enumerate(turn) if e.get("event") == "action" and e.get("name") == "action_listen"]
        bots = [e for e in turn if e.get("event") == "bot"]
        if len(listens) != 1 or not bots or any(e.get("event") in ("bot", "action") for e in turn[listens[0] + 1:]
                                                if listens):
            problems.append(f"message {n + 1} ({stored_ids[n]}): {len(bots)} bot messages, {len(listens)} "
                            f"action_listen (one bot turn expected): {[e.get('name') or e.get('event') for e in turn]}")
    return problems


def tracker_problems(journal: Journal, events: dict[str, list[dict[str, Any]]],
                     conversation_id: Callable[[str], str]) -> dict[str, list[str]]:
    """Problems by conversation (empty: every conversation is as its client saw it)."""
    found = {}
    for conversation, turns in journal.by_conversation().items():
        sent = [turn.id for turn in turns if turn.answered]
        problems = conversation_problems(sent, events.get(conversation_id(conversation), []))
        if problems:
            found[conversation] = problems
    return found


@dataclass(frozen=True)
class LoggedAnswer:
    """One line of HAProxy's log (deploy/haproxy/haproxy.cfg.in's log-format)."""

    accepted: float  # epoch seconds
    server: str  # "rasa_http/rasa1"
    total_ms: int
    status: int  # -1: no answer was sent (the connection was closed)
    termination: str  # HAProxy's termination state, e.g. "SH--": the server closed before answering
    method: str
    path: str

    @property
    def ended(self) -> float:
        return self.accepted + max(self.total_ms, 0) / 1000


def server_errors(log: str) -> list[LoggedAnswer]:
    """HAProxy's failed requests: a 5xx, or no answer at all (`%Ts.%ms %b/%s %Tw/%Tc/%Tr/%Ta %ST %tsc %HM %HP`)."""
    answers = []
    for line in log.splitlines():
        parts = line.split()
        if len(parts) < 7:
            continue
        try:
            accepted, status = float(parts[0]), int(parts[3])
            total = int(parts[2].split("/")[-1])
        except ValueError:
            continue
        if status >= 500 or status < 0:
            answers.append(LoggedAnswer(accepted, parts[1], total, status, parts[4], parts[5], parts[6]))
    return answers
