"""The tracker store saves a turn without counting the stored events (#15), and stores what
stock Rasa stores.

The same conversations (events with fixed timestamps, a new session in the middle, a tracker
saved twice in one turn) go through this project's store and through Rasa's own
`SQLTrackerStore`, on SQLite and on PostgreSQL (TEST_DATABASE_URL): the rows written, the
events read back and the events published to the broker are identical, none twice. Two store
instances on one database stand for two replicas taking turns in one conversation.
"""

from __future__ import annotations

import asyncio
import collections
import copy
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from sqlalchemy.engine.url import make_url

from assistant.settings import ROOT, get_settings
from assistant.stores.tracker import EnvironmentSQLTrackerStore
from tests.conftest import service_unavailable

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
T0 = 1_700_000_000.0


class RecordingBroker(EventBroker):
    """Keeps what the tracker store publishes, in order."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    def publish(self, event: dict[str, Any]) -> None:
        self.published.append(event)


def turn_events(index: int, at: float) -> list[Event]:
    """One turn's events, as Rasa makes them: message, slot, answer, listen."""
    text = f"question {index}"
    intent = {"name": "ask_question", "confidence": 0.9}
    parse_data: Any = {"intent": intent, "entities": [], "text": text}  # Rasa's TypedDict is not usable here
    return [
        UserUttered(text, intent, [], parse_data, timestamp=at),
        SlotSet("language", "fr", timestamp=at + 0.1),
        ActionExecuted("action_answer_question", policy="RulePolicy", confidence=1.0, timestamp=at + 0.2),
        BotUttered(f"answer {index}", metadata={"utter_action": "utter_answer"}, timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


def session_start(at: float) -> list[Event]:
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at + 0.1),
            SlotSet("language", "fr", timestamp=at + 0.2), ActionExecuted("action_listen", timestamp=at + 0.3)]


async def converse(stores: Sequence[TrackerStore], sender: str) -> None:
    """Six turns as Rasa's processor makes them (read, update, save), the stores taking turns:
    a new conversation, a new session at the fourth turn, one turn saved twice."""
    for index in range(6):
        store = stores[index % len(stores)]
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        at = T0 + 10 * index
        if index in (0, 3):
            for event in session_start(at):
                tracker.update(event)
        events = turn_events(index, at + 1)
        for event in events[:1]:
            tracker.update(event)
        if index == 2:  # log_message(should_save_tracker=True), then the turn's save
            await store.save(tracker)
        for event in events[1:]:
            tracker.update(event)
        await store.save(tracker)


def rows(store: SQLTrackerStore, sender: str) -> list[tuple[Any, ...]]:
    with store.session_scope() as session:
        found = (session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender)
                 .order_by(store.SQLEvent.id).all())
        return [(r.type_name, r.timestamp, r.intent_name, r.action_name, r.data) for r in found]


def stock_store(url: str, broker: RecordingBroker) -> SQLTrackerStore:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=parsed.database, event_broker=broker)
    return SQLTrackerStore(domain=DOMAIN, dialect=parsed.drivername, host=parsed.host, port=parsed.port,
                           db=parsed.database, username=parsed.username, password=parsed.password,
                           event_broker=broker)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tracker.db'}"
    else:
        url = os.environ.get("TEST_DATABASE_URL", "")
        if not url:
            service_unavailable("PostgreSQL", "TEST_DATABASE_URL is not set")
        try:
            sqlalchemy.create_engine(url).connect().close()
        except Exception as exc:
            service_unavailable("PostgreSQL", f"unreachable ({exc.__class__.__name__})")
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def without_sender(published: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in event.items() if k != "sender_id"} for event in published]


def test_a_conversation_is_stored_and_published_as_stock_rasa_does(database_url: str) -> None:
    ours_broker, stock_broker = RecordingBroker(), RecordingBroker()
    ours = EnvironmentSQLTrackerStore(domain=DOMAIN, event_broker=ours_broker)
    stock = stock_store(database_url, stock_broker)
    ours_sender, stock_sender = uuid.uuid4().hex, uuid.uuid4().hex
    asyncio.run(converse([ours], ours_sender))
    asyncio.run(converse([stock], stock_sender))

    written = rows(ours, ours_sender)
    assert written == rows(stock, stock_sender)
    assert len(written) == len({row[4] for row in written}) == 6 * 5 + 2 * 4  # every event once
    assert without_sender(ours_broker.published) == without_sender(stock_broker.published)
    assert {event["sender_id"] for event in ours_broker.published} == {ours_sender}
    for read in (TrackerStore.retrieve, TrackerStore.retrieve_full_tracker):
        name = read.__name__
        mine, theirs = asyncio.run(getattr(ours, name)(ours_sender)), asyncio.run(getattr(stock, name)(stock_sender))
        assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in theirs.events]


def counting(store: EnvironmentSQLTrackerStore, counts: list[str]) -> Callable[[str], Any]:
    """The store's count of stored events, noting each sender it is asked for."""
    count = store._count_stored

    def counted(sender: str) -> Any:
        counts.append(sender)
        return count(sender)

    return counted


def test_a_turn_read_by_the_store_is_saved_without_counting(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EnvironmentSQLTrackerStore(domain=DOMAIN)
    counts: list[str] = []
    monkeypatch.setattr(store, "_count_stored", counting(store, counts))
    sender = uuid.uuid4().hex
    asyncio.run(converse([store], sender))
    assert counts == [sender]  # the new conversation's first save only: nothing was read


def test_a_tracker_whose_events_changed_since_the_read_is_counted(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EnvironmentSQLTrackerStore(domain=DOMAIN)
    sender = uuid.uuid4().hex
    asyncio.run(converse([store], sender))
    before = rows(store, sender)
    counts: list[str] = []
    monkeypatch.setattr(store, "_count_stored", counting(store, counts))

    tracker = asyncio.run(store.retrieve(sender))
    assert tracker is not None
    tracker.events = collections.deque(copy.deepcopy(list(tracker.events)))  # same events, other objects
    extra = turn_events(9, T0 + 100)
    for event in extra:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    assert counts == [sender]
    assert rows(store, sender)[:len(before)] == before and len(rows(store, sender)) == len(before) + len(extra)


def test_two_replicas_taking_turns_store_each_event_once(database_url: str) -> None:
    brokers = [RecordingBroker(), RecordingBroker()]
    replicas = [EnvironmentSQLTrackerStore(domain=DOMAIN, event_broker=b) for b in brokers]
    stock_broker = RecordingBroker()
    stock = stock_store(database_url, stock_broker)
    sender, stock_sender = uuid.uuid4().hex, uuid.uuid4().hex
    asyncio.run(converse(replicas, sender))  # (the lock store serialises their turns, as in production)
    asyncio.run(converse([stock], stock_sender))
    assert rows(replicas[0], sender) == rows(stock, stock_sender)
    published = sorted(brokers[0].published + brokers[1].published, key=lambda event: event["timestamp"])
    assert without_sender(published) == without_sender(stock_broker.published)
