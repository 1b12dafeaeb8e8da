"""Nobody can act as someone else: conversation ids carry their channel (real stack).

A WhatsApp user's case exists (opened from `whatsapp:212…`). A REST client and a
socket.io client that use that user's number, in every form, read nothing, erase
nothing and receive none of the adviser's replies. Malformed REST requests get a 400.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import urllib.error
import urllib.request
from typing import Any

import pytest

from assistant import conversation_ids
from tests.support.stack import APP_PYTHON, ROOT, Stack

NUMBER = "212600000009"
SEED = f"""
import asyncio, datetime as dt
from assistant.cases.store import CaseRequest, open_case
async def main():
    case, _ = await open_case(CaseRequest(
        conversation_id="whatsapp:{NUMBER}", channel="whatsapp", language="fr", name="Nadia Victime",
        country="France", summary="Projet confidentiel de la victime", phone="+{NUMBER}",
        consent_at=dt.datetime.now(dt.timezone.utc)))
    print(case.reference)
asyncio.run(main())
"""
CHECK = """
import asyncio, sys
from assistant.cases.store import get_case
async def main():
    case = await get_case(sys.argv[1])
    print(case.erased_at is None, case.name)
asyncio.run(main())
"""


def app_python(stack: Stack, code: str, *args: str) -> str:
    done = subprocess.run([str(APP_PYTHON), "-c", code, *args], cwd=ROOT, env=stack.env, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture(scope="module")
def victim_case(stack: Stack) -> str:
    return app_python(stack, SEED)


def post(stack: Stack, payload: Any, raw: bytes | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook", data=raw if raw is not None else json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def texts(messages: list[dict[str, Any]]) -> str:
    return " ".join(m.get("text") or "" for m in messages)


@pytest.mark.parametrize("sender", [NUMBER, f"+{NUMBER}", "0600000009"])
def test_a_rest_client_using_a_whatsapp_number_reads_and_erases_nothing(
    stack: Stack, victim_case: str, sender: str
) -> None:
    status, answer = post(stack, {"sender": sender, "message": f"où en est mon dossier {victim_case} ?"})
    assert status == 200
    assert victim_case not in texts(answer)
    post(stack, {"sender": sender, "message": "supprimez mes données"})
    post(stack, {"sender": sender, "message": "oui"})
    assert app_python(stack, CHECK, victim_case) == "True Nadia Victime"


@pytest.mark.parametrize(
    "payload",
    [
        {"message": "Bonjour"},  # no sender: no shared `default` conversation any more
        {"sender": "", "message": "Bonjour"},
        {"sender": f"whatsapp:{NUMBER}", "message": "Bonjour"},  # another channel's id
        {"sender": "x" * 300, "message": "Bonjour"},  # huge id
        {"sender": ["a"], "message": "Bonjour"},
        {"sender": "demo-9", "message": "Bonjour", "input_channel": "whatsapp", "metadata": 5},
    ],
)
def test_a_missing_or_invalid_sender_is_a_400(stack: Stack, payload: dict[str, Any]) -> None:
    status, answer = post(stack, payload)
    assert status == 400 and answer["error"]["code"] == "bad_request"


def test_deep_nesting_is_a_400_and_a_lone_surrogate_gets_an_answer(stack: Stack) -> None:
    deep = b'{"sender": "nest-1", "message": "x", "metadata": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001
    status, answer = post(stack, None, raw=deep)
    assert status == 400 and "nested" in answer["error"]["message"]
    status, answer = post(stack, None, raw=b'{"sender": "surrogate-1", "message": "\\ud800 SARL capital minimum ?"}')
    assert status == 200 and texts(answer)
    log = stack.log("rasa")
    assert "surrogate-1" not in log and "SARL capital" not in log


def test_input_channel_cannot_be_claimed(stack: Stack) -> None:
    status, _ = post(stack, {"sender": "claim-1", "message": "Bonjour", "input_channel": "whatsapp"})
    assert status == 200
    events = stack.tracker("rest:claim-1")["events"]
    assert [e["input_channel"] for e in events if e["event"] == "user"] == ["rest"]


def test_a_socketio_client_cannot_join_a_whatsapp_conversation(stack: Stack, victim_case: str) -> None:
    import socketio

    async def scenario() -> list[Any]:
        received: list[Any] = []
        confirmed: list[str] = []
        client = socketio.AsyncClient()
        client.on("bot_uttered", lambda data: received.append(data))
        client.on("session_confirm", lambda data: confirmed.append(data))
        await client.connect(stack.rasa_url, transports=["websocket"], socketio_path="/socket.io")
        for forged in (NUMBER, f"whatsapp:{NUMBER}"):
            await client.emit("session_request", {"session_id": forged})
            await asyncio.sleep(0.5)
            await client.emit("user_uttered", {"message": "où en est mon dossier ?", "session_id": forged})
        await asyncio.sleep(1)
        # the forged ids were replaced by fresh secrets, and messages sent with them are ignored
        assert len(confirmed) == 2 and all(conversation_ids.valid_session_secret(s) for s in confirmed)
        assert NUMBER not in confirmed[0] and confirmed[0] != confirmed[1]
        await client.emit("user_uttered", {"message": f"où en est mon dossier {victim_case} ?", "session_id": confirmed[1]})
        await asyncio.sleep(3)
        await client.disconnect()
        return received

    received = asyncio.run(scenario())
    said = " ".join(str(m.get("text") or "") for m in received)
    assert said and victim_case not in said
