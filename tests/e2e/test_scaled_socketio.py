"""Scaled out, a message made on one replica reaches the widget on another, and the widget
sends again a message its replica died with (issue #15).

One scaled stack (tests/support/scaled.py: 2 Rasa replicas, 2 action servers, HAProxy,
PostgreSQL, Redis as lock store and socket.io queue). A socket.io client connects through
the balancer, as the widget does, and says hello; the "adviser joined" notice is then
executed through the Rasa HTTP API of the replica that does NOT hold its socket (as the
guidance service's call may be, being hashed on the conversation id), and of the one that
does. Each reaches the client live, once, within seconds: the client never asks for a
catch-up (`sync_request`, every 20 s while an adviser holds the conversation), so only the
socket.io emit shared through Redis (assistant/channels/socketio_redis.py) can bring it.

The widget itself (headless Chromium, the built bundle) then loses its replica while a question
is in flight: the replica holding its socket is frozen (SIGSTOP) so the question reaches it and
is never answered, then killed. The widget reconnects through the balancer to the other
replica and sends the unanswered question again with the same id: it is answered once, and
PostgreSQL holds it once.

Needs TEST_DATABASE_URL (PostgreSQL) and REDIS_URL: skipped with the reason without them,
failed with REQUIRE_SERVICES=1 (.ci/run).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.server
import json
import os
import secrets
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlparse

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy.engine import make_url

from assistant.conversation_ids import new_session_secret, web_id
from tests.conftest import service_unavailable
from tests.e2e.conftest import _admin, fetch_value
from tests.e2e.test_widget import BUNDLE, Widget
from tests.support import ahead
from tests.support.scaled import ScaledStack

#: Starting two replicas takes minutes on a loaded 2-CPU machine.
pytestmark = pytest.mark.timeout(1200)

LIVE_SECONDS = 5.0  # well under the widget's 20 s catch-up


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2).close()
    except OSError:
        return False
    return True


@contextlib.contextmanager
def scaled_started() -> Iterator[ScaledStack]:
    """Two replicas behind HAProxy (started ahead of this module, tests/support/ahead.py)."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not base.startswith("postgresql"):
        service_unavailable("PostgreSQL", "TEST_DATABASE_URL is not set")
    if not redis_url:
        service_unavailable("Redis", "REDIS_URL is not set")
    for name, url, port in (("PostgreSQL", base, 5432), ("Redis", redis_url, 6379)):
        if not _reachable(url, port):
            service_unavailable(name, f"{urlparse(url).hostname}:{urlparse(url).port or port} unreachable")
    name = f"mre_sockets_{secrets.token_hex(4)}"
    asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
    database_url = make_url(base).set(database=name).render_as_string(hide_password=False)
    scaled = ScaledStack(database_url=database_url, replicas=2, start_service=False, start_timeout=900,
                         redis_url=redis_url)
    try:
        with scaled:
            yield scaled
    finally:
        scaled.cleanup()
        asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


AHEAD = {"stack": scaled_started}


@pytest.fixture(scope="module")
def stack(request: pytest.FixtureRequest) -> Iterator[ScaledStack]:
    yield from ahead.take(request, scaled_started)


def _execute(stack: ScaledStack, replica: int, conversation_id: str, action: str) -> dict[str, Any]:
    """What the guidance service does (assistant/service/rasa_client.py), on one replica directly."""
    url = (f"{stack.replica_url(replica)}/conversations/{quote(conversation_id, safe=':')}/execute"
           f"?output_channel=socketio&token={quote(stack.token)}")
    request = urllib.request.Request(url, data=json.dumps({"name": action}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            result: dict[str, Any] = json.loads(response.read())
            return result
    except urllib.error.HTTPError as error:
        raise AssertionError(f"execute {action} on replica {replica + 1}: {error.code} {error.read()[:500]!r}") from None


async def _widget_sees_what_other_replicas_make(stack: ScaledStack) -> list[str]:
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    confirmed = asyncio.Event()
    secret = new_session_secret()
    client.on("session_confirm", lambda value: confirmed.set() if value == secret else None)
    client.on("bot_uttered", inbox.put_nowait)
    report = []
    await client.connect(stack.rasa_url, transports=["websocket"], socketio_path="/socket.io", wait_timeout=30)
    try:
        await client.emit("session_request", {"session_id": secret})
        await asyncio.wait_for(confirmed.wait(), 30)
        await client.emit("user_uttered", {"session_id": secret, "message": "Bonjour"})
        answer = await asyncio.wait_for(inbox.get(), 120)  # a turn on the replica holding the socket
        assert answer.get("text"), answer
        await asyncio.sleep(2)  # the rest of the greeting
        while not inbox.empty():
            inbox.get_nowait()
        holder = stack.socketio_replica()
        conversation = web_id(secret)
        # the other replica first (the case this is about), then the holder: both live, once each
        for replica, action, handoff in ((1 - holder, "action_agent_joined", "joined"),
                                         (holder, "action_agent_left", "left")):
            started = time.monotonic()
            await asyncio.to_thread(_execute, stack, replica, conversation, action)
            executed = time.monotonic() - started
            message = await asyncio.wait_for(inbox.get(), LIVE_SECONDS)
            received = time.monotonic() - started
            assert message.get("handoff") == handoff and message.get("text"), message
            await asyncio.sleep(1.5)
            assert inbox.empty(), f"{action} shown twice: {[inbox.get_nowait() for _ in range(inbox.qsize())]}"
            report.append(f"{action} run on replica {replica + 1} (socket on {holder + 1}): executed in "
                          f"{executed:.1f} s, on the widget after {received:.1f} s")
    finally:
        await client.disconnect()
    return report


def test_a_message_made_on_another_replica_reaches_the_widget_live(stack: ScaledStack) -> None:
    report = asyncio.run(asyncio.wait_for(_widget_sees_what_other_replicas_make(stack), 300))
    print("\n" + "\n".join(report))


class _DemoSite(http.server.ThreadingHTTPServer):
    """The page a website would show (one script tag) and the built widget, on the port and
    origin Rasa's CORS settings allow (the guidance service's, not started in this module);
    the widget's socket goes to the balancer."""

    def __init__(self, stack: ScaledStack) -> None:
        page = ('<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Demo</title></head><body>'
                f'<script src="/static/dist/widget.js" defer data-socket-url="{stack.rasa_url}" '
                'data-language="fr"></script></body></html>').encode()
        files = {"/": (page, "text/html"),
                 "/static/dist/widget.js": (BUNDLE.read_bytes(), "text/javascript"),
                 "/static/dist/widget.css": (BUNDLE.with_suffix(".css").read_bytes(), "text/css")}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body, kind = files.get(urlparse(self.path).path, (b"", ""))
                self.send_response(200 if kind else 404)
                self.send_header("Content-Type", kind or "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", stack.service_port), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def _stored_turn(database_url: str, conversation: str, question: str) -> tuple[int, int]:
    """How many times the question is stored, and how many bot messages after it (in a thread:
    Playwright's sync API holds this thread's event loop)."""
    def read() -> tuple[int, int]:
        asked = fetch_value(database_url, "SELECT count(*) FROM events WHERE sender_id = $1 "
                            "AND type_name = 'user' AND (data::json ->> 'text') = $2", conversation, question)
        asked_at = fetch_value(database_url, "SELECT max(id) FROM events WHERE sender_id = $1 "
                               "AND type_name = 'user'", conversation)
        answered = fetch_value(database_url, "SELECT count(*) FROM events WHERE sender_id = $1 "
                               "AND type_name = 'bot' AND id > $2", conversation, asked_at)
        return int(asked), int(answered)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result(timeout=30)


def test_the_widget_sends_again_a_question_its_replica_died_with(stack: ScaledStack, browser: Browser) -> None:
    assert BUNDLE.exists(), "the widget bundle is missing: run `make setup`"
    site = _DemoSite(stack)
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: console.append(f"page error: {error}"))
        widget = Widget(page).goto(stack.service_url)
        widget.open()
        widget.say("Bonjour")
        try:
            widget.wait_for_bot(1)
        except AssertionError as error:
            raise AssertionError(f"{error}; browser console: {console}") from None
        session = widget.session_id()
        assert session
        holder = stack.socketio_replica()
        frozen = stack.processes[f"rasa{holder + 1}"]
        os.killpg(frozen.pid, signal.SIGSTOP)  # takes the question, never answers it
        question = "Quel est le capital minimum pour une SARL ?"
        before = widget.bot_messages.count()
        widget.say(question)
        page.wait_for_timeout(2000)
        assert widget.bot_messages.count() == before, "the frozen replica answered"
        stack.kill_replica(holder)
        widget.wait_for_bot(before + 1)  # through the other replica, after the resend
        page.wait_for_timeout(3000)  # an answer given twice would arrive meanwhile
        answers = widget.bot_messages.all_inner_texts()[before:]
        assert any("SARL" in text for text in answers), answers
        shown = len(answers)
        expect(widget.user_messages.filter(has_text=question)).to_have_count(1)

        conversation = web_id(session)
        asked, answered = _stored_turn(stack.database_url or "", conversation, question)
        assert asked == 1, f"the question is stored {asked} times"
        assert answered == shown, f"{answered} bot messages stored after it, {shown} shown"
    finally:
        context.close()
        site.shutdown()
        site.server_close()
