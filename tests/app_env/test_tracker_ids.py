"""`make db` moves old tracker conversations (bare sender ids) to ids that carry their channel.

The tracker store is Rasa's SQL one (table `events`, created here with Rasa 3.6's columns),
on SQLite and on PostgreSQL. The step runs through `python -m assistant.db upgrade` as
`make db` runs it; erasure, which deletes by the case's id, then covers the old turns.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from assistant import conversation_ids
from assistant.cases import store
from assistant.db.engine import dispose_all, get_engine
from assistant.db.tracker_ids import MARKER_TABLE, migrate_tracker_ids
from assistant.service import workers
from assistant.settings import ROOT, get_settings
from tests.app_env.test_workers import request_for

EVENTS = (
    "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,"
    " timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
)
SECRET = "a" * 32  # an old widget session id (it was the secret itself)


def user(channel: str | None, said: str) -> tuple[str, str]:
    return "user", json.dumps({"event": "user", "text": said, "input_channel": channel})


def bot(said: str) -> tuple[str, str]:
    return "bot", json.dumps({"event": "bot", "text": said})


#: sender id -> events in order, as Rasa stored them before ids carried their channel
LEGACY = {
    "212600000011": [("action", "{}"), user("whatsapp", "Bonjour"), bot("Bienvenue")],
    "whatsapp:+212600000012": [user("twilio", "Salam"), bot("Salam")],  # Twilio's old ids
    SECRET: [user("socketio", "Hello"), bot("Hi")],
    # a REST client that sent a WhatsApp user's number: the turns are split by channel
    "212600000013": [user("whatsapp", "mon dossier"), bot("MRE-1"), user("rest", "oui"), bot("effacé"),
                     user("whatsapp", "merci"), bot("de rien")],
    "whatsapp:212600000014": [user("rest", "forged prefix")],  # a REST client's forged prefix
    "demo 1": [user("rest", "no longer a valid sender")],
    "rest:already": [user("rest", "new id")],
    "whatsapp:212600000015": [user("whatsapp", "new id")],
}
EXPECTED = {
    "whatsapp:212600000011": ["action", "Bonjour", "Bienvenue"],
    "twilio:+212600000012": ["Salam", "Salam"],
    conversation_ids.web_id(SECRET): ["Hello", "Hi"],
    "whatsapp:212600000013": ["mon dossier", "MRE-1", "merci", "de rien"],
    "rest:212600000013": ["oui", "effacé"],
    conversation_ids.legacy_id("rest", "whatsapp:212600000014"): ["forged prefix"],
    conversation_ids.legacy_id("rest", "demo 1"): ["no longer a valid sender"],
    "rest:already": ["new id"],
    "whatsapp:212600000015": ["new id"],
}


async def seed(url: str) -> None:
    async with get_engine(url).begin() as connection:
        await connection.execute(text("DROP TABLE IF EXISTS events"))
        await connection.execute(text(f"DROP TABLE IF EXISTS {MARKER_TABLE}"))
        await connection.execute(text(EVENTS))
        number = 0
        for sender, events in LEGACY.items():
            for type_name, data in events:
                number += 1
                await connection.execute(
                    text("INSERT INTO events (id, sender_id, type_name, timestamp, data)"
                         " VALUES (:id, :sender, :type, :at, :data)"),
                    {"id": number, "sender": sender, "type": type_name, "at": 1000.0 + number, "data": data},
                )


async def conversations(url: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    async with get_engine(url).connect() as connection:
        rows = await connection.execute(text("SELECT sender_id, type_name, data FROM events ORDER BY timestamp, id"))
        for sender, type_name, data in rows:
            found.setdefault(sender, []).append(json.loads(data).get("text") or type_name)
    return found


def make_db(database_url: str, tracker_url: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "TRACKER_DATABASE_URL": tracker_url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "assistant.db", "upgrade"], env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return str(request.getfixturevalue("postgres_url"))


async def test_make_db_moves_old_conversations_to_their_channel_ids(database: str, tracker_url: str) -> None:
    await seed(tracker_url)
    await dispose_all()
    events = sum(len(e) for e in LEGACY.values())
    unchanged = len(LEGACY["rest:already"]) + len(LEGACY["whatsapp:212600000015"])
    assert f"{events - unchanged} events moved" in await asyncio.to_thread(make_db, database, tracker_url)
    assert await conversations(tracker_url) == EXPECTED
    # idempotent, and recorded: the next `make db` neither scans nor moves anything
    assert await migrate_tracker_ids(tracker_url) == 0
    assert await conversations(tracker_url) == EXPECTED


async def test_erasure_covers_a_conversation_moved_by_make_db(database: str, tmp_path: Path) -> None:
    tracker = get_settings().tracker_database_url
    await seed(tracker)
    await dispose_all()
    await asyncio.to_thread(make_db, database, tracker)
    await store.open_case(request_for("whatsapp:212600000013"))
    assert await store.request_erasure("whatsapp:212600000013") == 1
    assert await workers.process_erasures(get_settings(), grace=workers.dt.timedelta(0)) == 1
    left = await conversations(tracker)
    assert "whatsapp:212600000013" not in left and not any(s == "212600000013" for s in left)
    assert left["rest:212600000013"] == ["oui", "effacé"]  # the REST client's own turns are not the user's


async def test_a_missing_tracker_store_is_not_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'absent' / 'tracker.db'}"
    assert await migrate_tracker_ids(url) == 0
    assert not (tmp_path / "absent").exists()


def test_presence_rows_move_to_the_current_ids(tmp_path: Path) -> None:
    """Migration 0017 on a database at 0016 holding presence rows with bare ids."""
    import sqlite3

    from assistant.db.__main__ import alembic_config

    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    from alembic import command

    command.upgrade(alembic_config(url), "0016_reviewed_on")
    with sqlite3.connect(tmp_path / "assistant.db") as db:
        db.executemany("INSERT INTO channel_presence VALUES (?, ?, 1, '2026-12-01 10:00:00')",
                       [(SECRET, "socketio"), ("212600000021", "whatsapp"), ("whatsapp:212600000021", "whatsapp"),
                        ("rest:kept", "rest")])
    command.upgrade(alembic_config(url), "head")
    with sqlite3.connect(tmp_path / "assistant.db") as db:
        ids = sorted(row[0] for row in db.execute("SELECT conversation_id FROM channel_presence"))
    assert ids == sorted([conversation_ids.web_id(SECRET), "whatsapp:212600000021", "rest:kept"])
