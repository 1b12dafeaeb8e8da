"""Bad input on the public channels of the real stack: a clear 4xx or a polite reply, never a
500 or a dead connection, and neither message text nor ids in the error logs.

WhatsApp webhook (signed like Meta) and socket.io (raw Engine.IO frames, as a script
would send them). The REST channel's cases are in test_identity.py, the staff API's in
tests/app_env/test_bad_input_staff.py.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from typing import Any

import aiohttp

from tests.rasa_env.channels.support import post_whatsapp, text_notification, wa_id
from tests.support.fakes import FakeGraphApi
from tests.support.stack import Stack

SECRET_TEXT = "capital minimum SARL Tanger 8841"


def error_lines(stack: Stack) -> str:
    return "\n".join(line for line in stack.log("rasa").splitlines() if " ERROR " in line or " WARNING " in line)


def test_bad_whatsapp_notifications_get_a_4xx_or_a_polite_reply(faulty: Stack, graph: FakeGraphApi) -> None:
    number = wa_id()
    deep = b'{"object": "whatsapp_business_account", "entry": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert post_whatsapp(faulty, deep)[0] == 400
    nested = {"object": "whatsapp_business_account", "entry": []}
    inner: Any = nested["entry"]
    for _ in range(100):  # valid JSON, far deeper than any notification
        inner.append([])
        inner = inner[0]
    assert post_whatsapp(faulty, json.dumps(nested).encode())[0] == 400
    # a lone surrogate (as JSON escapes it): answered politely, the text never in a log
    lone = json.dumps(text_notification(number, "\ud800 " + SECRET_TEXT)).encode()  # ASCII, \\ud800 escaped
    assert post_whatsapp(faulty, lone)[0] == 200
    assert graph.wait_messages(number, 1, timeout=120)
    # huge ids, ids with a surrogate, ids of another channel: skipped, acknowledged, nobody answered
    strangers = ["2" * 5000, "twilio:+212600000009", "whatsapp:212600000009", "web:" + "a" * 40, "\ud800"]
    for sender in strangers:
        body = json.dumps(text_notification(sender, SECRET_TEXT)).encode()
        assert post_whatsapp(faulty, body)[0] == 200, sender[:20]
    for message_id in ("wamid." + "x" * 5000, "wamid.\ud800", ""):
        body = json.dumps(text_notification(wa_id(), SECRET_TEXT, message_id=message_id or None)).encode()
        if not message_id:
            payload = json.loads(body)
            payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = None
            body = json.dumps(payload).encode()
        assert post_whatsapp(faulty, body)[0] == 200
    graph.quiet(3)
    recipients = {m.get("to") for r in graph.requests if (m := r.json)}
    assert not recipients & {s[:64] for s in strangers} and "212600000009" not in recipients
    errors = error_lines(faulty)
    assert SECRET_TEXT not in errors and number not in errors and "2222222222" not in errors


async def _socket_session(url: str, origin: str) -> dict[str, Any]:
    """Raw Engine.IO/socket.io frames: deep nesting, a lone surrogate, huge and foreign session ids.

    Each step reads until what it waits for arrived (each wait as long as before, at most), and
    the last one 5 s more of silence: the answer to the last frame shows that the connection
    survived every frame before it (frames are decoded in order), the silence lets late frames,
    a close included, and log lines arrive."""
    received: list[Any] = []
    frames: list[str] = []
    secret = secrets.token_urlsafe(32)
    async with aiohttp.ClientSession() as session, session.ws_connect(
        f"{url}/socket.io/?EIO=4&transport=websocket", headers={"Origin": origin}
    ) as ws:

        async def read(until: float, done: Callable[[], bool], quiet: float = 0) -> None:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + until
            while (left := deadline - loop.time()) > 0:
                if done():
                    if not quiet:
                        return
                    left = quiet  # then read until nothing came for `quiet` seconds
                try:
                    frame = await ws.receive(timeout=left)
                except asyncio.TimeoutError:
                    return
                if frame.type != aiohttp.WSMsgType.TEXT:
                    received.append(("closed", frame.type))
                    return
                frames.append(frame.data)
                if frame.data == "2":
                    await ws.send_str("3")  # Engine.IO ping
                elif frame.data.startswith("42"):
                    received.append(json.loads(frame.data[2:]))

        def events(name: str) -> list[Any]:
            return [r for r in received if r and r[0] == name]

        await read(2, lambda: any(f.startswith("0") for f in frames))  # Engine.IO open
        await ws.send_str("40")
        await read(2, lambda: any(f.startswith("40") for f in frames))  # socket.io connected
        for forged in ("a" * 100_000, "twilio:+212600000009", "\ud800" * 40):
            await ws.send_str("42" + json.dumps(["session_request", {"session_id": forged}]))
        await ws.send_str("42" + json.dumps(["session_request", {"session_id": secret}]))
        await read(30, lambda: len(events("session_confirm")) >= 4)
        deep = '{"a": ' * 5000 + "1" + "}" * 5000
        await ws.send_str(f'42["user_uttered", {{"message": "x", "session_id": "{secret}", "metadata": {deep}}}]')
        await ws.send_str('42["user_uttered", ' + "[" * 100 + "]" * 100 + "]")
        await ws.send_str("42" + json.dumps(["user_uttered", {"message": "\ud800 " + SECRET_TEXT, "session_id": secret}]))
        await read(60, lambda: any(isinstance(r[1], dict) and r[1].get("text") for r in events("bot_uttered")),
                   quiet=5)
    return {"received": received, "secret": secret}


def test_bad_socketio_frames_keep_the_connection_and_get_a_polite_reply(faulty: Stack) -> None:
    outcome = asyncio.run(_socket_session(faulty.rasa_url, faulty.service_url))
    received, secret = outcome["received"], outcome["secret"]
    assert not [r for r in received if r and r[0] == "closed"], received  # the connection survived
    confirmed = [r[1] for r in received if r[0] == "session_confirm"]
    assert len(confirmed) == 4 and confirmed[-1] == secret
    assert all(32 <= len(s) <= 128 and s.isascii() and "twilio" not in s for s in confirmed[:3])
    answers = [r[1] for r in received if r[0] == "bot_uttered" and isinstance(r[1], dict)]
    assert answers and any(a.get("text") for a in answers)  # the surrogate message was answered
    errors = error_lines(faulty)
    assert SECRET_TEXT not in errors and secret not in errors and "aaaaaaaaaa" not in errors
    assert "RecursionError" not in faulty.log("rasa")
