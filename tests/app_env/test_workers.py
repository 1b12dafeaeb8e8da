"""Background work: notifications (local SMTP and webhook servers), erasure, relay retry."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiosmtpd.controller import Controller
from sqlalchemy import select, text

from assistant.cases import store
from assistant.db.engine import get_engine, session_scope
from assistant.db.models import ErasureRequest, Notification
from assistant.service import workers
from assistant.settings import get_settings
from tests.app_env.test_case_store import request_for
from tests.support.stack import free_port

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Any:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("SMTP_STARTTLS", "false")
    monkeypatch.setenv("NOTIFY_EMAIL_TO", "cellule@example.org")
    get_settings.cache_clear()
    yield inbox
    controller.stop()


@pytest.fixture
async def webhook(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[dict[str, Any]]:
    state: dict[str, Any] = {"calls": [], "fail": 0}

    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        state["calls"].append((body, request.headers.get("X-Signature-256")))
        if state["fail"] > 0:
            state["fail"] -= 1
            return web.Response(status=500)
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    monkeypatch.setenv("NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{port}/hook")
    monkeypatch.setenv("NOTIFY_WEBHOOK_SECRET", "s3cret")
    get_settings.cache_clear()
    yield state
    await runner.cleanup()


async def test_email_and_webhook_for_each_new_case(database: str, smtp: Inbox, webhook: dict[str, Any]) -> None:
    case, _ = await store.open_case(request_for())
    sent = await workers.deliver_due_notifications(get_settings())
    assert sent == 2
    await asyncio.sleep(0.2)
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert case.reference in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert "/staff/cases/" + (case.reference or "") in body
    assert "karim@example.com" not in body and "+32470123456" not in body  # no contact details by e-mail
    payload, signature = webhook["calls"][0]
    assert json.loads(payload)["reference"] == case.reference
    assert signature == "sha256=" + hmac.new(b"s3cret", payload, hashlib.sha256).hexdigest()
    assert await workers.deliver_due_notifications(get_settings()) == 0  # sent once


async def test_failed_deliveries_are_retried_with_backoff(database: str, webhook: dict[str, Any]) -> None:
    webhook["fail"] = 1
    await store.open_case(request_for())
    assert await workers.deliver_due_notifications(get_settings()) == 0
    async with session_scope() as session:
        row = (await session.scalars(select(Notification))).one()
        assert row.status == "pending" and row.attempts == 1 and row.last_error
        row.next_attempt_at = row.created_at  # make it due now
    assert await workers.deliver_due_notifications(get_settings()) == 1
    assert workers.backoff(1).total_seconds() == 30 and workers.backoff(3).total_seconds() == 120


async def test_erasure_deletes_the_conversation_from_the_tracker_store(database: str, tmp_path: Path) -> None:
    tracker_url = get_settings().tracker_database_url
    engine = get_engine(tracker_url)
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)"))
        await connection.execute(text(
            "INSERT INTO events (sender_id, data) VALUES ('whatsapp:212600000001', '{}'), ('conv-2', '{}'),"
            " ('212600000001', '{}')"  # the same user's conversation from before ids carried their channel
        ))
    await store.open_case(request_for("whatsapp:212600000001"))
    from assistant.db.channel_tables import channel_inbound_messages

    async with session_scope() as session:
        await session.execute(channel_inbound_messages.insert().values(
            message_id="wamid.1", channel="whatsapp", sender_id="whatsapp:212600000001", received_at=workers.utcnow()))
    assert await store.request_erasure("whatsapp:212600000001") == 1
    assert await workers.process_erasures(get_settings(), grace=workers.dt.timedelta(0)) == 1
    async with engine.connect() as connection:
        remaining = [row[0] for row in await connection.execute(text("SELECT sender_id FROM events"))]
    assert remaining == ["conv-2"]
    async with session_scope() as session:
        rows = (await session.execute(select(channel_inbound_messages.c.sender_id))).all()
    assert rows == []  # the WhatsApp message ids, stored with the phone number, are gone too
    async with session_scope() as session:
        kept = (await session.scalars(select(ErasureRequest.conversation_id))).all()
    assert kept and not any("212600000001" in k for k in kept)  # done: the number is not kept
