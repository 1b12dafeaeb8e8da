"""Local stand-ins for the WhatsApp Graph API and Twilio's REST API (aiohttp, loopback).

Each fake runs its own event loop in a thread, so it serves synchronous tests and
subprocesses (the Rasa server of `tests.support.stack`) alike. It records every
request and answers success unless told to fail (`fail_next`) or to stall (`delay`).
Works with the aiohttp of both Python environments.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qs

from aiohttp import web


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, list[str]] = field(default_factory=dict)
    status: int = 0  # what the fake answered
    answer: Any = None  # the body it answered with


F = TypeVar("F", bound="FakeApi")


class FakeApi:
    """Base: records requests, answers scripted failures first, then `success`."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._failures: deque[tuple[int, Any]] = deque()
        self.delay = 0.0
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # ------------------------------------------------------------ lifecycle

    def start(self: F) -> F:
        started = threading.Event()
        self._loop = asyncio.new_event_loop()

        async def serve() -> None:
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self._handle)
            self._runner = web.AppRunner(app)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self.port = self._runner.addresses[0][1]
            started.set()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(serve())
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name=type(self).__name__, daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop.close()
        self._loop = None

    def __enter__(self: F) -> F:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ------------------------------------------------------------ scripting and inspection

    def fail_next(self, *statuses: int, body: Any = None) -> None:
        """The next requests get these statuses (then success again)."""
        for status in statuses:
            self._failures.append((status, body if body is not None else self.error_body(status)))

    def reset(self) -> None:
        with self._changed:
            self.requests.clear()
        self._failures.clear()
        self.delay = 0.0

    def wait_for(self, predicate: Callable[[list[Recorded]], Any], timeout: float = 30.0) -> Any:
        """Blocks until `predicate(requests)` is truthy and returns its value."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate(list(self.requests))
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{type(self).__name__}: condition not met; got {len(self.requests)} requests")
                self._changed.wait(remaining)

    def quiet(self, seconds: float = 1.5) -> list[Recorded]:
        """Waits `seconds` and returns everything received (to check nothing more arrives)."""
        time.sleep(seconds)
        return list(self.requests)

    # ------------------------------------------------------------ serving

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        recorded = Recorded(request.method, request.path, dict(request.headers), body)
        if body and request.content_type == "application/json":
            recorded.json = json.loads(body.decode("utf-8"))
        elif body and request.content_type.startswith("multipart/"):
            pass  # uploads (WhatsApp media): the raw body is kept
        elif body:
            recorded.form = parse_qs(body.decode("utf-8"))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self._failures:
            status, payload = self._failures.popleft()
        else:
            status, payload = self.success(recorded)
        recorded.status, recorded.answer = status, payload
        with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()
        return web.json_response(payload, status=status)

    def success(self, request: Recorded) -> tuple[int, Any]:
        return 200, {}

    def error_body(self, status: int) -> Any:
        return {"error": status}

    def next_id(self) -> int:
        return next(self._ids)


class FakeGraphApi(FakeApi):
    """`POST /<version>/<phone_number_id>/messages` as the WhatsApp Cloud API answers it."""

    def success(self, request: Recorded) -> tuple[int, Any]:
        if request.path.endswith("/media"):
            return 200, {"id": f"media-{self.next_id()}"}
        to = (request.json or {}).get("to", "")
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": f"wamid.fake-{self.next_id()}"}],
        }

    def error_body(self, status: int) -> Any:
        return {"error": {"message": "fake failure", "type": "OAuthException", "code": 131000 + status,
                          "fbtrace_id": "fake-trace"}}

    def messages_to(self, recipient: str) -> list[dict[str, Any]]:
        """Message objects successfully accepted for `recipient`, in order."""
        return [r.json for r in self.requests if r.status < 300 and r.json and r.json.get("to") == recipient]

    def wait_messages(self, recipient: str, count: int = 1, timeout: float = 30.0) -> list[dict[str, Any]]:
        return self.wait_for(lambda _: (m := self.messages_to(recipient)) and len(m) >= count and m, timeout)

    def uploads(self) -> list[Recorded]:
        """Media uploads accepted (multipart bodies, kept raw)."""
        return [r for r in self.requests if r.path.endswith("/media") and r.status < 300]

    def accepted(self, recipient: str) -> list[tuple[str, dict[str, Any]]]:
        """(WhatsApp message id, message object) of every message accepted for `recipient`."""
        return [
            (r.answer["messages"][0]["id"], r.json)
            for r in self.requests
            if r.status < 300 and r.json and r.json.get("to") == recipient and isinstance(r.answer, dict)
        ]

    @staticmethod
    def send_status(webhook_url: str, app_secret: str, phone_number_id: str, message_id: str, recipient: str,
                    status: str, errors: list[dict[str, Any]] | None = None) -> int:
        """What Meta does when a message it accepted is delivered, read or failed: POSTs the
        signed status notification to the webhook; returns the webhook's HTTP status."""
        value: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "212500000000", "phone_number_id": phone_number_id},
            "statuses": [{"id": message_id, "status": status, "timestamp": str(int(time.time())),
                          "recipient_id": recipient, **({"errors": errors} if errors else {})}],
        }
        body = json.dumps({"object": "whatsapp_business_account",
                           "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}]}).encode()
        signature = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(webhook_url, data=body, headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": signature})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)


class FakeTwilioApi(FakeApi):
    """`POST /2010-04-01/Accounts/<sid>/Messages.json` as Twilio's REST API answers it."""

    def success(self, request: Recorded) -> tuple[int, Any]:
        form = {key: values[0] for key, values in request.form.items()}
        return 201, {
            "sid": f"SMfake{self.next_id():026d}",
            "status": "queued",
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
            "account_sid": request.path.split("/")[3] if request.path.count("/") >= 3 else None,
        }

    def error_body(self, status: int) -> Any:
        return {"code": 20000 + status, "message": "fake failure", "status": status}

    def messages_to(self, recipient: str) -> list[dict[str, str]]:
        """Form fields (first values) of the messages created for `recipient`, in order."""
        messages = [{key: values[0] for key, values in r.form.items()} for r in self.requests if r.status < 300 and r.form]
        return [m for m in messages if m.get("To") == recipient]

    def wait_messages(self, recipient: str, count: int = 1, timeout: float = 30.0) -> list[dict[str, str]]:
        return self.wait_for(lambda _: (m := self.messages_to(recipient)) and len(m) >= count and m, timeout)
